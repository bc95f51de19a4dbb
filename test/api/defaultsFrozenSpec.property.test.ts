/**
 * applyDefaults remembers the last deeply frozen pod spec defaulting left
 * unchanged and skips specs equal to it apart from nodeName
 * (src/api/defaults.ts). Over any sequence of pods — frozen specs built
 * from shared frozen parts, defaulted or not, different nodeNames, unfrozen
 * specs — each call must do what defaultPod alone does: on a frozen spec,
 * throw (a write into a frozen object) exactly when defaulting a private
 * copy changes it; on an unfrozen spec, give defaultPod's result. The same
 * for the last frozen template spec of a workload (defaultPodSpec), by identity.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyDefaults, defaultPod, defaultPodSpec } from '../../src/api/defaults.ts';
import { deepFreeze, thaw } from '../../src/sim/store.ts';
import type { KObject } from '../../src/sim/types.ts';

type Obj = Record<string, unknown>;

const rawContainers = [
  [{ name: 'task', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
  [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }],
  [{ name: 'p', image: 'busybox:1', readinessProbe: { httpGet: { port: 8080 } } }],
];
/** The same containers once defaulted (what a stored pod carries). */
function defaultedContainers(cs: unknown[]): unknown {
  const pod = { spec: { containers: thaw(cs) } };
  defaultPod(pod);
  return pod.spec.containers;
}
/** Shared frozen parts, defaulted and not: specs made of them share identical subtrees, as a template's pods do. */
const containerPool = [...rawContainers.map((c) => deepFreeze(thaw(c))), ...rawContainers.map((c) => deepFreeze(defaultedContainers(c)))];
const securityContextPool = [deepFreeze({}), deepFreeze({ runAsUser: 1000 })];

const specArb = fc.record(
  {
    containers: fc.nat(containerPool.length - 1).map((i) => containerPool[i]),
    restartPolicy: fc.constantFrom('Always', 'Never'),
    dnsPolicy: fc.constantFrom('ClusterFirst', 'Default'),
    securityContext: fc.nat(securityContextPool.length - 1).map((i) => securityContextPool[i]),
    terminationGracePeriodSeconds: fc.constantFrom(0, 30),
    schedulerName: fc.constant('default-scheduler'),
    enableServiceLinks: fc.boolean(),
    hostNetwork: fc.boolean(),
    nodeName: fc.constantFrom('node-1', 'node-2', 'node-3'),
  },
  // Mostly complete specs (as stored pods carry): the changes below then make and unmake fixed points.
  { requiredKeys: ['containers', 'restartPolicy', 'dnsPolicy', 'securityContext', 'terminationGracePeriodSeconds', 'schedulerName', 'enableServiceLinks'] },
);
/** A run of pods: each spec is the one before with at most one member changed (so most runs share all but one value). */
const fieldArbs: Record<string, fc.Arbitrary<unknown>> = {
  containers: fc.nat(containerPool.length - 1).map((i) => containerPool[i]),
  restartPolicy: fc.constantFrom('Always', 'Never', ''),
  securityContext: fc.constantFrom(undefined, ...securityContextPool),
  enableServiceLinks: fc.constantFrom(true, false, undefined),
  hostNetwork: fc.boolean(),
  nodeName: fc.constantFrom('node-1', 'node-2', undefined),
};
const change = fc.constantFrom(...Object.keys(fieldArbs)).chain((k) => fieldArbs[k]!.map((v) => [k, v] as const));
const podsArb = fc
  .tuple(specArb, fc.array(fc.tuple(fc.option(change, { nil: undefined }), fc.nat(4)), { minLength: 1, maxLength: 12 }))
  .map(([first, steps]) => {
    const out: { spec: Obj; frozen: number }[] = [];
    let cur: Obj = first;
    for (const [c, frozen] of steps) {
      if (c) {
        cur = { ...cur };
        if (c[1] === undefined) delete cur[c[0]];
        else cur[c[0]] = c[1];
      }
      out.push({ spec: cur, frozen });
    }
    return out;
  });

/** What defaultPod does to a private copy of `spec`, and whether that changed it. */
function reference(spec: Obj): { out: Obj; changed: boolean } {
  const pod = { spec: thaw(spec) };
  defaultPod(pod);
  return { out: pod.spec, changed: JSON.stringify(pod.spec) !== JSON.stringify(spec) };
}

describe('applyDefaults on frozen pod specs', () => {
  it('skips only specs defaulting would leave unchanged, and gives defaultPod otherwise', () => {
    fc.assert(
      fc.property(podsArb, (pods) => {
        for (const { spec, frozen } of pods) {
          const ref = reference(spec as Obj);
          if (frozen > 0) {
            const s = deepFreeze({ ...spec });
            const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: s } as KObject;
            let threw = false;
            try {
              applyDefaults(pod);
            } catch (e) {
              expect(e).toBeInstanceOf(TypeError);
              threw = true;
            }
            expect(threw).toBe(ref.changed);
          } else {
            const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: thaw(spec) } as KObject;
            applyDefaults(pod);
            expect(JSON.stringify(pod['spec'])).toBe(JSON.stringify(ref.out));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('template specs: skips only the frozen spec defaulting last left unchanged, and gives defaultPodSpec otherwise', () => {
    fc.assert(
      fc.property(podsArb, fc.array(fc.nat(20), { maxLength: 12 }), (pods, picks) => {
        // Frozen specs, some met again by identity (as the store's interned Job template specs are).
        const frozen = pods.map(({ spec }) => deepFreeze({ ...spec }));
        const order = [...frozen, ...picks.map((i) => frozen[i % frozen.length]!)];
        for (const spec of order) {
          const copy = thaw(spec);
          defaultPodSpec(copy);
          const changes = JSON.stringify(copy) !== JSON.stringify(spec);
          const tmpl = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't', namespace: 'default' }, template: { spec } } as KObject;
          let threw = false;
          try {
            applyDefaults(tmpl);
          } catch (e) {
            expect(e).toBeInstanceOf(TypeError);
            threw = true;
          }
          expect(threw).toBe(changes);
        }
        // An unfrozen template gets defaultPodSpec's result.
        const open = thaw(pods[0]!.spec);
        const tmpl = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't', namespace: 'default' }, template: { spec: open } } as KObject;
        applyDefaults(tmpl);
        const ref = thaw(pods[0]!.spec);
        defaultPodSpec(ref);
        expect(JSON.stringify(open)).toBe(JSON.stringify(ref));
        // The caller may change its own (unfrozen) spec and default it again: never skipped.
        delete (open as Obj)['dnsPolicy'];
        applyDefaults(tmpl);
        expect((open as Obj)['dnsPolicy']).toBe('ClusterFirst');
      }),
      { numRuns: 300 },
    );
  });
});
