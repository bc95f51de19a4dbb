/**
 * Pods with equal specs share one frozen spec object after admission
 * (src/sim/specIntern.ts). The shortcut must change nothing a reader can
 * see: a pod created in a store that has admitted many others has exactly
 * the spec (keys, key order, leaves by Object.is) and validation outcome it
 * gets when it is the first pod of a fresh store, which shares with nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { identical } from './identical.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { defaultAdmissionChain } from '../../src/admission/apiServer.ts';
import { FrozenIntern, sameTree } from '../../src/sim/specIntern.ts';
import { deepFreeze } from '../../src/sim/store.ts';
import { isApiError } from '../../src/sim/errors.ts';
import { validatePodSpec, validatePodSpecUncached } from '../../src/api/validation.ts';
import type { KObject } from '../../src/sim/types.ts';

function store(): Simulation {
  const sim = Simulation.create({ seed: 7 });
  for (const p of defaultAdmissionChain(sim.store)) sim.store.addAdmission(p);
  sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KObject);
  return sim;
}


// Specs from a few templates, with the values JSON cannot tell apart.
const leaf = fc.constantFrom<unknown>(undefined, null, 0, -0, NaN, 1, '', 'x', '100m', true);
const container = fc.record(
  {
    name: fc.constantFrom('app', 'side', 'Bad_Name'),
    image: fc.constantFrom('nginx', 'nginx:1.27', 'registry.k8s.io/pause:3.10'),
    resources: fc.constantFrom<unknown>(undefined, { requests: { cpu: '100m' } }, { requests: { cpu: '100m', memory: '200Mi' } }, { limits: { cpu: '1' } }),
    extra: leaf,
  },
  { requiredKeys: ['name', 'image'] },
);
const wide = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    terminationGracePeriodSeconds: leaf,
    restartPolicy: fc.constantFrom<unknown>(undefined, 'Always', 'Never', 'Sometimes'),
    nodeSelector: fc.constantFrom<unknown>(undefined, { disk: 'ssd' }, {}),
    tolerations: fc.constantFrom<unknown>(undefined, [{ key: 'k', operator: 'Exists' }], [{ operator: 'Exists', effect: 'NoExecute' }]),
    priority: leaf,
  },
  { requiredKeys: ['containers'] },
);
// Narrow: equal but for values JSON cannot tell apart (undefined or missing, NaN or null, -0 or 0), so they meet often.
const narrowLeaf = fc.constantFrom<unknown>(undefined, null, NaN, 0, -0);
const narrow = fc.record(
  {
    containers: fc.constant([{ name: 'app', image: 'nginx' }]),
    terminationGracePeriodSeconds: narrowLeaf,
    activeDeadlineSeconds: narrowLeaf,
  },
  { requiredKeys: ['containers'] },
);
const spec = fc.oneof(wide, narrow);

function create(sim: Simulation, name: string, s: unknown): { spec?: unknown; error?: string } {
  try {
    const pod = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: s } as KObject);
    return { spec: pod['spec'] };
  } catch (e) {
    if (!isApiError(e)) throw e;
    return { error: e.message };
  }
}

describe('pod spec interning', () => {
  it('a pod gets the spec and validation outcome it gets alone in a fresh store (fast-check)', () => {
    let admitted = 0;
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 12 }), (specs) => {
        const shared = store();
        specs.forEach((s, i) => {
          const got = create(shared, `p-${i}`, s);
          const alone = create(store(), `p-${i}`, s);
          expect(got.error).toBe(alone.error);
          expect(identical(got.spec, alone.spec)).toBe(true);
          if (got.error === undefined) admitted++;
        });
      }),
      { numRuns: 200 },
    );
    // The generator must make both outcomes, or the property says little.
    expect(admitted).toBeGreaterThan(100);
    const sim = store();
    expect(create(sim, 'ok', { containers: [{ name: 'app', image: 'nginx' }] }).error).toBeUndefined();
    expect(create(sim, 'bad', { containers: [{ name: 'Bad_Name', image: 'nginx' }] }).error).toMatch(/Invalid value/);
  });

  it('equal specs share one frozen object; unequal ones, and ones JSON cannot tell apart, do not', () => {
    const sim = store();
    const mk = (name: string, extra: Record<string, unknown> = {}): unknown =>
      create(sim, name, { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra }).spec;
    const a = mk('a');
    const b = mk('b');
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(mk('c', { nodeSelector: { disk: 'ssd' } })).not.toBe(a);
    // JSON writes NaN as null and drops undefined members: these are not the same spec.
    const withNull = mk('d', { activeDeadlineSeconds: null });
    const withNaN = create(sim, 'e', { containers: [{ name: 'app', image: 'nginx:1.27' }], activeDeadlineSeconds: NaN });
    expect(withNaN.spec === undefined || withNaN.spec !== withNull).toBe(true);
    const withUndefined = mk('f', { hostname: undefined });
    expect(withUndefined).not.toBe(a);
    expect('hostname' in (withUndefined as object)).toBe(true);
  });

  it('remembered pod spec validation (by a frozen spec, by the last spec, by JSON) equals the straightforward one, per path (fast-check)', () => {
    const sites: Array<[string, boolean]> = [
      ['spec', true],
      ['spec.template.spec', false],
    ];
    fc.assert(
      fc.property(fc.array(fc.tuple(spec, fc.constantFrom(0, 1), fc.boolean()), { minLength: 1, maxLength: 6 }), (calls) => {
        // Runs of one spec (the last-spec shortcut), frozen and not (the identity shortcut), both sites.
        for (const [s, i, freeze] of [...calls, ...calls]) {
          const [path, isPod] = sites[i]!;
          const arg = freeze ? deepFreeze(structuredClone(s)) : structuredClone(s);
          expect(validatePodSpec(arg, path, isPod)).toEqual(validatePodSpecUncached(structuredClone(s), path, isPod));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('sameTree is key order, array length and Object.is on every leaf', () => {
    expect(sameTree({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toBe(true);
    expect(sameTree({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameTree({ a: undefined }, {})).toBe(false);
    expect(sameTree([0], [-0])).toBe(false);
    expect(sameTree([NaN], [NaN])).toBe(true);
    expect(sameTree([NaN], [null])).toBe(false);
    expect(sameTree([1, 2], [1, 2, 3])).toBe(false);
    expect(sameTree({ a: [] }, { a: {} })).toBe(false);
  });

  it('a table that is full starts again and still returns equal trees', () => {
    const t = new FrozenIntern<object>(deepFreeze, 4);
    const first = t.intern({ n: 0 });
    for (let i = 1; i < 10; i++) t.intern({ n: i });
    expect(t.size).toBeLessThanOrEqual(4);
    const again = t.intern({ n: 0 });
    expect(again).toEqual(first);
    expect(Object.isFrozen(again)).toBe(true);
  });
  it('trees that alternate (equal but for key order) are found among the recent ones, with no JSON written', () => {
    const t = new FrozenIntern<object>(deepFreeze);
    const a = () => ({ containers: [{ name: 'c' }], enableServiceLinks: true, restartPolicy: 'Never' });
    const b = () => ({ containers: [{ name: 'c' }], restartPolicy: 'Never', enableServiceLinks: true });
    const c = () => ({ containers: [{ name: 'd' }] });
    const keptA = t.intern(a());
    const keptB = t.intern(b());
    const keptC = t.intern(c());
    expect(keptB).not.toBe(keptA);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 6; i++) {
        expect(t.intern(a())).toBe(keptA);
        expect(t.intern(b())).toBe(keptB);
        expect(t.intern(c())).toBe(keptC);
      }
      expect(stringify).not.toHaveBeenCalled();
      // Beyond the recent ones, the table still answers (through the JSON).
      for (let i = 0; i < 4; i++) t.intern({ n: i });
      expect(t.intern(a())).toBe(keptA);
      expect(stringify).toHaveBeenCalled();
      // An equal tree with different key order is never returned for another.
      expect(Object.keys(t.intern(b()))).toEqual(['containers', 'restartPolicy', 'enableServiceLinks']);
    } finally {
      stringify.mockRestore();
    }
  });
});
