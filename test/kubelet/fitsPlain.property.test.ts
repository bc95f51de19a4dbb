/**
 * The kubelet's Fits (lifecycle/predicate.ts) and podHostPorts allocate
 * nothing for a pod that fits: they must give exactly what the plain form of
 * the rule gives — the same failures in the same order (pods, cpu, memory,
 * ephemeral-storage, then the rest by name; zero requests, the pod count and
 * extended resources the node lacks skipped), and every host port in
 * container order — on generated requests, allocatables and usages.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { fits, podHostPorts, type HostPort, type NodeUsage } from '../../src/kubelet/lifecycle/predicate.ts';

const isExtended = (name: string): boolean => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

/** Fits as the rule reads, building what it needs. */
function plainFits(request: ReadonlyMap<string, number>, allocatable: Map<string, number>, usage: NodeUsage): { reason: string; message: string }[] {
  const out: { reason: string; message: string }[] = [];
  const fail = (name: string, r: number, used: number, cap: number): void => {
    out.push({ reason: `OutOf${name}`, message: `Node didn't have enough resource: ${name}, requested: ${r}, used: ${used}, capacity: ${cap}` });
  };
  const allowedPods = allocatable.get('pods') ?? 0;
  if (usage.pods + 1 > allowedPods) fail('pods', 1, usage.pods, allowedPods);
  const req = new Map([...request].filter(([name, v]) => v > 0 && name !== 'pods' && (!isExtended(name) || allocatable.has(name))));
  const check = (name: string): void => {
    const r = req.get(name);
    if (r === undefined || r === 0) return;
    const used = usage.requested.get(name) ?? 0;
    const cap = allocatable.get(name) ?? 0;
    if (r > cap - used) fail(name, r, used, cap);
  };
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) check(name);
  for (const name of [...req.keys()].sort()) if (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage') check(name);
  return out;
}

function plainHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
  }
  return out;
}

const names = fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'pods', 'example.com/gpu', 'kubernetes.io/batch-cpu', 'hugepages-2Mi', 'a.io/x');
const amounts = fc.dictionary(names, fc.oneof(fc.constant(0), fc.integer({ min: -2, max: 5000 })), { maxKeys: 6 }).map((d) => new Map(Object.entries(d)));

const port = fc.record(
  { containerPort: fc.integer({ min: 1, max: 9 }), hostPort: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }), protocol: fc.constantFrom('TCP', 'UDP'), hostIP: fc.constantFrom('', '10.0.0.1') },
  { requiredKeys: ['containerPort'] },
);
const container = fc.record({ name: fc.constantFrom('a', 'b'), ports: fc.option(fc.array(port, { maxLength: 3 }), { nil: undefined }) }, { requiredKeys: ['name'] }) as fc.Arbitrary<Container>;
const podArb = fc.record({ init: fc.option(fc.array(container, { maxLength: 2 }), { nil: undefined }), containers: fc.array(container, { minLength: 1, maxLength: 3 }) }).map(
  ({ init, containers }): Pod => ({ spec: { containers, ...(init ? { initContainers: init } : {}) } }),
);

describe('kubelet Fits and host ports', () => {
  it('Fits gives the plain rule’s failures in its order (property)', () => {
    fc.assert(
      fc.property(amounts, amounts, amounts, fc.nat(120), (request, allocatable, requested, pods) => {
        const usage: NodeUsage = { pods, requested, hostPorts: [] };
        expect(fits(request, allocatable, usage)).toEqual(plainFits(request, allocatable, usage));
      }),
      { numRuns: 300 },
    );
  });

  it('podHostPorts lists every host port in container order, init containers first (property)', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        expect([...podHostPorts(pod)]).toEqual(plainHostPorts(pod));
      }),
      { numRuns: 300 },
    );
  });
});
