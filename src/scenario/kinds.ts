/**
 * The kinds a scenario may contain, with their API group/version, REST
 * resource name and scope, as the API server's discovery would report them
 * (v1.31). Used for: unknown-kind warnings, scope (namespaced or not),
 * kubectl-style "not found" messages (`deployments.apps "web" not found`)
 * and which kinds can be scaled.
 */
import { ApiError } from '../sim/errors.ts';

export interface KindInfo {
  kind: string;
  /** "" for the core group. */
  group: string;
  /** Served versions; the first is the preferred one. */
  versions: string[];
  /** Plural REST resource name. */
  resource: string;
  namespaced: boolean;
  /** Has a scale subresource (spec.replicas). */
  scalable?: boolean;
}

const TABLE: KindInfo[] = [
  { kind: 'Namespace', group: '', versions: ['v1'], resource: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', versions: ['v1'], resource: 'nodes', namespaced: false },
  { kind: 'Pod', group: '', versions: ['v1'], resource: 'pods', namespaced: true },
  { kind: 'Service', group: '', versions: ['v1'], resource: 'services', namespaced: true },
  { kind: 'ConfigMap', group: '', versions: ['v1'], resource: 'configmaps', namespaced: true },
  { kind: 'Secret', group: '', versions: ['v1'], resource: 'secrets', namespaced: true },
  { kind: 'ServiceAccount', group: '', versions: ['v1'], resource: 'serviceaccounts', namespaced: true },
  { kind: 'PersistentVolume', group: '', versions: ['v1'], resource: 'persistentvolumes', namespaced: false },
  { kind: 'PersistentVolumeClaim', group: '', versions: ['v1'], resource: 'persistentvolumeclaims', namespaced: true },
  { kind: 'ReplicationController', group: '', versions: ['v1'], resource: 'replicationcontrollers', namespaced: true, scalable: true },
  { kind: 'ResourceQuota', group: '', versions: ['v1'], resource: 'resourcequotas', namespaced: true },
  { kind: 'LimitRange', group: '', versions: ['v1'], resource: 'limitranges', namespaced: true },
  { kind: 'Deployment', group: 'apps', versions: ['v1'], resource: 'deployments', namespaced: true, scalable: true },
  { kind: 'ReplicaSet', group: 'apps', versions: ['v1'], resource: 'replicasets', namespaced: true, scalable: true },
  { kind: 'StatefulSet', group: 'apps', versions: ['v1'], resource: 'statefulsets', namespaced: true, scalable: true },
  { kind: 'DaemonSet', group: 'apps', versions: ['v1'], resource: 'daemonsets', namespaced: true },
  { kind: 'Job', group: 'batch', versions: ['v1'], resource: 'jobs', namespaced: true },
  { kind: 'CronJob', group: 'batch', versions: ['v1'], resource: 'cronjobs', namespaced: true },
  { kind: 'PriorityClass', group: 'scheduling.k8s.io', versions: ['v1'], resource: 'priorityclasses', namespaced: false },
  { kind: 'PodDisruptionBudget', group: 'policy', versions: ['v1'], resource: 'poddisruptionbudgets', namespaced: true },
  { kind: 'StorageClass', group: 'storage.k8s.io', versions: ['v1'], resource: 'storageclasses', namespaced: false },
  { kind: 'CSINode', group: 'storage.k8s.io', versions: ['v1'], resource: 'csinodes', namespaced: false },
  { kind: 'CSIDriver', group: 'storage.k8s.io', versions: ['v1'], resource: 'csidrivers', namespaced: false },
  { kind: 'RuntimeClass', group: 'node.k8s.io', versions: ['v1'], resource: 'runtimeclasses', namespaced: false },
  { kind: 'Lease', group: 'coordination.k8s.io', versions: ['v1'], resource: 'leases', namespaced: true },
  { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', versions: ['v2', 'v1'], resource: 'horizontalpodautoscalers', namespaced: true },
];

const BY_KIND = new Map(TABLE.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
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

export function isNamespaced(kind: string): boolean {
  return BY_KIND.get(kind)?.namespaced ?? true;
}

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
