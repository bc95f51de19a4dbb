// Cases from kube-scheduler v1.31 nodeunschedulable/node_unschedulable_test.go
// (TestNodeUnschedulable, TestIsSchedulableAfterNodeChange).
import { describe, expect, it } from 'vitest';
import { factory, name, isSchedulableAfterNodeChange, ErrReasonUnschedulable } from '../../../src/scheduler/plugins/NodeUnschedulable.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import type { Stored } from '../../../src/sim/types.ts';
import { makeNode, makePod, nodeInfo, runFilter } from './pluginTestUtil.ts';

const plugin = factory(undefined, fakeHandle({}));
const tolerateUnschedulable = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const }];

describe('NodeUnschedulable filter (TestNodeUnschedulable)', () => {
  const cases = [
    { name: 'Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', unschedulable: true, tolerations: undefined, want: Code.UnschedulableAndUnresolvable },
    { name: 'Schedule pod to normal node', unschedulable: false, tolerations: undefined, want: Code.Success },
    { name: 'Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)', unschedulable: true, tolerations: tolerateUnschedulable, want: Code.Success },
    // Operator Exists with an empty key tolerates every taint, including this one.
    { name: 'Exists toleration with empty key tolerates the unschedulable taint', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: Code.Success },
    // The toleration must cover effect NoSchedule.
    { name: 'NoExecute toleration does not tolerate it', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }], want: Code.UnschedulableAndUnresolvable },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod(c.tolerations ? { tolerations: c.tolerations } : {});
      const node = makeNode('n1', { spec: { unschedulable: c.unschedulable } });
      const v = runFilter(plugin, pod, nodeInfo(node));
      expect(v.code).toBe(c.want);
      expect(v.reasons).toEqual(c.want === Code.Success ? [] : [ErrReasonUnschedulable]);
    });
  }
  it('exports the upstream name and reason', () => {
    expect(name).toBe('NodeUnschedulable');
    expect(ErrReasonUnschedulable).toBe('node(s) were unschedulable');
  });
});

describe('NodeUnschedulable queueing hint (TestIsSchedulableAfterNodeChange)', () => {
  const pod = makePod() as unknown as Stored;
  const node = (u: boolean): Stored => makeNode('n', { spec: { unschedulable: u } }) as unknown as Stored;
  it.each([
    ['node add with Unschedulable=false', undefined, node(false), 'Queue'],
    ['node add with Unschedulable=true', undefined, node(true), 'QueueSkip'],
    ['node update: Unschedulable true -> false', node(true), node(false), 'Queue'],
    ['node update: Unschedulable false -> false', node(false), node(false), 'QueueSkip'],
    ['node update: Unschedulable false -> true', node(false), node(true), 'QueueSkip'],
  ])('%s', (_n, oldObj, newObj, want) => {
    expect(isSchedulableAfterNodeChange(pod, oldObj as Stored | undefined, newObj as Stored)).toBe(want);
  });
  it('registers Node add/taint/label updates', () => {
    const ev = (plugin as unknown as { eventsToRegister(): Array<{ event: { resource: string; actionType: number } }> }).eventsToRegister();
    expect(ev.map((e) => e.event)).toEqual([{ resource: 'Node', actionType: 1 | 16 | 8 }]);
  });
});
