// SchedulerQueueingHints off (possible up to v1.33): every event a rejecting plugin
// registered for requeues the pod, as upstream's defaultQueueingHintFn; on, the
// plugin's hint may skip it.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';

const node = (name: string, cpu: string, labels: Record<string, string> = {}): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: {},
  status: { capacity: { cpu, memory: '16Gi', pods: '110' }, allocatable: { cpu, memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});

function attemptsAfterIrrelevantNodeUpdate(hints: boolean): number {
  const sim = Simulation.create({ seed: 1 });
  sim.use(createScheduler({ featureGates: FeatureGates.resolve({ emulatedVersion: '1.33', settings: { SchedulerQueueingHints: hints } }) }));
  sim.apply([node('n1', '1')]);
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' } } }] } } as Pod & KObject);
  sim.runUntil(2_000);
  // A label change adds no cpu: NodeResourcesFit's hint says QueueSkip; without hints the pod is retried.
  sim.store.patch<Node & KObject>('Node', '', 'n1', (d) => void (d.metadata.labels!['team'] = 'a'));
  sim.runUntil(60_000);
  return sim.events().filter((e) => e.reason === 'FailedScheduling').reduce((n, e) => n + e.count, 0);
}

describe('SchedulerQueueingHints gate', () => {
  it('off: an irrelevant node update requeues the unschedulable pod; on: the hint skips it', () => {
    const off = attemptsAfterIrrelevantNodeUpdate(false);
    const on = attemptsAfterIrrelevantNodeUpdate(true);
    expect(on).toBe(1);
    expect(off).toBe(2);
  });
});
