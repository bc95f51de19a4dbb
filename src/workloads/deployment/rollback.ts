/**
 * Rolling a Deployment back, as `kubectl rollout undo deployment/NAME
 * [--to-revision=N]` does it (k8s.io/kubectl/pkg/polymorphichelpers
 * rollback.go, DeploymentRollbacker). apps/v1 has no spec.rollbackTo, so
 * rollback is a client-side operation: find the ReplicaSet of the revision
 * (0: the previous one, i.e. the second-highest revision), copy its pod
 * template (without the pod-template-hash label) and its annotations (except
 * the ones the controller owns) into the Deployment with one write; the
 * Deployment controller then rolls out that template, and its getNewReplicaSet
 * finds the old ReplicaSet, gives it the next revision and records the old one
 * in deployment.kubernetes.io/revision-history.
 *
 * A library function (the HPA, tests and timeline code can call it):
 * returns kubectl's message; refusals throw RollbackError with kubectl's text.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Store, WriteOptions } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { getControllerOf } from '../controllerutils/index.ts';
import { AnnotationsToSkip, DefaultDeploymentUniqueLabelKey, equalIgnoreHash, revision, type DeploymentObj, type ReplicaSetObj } from './util.ts';

export class RollbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackError';
  }
}

/** kubectl rollout undo. Returns e.g. `deployment.apps/web rolled back`. */
export function rolloutUndo(store: Store, namespace: string, name: string, toRevision = 0, opts: WriteOptions = {}): string {
  const d = store.get<DeploymentObj>('Deployment', namespace, name);
  if (!d) throw ApiError.notFound('Deployment', name, 'apps/v1');
  if (d.spec?.paused) throw new RollbackError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
  const uid = d.metadata.uid;
  const owned = store.list<ReplicaSetObj>('ReplicaSet', namespace).filter((rs) => getControllerOf(rs)?.uid === uid);
  let target: ReplicaSetObj | undefined;
  let latest = -1;
  let latestRS: ReplicaSetObj | undefined;
  let previous = -1;
  for (const rs of owned) {
    const v = revision(rs);
    if (Number.isNaN(v)) continue;
    if (toRevision === 0) {
      if (latest < v) {
        previous = latest;
        target = latestRS;
        latest = v;
        latestRS = rs;
      } else if (previous < v) {
        previous = v;
        target = rs;
      }
    } else if (v === toRevision) {
      target = rs;
      break;
    }
  }
  if (toRevision > 0 && !target) throw new RollbackError(`unable to find specified revision ${toRevision} in history`);
  if (!target) throw new RollbackError(`no rollout history found for deployment "${name}"`);
  if (equalIgnoreHash(target.spec?.template, d.spec?.template)) {
    return `deployment.apps/${name} skipped rollback (current template already matches revision ${revision(target)})`;
  }
  const template = structuredClone(target.spec?.template ?? {}) as PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels[DefaultDeploymentUniqueLabelKey];
  const annotations: Record<string, string> = {};
  for (const k of AnnotationsToSkip) {
    const v = d.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!AnnotationsToSkip.has(k)) annotations[k] = v;
  store.patch<DeploymentObj>(
    'Deployment',
    namespace,
    name,
    (dr) => {
      dr.metadata.annotations = annotations;
      (dr.spec ??= { selector: {}, template: {} }).template = template;
    },
    { actor: opts.actor ?? 'kubectl', ...(opts.dryRun ? { dryRun: true } : {}) },
  );
  return `deployment.apps/${name} rolled back`;
}
