/**
 * The HPA's pod index files a namespace's pods only from the first select()
 * in it on, filling it then from the informer cache. Whatever the events
 * before and after, every select() must answer as an index fed every event
 * from the start does.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored, WatchEvent } from '../../../src/sim/types.ts';
import { selectorFromSet } from '../../../src/api/labels.ts';
import { PodLabelIndex } from '../../../src/controllers/podautoscaler/podIndex.ts';

type PodObj = Pod & KObject;

const op = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    ns: fc.constantFrom('a', 'b', 'c'),
    name: fc.constantFrom('p0', 'p1', 'p2', 'p3'),
    app: fc.constantFrom('web', 'db'),
    tier: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
    keepLabels: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete' as const), ns: fc.constantFrom('a', 'b', 'c'), name: fc.constantFrom('p0', 'p1', 'p2', 'p3') }),
  fc.record({ kind: fc.constant('select' as const), ns: fc.constantFrom('a', 'b', 'c'), app: fc.constantFrom('web', 'db'), tier: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }) }),
);

describe('PodLabelIndex filled lazily by namespace', () => {
  it('selects what an index fed every event selects', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        // The informer cache: namespace -> name -> pod, listed sorted by name as a lister lists.
        const cache = new Map<string, Map<string, Stored<PodObj>>>();
        const source = (ns: string): Stored<PodObj>[] => [...(cache.get(ns)?.values() ?? [])].sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
        const eager = new PodLabelIndex();
        const lazy = new PodLabelIndex(source);
        let uid = 0;
        const deliver = (ev: WatchEvent): void => {
          eager.observe(ev);
          lazy.observe(ev);
        };
        for (const o of ops) {
          const m = cache.get(o.ns) ?? new Map<string, Stored<PodObj>>();
          cache.set(o.ns, m);
          if (o.kind === 'put') {
            const old = m.get(o.name);
            const labels = old && o.keepLabels ? old.metadata.labels : { app: o.app, ...(o.tier ? { tier: o.tier } : {}) };
            const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: o.name, namespace: o.ns, uid: old?.metadata.uid ?? `u${uid++}`, labels } } as Stored<PodObj>;
            m.set(o.name, pod);
            deliver(old ? { type: 'MODIFIED', object: pod, oldObject: old } : { type: 'ADDED', object: pod });
          } else if (o.kind === 'delete') {
            const old = m.get(o.name);
            if (!old) continue;
            m.delete(o.name);
            deliver({ type: 'DELETED', object: old });
          } else {
            const sel = selectorFromSet({ app: o.app, ...(o.tier ? { tier: o.tier } : {}) });
            expect(lazy.select(o.ns, sel)).toEqual(eager.select(o.ns, sel));
          }
        }
        for (const ns of ['a', 'b', 'c']) {
          for (const app of ['web', 'db']) expect(lazy.select(ns, selectorFromSet({ app }))).toEqual(eager.select(ns, selectorFromSet({ app })));
        }
      }),
      { numRuns: 300 },
    );
  });
});
