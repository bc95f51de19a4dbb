// Pod-level resources (PodLevelResources: alpha 1.32, beta and on since 1.34): pod-level
// requests/limits replace the containers' aggregate for cpu and memory, decide the QoS
// class, and are dropped by the API server while the gate is off.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { podLimits, podRequests, resourceMapToList } from '../../src/api/resources.ts';
import { computePodQOS } from '../../src/api/qos.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';

type R = Record<string, string>;
const pod = (podLevel: { requests?: R; limits?: R } | undefined, ...containers: Array<{ requests?: R; limits?: R }>): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      ...(podLevel ? { resources: podLevel } : {}),
      containers: containers.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })),
    },
  }) as Pod;

describe('PodRequests/PodLimits with pod-level resources', () => {
  it.each([
    ['pod-level requests replace the aggregate', pod({ requests: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '200m' } }, { requests: { cpu: '300m' } }), { cpu: '1', memory: '1Gi' }],
    ['resources not set at pod level keep the aggregate', pod({ requests: { cpu: '1' } }, { requests: { cpu: '200m', memory: '64Mi' } }), { cpu: '1', memory: '64Mi' }],
    ['a pod-level limit without request: the containers request it, so their aggregate', pod({ limits: { cpu: '2' } }, { requests: { cpu: '500m' } }), { cpu: '500m' }],
    ['a pod-level limit without request: no container requests it, so the limit', pod({ limits: { memory: '1Gi' } }, {}), { memory: '1Gi' }],
    ['only cpu and memory are pod-level resources', pod({ requests: { 'ephemeral-storage': '1Gi', cpu: '1' } }, { requests: { 'ephemeral-storage': '100Mi' } }), { cpu: '1', 'ephemeral-storage': '100Mi' }],
  ])('%s', (_n, p, want) => {
    expect(resourceMapToList(podRequests(p))).toEqual(want);
  });

  it('pod-level limits replace the aggregate', () => {
    expect(resourceMapToList(podLimits(pod({ limits: { cpu: '2' } }, { limits: { cpu: '500m', memory: '1Gi' } })))).toEqual({ cpu: '2', memory: '1Gi' });
  });
});

describe('QoS with pod-level resources', () => {
  it.each([
    ['pod-level requests = limits for cpu and memory: Guaranteed, whatever the containers say', pod({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, {}), 'Guaranteed'],
    ['pod-level limits without memory: Burstable', pod({ requests: { cpu: '1' }, limits: { cpu: '1' } }, { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } }), 'Burstable'],
    ['without pod-level resources the containers decide', pod(undefined, { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
    ['an empty pod-level block is not set', pod({}, {}), 'BestEffort'],
  ])('%s', (_n, p, want) => {
    expect(computePodQOS(p)).toBe(want);
  });
});

describe('the API server drops spec.resources while PodLevelResources is off', () => {
  it.each([
    ['1.33', false, 'BestEffort'],
    ['1.34', true, 'Guaranteed'],
  ])('emulated %s: kept %s, QoS %s', (version, kept, qos) => {
    const sim = Simulation.create({ seed: 1 });
    startApiServer(sim, FeatureGates.resolve({ emulatedVersion: version }));
    const created = sim.store.create<Pod & KObject>(pod({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, {}) as Pod & KObject);
    expect((created.spec as { resources?: unknown }).resources !== undefined).toBe(kept);
    expect(created.status?.qosClass).toBe(qos);
  });

  it('gate on explicitly at 1.33 keeps the field', () => {
    const sim = Simulation.create({ seed: 1 });
    startApiServer(sim, FeatureGates.resolve({ emulatedVersion: '1.33', settings: { PodLevelResources: true } }));
    const created = sim.store.create<Pod & KObject>(pod({ requests: { cpu: '1' } }, {}) as Pod & KObject);
    expect((created.spec as { resources?: unknown }).resources).toEqual({ requests: { cpu: '1' } });
  });
});

describe('the scheduler sees pod-level requests', () => {
  it('a pod asking 3 cpu at pod level does not fit a 2-cpu node whatever its containers ask', async () => {
    const { createScheduler } = await import('../../src/scheduler/scheduler.ts');
    const sim = Simulation.create({ seed: 1 });
    startApiServer(sim);
    sim.use(createScheduler());
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '10' }, allocatable: { cpu: '2', memory: '4Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    sim.apply(pod({ requests: { cpu: '3' } }, { requests: { cpu: '100m' } }) as Pod & KObject);
    sim.runUntil(2_000);
    const ev = sim.events().find((e) => e.reason === 'FailedScheduling');
    expect(ev?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
  });
});
