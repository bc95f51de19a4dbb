// PodObservedGenerationTracking (alpha 1.33, beta and on since 1.34): the scheduler's
// PodScheduled condition carries the generation of the pod it acted on.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';

function podScheduled(version: string, cpu: string): Record<string, unknown> | undefined {
  const sim = Simulation.create({ seed: 1 });
  sim.use(createScheduler({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
  sim.apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    status: { capacity: { cpu: '2', memory: '4Gi', pods: '10' }, allocatable: { cpu: '2', memory: '4Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] } } as Pod & KObject);
  sim.runUntil(2_000);
  const p = sim.store.get<Pod & KObject>('Pod', 'default', 'p')!;
  return p.status?.conditions?.find((c) => c.type === 'PodScheduled') as Record<string, unknown> | undefined;
}

describe('PodScheduled observedGeneration', () => {
  it.each([
    ['1.35', '1', 'True', 1],
    ['1.35', '4', 'False', 1],
    ['1.34', '1', 'True', 1],
    ['1.33', '1', 'True', undefined],
    ['1.33', '4', 'False', undefined],
  ] as Array<[string, string, string, number | undefined]>)('emulated %s, cpu %s: status %s, observedGeneration %s', (version, cpu, status, gen) => {
    const c = podScheduled(version, cpu)!;
    expect(c['status']).toBe(status);
    expect(c['observedGeneration']).toBe(gen);
  });
});

describe('kubelet status observedGeneration', () => {
  it.each([
    ['1.35', 1],
    ['1.33', undefined],
  ] as Array<[string, number | undefined]>)('emulated %s: status and kubelet conditions carry %s', async (version, gen) => {
    const { startComponents } = await import('../../src/components.ts');
    const sim = Simulation.create({ seed: 1 });
    startComponents(sim, { emulatedVersion: version });
    sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '10' } } });
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod & KObject);
    sim.runUntil(10_000);
    const p = sim.store.get<Pod & KObject>('Pod', 'default', 'p')!;
    expect(p.status?.phase).toBe('Running');
    expect((p.status as { observedGeneration?: number }).observedGeneration).toBe(gen);
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready') as { observedGeneration?: number } | undefined;
    expect(ready?.observedGeneration).toBe(gen);
  });
});
