/**
 * Memo context ids (framework/dryRunMemo.ts MemoContexts), which key the
 * dry-run and nominated-pass memos: two (Filter list, pod) pairs get the same
 * id exactly when the Filters' names and the pod's namespace, labels,
 * annotations and spec serialise alike. Generated pods share frozen
 * (stored, interned) spec objects under different labels, annotations and
 * namespaces, come as several PodInfos of one pod, or are unfrozen; Filter
 * lists are new arrays naming the same or other plugins.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { deepFreeze } from '../../src/sim/store.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { MemoContexts } from '../../src/scheduler/framework/dryRunMemo.ts';
import type { PodInfo } from '../../src/scheduler/framework/types.ts';

const RUNS = 300;
const FILTER_SETS = [['NodeResourcesFit', 'NodeAffinity'], ['NodeResourcesFit'], ['NodeResourcesFit', 'TaintToleration']];

const specs: PodSpec[] = [
  { priority: 10, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] },
  { priority: 5, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] },
  { priority: 10, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' } } }] },
].map((s) => deepFreeze(s));

const podArb = fc.record({
  spec: fc.integer({ min: 0, max: specs.length - 1 }),
  app: fc.constantFrom(undefined, 'a', 'b'),
  note: fc.constantFrom(undefined, 'x'),
  namespace: fc.constantFrom('default', 'other'),
  frozen: fc.boolean(),
  /** A copy of the spec object instead of the shared (interned) one. */
  ownSpec: fc.boolean(),
});
type PodGen = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function podOf(g: PodGen, i: number): Pod {
  const spec = g.ownSpec ? (JSON.parse(JSON.stringify(specs[g.spec])) as PodSpec) : specs[g.spec]!;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `p${i}`,
      namespace: g.namespace,
      uid: `uid-${i}`,
      ...(g.app ? { labels: { app: g.app } } : {}),
      ...(g.note ? { annotations: { note: g.note } } : {}),
    },
    spec,
  };
  return g.frozen ? deepFreeze(pod) : pod;
}

/** The straightforward context: Filter names and the pod's serialised fields. */
function contextText(filters: readonly { name: string }[], pi: PodInfo): string {
  const p = pi.pod;
  return JSON.stringify([filters.map((f) => f.name), p.metadata?.namespace ?? '', p.metadata?.labels ?? null, p.metadata?.annotations ?? null, p.spec ?? null]);
}

describe('MemoContexts ids', () => {
  it(`equal exactly when the Filter names and pod fields serialise alike (${RUNS} runs)`, () => {
    let shared = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(podArb, fc.integer({ min: 0, max: FILTER_SETS.length - 1 }), fc.boolean()), { minLength: 2, maxLength: 30 }), (steps) => {
        const contexts = new MemoContexts();
        const seen: Array<{ id: number; text: string }> = [];
        let last: PodInfo | null = null;
        steps.forEach(([g, f, again], i) => {
          // A new Filter list each step (as each cycle makes one); sometimes the last pod's next PodInfo.
          const filters = FILTER_SETS[f]!.map((name) => ({ name }));
          const pi = again && last !== null ? newPodInfo(last.pod) : newPodInfo(podOf(g, i));
          last = pi;
          const id = contexts.idFor(filters, pi);
          const text = contextText(filters, pi);
          for (const s of seen) {
            expect(s.id === id).toBe(s.text === text);
            if (s.id === id) shared++;
          }
          seen.push({ id, text });
        });
      }),
      { numRuns: RUNS },
    );
    expect(shared).toBeGreaterThan(RUNS);
  });
});
