/**
 * boundPod builds the bound pod from the stored (frozen) one by shallow copies
 * of only what changes. It must be, key order included, what editing a deep
 * copy does: spec.nodeName set, the PodScheduled condition updated, then the
 * binding's side effects (applyBindingSideEffects) — over pods with and
 * without labels, metadata, status, conditions and nominatedNodeName, and
 * nodes with and without topology labels.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { applyBindingSideEffects, boundPod } from '../../src/api/podBinding.ts';
import { updatePodCondition } from '../../src/api/podCondition.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';
import { cloneJson } from '../../src/api/jsonClone.ts';

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    Object.freeze(o);
    for (const k in o) deepFreeze((o as Record<string, unknown>)[k]);
  }
  return o;
}

/** The draft edit boundPod stands for. */
function editedCopy(cur: Pod, nodeName: string, scheduled: PodCondition, now: string, gates: FeatureGates, nodeLabels: Record<string, string> | undefined): Pod {
  const d = cloneJson(cur) as { -readonly [K in keyof Pod]: Pod[K] };
  if (d.spec) d.spec.nodeName = nodeName;
  else d.spec = { containers: [], nodeName };
  d.status ??= {};
  d.status.conditions ??= [];
  updatePodCondition(d.status, scheduled, now);
  applyBindingSideEffects(d, gates, nodeLabels);
  return d;
}

const labels = fc.option(fc.dictionary(fc.constantFrom('app', 'tier', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'z'), fc.constantFrom('a', 'b', '')), { nil: undefined });
const metadata = fc.option(
  fc.record({ name: fc.constant('p'), labels, annotations: fc.option(fc.constant({ a: 'b' }), { nil: undefined }), uid: fc.constant('u') }, { requiredKeys: ['name'] }),
  { nil: undefined },
);
const condition = fc.record({ type: fc.constantFrom('PodScheduled', 'Ready'), status: fc.constantFrom('True', 'False'), reason: fc.constantFrom('Unschedulable', 'x') });
const status = fc.option(
  fc.record({ phase: fc.constant('Pending'), conditions: fc.array(condition, { maxLength: 2 }), nominatedNodeName: fc.constantFrom('n0', 'n9'), qosClass: fc.constant('BestEffort') }, { requiredKeys: [] }),
  { nil: undefined },
);
const spec = fc.option(fc.record({ containers: fc.constant([{ name: 'c' }]), nodeName: fc.constant('old'), priority: fc.constant(0) }, { requiredKeys: ['containers'] }), { nil: undefined });
const pod = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata, spec, status }, { requiredKeys: ['apiVersion', 'kind'] });
const nodeLabels = fc.option(fc.dictionary(fc.constantFrom('topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'kubernetes.io/hostname'), fc.constantFrom('z1', 'r1', 'h')), { nil: undefined });
const gates = fc.constantFrom(
  FeatureGates.defaults(),
  FeatureGates.resolve({ settings: { PodTopologyLabelsAdmission: false, ClearingNominatedNodeNameAfterBinding: false } }),
);

describe('boundPod', () => {
  it('is the edited copy, key order included (fast-check)', () => {
    fc.assert(
      fc.property(pod, nodeLabels, gates, (p, nl, g) => {
        const cur = deepFreeze(p as Pod);
        const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
        const got = boundPod(cur, 'n1', scheduled, '2024-01-01T00:00:00Z', g, nl);
        expect(JSON.stringify(got)).toBe(JSON.stringify(editedCopy(cur, 'n1', scheduled, '2024-01-01T00:00:00Z', g, nl)));
      }),
      { numRuns: 500 },
    );
  });

  it('shares one frozen bound spec per stored spec and node, each pod still the edited copy (fast-check)', () => {
    // Pods of one template share one frozen spec (the store interns it): bindings of such pods, to a few nodes,
    // in any order, with the usual shapes (five top-level keys, a status of phase and QoS class) and others.
    const shared = deepFreeze({ containers: [{ name: 'c' }], priority: 0 } as Pod['spec']);
    const other = deepFreeze({ containers: [{ name: 'd' }], nodeName: '' } as Pod['spec']);
    const usual = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constant('Pod'),
      metadata: fc.record({ name: fc.constantFrom('p', 'q'), labels }),
      spec: fc.constantFrom(shared, other),
      status: fc.constantFrom<Pod['status']>({ phase: 'Pending', qosClass: 'BestEffort' }, { phase: 'Pending' }, { qosClass: 'Burstable', phase: 'Pending' }),
    });
    const binding = fc.tuple(fc.oneof(usual, pod), fc.constantFrom('n1', 'n2', 'n3'), nodeLabels, gates);
    fc.assert(
      fc.property(fc.array(binding, { minLength: 1, maxLength: 30 }), (bindings) => {
        const seen = new Map<string, unknown>();
        for (const [p, node, nl, g] of bindings) {
          const cur = deepFreeze(p as Pod);
          const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
          const got = boundPod(cur, node, scheduled, '2024-01-01T00:00:00Z', g, nl);
          expect(JSON.stringify(got)).toBe(JSON.stringify(editedCopy(cur, node, scheduled, '2024-01-01T00:00:00Z', g, nl)));
          expect(Object.keys(got.spec!)).toEqual(Object.keys(editedCopy(cur, node, scheduled, '2024-01-01T00:00:00Z', g, nl).spec!));
          if (cur.spec === shared || cur.spec === other) {
            expect(Object.isFrozen(got.spec)).toBe(true);
            const key = `${cur.spec === shared ? 's' : 'o'}/${node}`;
            if (seen.has(key)) expect(got.spec).toBe(seen.get(key));
            seen.set(key, got.spec);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
