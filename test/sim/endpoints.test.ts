import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EndpointRegistry } from '../../src/sim/endpoints.ts';

describe('EndpointRegistry.list', () => {
  it('lists the paths with a prefix and suffix in sorted order', () => {
    const r = new EndpointRegistry();
    for (const p of ['kubelet/b/metrics/resource', 'kubelet/a/stats/summary', 'other/x/metrics/resource', 'kubelet/a/metrics/resource']) r.register(p, () => p);
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/a/metrics/resource', 'kubelet/b/metrics/resource']);
    expect(r.list('kubelet/')).toEqual(['kubelet/a/metrics/resource', 'kubelet/a/stats/summary', 'kubelet/b/metrics/resource']);
    expect(r.list()).toEqual(['kubelet/a/metrics/resource', 'kubelet/a/stats/summary', 'kubelet/b/metrics/resource', 'other/x/metrics/resource']);
  });

  it('answers from its cache until a path is registered or unregistered', () => {
    const r = new EndpointRegistry();
    r.register('kubelet/b/metrics/resource', () => 1);
    const first = r.list('kubelet/', '/metrics/resource');
    expect(r.list('kubelet/', '/metrics/resource')).toBe(first);
    const off = r.register('kubelet/a/metrics/resource', () => 2);
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/a/metrics/resource', 'kubelet/b/metrics/resource']);
    off();
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/b/metrics/resource']);
    // An unregistration by a stale handle (the path was registered again since) changes nothing.
    const stale = r.register('kubelet/c/metrics/resource', () => 3);
    r.register('kubelet/c/metrics/resource', () => 4);
    stale();
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/b/metrics/resource', 'kubelet/c/metrics/resource']);
    expect(r.get('kubelet/c/metrics/resource')).toBe(4);
  });
});

describe('EndpointRegistry.get', () => {
  // get() takes a handler from the last listing when asked for the path at its cursor: against a plain map
  // of what is registered, over any mix of (un)registrations, listings and gets in or out of listing order,
  // including handlers that (un)register while called.
  const PATHS = ['kubelet/a/metrics/resource', 'kubelet/b/metrics/resource', 'kubelet/b/stats/summary', 'other/x/metrics/resource'];
  type Op =
    | { op: 'register'; path: number; reentrant: boolean }
    | { op: 'unregister'; handle: number }
    | { op: 'list'; filter: number }
    | { op: 'get'; path: number }
    | { op: 'scrape'; filter: number; skip: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('register' as const), path: fc.nat(PATHS.length - 1), reentrant: fc.boolean() }),
    fc.record({ op: fc.constant('unregister' as const), handle: fc.nat(20) }),
    fc.record({ op: fc.constant('list' as const), filter: fc.nat(2) }),
    fc.record({ op: fc.constant('get' as const), path: fc.nat(PATHS.length - 1) }),
    fc.record({ op: fc.constant('scrape' as const), filter: fc.nat(2), skip: fc.nat(3) }),
  );
  const FILTERS: Array<[string, string]> = [
    ['kubelet/', '/metrics/resource'],
    ['kubelet/', ''],
    ['', ''],
  ];

  it('gives the handler registered since the listing, not the listed one', () => {
    const r = new EndpointRegistry();
    r.register('kubelet/a/metrics/resource', () => 0);
    r.list('kubelet/', '/metrics/resource');
    r.register('kubelet/a/metrics/resource', () => 1);
    expect(r.get('kubelet/a/metrics/resource')).toBe(1);
  });

  it('gives the handler registered at the path, in and out of listing order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 4, maxLength: 40, size: 'medium' }), (ops) => {
        const r = new EndpointRegistry();
        const model = new Map<string, number>();
        const handles: Array<() => void> = [];
        const modelHandles: Array<[string, number]> = [];
        let next = 0;
        const register = (path: string, reentrant: boolean): void => {
          const id = next++;
          const handle = r.register(path, () => {
            // A handler that registers another path while called (which drops the listings).
            if (reentrant && !model.has('late/x')) {
              const lateId = next++;
              handles.push(r.register('late/x', () => lateId));
              modelHandles.push(['late/x', lateId]);
              model.set('late/x', lateId);
            }
            return id;
          });
          handles.push(handle);
          modelHandles.push([path, id]);
          model.set(path, id);
        };
        const get = (path: string): void => {
          const want = model.get(path);
          expect(r.get(path)).toBe(want);
        };
        for (const o of ops) {
          if (o.op === 'register') register(PATHS[o.path]!, o.reentrant);
          else if (o.op === 'unregister') {
            const h = handles[o.handle];
            if (h === undefined) continue;
            h();
            const [path, id] = modelHandles[o.handle]!;
            if (model.get(path) === id) model.delete(path);
          } else if (o.op === 'list') r.list(...FILTERS[o.filter]!);
          else if (o.op === 'get') get(PATHS[o.path]!);
          else {
            const [prefix, suffix] = FILTERS[o.filter]!;
            const paths = r.list(prefix, suffix);
            expect(paths).toEqual([...model.keys()].filter((p) => p.startsWith(prefix) && p.endsWith(suffix)).sort());
            // Every path in order, but every skip-th one skipped (a scraper that stops early or skips).
            paths.forEach((p, i) => {
              if (o.skip === 0 || i % (o.skip + 1) !== o.skip) get(p);
            });
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
