/**
 * The run table's node usage answers a pod's requests from the previous pod's
 * when the spec parts podRequests reads are the same frozen objects (stored
 * pods of one template share them). On generated pods, frozen and not, sharing
 * some parts and not others, it must equal summing podRequests pod by pod.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { nodeUsage } from '../../src/cli/output/table.ts';
import { podRequests } from '../../src/api/resources.ts';
import type { Quantity } from '../../src/api/quantity.ts';
import { deepFreeze } from '../../src/sim/store.ts';

const res = (cpu: string, memory: string) => ({ requests: { cpu, memory } });
const pool = {
  containers: [
    deepFreeze([{ name: 'a', resources: res('100m', '200Mi') }]),
    deepFreeze([{ name: 'a', resources: res('250m', '1Gi') }, { name: 'b', resources: res('1', '1Mi') }]),
  ],
  init: [undefined, deepFreeze([{ name: 'i', resources: res('2', '2Gi') }])],
  resources: [undefined, deepFreeze({ requests: { cpu: '3' } })],
  overhead: [undefined, deepFreeze({ cpu: '10m', memory: '5Mi' })],
};

const pick = <T>(xs: readonly T[]) => fc.integer({ min: 0, max: xs.length - 1 }).map((i) => xs[i]!);
const podArb = fc.record({
  node: fc.constantFrom('n0', 'n1'),
  containers: pick(pool.containers),
  init: pick(pool.init),
  resources: pick(pool.resources),
  overhead: pick(pool.overhead),
  copy: fc.boolean(),
});

function sum(pods: Pod[], node: string): { cpu?: string; memory?: string } {
  let cpu: Quantity | undefined;
  let memory: Quantity | undefined;
  for (const p of pods) {
    if (p.spec?.nodeName !== node) continue;
    const r = podRequests(p);
    const c = r.get('cpu');
    const m = r.get('memory');
    if (c) cpu = cpu ? cpu.add(c) : c;
    if (m) memory = memory ? memory.add(m) : m;
  }
  return { cpu: cpu?.toString(), memory: memory?.toString() };
}

describe('nodeUsage', () => {
  it('sums the same requests as podRequests pod by pod, with shared frozen spec parts or copies (fast-check)', () => {
    const nodes = ['n0', 'n1'].map((name) => ({ metadata: { name }, status: { allocatable: { cpu: '100', memory: '100Gi', pods: '110' } } }) as Node);
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 1, maxLength: 12 }), (specs) => {
        const pods = specs.map((s, i) => {
          const spec: Record<string, unknown> = { nodeName: s.node, containers: s.copy ? structuredClone(s.containers) : s.containers };
          if (s.init) spec['initContainers'] = s.init;
          if (s.resources) spec['resources'] = s.resources;
          if (s.overhead) spec['overhead'] = s.overhead;
          return { metadata: { name: `p${i}` }, spec } as unknown as Pod;
        });
        const usage = nodeUsage(nodes, pods);
        for (const u of usage) {
          const want = sum(pods, u.name);
          const milli = want.cpu === undefined ? 0 : podRequests({ spec: { containers: [{ name: 'x', resources: { requests: { cpu: want.cpu } } }] } } as Pod).get('cpu')!.milliValue();
          expect(u.cpuMilli).toBe(milli);
        }
        // Unfrozen copies never take the shortcut: the straightforward path, field for field.
        expect(usage).toEqual(nodeUsage(nodes, structuredClone(pods)));
      }),
      { numRuns: 300 },
    );
  });
});
