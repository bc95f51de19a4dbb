/**
 * helper.DefaultSelector keeps each namespace's Service selectors until a
 * Service is written (StoreReader.writesOf). Over generated sequences of
 * Service / ReplicationController / ReplicaSet / StatefulSet creates,
 * updates and deletes in two namespaces, interleaved with generated pods
 * (labels, controller references of every kind and apiVersion shape), the
 * answer from the real store equals a fresh computation from a reader
 * without writesOf (which keeps nothing): the same key, emptiness, required
 * pairs and matching over a set of label sets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import type { KObject, StoreReader } from '../../src/sim/types.ts';
import { defaultSelector } from '../../src/scheduler/plugins/helper/spread.ts';

const namespaces = ['default', 'other'] as const;
const names = ['a', 'b', 'c'] as const;
const labelSets: Array<Record<string, string>> = [{}, { app: 'x' }, { app: 'y' }, { tier: 'web' }, { app: 'x', tier: 'web' }, { app: 'y', tier: 'db' }];
const labelsArb = fc.constantFrom(...labelSets);
/** A Service selector: nil (selects nothing), empty (selects every pod) or some pairs. */
const serviceSelectorArb = fc.option(labelsArb, { nil: undefined });

type Write =
  | { w: 'service'; ns: string; name: string; selector: Record<string, string> | undefined }
  | { w: 'owner'; kind: 'ReplicationController' | 'ReplicaSet' | 'StatefulSet'; ns: string; name: string; labels: Record<string, string> }
  | { w: 'delete'; kind: 'Service' | 'ReplicationController' | 'ReplicaSet' | 'StatefulSet'; ns: string; name: string };
type Query = { w: 'pod'; ns: string; labels: Record<string, string>; owner: { apiVersion: string; kind: string; name: string } | undefined };

const nsArb = fc.constantFrom(...namespaces);
const nameArb = fc.constantFrom(...names);
const stepArb: fc.Arbitrary<Write | Query> = fc.oneof(
  fc.record({ w: fc.constant('service' as const), ns: nsArb, name: nameArb, selector: serviceSelectorArb }),
  fc.record({ w: fc.constant('owner' as const), kind: fc.constantFrom('ReplicationController' as const, 'ReplicaSet' as const, 'StatefulSet' as const), ns: nsArb, name: nameArb, labels: labelsArb }),
  fc.record({ w: fc.constant('delete' as const), kind: fc.constantFrom('Service' as const, 'ReplicationController' as const, 'ReplicaSet' as const, 'StatefulSet' as const), ns: nsArb, name: nameArb }),
  fc.record({
    w: fc.constant('pod' as const),
    ns: nsArb,
    labels: labelsArb,
    owner: fc.option(
      fc.record({
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'apps/v1beta2', '/v1', 'apps/v1/x', ''),
        kind: fc.constantFrom('ReplicationController', 'ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet'),
        name: nameArb,
      }),
      { nil: undefined },
    ),
  }),
);

function ownerObject(s: Extract<Write, { w: 'owner' }>): KObject {
  const meta = { name: s.name, namespace: s.ns };
  const template = { metadata: { labels: { ...s.labels, pin: 'p' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  if (s.kind === 'ReplicationController') return { apiVersion: 'v1', kind: s.kind, metadata: meta, spec: { selector: { ...s.labels, pin: 'p' }, template } } as KObject;
  return { apiVersion: 'apps/v1', kind: s.kind, metadata: meta, spec: { selector: { matchLabels: { ...s.labels, pin: 'p' } }, template, ...(s.kind === 'StatefulSet' ? { serviceName: 's' } : {}) } } as KObject;
}

function apply(sim: Simulation, s: Write): void {
  const store = sim.store;
  try {
    if (s.w === 'delete') store.delete(s.kind, s.ns, s.name);
    else {
      const o: KObject =
        s.w === 'service'
          ? ({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.ns }, spec: { ports: [{ port: 80 }], ...(s.selector ? { selector: s.selector } : {}) } } as KObject)
          : ownerObject(s);
      const cur = store.get(o.kind, s.ns, s.name);
      if (cur) store.update({ ...o, metadata: { ...cur.metadata } });
      else store.create(o);
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

describe('defaultSelector with kept Service selectors', () => {
  it('gives what a fresh computation gives after any writes (a property)', () => {
    let compared = 0;
    let selecting = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 10, maxLength: 40 }), (steps) => {
        const sim = Simulation.create();
        const store = sim.store;
        // The same objects through a reader that keeps nothing (no writesOf).
        const fresh: StoreReader = { get: (k, ns, n) => store.get(k, ns, n), list: (k, ns) => store.list(k, ns), kinds: () => store.kinds() };
        for (const s of steps) {
          if (s.w !== 'pod') {
            apply(sim, s);
            continue;
          }
          const pod: Pod = {
            metadata: { name: 'p', namespace: s.ns, labels: s.labels, ...(s.owner ? { ownerReferences: [{ ...s.owner, uid: 'u', controller: true }] } : {}) },
          };
          const got = defaultSelector(pod, store);
          const want = defaultSelector(pod, fresh);
          compared++;
          if (!want.empty) selecting++;
          expect(got.key).toBe(want.key);
          expect(got.empty).toBe(want.empty);
          expect(got.requiredPairs).toEqual(want.requiredPairs);
          for (const l of labelSets) expect(got.matches({ ...l, pin: 'p' })).toBe(want.matches({ ...l, pin: 'p' }));
        }
      }),
      { numRuns: 300 },
    );
    // The runs reach past the trivial answer (writes that stuck, selectors found).
    expect(compared).toBeGreaterThan(1000);
    expect(selecting).toBeGreaterThan(200);
  });

  it('sees a Service written after its namespace was read', () => {
    const sim = Simulation.create();
    const pod: Pod = { metadata: { name: 'p', namespace: 'default', labels: { app: 'x' } } };
    expect(defaultSelector(pod, sim.store).empty).toBe(true);
    apply(sim, { w: 'service', ns: 'default', name: 'a', selector: { app: 'x' } });
    expect(sim.store.list('Service', 'default')).toHaveLength(1);
    expect(defaultSelector(pod, sim.store).key).toBe('set:[["app","x"]]');
    apply(sim, { w: 'delete', kind: 'Service', ns: 'default', name: 'a' });
    expect(defaultSelector(pod, sim.store).empty).toBe(true);
  });
});
