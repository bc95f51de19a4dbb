/**
 * The store finds the admission plugins of a kind once (its chain) instead of
 * asking every plugin on every write. On generated plugin sets, registered
 * between writes, every hook must run exactly as the straightforward filter
 * over all registered plugins gives: same plugins, same order, same requests.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import type { AdmissionPlugin, KObject, Subresource } from '../../src/sim/types.ts';

interface Spec {
  kinds: string[] | undefined;
  subresources: Subresource[] | undefined;
  hooks: { mutate: boolean; validate: boolean; prepare: boolean };
}

const KINDS = ['ConfigMap', 'Secret', 'Service'];
const specArb = fc.record({
  kinds: fc.option(fc.subarray(KINDS), { nil: undefined }),
  subresources: fc.option(fc.subarray<Subresource>(['status', 'binding']), { nil: undefined }),
  hooks: fc.record({ mutate: fc.boolean(), validate: fc.boolean(), prepare: fc.boolean() }),
});
const stepArb = fc.oneof(
  specArb.map((s) => ({ register: s }) as const),
  fc.record({ kind: fc.constantFrom(...KINDS), status: fc.boolean() }).map((w) => ({ write: w }) as const),
);

/** Which hooks apply, straight from the plugin list (the rule before chains). */
function expected(plugins: Array<{ id: number; spec: Spec }>, kind: string, sub: Subresource | undefined, op: 'CREATE' | 'UPDATE'): string[] {
  const on = plugins.filter(({ spec }) => (!spec.kinds || spec.kinds.length === 0 || spec.kinds.includes(kind)) && (sub === undefined || (spec.subresources?.includes(sub) ?? false)));
  const out: string[] = [];
  for (const { id, spec } of on) if (spec.hooks.mutate) out.push(`m${id}:${op}:${kind}:${sub ?? ''}`);
  if (op === 'CREATE') for (const { id, spec } of on) if (spec.hooks.prepare) out.push(`p${id}:${kind}`);
  for (const { id, spec } of on) if (spec.hooks.validate) out.push(`v${id}:${op}:${kind}:${sub ?? ''}`);
  return out;
}

describe('admission chains', () => {
  it('run the same plugins in the same order as filtering every registered plugin (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) => {
        const sim = Simulation.create({ seed: 1 });
        const calls: string[] = [];
        const plugins: Array<{ id: number; spec: Spec }> = [];
        let n = 0;
        for (const step of steps) {
          if ('register' in step) {
            const id = plugins.length;
            const s = step.register;
            const p: AdmissionPlugin = { name: `p${id}` };
            if (s.kinds) p.kinds = s.kinds;
            if (s.subresources) p.subresources = s.subresources;
            if (s.hooks.mutate) p.mutate = (req) => void calls.push(`m${id}:${req.operation}:${req.kind}:${req.subresource ?? ''}`);
            if (s.hooks.validate) p.validate = (req) => void calls.push(`v${id}:${req.operation}:${req.kind}:${req.subresource ?? ''}`);
            if (s.hooks.prepare) p.prepareForCreate = (o: KObject) => void calls.push(`p${id}:${o.kind}`);
            sim.store.addAdmission(p);
            plugins.push({ id, spec: s });
            continue;
          }
          const { kind, status } = step.write;
          const name = `o${n++}`;
          calls.length = 0;
          sim.store.create({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default' }, data: { a: '1' } } as KObject);
          expect(calls).toEqual(expected(plugins, kind, undefined, 'CREATE'));
          calls.length = 0;
          const cur = sim.store.get(kind, 'default', name)!;
          const sub: Subresource | undefined = status ? 'status' : undefined;
          sim.store.update({ ...cur, metadata: { ...cur.metadata, labels: { x: String(n) } }, status: { s: n } } as KObject, sub ? { subresource: sub } : {});
          expect(calls).toEqual(expected(plugins, kind, sub, 'UPDATE'));
        }
      }),
      { numRuns: 200 },
    );
  });
});
