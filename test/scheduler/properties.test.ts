/**
 * Scheduler invariants over random small clusters (1-8 nodes, 1-20 pods),
 * each run through the whole cluster (API server, scheduler, kubelets):
 *  - NodeResourcesFit: the requests of the pods bound to a node never exceed
 *    its allocatable;
 *  - PodTopologySpread: a DoNotSchedule constraint is never violated by the
 *    placements (skew over the zones <= maxSkew);
 *  - InterPodAffinity: required anti-affinity is never violated;
 *  - determinism: the same seed gives the same node for every pod;
 *  - liveness: a pod that fits some empty node is bound when nothing else
 *    competes for it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

type PodObj = Pod & KObject;
const ZONE = 'topology.kubernetes.io/zone';
const RUNS = 200;

interface NodeSpecGen {
  cpuMilli: number;
  memMi: number;
  zone: number;
}

interface PodGen {
  cpuMilli: number;
  memMi: number;
}

const nodeArb = fc.record({ cpuMilli: fc.integer({ min: 500, max: 8000 }), memMi: fc.integer({ min: 256, max: 16384 }), zone: fc.integer({ min: 0, max: 2 }) });
const podArb = fc.record({ cpuMilli: fc.integer({ min: 0, max: 4000 }), memMi: fc.integer({ min: 0, max: 8192 }) });

function newCluster(nodes: NodeSpecGen[], seed: number): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, {});
  nodes.forEach((n, i) => {
    const res = { cpu: `${n.cpuMilli}m`, memory: `${n.memMi}Mi`, pods: '110' };
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, [ZONE]: `zone-${n.zone}` } },
      status: { capacity: res, allocatable: res },
    });
  });
  return sim;
}

function requests(p: PodGen): Record<string, string> {
  const r: Record<string, string> = {};
  if (p.cpuMilli > 0) r['cpu'] = `${p.cpuMilli}m`;
  if (p.memMi > 0) r['memory'] = `${p.memMi}Mi`;
  return r;
}

function createPod(sim: Simulation, name: string, p: PodGen, extra: Partial<PodSpec> = {}, labels?: Record<string, string>): void {
  sim.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: requests(p) } }], ...extra },
  } as PodObj);
}

function pods(sim: Simulation): PodObj[] {
  return sim.list<PodObj>('Pod', 'default');
}

/**
 * Liveness, so that a safety property cannot pass on an idle cluster: pods are
 * attempted in creation order, so the first pod meets an empty cluster and is
 * bound whenever it fits some node.
 */
function expectFirstPodBoundIfItFits(sim: Simulation, nodes: NodeSpecGen[], first: PodGen): void {
  const fits = nodes.some((n) => first.cpuMilli <= n.cpuMilli && first.memMi <= n.memMi);
  if (fits) expect(sim.get<PodObj>('Pod', 'default', 'p0')?.spec?.nodeName).toBeDefined();
}

/** Run long enough for every attempt and binding (and a backoff round) to happen. */
function settle(sim: Simulation): void {
  sim.runUntil(sim.now + 5000);
}

describe('scheduler invariants (fast-check)', () => {
  it('bound requests never exceed a node\u2019s allocatable', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 1000 }), (nodes, ps, seed) => {
        const sim = newCluster(nodes, seed);
        ps.forEach((p, i) => createPod(sim, `p${i}`, p));
        settle(sim);
        expectFirstPodBoundIfItFits(sim, nodes, ps[0]!);
        const used = new Map<string, { cpu: number; mem: number }>();
        const byName = new Map(ps.map((p, i) => [`p${i}`, p]));
        for (const pod of pods(sim)) {
          const node = pod.spec?.nodeName;
          if (!node) continue;
          const g = byName.get(pod.metadata.name ?? '')!;
          const u = used.get(node) ?? { cpu: 0, mem: 0 };
          u.cpu += g.cpuMilli;
          u.mem += g.memMi;
          used.set(node, u);
        }
        for (const [node, u] of used) {
          const n = nodes[Number(node.slice('node-'.length))]!;
          expect(u.cpu).toBeLessThanOrEqual(n.cpuMilli);
          expect(u.mem).toBeLessThanOrEqual(n.memMi);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a DoNotSchedule topology spread constraint is never violated', () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 8 }),
        fc.array(podArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (nodes, ps, maxSkew, seed) => {
          const sim = newCluster(nodes, seed);
          const spread: Partial<PodSpec> = {
            topologySpreadConstraints: [{ maxSkew, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }],
          };
          ps.forEach((p, i) => createPod(sim, `p${i}`, p, spread, { app: 'spread' }));
          settle(sim);
          expectFirstPodBoundIfItFits(sim, nodes, ps[0]!);
          // Domains: every zone some node has (no node affinity, so every node is eligible).
          const counts = new Map<string, number>();
          for (const n of nodes) counts.set(`zone-${n.zone}`, 0);
          for (const pod of pods(sim)) {
            const node = pod.spec?.nodeName;
            if (!node) continue;
            const z = `zone-${nodes[Number(node.slice('node-'.length))]!.zone}`;
            counts.set(z, counts.get(z)! + 1);
          }
          const vals = [...counts.values()];
          expect(Math.max(...vals) - Math.min(...vals)).toBeLessThanOrEqual(maxSkew);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('required pod anti-affinity is never violated', () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ p: podArb, anti: fc.boolean(), app: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('kubernetes.io/hostname', ZONE),
        fc.integer({ min: 1, max: 1000 }),
        (nodes, ps, key, seed) => {
          const sim = newCluster(nodes, seed);
          ps.forEach((x, i) => {
            const extra: Partial<PodSpec> = x.anti
              ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: x.app } }, topologyKey: key }] } } }
              : {};
            createPod(sim, `p${i}`, x.p, extra, { app: x.app });
          });
          settle(sim);
          expectFirstPodBoundIfItFits(sim, nodes, ps[0]!.p);
          const topo = (node: string): string => {
            const i = Number(node.slice('node-'.length));
            return key === ZONE ? `zone-${nodes[i]!.zone}` : node;
          };
          const placed = pods(sim)
            .filter((p) => p.spec?.nodeName)
            .map((p) => ({ name: p.metadata.name ?? '', app: p.metadata.labels?.['app'] ?? '', domain: topo(p.spec!.nodeName!) }));
          const gen = new Map(ps.map((x, i) => [`p${i}`, x]));
          for (const a of placed) {
            const g = gen.get(a.name)!;
            if (!g.anti) continue;
            // No other placed pod with the label the term selects shares a's domain (symmetric: existing pods' anti-affinity too).
            for (const b of placed) {
              if (b.name === a.name) continue;
              if (b.domain === a.domain) expect(b.app).not.toBe(g.app);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('is deterministic for a seed: two runs bind every pod to the same node', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 1000 }), (nodes, ps, seed) => {
        const run = (): Array<[string, string]> => {
          const sim = newCluster(nodes, seed);
          ps.forEach((p, i) => createPod(sim, `p${i}`, p));
          settle(sim);
          return pods(sim).map((p) => [p.metadata.name ?? '', p.spec?.nodeName ?? '']);
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: RUNS },
    );
  });

  it('a pod that fits some empty node is bound when nothing competes', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (nodes, pick, frac, seed) => {
        const target = nodes[pick % nodes.length]!;
        // Requests no larger than the chosen node's allocatable: it fits there when empty.
        const p: PodGen = { cpuMilli: Math.floor(target.cpuMilli * frac), memMi: Math.floor(target.memMi * frac) };
        const sim = newCluster(nodes, seed);
        createPod(sim, 'only', p);
        settle(sim);
        const bound = sim.get<PodObj>('Pod', 'default', 'only')?.spec?.nodeName;
        expect(bound).toBeDefined();
        const n = nodes[Number(bound!.slice('node-'.length))]!;
        expect(p.cpuMilli).toBeLessThanOrEqual(n.cpuMilli);
        expect(p.memMi).toBeLessThanOrEqual(n.memMi);
      }),
      { numRuns: RUNS },
    );
  });
});
