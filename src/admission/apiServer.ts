/**
 * The API server's request pipeline around admission, in upstream order:
 * defaulting (on decode), mutating admission plugins, then validation of the
 * object (the registry strategy's Validate) and validating admission plugins.
 * ksim runs these as store admission plugins so that every writer — timeline,
 * controllers, kubelet, scheduler — goes through the same rules.
 */
import type { AdmissionPlugin, KObject, Store } from '../sim/types.ts';
import { ApiError } from '../sim/errors.ts';
import { applyDefaults } from '../api/defaults.ts';
import { validateObject, validateObjectMeta } from '../api/validation.ts';
import { nameIsDNSSubdomain } from '../api/names.ts';
import { priorityAdmission } from './priority.ts';
import { defaultTolerationSecondsAdmission } from './defaultTolerationSeconds.ts';
import { namespaceLifecycleAdmission } from './namespaceLifecycle.ts';
import { podStrategyAdmission } from './podStrategy.ts';
import { limitRangerMutatingAdmission, limitRangerValidatingAdmission } from './limitRanger.ts';
import { resourceQuotaAdmission, resourceQuotaStrategy } from './resourcequota/admission.ts';
import { podDisruptionBudgetStrategy } from './eviction.ts';
import { defaultStorageClassAdmission } from './defaultStorageClass.ts';
import { dropDisabledFieldsAdmission } from './dropDisabledFields.ts';
import { FeatureGates } from '../api/featureGates.ts';

export const defaultingAdmission: AdmissionPlugin = {
  name: 'Defaulting',
  mutate(req) {
    if (req.operation === 'DELETE') return;
    applyDefaults(req.object);
  },
};

/** The registry strategies' Validate, as the emulated release validates (some rules are per release). */
export function validationAdmission(gates: FeatureGates = FeatureGates.defaults()): AdmissionPlugin {
  return {
    name: 'Validation',
    validate(req) {
      if (req.operation === 'DELETE') return;
      const errs = keepsPodSpec(req.object, req.oldObject)
        ? validateObjectMeta(req.object.metadata, true, nameIsDNSSubdomain)
        : validateObject(req.object as KObject, gates);
      if (errs.length > 0) throw ApiError.invalid(req.kind, req.object.metadata.name ?? '', errs, req.object.apiVersion);
    },
  };
}

/**
 * A pod update that keeps the stored spec object (a finalizer, label or annotation
 * patch): validatePodSpec is a function of the spec alone and every stored spec
 * passed it when written (create or update; the binding only adds nodeName, an
 * existing Node's validated name), so only the metadata can bring new errors.
 * Why: the Job controller's and garbage collector's finalizer patches validated
 * each bound pod's spec in full again (the binding made a new spec object, so the
 * spec memo never hit).
 */
function keepsPodSpec(o: KObject, old: KObject | undefined): boolean {
  return o.kind === 'Pod' && old !== undefined && old.kind === 'Pod' && o['spec'] !== undefined && o['spec'] === old['spec'];
}

// Neither defaulting nor whole-object validation looks at subresource writes
// (AdmissionPlugin.subresources is unset): upstream's status strategies validate
// only the status, and the Binding subresource validates nothing of the pod.

/**
 * The admission chain ksim's API server runs, in order (mutating ones run before validating ones).
 * Upstream's order: LimitRanger mutates after NamespaceLifecycle; its limits and ResourceQuota
 * (always the last validating plugin) run after the object's own validation. With `store`,
 * ResourceQuota charges admitted requests to their quotas' status.used.
 */
export function defaultAdmissionChain(store?: Store, gates: FeatureGates = FeatureGates.defaults()): AdmissionPlugin[] {
  return [
    defaultingAdmission,
    namespaceLifecycleAdmission,
    limitRangerMutatingAdmission,
    priorityAdmission,
    defaultTolerationSecondsAdmission,
    defaultStorageClassAdmission, // after DefaultTolerationSeconds, as in kube-apiserver's plugin order
    // The registry strategies' PrepareForCreate runs after mutating admission (rest.BeforeCreate),
    // so a pod's QoS class reflects LimitRanger's defaults; disabled fields are dropped first.
    dropDisabledFieldsAdmission(gates),
    podStrategyAdmission,
    resourceQuotaStrategy,
    podDisruptionBudgetStrategy,
    validationAdmission(gates),
    limitRangerValidatingAdmission,
    resourceQuotaAdmission(store),
  ];
}
