/**
 * podRequestAmounts remembers the amounts of a pod's frozen spec parts (its
 * containers array, with initContainers, resources and overhead): for any
 * sequence of pods sharing or not sharing those parts, every answer equals a
 * fresh computation from PodRequests.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { podRequestAmounts } from '../../src/kubelet/lifecycle/predicate.ts';
import { podRequests } from '../../src/api/resources.ts';
import { deepFreeze } from '../../src/sim/store.ts';

function plain(pod: Pod): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, q] of podRequests(pod)) out.set(name, name === 'cpu' ? q.milliValue() : q.value());
  return out;
}

const cpu = fc.constantFrom('100m', '250m', '1', '2');
const mem = fc.constantFrom('64Mi', '128Mi', '1Gi');
const requests = fc.record({ cpu, memory: mem }, { requiredKeys: [] });
const container = (name: string): fc.Arbitrary<Container> => requests.map((r) => ({ name, image: 'i', resources: { requests: r } }));
const initContainer = fc.tuple(requests, fc.boolean()).map(([r, sidecar]) => ({ name: 'init', image: 'i', resources: { requests: r }, ...(sidecar ? { restartPolicy: 'Always' } : {}) }) as Container);

/** Frozen spec parts a pod may be made of. */
const partsArb = fc.record({
  containers: fc.array(fc.nat(2), { minLength: 1, maxLength: 2 }).chain((ids) => fc.tuple(...ids.map((i) => container(`c${i}`)))),
  init: fc.option(fc.array(initContainer, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  overhead: fc.option(fc.record({ cpu, memory: mem }), { nil: undefined }),
  resources: fc.option(fc.record({ requests: fc.record({ cpu }), limits: fc.record({ memory: mem }) }, { requiredKeys: [] }), { nil: undefined }),
});

describe('podRequestAmounts memo', () => {
  it('equals a fresh PodRequests computation for pods sharing and mixing frozen spec parts (property)', () => {
    fc.assert(
      fc.property(fc.array(partsArb, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 12 }), (partsList, picks) => {
        const parts = partsList.map((p) => deepFreeze(p));
        for (const [a, b, c, d, unfrozen] of picks) {
          const pa = parts[a % parts.length]!;
          const pb = parts[b % parts.length]!;
          const pc = parts[c % parts.length]!;
          const pd = parts[d % parts.length]!;
          // A pod made of one part's containers and possibly another's init containers, overhead and pod-level resources;
          // sometimes an unfrozen copy of the containers (never remembered).
          const spec: Record<string, unknown> = { containers: unfrozen ? structuredClone(pa.containers) : pa.containers, nodeName: 'n' };
          if (pb.init) spec['initContainers'] = pb.init;
          if (pc.overhead) spec['overhead'] = pc.overhead;
          if (pd.resources) spec['resources'] = pd.resources;
          const pod = { metadata: { name: "p" }, spec } as unknown as Pod;
          expect([...podRequestAmounts(pod)]).toEqual([...plain(pod)]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
