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
  /** Scenarios may contain this kind: it is stored (others are reported and skipped). */
  accepted?: boolean;
  /**
   * A controller or component of ksim acts on it (reconciled, not only stored).
   * Accepted kinds that are not modelled are listed in STORED_ONLY_KINDS with
   * what a real cluster would do that ksim does not; the loader says so.
   */
  modelled?: boolean;
  /** Why an accepted kind is only stored, for the loader's warning. */
  storedOnly?: string;
}

type Row = [kind: string, group: string, versions: string, resource: string, namespaced: boolean, flags?: 'accepted' | 'accepted,scalable'];

const ROWS: Row[] = [
  ['Namespace', '', 'v1', 'namespaces', false, 'accepted'],
  ['Node', '', 'v1', 'nodes', false, 'accepted'],
  ['Pod', '', 'v1', 'pods', true, 'accepted'],
  ['Service', '', 'v1', 'services', true, 'accepted'],
  ['ConfigMap', '', 'v1', 'configmaps', true, 'accepted'],
  ['Secret', '', 'v1', 'secrets', true, 'accepted'],
  ['ServiceAccount', '', 'v1', 'serviceaccounts', true, 'accepted'],
  ['PersistentVolume', '', 'v1', 'persistentvolumes', false, 'accepted'],
  ['PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true, 'accepted'],
  ['ReplicationController', '', 'v1', 'replicationcontrollers', true, 'accepted,scalable'],
  ['ResourceQuota', '', 'v1', 'resourcequotas', true, 'accepted'],
  ['LimitRange', '', 'v1', 'limitranges', true, 'accepted'],
  ['Endpoints', '', 'v1', 'endpoints', true],
  ['Event', '', 'v1', 'events', true],
  ['Binding', '', 'v1', 'bindings', true],
  ['PodTemplate', '', 'v1', 'podtemplates', true],
  ['ComponentStatus', '', 'v1', 'componentstatuses', false],
  ['Deployment', 'apps', 'v1', 'deployments', true, 'accepted,scalable'],
  ['ReplicaSet', 'apps', 'v1', 'replicasets', true, 'accepted,scalable'],
  ['StatefulSet', 'apps', 'v1', 'statefulsets', true, 'accepted,scalable'],
  ['DaemonSet', 'apps', 'v1', 'daemonsets', true, 'accepted'],
  ['ControllerRevision', 'apps', 'v1', 'controllerrevisions', true, 'accepted'],
  ['Job', 'batch', 'v1', 'jobs', true, 'accepted'],
  ['CronJob', 'batch', 'v1', 'cronjobs', true, 'accepted'],
  ['PriorityClass', 'scheduling.k8s.io', 'v1', 'priorityclasses', false, 'accepted'],
  ['PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', true, 'accepted'],
  ['StorageClass', 'storage.k8s.io', 'v1', 'storageclasses', false, 'accepted'],
  ['CSINode', 'storage.k8s.io', 'v1', 'csinodes', false, 'accepted'],
  ['CSIDriver', 'storage.k8s.io', 'v1', 'csidrivers', false, 'accepted'],
  ['CSIStorageCapacity', 'storage.k8s.io', 'v1', 'csistoragecapacities', true],
  ['VolumeAttachment', 'storage.k8s.io', 'v1', 'volumeattachments', false],
  ['RuntimeClass', 'node.k8s.io', 'v1', 'runtimeclasses', false, 'accepted'],
  ['Lease', 'coordination.k8s.io', 'v1', 'leases', true, 'accepted'],
  ['HorizontalPodAutoscaler', 'autoscaling', 'v2,v1', 'horizontalpodautoscalers', true, 'accepted'],
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

/** Accepted kinds that nothing in ksim reconciles, and what a real cluster would do with them. */
export const STORED_ONLY_KINDS: Readonly<Record<string, string>> = {
  ConfigMap: 'kept as data; ksim runs no containers to mount or read them',
  Secret: 'kept as data; ksim runs no containers to mount or read them',
  ServiceAccount: 'kept as data; no token controller or token projection',
  RuntimeClass: 'the RuntimeClass admission plugin does not run: pods naming it get no overhead, node selector or tolerations from it',
  Service: "read only for the scheduler's default spreading and quota counts; no endpoints, kube-proxy, node ports or load balancers",
};

export const KINDS: readonly KindInfo[] = ROWS.map(([kind, group, versions, resource, namespaced, flags]) => ({
  kind,
  group,
  versions: versions.split(','),
  resource,
  namespaced,
  ...(flags?.includes('scalable') ? { scalable: true } : {}),
  ...(flags ? { accepted: true } : {}),
  ...(flags && !STORED_ONLY_KINDS[kind] ? { modelled: true } : {}),
  ...(flags && STORED_ONLY_KINDS[kind] ? { storedOnly: STORED_ONLY_KINDS[kind] } : {}),
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
