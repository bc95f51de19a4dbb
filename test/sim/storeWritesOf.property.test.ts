/**
 * ApiStore.writesOf(kind): the writes committed to objects of a kind, one per
 * new resourceVersion of that kind. Over generated sequences of creates,
 * updates (main resource and status), patches (changing or not), heartbeats,
 * deletes (graceful, with finalizers, immediate) and dry runs on two kinds,
 * it equals the watch events of that kind seen so far (each commit emits
 * exactly one), and the kinds' counts add up to the store's resourceVersion.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import type { KObject } from '../../src/sim/types.ts';
import { obj, pod } from './helpers.ts';

type Op =
  | { op: 'create' | 'update' | 'status' | 'patch' | 'noop' | 'heartbeat' | 'delete' | 'dryCreate' | 'dryDelete' | 'finalize'; kind: 'Pod' | 'ConfigMap'; name: string };

const opArb: fc.Arbitrary<Op> = fc.record({
  op: fc.constantFrom('create', 'create', 'update', 'status', 'patch', 'noop', 'heartbeat', 'delete', 'dryCreate', 'dryDelete', 'finalize'),
  kind: fc.constantFrom('Pod', 'ConfigMap'),
  name: fc.constantFrom('a', 'b', 'c'),
}) as fc.Arbitrary<Op>;

function make(kind: 'Pod' | 'ConfigMap', name: string, finalizer: boolean): KObject {
  const o = kind === 'Pod' ? pod(name, { nodeName: 'n1', grace: 0 }) : obj('ConfigMap', name, { data: { k: 'v' } }, 'v1', 'default');
  if (finalizer) o.metadata.finalizers = ['example.com/hold'];
  return o;
}

describe('ApiStore.writesOf', () => {
  it('counts every commit of its kind and nothing else (a property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.boolean(), (ops, finalizers) => {
        const sim = Simulation.create();
        const store = sim.store;
        const seen = new Map<string, number>();
        store.watch('*', (ev) => seen.set(ev.object.kind, (seen.get(ev.object.kind) ?? 0) + 1));
        let step = 0;
        for (const { op, kind, name } of ops) {
          step++;
          try {
            const cur = store.get(kind, 'default', name);
            if (op === 'create') store.create(make(kind, name, finalizers));
            else if (op === 'dryCreate') store.create(make(kind, name, false), { dryRun: true });
            else if (op === 'update' && cur) store.update({ ...cur, metadata: { ...cur.metadata, labels: { step: String(step) } } });
            else if (op === 'status' && cur) store.update({ ...cur, status: { step } }, { subresource: 'status' });
            else if (op === 'patch') store.patch(kind, 'default', name, (d) => (d.metadata.annotations = { step: String(step) }));
            else if (op === 'noop') store.patch(kind, 'default', name, () => undefined);
            else if (op === 'heartbeat') store.updateHeartbeat(kind, 'default', name, (old) => ({ ...old, data: { step: String(step) } }));
            else if (op === 'delete') store.delete(kind, 'default', name);
            else if (op === 'dryDelete') store.delete(kind, 'default', name, { dryRun: true });
            else if (op === 'finalize') store.patch(kind, 'default', name, (d) => void delete d.metadata.finalizers);
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
          for (const k of ['Pod', 'ConfigMap']) expect(store.writesOf(k)).toBe(seen.get(k) ?? 0);
          expect(store.writesOf('Pod') + store.writesOf('ConfigMap')).toBe(store.resourceVersion);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is 0 for a kind never written', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a'));
    expect(sim.store.writesOf('Node')).toBe(0);
    expect(sim.store.writesOf('Pod')).toBe(1);
  });
});
