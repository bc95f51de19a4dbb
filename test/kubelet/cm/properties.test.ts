// Property tests of the node's resource managers behind the Topology Manager (small nodes, 200 runs each).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import type { NumaLayout } from '../../../src/api/numa.ts';
import { NodeResourceManagers, type ResourceManagersConfig } from '../../../src/kubelet/cm/containerManager.ts';
import { CPUSet } from '../../../src/kubelet/cm/cpumanager/cpuset.ts';
import { topologyFromLayout } from '../../../src/kubelet/cm/cpumanager/topology.ts';
import { guaranteedCPUs } from '../../../src/kubelet/cm/cpumanager/policyStatic.ts';

interface Shape {
  numa: number;
  coresPerNuma: number;
  threads: number;
  gpusPerNuma: number;
}

function layout(s: Shape): NumaLayout {
  const per = s.coresPerNuma * s.threads;
  return {
    threadsPerCore: s.threads,
    nodes: Array.from({ length: s.numa }, (_, i) => ({
      id: i,
      cpus: Array.from({ length: per }, (_, j) => i * per + j),
      memory: '4Gi',
      ...(s.gpusPerNuma > 0 ? { devices: { 'nvidia.com/gpu': s.gpusPerNuma } } : {}),
      // Sockets are uniform, as on real hardware (upstream's CPUsPerSocket assumes it).
      socket: s.numa % 2 === 0 ? Math.floor(i / 2) : i,
    })),
  };
}

interface PodSpec {
  containers: Array<{ cpu: number; fractional: boolean; memGi: number; gpus: number }>;
  guaranteed: boolean;
}

function pod(i: number, p: PodSpec): Pod {
  return {
    metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` },
    spec: {
      containers: p.containers.map((c, j) => {
        const r: Record<string, string> = { cpu: c.fractional ? `${c.cpu * 1000 + 500}m` : String(c.cpu), memory: `${c.memGi}Gi` };
        if (c.gpus > 0) r['nvidia.com/gpu'] = String(c.gpus);
        return { name: `c${j}`, resources: p.guaranteed ? { requests: r, limits: r } : { requests: r } };
      }),
    },
  };
}

const shapeArb = fc.record({ numa: fc.integer({ min: 1, max: 4 }), coresPerNuma: fc.integer({ min: 1, max: 3 }), threads: fc.integer({ min: 1, max: 2 }), gpusPerNuma: fc.integer({ min: 0, max: 2 }) });
const podArb = fc.record({
  guaranteed: fc.boolean(),
  containers: fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 5 }), fractional: fc.boolean(), memGi: fc.integer({ min: 1, max: 3 }), gpus: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 2 }),
});
const opsArb = fc.array(fc.oneof(fc.record({ add: podArb }), fc.record({ remove: fc.nat() })), { minLength: 1, maxLength: 12 });
const configArb = fc.record({
  topologyManagerPolicy: fc.constantFrom('none', 'best-effort', 'restricted', 'single-numa-node'),
  topologyManagerScope: fc.constantFrom('container', 'pod'),
  fullPcpus: fc.boolean(),
  distribute: fc.boolean(),
  alignBySocket: fc.boolean(),
  memoryStatic: fc.boolean(),
});

interface Cfg {
  topologyManagerPolicy: string;
  topologyManagerScope: string;
  fullPcpus: boolean;
  distribute: boolean;
  alignBySocket: boolean;
  memoryStatic: boolean;
}

function managers(shape: Shape, c: Cfg, policy?: string): NodeResourceManagers {
  const cfg: ResourceManagersConfig = {
    cpuManagerPolicy: 'static',
    cpuManagerPolicyOptions: { 'full-pcpus-only': String(c.fullPcpus), 'distribute-cpus-across-numa': String(c.distribute), 'align-by-socket': String(c.alignBySocket) },
    reservedSystemCPUs: '0',
    memoryManagerPolicy: c.memoryStatic ? 'Static' : 'None',
    topologyManagerPolicy: policy ?? c.topologyManagerPolicy,
    topologyManagerScope: c.topologyManagerScope,
    // align-by-socket is an alpha option.
    featureGates: { CPUManagerPolicyAlphaOptions: true },
  };
  return new NodeResourceManagers(layout(shape), cfg);
}

/** Run the ops; returns the admitted pods still on the node. */
function run(m: NodeResourceManagers, ops: Array<{ add?: PodSpec; remove?: number }>, onAdmit: (p: Pod) => void): Pod[] {
  const live: Pod[] = [];
  ops.forEach((op, i) => {
    if (op.add) {
      const p = pod(i, op.add);
      if (m.admit(p).admit) {
        live.push(p);
        onAdmit(p);
      }
    } else if (live.length > 0) {
      const [gone] = live.splice(op.remove! % live.length, 1);
      m.removePod(gone!.metadata!.uid!);
    }
  });
  return live;
}

describe('resource manager properties', () => {
  it('exclusive CPUs never overlap between containers on a node, never include reserved CPUs, and match the request', () => {
    fc.assert(
      fc.property(shapeArb, configArb, opsArb, (shape, cfg, ops) => {
        const m = managers(shape, cfg);
        if (m.startupError) return;
        run(m, ops, (p) => {
          for (const c of p.spec!.containers) {
            const want = guaranteedCPUs(p, c);
            const got = m.cpu!.assignments.get(p.metadata!.uid!)?.get(c.name);
            expect(got?.size() ?? 0, `${c.name} of ${p.metadata!.name}`).toBe(want);
          }
          const seen = new Set<number>();
          for (const [uid, byContainer] of m.cpu!.assignments) {
            for (const [name, cpus] of byContainer) {
              expect(cpus.has(0), `${uid}/${name} got reserved CPU 0`).toBe(false);
              for (const c of cpus.list()) {
                expect(seen.has(c), `CPU ${c} assigned twice`).toBe(false);
                seen.add(c);
              }
            }
          }
          // The shared pool and the exclusive CPUs partition the node.
          const all = m.cpu!.sharedPool().union(CPUSet.of(...seen));
          expect(all.size()).toBe(m.cpu!.topology.numCPUs);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('single-numa-node never admits a pod whose CPUs, memory or devices span two NUMA nodes', () => {
    fc.assert(
      fc.property(shapeArb, configArb, opsArb, (shape, cfg, ops) => {
        const m = managers(shape, cfg, 'single-numa-node');
        if (m.startupError) return;
        const topo = topologyFromLayout(layout(shape));
        run(m, ops, (p) => {
          const uid = p.metadata!.uid!;
          const numas = new Set<number>();
          for (const cpus of m.cpu!.assignments.get(uid)?.values() ?? []) for (const c of cpus.list()) numas.add(topo.details.get(c)!.numaNodeID);
          for (const blocks of m.memory?.assignments.get(uid)?.values() ?? []) for (const b of blocks) for (const n of b.numaAffinity) numas.add(n);
          for (const byRes of m.devices.assignments.get(uid)?.values() ?? []) for (const [r, ids] of byRes) for (const n of m.devices.numaOf(r, ids)) numas.add(n);
          if (cfg.topologyManagerScope === 'pod') expect(numas.size, `pod ${uid} spans ${[...numas]}`).toBeLessThanOrEqual(1);
          else {
            for (const [name, a] of Object.entries(m.assignment(uid)?.containers ?? {})) {
              const own = new Set<number>();
              if (a.exclusive && a.cpuset) for (const c of CPUSet.parse(a.cpuset).list()) own.add(topo.details.get(c)!.numaNodeID);
              for (const b of a.memory ?? []) for (const n of b.numaNodes) own.add(n);
              for (const d of Object.values(a.devices ?? {})) for (const n of d.numaNodes) own.add(n);
              expect(own.size, `${uid}/${name} spans ${[...own]}`).toBeLessThanOrEqual(1);
            }
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
