/**
 * API discovery: for each kind, its group, served versions, REST resource name
 * and scope, as kube-apiserver v1.31 reports them (`kubectl api-resources`).
 * The one table that the store (scope), API errors (resource names such as
 * `deployments.apps`), defaulting (namespace) and the scenario loader (which
 * kinds a scenario may contain) all read.
 */

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
  /** ksim models this kind: scenarios may contain it (others are reported and skipped). */
  modelled?: boolean;
}

type Row = [kind: string, group: string, versions: string, resource: string, namespaced: boolean, flags?: 'modelled' | 'modelled,scalable'];

const ROWS: Row[] = [
  ['Namespace', '', 'v1', 'namespaces', false, 'modelled'],
  ['Node', '', 'v1', 'nodes', false, 'modelled'],
  ['Pod', '', 'v1', 'pods', true, 'modelled'],
  ['Service', '', 'v1', 'services', true, 'modelled'],
  ['ConfigMap', '', 'v1', 'configmaps', true, 'modelled'],
  ['Secret', '', 'v1', 'secrets', true, 'modelled'],
  ['ServiceAccount', '', 'v1', 'serviceaccounts', true, 'modelled'],
  ['PersistentVolume', '', 'v1', 'persistentvolumes', false, 'modelled'],
  ['PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true, 'modelled'],
  ['ReplicationController', '', 'v1', 'replicationcontrollers', true, 'modelled,scalable'],
  ['ResourceQuota', '', 'v1', 'resourcequotas', true, 'modelled'],
  ['LimitRange', '', 'v1', 'limitranges', true, 'modelled'],
  ['Endpoints', '', 'v1', 'endpoints', true],
  ['Event', '', 'v1', 'events', true],
  ['Binding', '', 'v1', 'bindings', true],
  ['PodTemplate', '', 'v1', 'podtemplates', true],
  ['ComponentStatus', '', 'v1', 'componentstatuses', false],
  ['Deployment', 'apps', 'v1', 'deployments', true, 'modelled,scalable'],
  ['ReplicaSet', 'apps', 'v1', 'replicasets', true, 'modelled,scalable'],
  ['StatefulSet', 'apps', 'v1', 'statefulsets', true, 'modelled,scalable'],
  ['DaemonSet', 'apps', 'v1', 'daemonsets', true, 'modelled'],
  ['ControllerRevision', 'apps', 'v1', 'controllerrevisions', true],
  ['Job', 'batch', 'v1', 'jobs', true, 'modelled'],
  ['CronJob', 'batch', 'v1', 'cronjobs', true, 'modelled'],
  ['PriorityClass', 'scheduling.k8s.io', 'v1', 'priorityclasses', false, 'modelled'],
  ['PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', true, 'modelled'],
  ['StorageClass', 'storage.k8s.io', 'v1', 'storageclasses', false, 'modelled'],
  ['CSINode', 'storage.k8s.io', 'v1', 'csinodes', false, 'modelled'],
  ['CSIDriver', 'storage.k8s.io', 'v1', 'csidrivers', false, 'modelled'],
  ['CSIStorageCapacity', 'storage.k8s.io', 'v1', 'csistoragecapacities', true],
  ['VolumeAttachment', 'storage.k8s.io', 'v1', 'volumeattachments', false],
  ['RuntimeClass', 'node.k8s.io', 'v1', 'runtimeclasses', false, 'modelled'],
  ['Lease', 'coordination.k8s.io', 'v1', 'leases', true, 'modelled'],
  ['HorizontalPodAutoscaler', 'autoscaling', 'v2,v1', 'horizontalpodautoscalers', true, 'modelled'],
  ['ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false],
  ['Role', 'rbac.authorization.k8s.io', 'v1', 'roles', true],
  ['RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', true],
  ['Ingress', 'networking.k8s.io', 'v1', 'ingresses', true],
  ['NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', true],
  ['ResourceClaim', 'resource.k8s.io', 'v1alpha3', 'resourceclaims', true],
  ['ResourceClaimTemplate', 'resource.k8s.io', 'v1alpha3', 'resourceclaimtemplates', true],
  ['ResourceSlice', 'resource.k8s.io', 'v1alpha3', 'resourceslices', false],
  ['DeviceClass', 'resource.k8s.io', 'v1alpha3', 'deviceclasses', false],
  ['CustomResourceDefinition', 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions', false],
  ['APIService', 'apiregistration.k8s.io', 'v1', 'apiservices', false],
  ['MutatingWebhookConfiguration', 'admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', false],
  ['ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', false],
  // The Resource Metrics API served by metrics-server (src/metrics): readable, never applied by users.
  ['PodMetrics', 'metrics.k8s.io', 'v1beta1', 'pods', true],
  ['NodeMetrics', 'metrics.k8s.io', 'v1beta1', 'nodes', false],
];

export const KINDS: readonly KindInfo[] = ROWS.map(([kind, group, versions, resource, namespaced, flags]) => ({
  kind,
  group,
  versions: versions.split(','),
  resource,
  namespaced,
  ...(flags?.includes('scalable') ? { scalable: true } : {}),
  ...(flags ? { modelled: true } : {}),
}));

const BY_KIND: ReadonlyMap<string, KindInfo> = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind);
}

/** Cluster-scoped kinds; a kind not in the table is taken to be namespaced, as most are. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(KINDS.filter((k) => !k.namespaced).map((k) => k.kind));

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}
