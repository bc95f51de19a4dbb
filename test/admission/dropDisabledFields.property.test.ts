/**
 * The DropDisabledFields plugin skips pod and workload writes when both pod-spec
 * gates are on (nothing can be dropped then). Whatever the gates, the plugin
 * must leave each object as dropDisabledPodSpecFields on its pod spec does
 * (the general path), over pods and Jobs with and without pod-level
 * resources and restartable init containers, new or updated.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { AdmissionRequest, KObject, StoreReader } from '../../src/sim/types.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';
import { cloneJson } from '../../src/api/jsonClone.ts';
import { dropDisabledFieldsAdmission, dropDisabledPodSpecFields, dropsPodSpecFields } from '../../src/admission/dropDisabledFields.ts';

const gateSets: FeatureGates[] = [
  FeatureGates.defaults(),
  FeatureGates.resolve({ emulatedVersion: '1.32' }),
  FeatureGates.resolve({ emulatedVersion: '1.33', settings: { PodLevelResources: false } }),
  FeatureGates.resolve({ emulatedVersion: '1.32', settings: { SidecarContainers: false } }),
  FeatureGates.resolve({ emulatedVersion: '1.32', settings: { PodLevelResources: true, SidecarContainers: false } }),
];

const podSpec = fc.record(
  {
    containers: fc.constant([{ name: 'c' }]),
    initContainers: fc.array(fc.record({ name: fc.constantFrom('i', 'j'), restartPolicy: fc.constant('Always') }, { requiredKeys: ['name'] }), { maxLength: 2 }),
    resources: fc.constant({ requests: { cpu: '1' } }),
  },
  { requiredKeys: ['containers'] },
);
const object = fc.tuple(fc.constantFrom('Pod', 'Job'), podSpec).map(([kind, spec]) =>
  kind === 'Pod'
    ? ({ apiVersion: 'v1', kind, metadata: { name: 'p', namespace: 'default' }, spec } as KObject)
    : ({ apiVersion: 'batch/v1', kind, metadata: { name: 'j', namespace: 'default' }, spec: { template: { spec } } } as KObject),
);

function specIn(o: KObject | undefined): PodSpec | undefined {
  if (o === undefined) return undefined;
  const s = (o as { spec?: { template?: { spec?: PodSpec } } & PodSpec }).spec;
  return o.kind === 'Pod' ? s : s?.template?.spec;
}

describe('DropDisabledFields', () => {
  it('gives what dropDisabledPodSpecFields gives, at every gate set (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...gateSets), object, fc.option(podSpec, { nil: undefined }), (gates, obj, oldSpec) => {
        const old = oldSpec === undefined ? undefined : ({ ...cloneJson(obj), spec: obj.kind === 'Pod' ? oldSpec : { template: { spec: oldSpec } } } as KObject);
        const viaPlugin = cloneJson(obj);
        const req: AdmissionRequest = { operation: old ? 'UPDATE' : 'CREATE', kind: obj.kind, object: viaPlugin, oldObject: old as never, store: {} as StoreReader, now: 0 };
        dropDisabledFieldsAdmission(gates).mutate!(req);
        const general = cloneJson(obj);
        dropDisabledPodSpecFields(specIn(general)!, specIn(old), gates);
        expect(viaPlugin).toEqual(general);
        if (!dropsPodSpecFields(gates)) expect(general).toEqual(obj);
      }),
      { numRuns: 400 },
    );
  });
});
