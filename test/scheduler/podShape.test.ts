// The fast path's filter and score memos key a node-local plugin's answers by the pod's
// shape. Built-in plugins read only the spec (Plugin.podSpecOnly); an out-of-tree
// node-local plugin may read the pod's namespace, labels and annotations too, so pods with
// one spec but other labels must not share its answers (framework/nodeMemo.ts podShape).
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { newRegistry, registerPlugin } from '../../src/scheduler/registry.ts';
import { Status, type FilterPlugin, type NodeInfo, type PodInfo, type ScorePlugin } from '../../src/scheduler/framework/types.ts';

const TEAM = 'example.com/team';
const node = (name: string, team: string): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, [TEAM]: team } },
  spec: {},
  status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
/** Pods of one spec (so one interned spec object), told apart only by a label or an annotation. */
const pod = (name: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> }): Pod & KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...meta },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
});

/** The pod's team: its label, else its annotation. */
const teamOf = (p: PodInfo): string | undefined => p.pod.metadata.labels?.[TEAM] ?? p.pod.metadata.annotations?.[TEAM];

function run(fastPath: boolean, point: 'filter' | 'score'): Record<string, string | undefined> {
  const registry = newRegistry();
  // Node-local (reads only the node and the pod), but not spec-only.
  registerPlugin(registry, 'TeamGate', () =>
    point === 'filter'
      ? ({ name: 'TeamGate', nodeLocal: true, filter: (_s: unknown, p: PodInfo, ni: NodeInfo) => (ni.node.metadata.labels?.[TEAM] === teamOf(p) ? null : Status.unschedulable('other team')) } as FilterPlugin)
      : ({ name: 'TeamGate', nodeLocal: true, score: (_s: unknown, p: PodInfo, ni: NodeInfo) => (ni.node.metadata.labels?.[TEAM] === teamOf(p) ? 100 : 0) } as ScorePlugin),
  );
  const config = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [{ schedulerName: 'default-scheduler', plugins: { [point]: { enabled: [{ name: 'TeamGate', ...(point === 'score' ? { weight: 50 } : {}) }] } } }],
  };
  const sim = Simulation.create({ seed: 1 });
  startApiServer(sim);
  sim.use(createScheduler({ config, registry, fastPath }));
  sim.apply([node('blue-0', 'blue'), node('red-0', 'red'), node('blue-1', 'blue'), node('red-1', 'red')]);
  const pods = [
    pod('blue-a', { labels: { [TEAM]: 'blue' } }),
    pod('red-a', { labels: { [TEAM]: 'red' } }),
    pod('blue-b', { annotations: { [TEAM]: 'blue' } }),
    pod('red-b', { annotations: { [TEAM]: 'red' } }),
  ];
  // One at a time, so each pod meets the memo rows its predecessor left.
  for (const p of pods) {
    sim.apply(p);
    sim.runUntil(sim.now + 1_000);
  }
  return Object.fromEntries(pods.map((p) => [p.metadata.name, sim.store.get<Pod & KObject>('Pod', 'default', p.metadata.name!)?.spec?.nodeName]));
}

describe('memo keys for node-local plugins that read pod metadata', () => {
  it.each(['filter', 'score'] as const)('%s: each pod lands on its own team, by label or by annotation, with the fast path as without', (point) => {
    const fast = run(true, point);
    expect(fast).toEqual(run(false, point));
    for (const [name, node] of Object.entries(fast)) expect(node?.split('-')[0]).toBe(name.split('-')[0]);
  });
});
