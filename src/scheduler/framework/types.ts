/**
 * The scheduling framework's contract, following kube-scheduler v1.35
 * (v1.33-v1.34 additions for out-of-tree plugins, NodeInfo in Score and
 * PreFilter and PreBindPreFlight, are not part of ksim's plugin interface)
 * (pkg/scheduler/framework/interface.go, types.go, cycle_state.go).
 *
 * A plugin is an object with a `name` and any subset of the extension-point
 * methods below; the framework discovers which points it implements by the
 * methods present. Results use `null` for Success so the hot path allocates
 * nothing on the common case.
 */
import type { SortKeys } from '../queue/heap.ts';
import type { FeatureGates } from '../../api/featureGates.ts';
import type { ContainerPort, Pod, Node } from 'kubernetes-types/core/v1.js';
import type { StoreReader, Time, Stored, KObject, Rng } from '../../sim/types.ts';
import type { NodeResourceTable } from './resourceTable.ts';

/** Upstream framework.MaxNodeScore / MinNodeScore. */
export const MaxNodeScore = 100;
export const MinNodeScore = 0;
/** Upstream framework.MaxTotalScore: the sum of weighted scores must fit in an int64. */
export const MaxTotalScore = Number.MAX_SAFE_INTEGER;

/** Status codes, same names and meaning as upstream framework.Code. */
export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

/** framework.Status: a code, reasons (shown in FailedScheduling messages) and the plugin that failed. */
export class Status {
  plugin = '';
  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
  ) {}
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static error(message: string): Status {
    return new Status(Code.Error, [message]);
  }
  static skip(): Status {
    return new Status(Code.Skip);
  }
  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
  isSuccess(): boolean {
    return this.code === Code.Success;
  }
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }
  message(): string {
    return this.reasons.join(', ');
  }
}

/**
 * A Skip answer shared by the built-in plugins' PreFilter and PreScore (perf:
 * a Status, and at PreFilter a result, per skipping plugin per cycle). The
 * framework only reads a Skip's code; both are frozen, so a withPlugin() on
 * them fails loudly instead of changing every plugin's answer.
 */
export const SkipStatus: Status = Object.freeze(new Status(Code.Skip, Object.freeze([]) as unknown as string[]));
export const PreFilterSkip: { readonly result: null; readonly status: Status } = Object.freeze({ result: null, status: SkipStatus });
/** A PreFilter that narrows nothing and passes (shared, as PreFilterSkip: perf, an object per plugin per cycle otherwise). */
export const PreFilterNone: { readonly result: null; readonly status: null } = Object.freeze({ result: null, status: null });

/** A plugin result: null is Success. */
export type Result = Status | null;

/** framework.Resource: the numbers the scheduler compares. CPU in millicores, the rest in base units. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended and hugepages resources, by name; values as Quantity.value(). */
  scalar: Map<string, number>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

/** A compiled label selector; see src/api/labels.ts. */
export interface LabelMatcher {
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True for a selector that matches everything. */
  readonly empty: boolean;
}

/** framework.AffinityTerm: a pod (anti-)affinity term with its namespaces resolved. */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  selector: LabelMatcher;
  topologyKey: string;
  /** null when the term has no namespaceSelector. */
  namespaceSelector: LabelMatcher | null;
  /**
   * Canonical identity of `selector` and `namespaceSelector` (equal keys =>
   * equal matching), set by newPodInfo; lets plugins cache per-node results
   * across pods with the same terms. Absent => no caching.
   */
  selectorKey?: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** framework.PodInfo: a pod with what the plugins need precomputed once. */
export interface PodInfo {
  pod: Stored<Pod & KObject>;
  /** Effective requests (containers, init containers, overhead), as upstream's resource.PodRequests. */
  requests: Resource;
  /** Requests with upstream's non-zero defaults for scoring (100m CPU, 200Mi memory) when unset. */
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /**
   * Set when an affinity term's selector could not be parsed (upstream
   * NewPodInfo's error); the offending term matches nothing. InterPodAffinity
   * rejects such a pod at PreFilter as upstream does.
   */
  parseError?: string;
  /** The pod's host ports (framework/hostPorts.ts hostPortsOf), computed once; absent on hand-built PodInfos. */
  hostPorts?: readonly ContainerPort[];
}

export interface HostPortInfo {
  /** Keyed "ip/protocol/port" with ip "0.0.0.0" for unset. */
  has(ip: string, protocol: string, port: number): boolean;
  conflicts(ip: string, protocol: string, port: number): boolean;
}

/** framework.ImageStateSummary */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

/** framework.NodeInfo: one node with the pods the scheduler believes are on it (assumed ones included). */
export interface NodeInfo {
  readonly node: Stored<Node & KObject>;
  /** Position in the snapshot's node list (stable for the snapshot). */
  readonly index: number;
  readonly pods: readonly PodInfo[];
  readonly podsWithAffinity: readonly PodInfo[];
  readonly podsWithRequiredAntiAffinity: readonly PodInfo[];
  readonly usedPorts: HostPortInfo;
  readonly requested: Resource;
  readonly nonZeroRequested: Resource;
  readonly allocatable: Resource;
  readonly imageStates: ReadonlyMap<string, ImageStateSummary>;
  /** Incremented on every change; lets plugins cache per-node work. */
  readonly generation: number;
  /**
   * ksim fast path: a generation that moves only when something a node-local
   * plugin may read (Plugin.nodeLocal) changes; it keeps its value across
   * changes that leave all of that as it was (a node status write that keeps
   * the name, labels, annotations, spec and allocatable; a pod replaced by one
   * with the same requests and ports). Taken from the same counter as
   * `generation`, so it is unique across NodeInfos too. Absent: `generation`.
   */
  readonly localGeneration?: number;
  /** ksim fast path: the scheduler cache's compact copy of this node's resource figures, and its slot there; absent/null/-1 elsewhere. */
  readonly resourceTable?: NodeResourceTable | null;
  readonly resourceSlot?: number;
}

/** CycleState: per-attempt scratch space shared by a profile's plugins. */
export interface CycleState {
  read<T>(key: string): T | undefined;
  write(key: string, value: unknown): void;
  delete(key: string): void;
  /** For preemption's what-if runs: a copy whose entries are cloned if they have clone(). */
  clone(): CycleState;
  /** Set by the framework when the scheduling cycle records an explanation. */
  readonly recordPluginMetrics: boolean;
  /** Plugins (e.g. PreScore) that returned Skip for this cycle; their later points are skipped too. */
  readonly skipFilterPlugins: Set<string>;
  readonly skipScorePlugins: Set<string>;
}

/** A state entry that preemption can copy; upstream framework.StateData. */
export interface StateData {
  clone(): StateData;
}

/** What node-level listers give plugins: the scheduler's snapshot, not the store. */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  havePodsWithAffinityList(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  /** How many distinct images the nodes report (the scheduler cache's image states); optional for hand-built listers. */
  numImages?(): number;
}

/** Pods nominated to nodes by preemption; filters count them as if placed (upstream's two-pass filtering). */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
  /** Optional fast path: false when no pod is nominated anywhere. */
  hasNominatedPods?(): boolean;
  /** Optional fast path: the nodes that have pods nominated to them. */
  nominatedNodeNames?(): Iterable<string>;
}

/** framework.Handle: what a plugin may use. */
export interface Handle {
  /** Feature gates and the emulated Kubernetes version: plugins read version-dependent behaviour here. */
  readonly featureGates: FeatureGates;
  /**
   * false: plugins evaluate without their hot-path shortcuts, the reference
   * the equivalence test compares the optimised decisions against. Optional
   * so that hand-built handles (tests) keep compiling; absent means true.
   */
  readonly fastPath?: boolean;
  snapshot(): NodeInfoLister;
  /** Read access to API objects other than nodes/pods (PVCs, PVs, StorageClasses, Namespaces, PDBs). */
  store(): StoreReader;
  nominator(): PodNominator;
  now(): Time;
  /** Run filters of this profile on one node (used by preemption to check "would it fit if..."). */
  runFilterPluginsWithNominatedPods(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Result;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Result;
  /**
   * Fast path for preemption's dry run (preemption/evaluator.ts fastDryRun): the Filter
   * plugins this cycle runs (not skipped at PreFilter), in order; whether a
   * PreFilter extension (AddPod/RemovePod) is active; and upstream
   * RunFilterPlugins without the nominated-pods pass. Optional (test handles).
   */
  activeFilters?(state: CycleState): { filters: readonly FilterPlugin[]; preFilterExtensions: boolean };
  runFilterPlugins?(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result;
  /** Profile's scheduler name, e.g. "default-scheduler". */
  readonly profileName: string;
  /** Ask the API server to delete a pod (preemption victims), with the given reason for the event/condition. */
  evictPod?(victim: PodInfo, preemptor: PodInfo, nodeName: string): void;
  /** The Binding subresource: sets spec.nodeName (used by DefaultBinder). */
  bindPod?(pod: PodInfo, nodeName: string): Result;
  /**
   * Write an API object on the scheduler's behalf: read-modify-write of its
   * current version, as Store.patch (actor "scheduler"); throws ApiError.
   * Used by binding-cycle plugins that, upstream, call the API server
   * themselves: VolumeBinding's PreBind sets PV claimRefs (static binding)
   * and PVC selected-node annotations (dynamic provisioning). Optional:
   * handles without API write access (tests, what-if runs) leave it out.
   */
  writeObject?<T extends KObject>(kind: string, namespace: string, name: string, mutate: (draft: T) => void): Stored<T>;
  /**
   * A named random stream of the simulation (e.g. "preemption" for
   * DefaultPreemption's candidate offset, upstream rand.Int31n). Absent in
   * handles without a simulation (tests): callers then use offset 0.
   */
  rng?(stream: string): Rng;
  /** Pods held at Permit, by UID (upstream GetWaitingPod / IterateOverWaitingPods). */
  getWaitingPod?(uid: string): WaitingPodHandle | undefined;
  iterateOverWaitingPods?(cb: (wp: WaitingPodHandle) => void): void;
}

/** upstream framework.WaitingPod */
export interface WaitingPodHandle {
  readonly pod: PodInfo;
  getPendingPlugins(): string[];
  allow(pluginName: string): void;
  reject(pluginName: string, msg: string): void;
}

/** framework.PreFilterResult: nil means all nodes; a set restricts the nodes evaluated. */
export interface PreFilterResult {
  nodeNames: ReadonlySet<string> | null;
}

export interface NodeScore {
  name: string;
  score: number;
}

/** Per-node filter failure statuses, keyed by node name. */
export type NodeToStatusMap = Map<string, Status>;

export interface PostFilterResult {
  nominatedNodeName: string;
  /** Pods the PostFilter plugin (preemption) chose to evict, as "namespace/name"; for explanations. */
  victims?: string[];
  /** Preemption candidates the dry run found (node, victims, PDB violations), in selection order; for explanations. */
  candidates?: Array<{ node: string; victims: string[]; numPDBViolations: number }>;
}

export interface Plugin {
  readonly name: string;
  /**
   * ksim fast path (no upstream counterpart): Filter and Score read only the
   * pod, the plugin's own args, PreFilter/PreScore state computed from the
   * pod alone, and of the NodeInfo only: the node's name, labels,
   * annotations, deletion timestamp, spec, status.allocatable and
   * status.capacity; the `requested`, `nonZeroRequested` and `allocatable`
   * figures; `usedPorts`; and the number of pods (not the pods themselves:
   * a bound pod replacing its assumed copy keeps the localGeneration). The
   * framework may then reuse a node's verdict or raw score while the
   * NodeInfo's localGeneration and the pod's shape are unchanged
   * (framework/nodeMemo.ts).
   */
  readonly nodeLocal?: boolean;
  /**
   * ksim fast path, with nodeLocal: of the pod, Filter and Score read only
   * its spec (not its namespace, labels or annotations), so pods that differ
   * only there (a Job's or a StatefulSet's pods) share memoised answers.
   */
  readonly podSpecOnly?: boolean;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Stored<Pod & KObject>): Result;
}

/** The pod as it sits in the scheduling queue. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was added to the queue (virtual time). */
  timestamp: Time;
  attempts: number;
  /** Time of the first scheduling attempt; for pending-time metrics. */
  initialAttemptTimestamp?: Time;
  /** Plugins that rejected the pod in its last attempt (for queueing hints). */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Set when the pod is gated by PreEnqueue. */
  gatingPlugin?: string;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  /**
   * Optional three-way form of less (ksim fast path): negative when a goes
   * first, positive when b does, 0 when less says neither. The queue's heap
   * then compares once where less would be called twice.
   */
  compare?(a: QueuedPodInfo, b: QueuedPodInfo): number;
  /**
   * Optional: less as two numbers per pod, compared in order, smaller first,
   * then arrival (ksim fast path). The queue's heap keeps them beside each pod
   * and compares them without reading the pod. Must agree with less for every
   * pod whose keys are not NaN; pods with a NaN key are compared with less.
   */
  readonly sortKeys?: SortKeys<QueuedPodInfo>;
}

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodInfo, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Result;
  removePod(state: CycleState, podToSchedule: PodInfo, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Result;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Result };
  preFilterExtensions?(): PreFilterExtensions | null;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filteredNodeStatusMap: NodeToStatusMap): { result: PostFilterResult | null; status: Result };
}

export interface PreScorePlugin extends Plugin {
  /**
   * `slots` (ksim fast path, may be ignored): the nodes' slots in the
   * scheduler cache's table (framework/resourceTable.ts) when the caller
   * knows them, else null or absent.
   */
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], slots?: Int32Array | null): Result;
}

export interface ScorePlugin extends Plugin {
  /** Raw score for one node; a Status on error. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status;
  /** Rescale raw scores in place to [MinNodeScore, MaxNodeScore]. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): Result;
  /**
   * ksim fast path (no upstream counterpart): true when Score would return 0
   * on every node for this pod, so the framework may leave the plugin out of
   * the cycle's sums without changing them. Only for plugins without
   * NormalizeScore; never consulted when scores are being explained.
   */
  scoresNothing?(state: CycleState, pod: PodInfo): boolean;
  /**
   * ksim fast path: NormalizeScore maps equal non-negative raw scores on every
   * node to one valid score (DefaultNormalizeScore does), so when they are
   * equal the plugin adds the same amount to every node and cannot change
   * which node wins; the framework may then leave it out of the sums.
   */
  readonly normalizesEqualToEqual?: boolean;
  /**
   * ksim fast path: Score for every node of `nodes` into `out`, the same
   * values Score gives, or the Status of the first node (in order) whose
   * Score fails. `slots` are the nodes' slots in the scheduler cache's table
   * (framework/resourceTable.ts) when the caller knows them, else null.
   */
  scoreAll?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], slots: Int32Array | null, out: Float64Array): Status | null;
  /**
   * ksim fast path: NormalizeScore on the first `n` raw scores of `scores`
   * (in node order, as scoreAll wrote them), in place, with the same values
   * normalizeScore gives. False, with nothing changed, when it needs the
   * nodes' names (the framework then calls normalizeScore with the list).
   */
  normalizeAll?(state: CycleState, pod: PodInfo, scores: Float64Array, n: number): boolean | Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Result;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Wait status with a timeout holds the pod at Permit until allowed, rejected or timed out. */
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Result; timeout: Time };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Result;
}

export interface BindPlugin extends Plugin {
  /** Skip lets the next bind plugin try. */
  bind(state: CycleState, pod: PodInfo, nodeName: string): Result;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Cluster events that can make a pod schedulable again (upstream framework.ClusterEvent). */
export type EventResource =
  | 'Pod'
  | 'AssignedPod'
  | 'UnscheduledPod'
  | 'Node'
  | 'PersistentVolume'
  | 'PersistentVolumeClaim'
  | 'StorageClass'
  | 'CSINode'
  | 'Namespace'
  | 'PodDisruptionBudget'
  | '*';

/** Bit flags, upstream framework.ActionType. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  UpdatePodScaleDown: 256,
  UpdatePodTolerations: 512,
  UpdatePodSchedulingGatesEliminated: 1024,
  /** Any other update. */
  Update: 2048,
  All: 4095,
} as const;

export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
}

export type QueueingHint = 'Queue' | 'QueueSkip';

export type QueueingHintFn = (pod: Stored<Pod & KObject>, oldObj: Stored | undefined, newObj: Stored | undefined) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** Absent means always Queue. */
  hint?: QueueingHintFn;
}

/** Plugins that declare which cluster events may make a pod they rejected schedulable. */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

/** How a plugin is built from its args (as in the KubeSchedulerConfiguration) and the handle. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** Extension point names as they appear in KubeSchedulerConfiguration's `plugins`. */
export type ExtensionPoint =
  | 'preEnqueue'
  | 'queueSort'
  | 'preFilter'
  | 'filter'
  | 'postFilter'
  | 'preScore'
  | 'score'
  | 'reserve'
  | 'permit'
  | 'preBind'
  | 'bind'
  | 'postBind'
  | 'multiPoint';
