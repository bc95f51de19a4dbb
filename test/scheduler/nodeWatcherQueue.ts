// A PriorityQueue with one profile of PrioritySort, DefaultBinder and a NodeWatcher plugin
// that registers for Node/Add (so a node event moves the pods it rejected), for queue tests.
import { ActionType, type Plugin, type PluginFactory } from '../../src/scheduler/framework/types.ts';
import { fakeStoreReader } from '../../src/scheduler/framework/testing.ts';
import { loadSchedulerConfig } from '../../src/scheduler/config.ts';
import { buildFramework } from '../../src/scheduler/profile.ts';
import { PriorityQueue } from '../../src/scheduler/queue/schedulingQueue.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import { DefaultBinder } from '../../src/scheduler/plugins/DefaultBinder.ts';

export function nodeWatcherQueue(opts: { now: () => number; popFromBackoffQ: boolean; fastPath?: boolean }): PriorityQueue {
  const reg = new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
    ['NodeWatcher', () => ({ name: 'NodeWatcher', filter: () => null, eventsToRegister: () => [{ event: { resource: 'Node', actionType: ActionType.Add } }] }) as unknown as Plugin],
  ]);
  const prof = loadSchedulerConfig({
    profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'PrioritySort' }, { name: 'NodeWatcher' }, { name: 'DefaultBinder' }] } } }],
  }).profiles[0]!;
  const snap = new Snapshot([]);
  const fw = buildFramework(prof, 0, reg, { snapshot: () => snap, store: () => fakeStoreReader([]), nominator: () => ({ nominatedPodsForNode: () => [] }), now: opts.now });
  return new PriorityQueue({ profiles: new Map([['default-scheduler', fw]]), now: opts.now, popFromBackoffQ: opts.popFromBackoffQ, ...(opts.fastPath === undefined ? {} : { fastPath: opts.fastPath }) });
}
