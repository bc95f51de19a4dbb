/**
 * The kinds a scenario may contain, with their API group/version, REST
 * resource name and scope, as the API server's discovery would report them
 * (v1.31). Used for: unknown-kind warnings, scope (namespaced or not),
 * kubectl-style "not found" messages (`deployments.apps "web" not found`)
 * and which kinds can be scaled.
 */
import { ApiError } from '../sim/errors.ts';
import { kindInfo as discoveryKindInfo, type KindInfo } from '../api/discovery.ts';

export type { KindInfo } from '../api/discovery.ts';

/** The kinds a scenario may contain: those ksim accepts (stores), from the discovery table. */
export function kindInfo(kind: string): KindInfo | undefined {
  const info = discoveryKindInfo(kind);
  return info?.accepted ? info : undefined;
}

export function apiVersionOf(info: KindInfo, version: string): string {
  return info.group ? `${info.group}/${version}` : version;
}

/** Whether `apiVersion` is one the kind is served at. */
export function servesApiVersion(info: KindInfo, apiVersion: string): boolean {
  return info.versions.some((v) => apiVersionOf(info, v) === apiVersion);
}

/** Upstream's NotFound wording: `deployments.apps "web" not found`. */
export function notFoundMessage(kind: string, name: string): string {
  return ApiError.notFound(kind, name).message;
}

/** Upstream's AlreadyExists wording: `pods "web" already exists`. */
export function alreadyExistsMessage(kind: string, name: string): string {
  return ApiError.alreadyExists(kind, name).message;
}

export { isNamespaced } from '../api/discovery.ts';

/** Namespaces every cluster has (created by kube-apiserver's system namespaces controller). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** PriorityClasses kube-apiserver creates itself (scheduling/v1 SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES = ['system-node-critical', 'system-cluster-critical'];

/**
 * Order in which kinds are created at time 0, as Helm installs them: what
 * other objects depend on first, so the API server never sees a pod before
 * its namespace or PriorityClass. Kinds not listed go last, in input order.
 */
export const INSTALL_ORDER = [
  'Namespace',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'CSIDriver',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Node',
  'CSINode',
  'Service',
  'PodDisruptionBudget',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
];
