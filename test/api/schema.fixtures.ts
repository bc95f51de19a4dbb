/**
 * Realistic manifests of every kind ksim has a schema for, as users write
 * them (YAML, quantities as bare numbers where kubectl accepts them).
 */
export const VALID_MANIFESTS = `
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: default
  labels: {app: web, tier: frontend}
  annotations: {example.com/owner: team-a}
spec:
  priorityClassName: high
  schedulerName: default-scheduler
  nodeSelector: {kubernetes.io/os: linux}
  terminationGracePeriodSeconds: 30
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000], seccompProfile: {type: RuntimeDefault}}
  initContainers:
  - name: init
    image: busybox:1.36
    command: [sh, -c, "echo hi"]
    restartPolicy: Always
  containers:
  - name: app
    image: nginx:1.27
    imagePullPolicy: IfNotPresent
    ports: [{containerPort: 80, name: http, protocol: TCP}]
    env:
    - {name: MODE, value: production}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: CPU_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}
    resources:
      requests: {cpu: 250m, memory: 64Mi, ephemeral-storage: 1Gi}
      limits: {cpu: 1, memory: 128Mi}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    emptyDir: {sizeLimit: 500Mi}
  tolerations:
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
  schedulingGates: [{name: example.com/gate}]
status:
  phase: Pending
  conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/hostname: node-a, topology.kubernetes.io/zone: us-east-1a, node.kubernetes.io/instance-type: m5.large}
spec:
  podCIDR: 10.244.1.0/24
  providerID: aws:///us-east-1a/i-0123
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
  unschedulable: false
status:
  capacity: {cpu: 4, memory: 16Gi, pods: 110, ephemeral-storage: 100Gi, nvidia.com/gpu: 1}
  allocatable: {cpu: 3800m, memory: 15Gi, pods: "110"}
  conditions:
  - {type: Ready, status: "True", lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z", reason: KubeletReady}
  addresses: [{type: InternalIP, address: 10.0.0.1}, {type: Hostname, address: node-a}]
  nodeInfo: {architecture: amd64, kubeletVersion: v1.31.0, operatingSystem: linux}
  images:
  - names: [registry.k8s.io/pause:3.10]
    sizeBytes: 320368
  - names: [example.com/huge:1]
    sizeBytes: 5368709120
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP}
  - {name: metrics, port: 9090, targetPort: 9090}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: debug, config.yaml: "a: 1\\n"}
binaryData: {blob: aGVsbG8=}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
type: Opaque
data: {password: cGFzc3dvcmQ=}
stringData: {user: admin}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-1, labels: {type: local}}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local-storage
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-0}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local-storage
  resources: {requests: {storage: 5Gi}}
  volumeMode: Filesystem
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {cpu: 2}
    maxLimitRequestRatio: {cpu: 4}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {requests.cpu: 10, requests.memory: 20Gi, pods: 50}
  scopeSelector:
    matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Event
metadata: {name: web-0.17a, namespace: default}
involvedObject: {kind: Pod, name: web-0, namespace: default, apiVersion: v1}
reason: FailedScheduling
message: "0/3 nodes are available: 3 Insufficient cpu."
type: Warning
count: 3
source: {component: default-scheduler}
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:01:00Z"
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: web-0.17b, namespace: default}
eventTime: "2024-01-01T00:00:00.000000Z"
reportingController: default-scheduler
reportingInstance: default-scheduler-node-a
action: Scheduling
reason: FailedScheduling
regarding: {kind: Pod, name: web-0, namespace: default}
note: "0/3 nodes are available"
type: Warning
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tpl}
template:
  metadata: {labels: {app: tpl}}
  spec:
    containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
automountServiceAccountToken: false
imagePullSecrets: [{name: regcred}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 600
  minReadySeconds: 5
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [frontend]}]
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}]
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 50
            preference:
              matchExpressions: [{key: disktype, operator: In, values: [ssd]}]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: web}}
              matchLabelKeys: [pod-template-hash]
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: topology.kubernetes.io/zone
            labelSelector:
              matchExpressions: [{key: app, operator: In, values: [cache]}]
            namespaces: [default]
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: web}}
        minDomains: 2
        nodeAffinityPolicy: Honor
        nodeTaintsPolicy: Ignore
        matchLabelKeys: [pod-template-hash]
      tolerations:
      - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
      - {operator: Exists}
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 8080, name: http}]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
        livenessProbe:
          httpGet: {path: /healthz, port: http, httpHeaders: [{name: X-Probe, value: "1"}]}
          initialDelaySeconds: 10
          periodSeconds: 10
          failureThreshold: 3
        readinessProbe:
          tcpSocket: {port: 8080}
          timeoutSeconds: 2
        startupProbe:
          exec: {command: [cat, /tmp/ready]}
          failureThreshold: 30
        lifecycle:
          preStop: {sleep: {seconds: 5}}
        volumeMounts:
        - {name: config, mountPath: /etc/web, readOnly: true}
        - {name: cache, mountPath: /cache}
        - {name: token, mountPath: /var/run/token}
      volumes:
      - name: config
        configMap: {name: settings, defaultMode: 420, items: [{key: config.yaml, path: config.yaml}]}
      - name: cache
        emptyDir: {medium: Memory}
      - name: token
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: api}
          - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
      - name: pvc
        persistentVolumeClaim: {claimName: data-0}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-5d8f, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d9607e19-f88f-11e6-a518-42010a800195, controller: true, blockOwnerDeletion: true}]}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: 1}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}
  ordinals: {start: 1}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%, maxSurge: 0}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations: [{operator: Exists}]
      containers:
      - name: agent
        image: agent:1
        resources: {requests: {cpu: 50m, memory: 50Mi}}
        volumeMounts: [{name: root, mountPath: /host, readOnly: true}]
      volumes:
      - name: root
        hostPath: {path: /, type: Directory}
---
apiVersion: apps/v1
kind: ControllerRevision
metadata: {name: agent-7c9d}
revision: 2
data:
  spec:
    template:
      spec:
        containers: [{name: agent, image: agent:2}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 5
  parallelism: 2
  completionMode: Indexed
  backoffLimitPerIndex: 1
  maxFailedIndexes: 2
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 100
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: pi, operator: In, values: [42]}
    - action: Ignore
      onPodConditions: [{type: DisruptionTarget}]
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34
        command: [perl, "-Mbignum=bpi", "-wle", "print bpi(2000)"]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/5 * * * *"
  timeZone: Etc/UTC
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 200
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: hello, image: busybox, args: [date]}]
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000000
globalDefault: false
preemptionPolicy: PreemptLowerPriority
description: "High priority workloads"
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-pdb}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
  unhealthyPodEvictionPolicy: AlwaysAllow
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-storage, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
allowVolumeExpansion: true
parameters: {type: gp3}
allowedTopologies:
- matchLabelExpressions: [{key: topology.kubernetes.io/zone, values: [us-east-1a]}]
---
apiVersion: storage.k8s.io/v1
kind: CSINode
metadata: {name: node-a}
spec:
  drivers:
  - name: ebs.csi.aws.com
    nodeID: i-0123
    topologyKeys: [topology.ebs.csi.aws.com/zone]
    allocatable: {count: 25}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: ebs.csi.aws.com}
spec:
  attachRequired: true
  podInfoOnMount: false
  volumeLifecycleModes: [Persistent]
  fsGroupPolicy: File
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 20
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
  - type: Pods
    pods:
      metric: {name: requests_per_second}
      target: {type: AverageValue, averageValue: 1k}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies: [{type: Percent, value: 10, periodSeconds: 60}]
    scaleUp:
      selectPolicy: Max
      policies: [{type: Pods, value: 4, periodSeconds: 15}]
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: node-a, namespace: kube-node-lease}
spec:
  holderIdentity: node-a
  leaseDurationSeconds: 40
  renewTime: "2024-01-01T00:00:10.000000Z"
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
overhead: {podFixed: {cpu: 250m, memory: 120Mi}}
scheduling:
  nodeSelector: {runtime: gvisor}
  tolerations: [{key: runtime, operator: Equal, value: gvisor, effect: NoSchedule}]
`;

/** Kinds whose list counterparts are exercised separately. */
export const MODELLED_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['v1', 'Pod'],
  ['v1', 'Node'],
  ['v1', 'Namespace'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolume'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'LimitRange'],
  ['v1', 'ResourceQuota'],
  ['v1', 'ReplicationController'],
  ['v1', 'Event'],
  ['v1', 'PodTemplate'],
  ['v1', 'ServiceAccount'],
  ['events.k8s.io/v1', 'Event'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ControllerRevision'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['scheduling.k8s.io/v1', 'PriorityClass'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['storage.k8s.io/v1', 'StorageClass'],
  ['storage.k8s.io/v1', 'CSINode'],
  ['storage.k8s.io/v1', 'CSIDriver'],
  ['autoscaling/v1', 'HorizontalPodAutoscaler'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['coordination.k8s.io/v1', 'Lease'],
  ['node.k8s.io/v1', 'RuntimeClass'],
];

/** kubeadm-style KubeletConfiguration (as `kubeadm init` writes /var/lib/kubelet/config.yaml), plus common tuning. */
export const KUBELET_CONFIG = `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
maxPods: 250
podPidsLimit: 4096
kubeReserved: {cpu: 100m, memory: 512Mi, ephemeral-storage: 1Gi}
systemReserved: {cpu: 100m, memory: 256Mi}
evictionHard: {memory.available: 100Mi, nodefs.available: 10%, nodefs.inodesFree: 5%, imagefs.available: 15%}
evictionSoft: {memory.available: 300Mi}
evictionSoftGracePeriod: {memory.available: 1m30s}
enforceNodeAllocatable: [pods]
cpuManagerPolicy: static
cpuManagerPolicyOptions: {full-pcpus-only: "true"}
topologyManagerPolicy: single-numa-node
topologyManagerScope: pod
memoryManagerPolicy: Static
reservedSystemCPUs: "0,1"
reservedMemory:
- numaNode: 0
  limits: {memory: 1124Mi}
featureGates: {InPlacePodVerticalScaling: true}
registerWithTaints:
- {key: node.kubernetes.io/initializing, effect: NoSchedule}
shutdownGracePeriodByPodPriority:
- {priority: 2000000000, shutdownGracePeriodSeconds: 10}
- {priority: 0, shutdownGracePeriodSeconds: 30}
tracing: {endpoint: "localhost:4317", samplingRatePerMillion: 100}
serializeImagePulls: false
maxParallelImagePulls: 5
imageGCHighThresholdPercent: 85
imageGCLowThresholdPercent: 80
memoryThrottlingFactor: 0.9
`;

/** A multi-profile KubeSchedulerConfiguration as found in real clusters. */
export const SCHEDULER_CONFIG = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
parallelism: 16
percentageOfNodesToScore: 50
podInitialBackoffSeconds: 1
podMaxBackoffSeconds: 10
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
  qps: 50.5
  burst: 100
leaderElection:
  leaderElect: true
  leaseDuration: 15s
  renewDeadline: 10s
  retryPeriod: 2s
  resourceLock: leases
  resourceName: kube-scheduler
  resourceNamespace: kube-system
enableProfiling: true
enableContentionProfiling: true
profiles:
- schedulerName: default-scheduler
  plugins:
    multiPoint:
      enabled:
      - name: NodeResourcesFit
        weight: 2
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
      - name: ImageLocality
  pluginConfig:
  - name: NodeResourcesFit
    args:
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: NodeResourcesFitArgs
      ignoredResources: [example.com/foo]
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources:
        - {name: cpu, weight: 1}
        - {name: memory, weight: 1}
        requestedToCapacityRatio:
          shape:
          - {utilization: 0, score: 0}
          - {utilization: 100, score: 10}
  - name: PodTopologySpread
    args:
      defaultingType: List
      defaultConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
  - name: InterPodAffinity
    args: {hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: true}
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100}
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: pool, operator: NotIn, values: [system]}]
  - name: VolumeBinding
    args: {bindTimeoutSeconds: 600}
  - name: CustomOutOfTree
    args: {anything: [1, 2, {goes: here}]}
- schedulerName: bin-packing
  percentageOfNodesToScore: 100
  plugins:
    preFilter: {enabled: [], disabled: []}
    filter: {}
    postFilter: {}
    preScore: {}
    reserve: {}
    permit: {}
    preBind: {}
    bind: {}
    postBind: {}
    queueSort: {}
    preEnqueue: {}
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{name: cpu, weight: 1}]
extenders:
- urlPrefix: http://127.0.0.1:8888/
  filterVerb: filter
  prioritizeVerb: prioritize
  weight: 1
  enableHTTPS: false
  nodeCacheCapable: true
  httpTimeout: 30s
  managedResources: [{name: example.com/foo, ignoredByScheduler: true}]
  ignorable: true
delayCacheUntilActive: false
`;
