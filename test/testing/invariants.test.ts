import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import {
  cluster,
  nodeManifest,
  noNodeOvercommitted,
  podManifest,
  requiredAntiAffinityRespected,
  topologySpreadRespected,
  caseToScenarioYaml,
  runCase,
  violations,
  type PodConstraints,
} from '../../src/testing/index.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { Quantity } from '../../src/api/quantity.ts';

/**
 * Whether the first generated pod fits some empty node: pods are attempted in
 * creation order, so it meets an empty cluster and must then be bound (cpu and
 * memory against capacity less the kubelet's default 100Mi hard eviction
 * threshold, and its zone selector).
 */
function firstPodFits(c: { nodes: KObject[]; pods: KObject[] }): boolean {
  type Shaped = KObject & { spec?: { nodeSelector?: Record<string, string>; containers?: Array<{ resources?: { requests?: Record<string, string> } }> }; status?: { capacity?: Record<string, string> } };
  const first = c.pods[0] as Shaped | undefined;
  if (!first) return false;
  const req = first.spec?.containers?.[0]?.resources?.requests ?? {};
  const zone = first.spec?.nodeSelector?.['topology.kubernetes.io/zone'];
  return (c.nodes as Shaped[]).some((n) => {
    const cap = n.status?.capacity ?? {};
    if (zone && n.metadata.labels?.['topology.kubernetes.io/zone'] !== zone) return false;
    return Quantity.parse(req['cpu'] ?? '0').cmp(Quantity.parse(cap['cpu'] ?? '0')) <= 0 && Quantity.parse(req['memory'] ?? '0').add(Quantity.parse('100Mi')).cmp(Quantity.parse(cap['memory'] ?? '0')) <= 0;
  });
}

/** A store with hand-placed pods (no scheduler), to prove each invariant can fail. */
function placed(objects: KObject[]): Simulation {
  const sim = Simulation.create({ seed: 1 });
  startApiServer(sim);
  sim.apply(objects);
  return sim;
}

const shape = { cpu: '2', memory: '4Gi', pods: 110, zone: 'zone-a' };
const noConstraints: PodConstraints = { antiAffinityHostname: false, zoneSpreadMaxSkew: undefined, zone: undefined };

function boundPod(name: string, node: string, cpu: string, constraints = noConstraints, app = 'web'): KObject {
  const p = podManifest(name, { app, requests: { cpu, memory: '64Mi' }, priority: 0, constraints });
  (p['spec'] as Record<string, unknown>)['nodeName'] = node;
  return p;
}

function withAllocatable(n: KObject): KObject {
  const status = n['status'] as { capacity: Record<string, string> };
  return { ...n, status: { ...status, allocatable: status.capacity } };
}

describe('invariants detect violations', () => {
  it('noNodeOvercommitted flags a node whose pods request more cpu than allocatable', () => {
    const sim = placed([withAllocatable(nodeManifest('n1', shape)), boundPod('a', 'n1', '1500m'), boundPod('b', 'n1', '1')]);
    expect(noNodeOvercommitted.check(sim.store)).toEqual(['node n1: pods request 2500m cpu > allocatable 2']);
  });

  it('requiredAntiAffinityRespected flags two pods of one app on one host', () => {
    const anti = { ...noConstraints, antiAffinityHostname: true };
    const sim = placed([withAllocatable(nodeManifest('n1', shape)), boundPod('a', 'n1', '100m', anti), boundPod('b', 'n1', '100m', anti)]);
    expect(requiredAntiAffinityRespected.check(sim.store)).toHaveLength(2);
  });

  it('topologySpreadRespected flags a skew above maxSkew', () => {
    const spread = { ...noConstraints, zoneSpreadMaxSkew: 1 };
    const sim = placed([
      withAllocatable(nodeManifest('n1', { ...shape, zone: 'zone-a' })),
      withAllocatable(nodeManifest('n2', { ...shape, zone: 'zone-b' })),
      boundPod('a', 'n1', '100m', spread),
      boundPod('b', 'n1', '100m', spread),
    ]);
    expect(topologySpreadRespected.check(sim.store)).toEqual([
      'pod a: topology.kubernetes.io/zone skew 2 > maxSkew 1 (zone-a=2, zone-b=0)',
      'pod b: topology.kubernetes.io/zone skew 2 > maxSkew 1 (zone-a=2, zone-b=0)',
    ]);
  });
});

describe('generated clusters', () => {
  it('are accepted by the API server and hold every scheduling invariant after a run (no priorities, so nothing is preempted)', () => {
    fc.assert(
      fc.property(cluster({ nodes: { max: 4 }, pods: { max: 8, priorities: false } }), (c) => {
        const sim = runCase(c);
        expect(violations(sim.store)).toEqual([]);
        // Liveness: a cluster with pods that fit somewhere binds something; an idle run proves nothing.
        const first = c.pods[0]?.metadata.name;
        if (first && firstPodFits(c)) expect((sim.store.get('Pod', 'default', first) as { spec?: { nodeName?: string } } | undefined)?.spec?.nodeName).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('round-trip through a scenario file with the same seed and objects', () => {
    fc.assert(
      fc.property(cluster({ nodes: { max: 3 }, pods: { max: 4 } }), (c) => {
        const loaded = loadScenarioFromText([{ file: 'counterexample.yaml', text: caseToScenarioYaml(c) }]);
        expect(loaded.seed).toBe(c.seed);
        expect(loaded.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(c.objects.map((o) => `${o.kind}/${o.metadata.name}`));
      }),
      { numRuns: 200 },
    );
  });
});
