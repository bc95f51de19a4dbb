/**
 * The registry strategies' dropDisabled*Fields, following kube-apiserver
 * (pkg/api/pod/util.go dropDisabledFields, DropDisabledTemplateFields): a
 * field whose feature gate is off is dropped from a new object, and from an
 * update unless the old object already used it, so that what is stored is
 * what the emulated release would store. Components can then honour a stored
 * field without asking the gate again.
 *
 *   PodLevelResources  spec.resources                    (alpha 1.32, on since 1.34)
 *   SidecarContainers  initContainers[].restartPolicy     (beta 1.29, locked on since 1.33)
 *   HPAConfigurableTolerance  HorizontalPodAutoscaler spec.behavior.scaleUp/scaleDown.tolerance
 *                      (alpha 1.33, on since 1.35)
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, KObject } from '../sim/types.ts';
import type { FeatureGates } from '../api/featureGates.ts';

/** Where a pod spec lives in the kinds that carry one. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function podSpecOf(o: unknown, kind: string): PodSpec | undefined {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return undefined;
  let cur: unknown = o;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === 'object' && cur !== null ? (cur as PodSpec) : undefined;
}

function usesPodLevelResources(spec: PodSpec | undefined): boolean {
  return (spec as { resources?: unknown } | undefined)?.resources !== undefined;
}

function usesRestartableInit(spec: PodSpec | undefined): boolean {
  return (spec?.initContainers ?? []).some((c) => c.restartPolicy !== undefined);
}

/** The fields to drop from `spec` at the gates given, unless `old` already used them. */
export function dropDisabledPodSpecFields(spec: PodSpec, old: PodSpec | undefined, gates: FeatureGates): void {
  if (!gates.enabled('PodLevelResources') && !usesPodLevelResources(old)) delete (spec as { resources?: unknown }).resources;
  if (!gates.enabled('SidecarContainers') && !usesRestartableInit(old)) for (const c of spec.initContainers ?? []) delete c.restartPolicy;
}

type Behavior = { scaleUp?: { tolerance?: unknown }; scaleDown?: { tolerance?: unknown } };

function behaviorOf(o: unknown): Behavior | undefined {
  return (o as { spec?: { behavior?: Behavior } } | undefined)?.spec?.behavior;
}

/** dropDisabledFields of the HPA strategy: tolerances need HPAConfigurableTolerance, unless already in use. */
export function dropDisabledHPAFields(hpa: unknown, old: unknown, gates: FeatureGates): void {
  if (gates.enabled('HPAConfigurableTolerance')) return;
  const oldB = behaviorOf(old);
  if (oldB?.scaleUp?.tolerance !== undefined || oldB?.scaleDown?.tolerance !== undefined) return;
  const b = behaviorOf(hpa);
  if (b?.scaleUp) delete b.scaleUp.tolerance;
  if (b?.scaleDown) delete b.scaleDown.tolerance;
}

/** Whether dropDisabledPodSpecFields can drop anything at these gates (not when both gates are on, the default since 1.34). */
export function dropsPodSpecFields(gates: FeatureGates): boolean {
  return !gates.enabled('PodLevelResources') || !gates.enabled('SidecarContainers');
}

export function dropDisabledFieldsAdmission(gates: FeatureGates): AdmissionPlugin {
  // Gates do not change once resolved: with nothing to drop, every pod and workload write skips the two
  // spec lookups and gate checks (0.26% of the day bench's profile).
  const dropsPodFields = dropsPodSpecFields(gates);
  return {
    name: 'DropDisabledFields',
    kinds: [...Object.keys(POD_SPEC_PATHS), 'HorizontalPodAutoscaler'],
    mutate(req) {
      if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return;
      if (req.kind === 'HorizontalPodAutoscaler') return dropDisabledHPAFields(req.object, req.oldObject, gates);
      if (!dropsPodFields) return;
      const spec = podSpecOf(req.object, req.kind);
      if (!spec) return;
      dropDisabledPodSpecFields(spec, podSpecOf(req.oldObject as KObject | undefined, req.kind), gates);
    },
  };
}

