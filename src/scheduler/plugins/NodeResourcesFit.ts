/**
 * NodeResourcesFit, following kube-scheduler
 * pkg/scheduler/framework/plugins/noderesources/fit.go:
 *
 *   - PreFilter records the pod's effective requests (containers summed,
 *     init containers and sidecars as component-helpers' PodRequests, plus
 *     overhead);
 *   - Filter rejects a node when one more pod exceeds its allocatable pod
 *     count ("Too many pods"), or when a requested (non-zero) resource exceeds
 *     allocatable minus what the node's pods already request ("Insufficient
 *     <resource>"). Every failing reason is reported, in the order pods, cpu,
 *     memory, ephemeral-storage, then scalar resources. Extended resources in
 *     ignoredResources / ignoredResourceGroups are not checked. The status is
 *     Unschedulable (preemption may help), except since v1.34 (PR 131345, no
 *     gate) when a request exceeds the node's whole allocatable, which no
 *     eviction can fix: UnschedulableAndUnresolvable, with the same reasons;
 *   - Score uses the configured strategy (LeastAllocated by default,
 *     MostAllocated, RequestedToCapacityRatio) over the configured resources
 *     with the "non-zero" cpu/memory requests.
 *
 * Upstream iterates the pod's scalar resources in Go map order (random); we
 * check them in name order so the reasons are deterministic.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ActionType, Code, Status, PreFilterNone } from '../framework/types.ts';
import type { NodeResourceTable } from '../framework/resourceTable.ts';
import type {
  ClusterEventWithHint,
  CycleState,
  EnqueueExtensions,
  FilterPlugin,
  NodeInfo,
  PluginFactory,
  PodInfo,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueueingHint,
  Resource,
  Result,
  ScorePlugin,
} from '../framework/types.ts';
import { emptyResource } from '../framework/types.ts';
import type { Stored } from '../../sim/types.ts';
import { podRequests } from '../../api/resources.ts';
import { resourceFromList, resourceFromQuantities } from '../framework/resource.ts';
import { parseNodeResourcesFitArgs, type NodeResourcesFitArgs } from './noderesources/args.ts';
import { ResourceAllocationScorer, type RequestsState } from './noderesources/resourceAllocation.ts';
import { leastResourceScorer, mostResourceScorer, requestedToCapacityRatioScorer } from './noderesources/scorers.ts';
import { isExtendedResourceName } from './noderesources/resourceNames.ts';
import { StateSlot } from '../framework/cycleState.ts';

export const name = 'NodeResourcesFit';

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;

export const ReasonTooManyPods = 'Too many pods';

/** InsufficientResource: what was short on the node, for callers that want more than the reason. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

interface ScalarRequest {
  name: string;
  quantity: number;
  reason: string;
}

/** What Filter needs, computed once per pod: non-zero requests only, reasons preformatted. */
export interface PodFitRequest {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Scalar resources with a non-zero request, not ignored, sorted by name. */
  scalars: ScalarRequest[];
  /** True when the pod requests nothing at all (only the pod count is checked). */
  empty: boolean;
}

/**
 * Build the request Filter checks. `ignored(name)` says whether an extended
 * resource is ignored by the plugin args.
 */
export function computeFitRequest(requests: Resource, ignored: (name: string) => boolean): PodFitRequest {
  const scalars: ScalarRequest[] = [];
  for (const [rName, q] of requests.scalar) {
    // A zero request never fails, whatever the node has (upstream skips it).
    if (q === 0) continue;
    if (isExtendedResourceName(rName) && ignored(rName)) continue;
    scalars.push({ name: rName, quantity: q, reason: `Insufficient ${rName}` });
  }
  scalars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    milliCPU: requests.milliCPU,
    memory: requests.memory,
    ephemeralStorage: requests.ephemeralStorage,
    scalars,
    empty: requests.milliCPU === 0 && requests.memory === 0 && requests.ephemeralStorage === 0 && requests.scalar.size === 0,
  };
}

/**
 * fitsRequest: every resource the pod is short of on this node, in upstream's
 * order. Returns null when it fits (so the common case allocates nothing).
 */
export function fitsRequest(req: PodFitRequest, podCount: number, allocatable: Resource, requested: Resource): InsufficientResource[] | null {
  let out: InsufficientResource[] | null = null;
  const add = (r: InsufficientResource): void => {
    (out ??= []).push(r);
  };
  if (podCount + 1 > allocatable.allowedPodNumber) {
    add({ resourceName: 'pods', reason: ReasonTooManyPods, requested: 1, used: podCount, capacity: allocatable.allowedPodNumber });
  }
  if (req.empty) return out;
  if (req.milliCPU > 0 && req.milliCPU > allocatable.milliCPU - requested.milliCPU) {
    add({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: requested.milliCPU, capacity: allocatable.milliCPU });
  }
  if (req.memory > 0 && req.memory > allocatable.memory - requested.memory) {
    add({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: requested.memory, capacity: allocatable.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) {
    add({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: requested.ephemeralStorage,
      capacity: allocatable.ephemeralStorage,
    });
  }
  for (let i = 0; i < req.scalars.length; i++) {
    const s = req.scalars[i]!;
    const alloc = allocatable.scalar.get(s.name) ?? 0;
    const used = requested.scalar.get(s.name) ?? 0;
    if (s.quantity > alloc - used) add({ resourceName: s.name, reason: s.reason, requested: s.quantity, used, capacity: alloc });
  }
  return out;
}

/** Fast variant of fitsRequest for Filter: the reasons only, null when the pod fits. */
export function insufficientReasons(req: PodFitRequest, nodeInfo: NodeInfo): string[] | null {
  const allocatable = nodeInfo.allocatable;
  const requested = nodeInfo.requested;
  let out: string[] | null = null;
  if (nodeInfo.pods.length + 1 > allocatable.allowedPodNumber) (out ??= []).push(ReasonTooManyPods);
  if (req.empty) return out;
  if (req.milliCPU > 0 && req.milliCPU > allocatable.milliCPU - requested.milliCPU) (out ??= []).push('Insufficient cpu');
  if (req.memory > 0 && req.memory > allocatable.memory - requested.memory) (out ??= []).push('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) {
    (out ??= []).push('Insufficient ephemeral-storage');
  }
  for (let i = 0; i < req.scalars.length; i++) {
    const s = req.scalars[i]!;
    if (s.quantity > (allocatable.scalar.get(s.name) ?? 0) - (requested.scalar.get(s.name) ?? 0)) (out ??= []).push(s.reason);
  }
  return out;
}

interface PreFilterState {
  request: PodFitRequest;
  /** v1.34+: a request larger than a node's whole allocatable makes the rejection unresolvable. */
  unresolvableBeyondAllocatable: boolean;
  /** Filter's rejections of this cycle by reason set (see rejection()). */
  rejections?: Map<number, Status>;
  clone(): PreFilterState;
}

/**
 * Filter's rejections, shared by every node short of the same resources
 * (perf: a full cluster allocated a Status per node, every cycle): the same
 * reasons in the same order as insufficientReasons, as a frozen Status per
 * reason set. The framework only ever tags them with this plugin's name; the
 * frozen reasons make any other change fail loudly. Sets without extended
 * resources are shared across cycles; the others live in the cycle's state.
 */
const fixedRejections: Array<Status | undefined> = [];
const fixedUnresolvable: Array<Status | undefined> = [];
const MaskPods = 1;
const MaskCPU = 2;
const MaskMemory = 4;
const MaskEphemeral = 8;
/** Extended resources beyond this many take the allocating path. */
const MaxMaskedScalars = 24;

function rejectionMask(req: PodFitRequest, nodeInfo: NodeInfo): number {
  const allocatable = nodeInfo.allocatable;
  const requested = nodeInfo.requested;
  let mask = 0;
  if (nodeInfo.pods.length + 1 > allocatable.allowedPodNumber) mask |= MaskPods;
  if (req.empty) return mask;
  if (req.milliCPU > 0 && req.milliCPU > allocatable.milliCPU - requested.milliCPU) mask |= MaskCPU;
  if (req.memory > 0 && req.memory > allocatable.memory - requested.memory) mask |= MaskMemory;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) mask |= MaskEphemeral;
  for (let i = 0; i < req.scalars.length; i++) {
    const sc = req.scalars[i]!;
    if (sc.quantity > (allocatable.scalar.get(sc.name) ?? 0) - (requested.scalar.get(sc.name) ?? 0)) mask |= 16 << i;
  }
  return mask;
}

function reasonsOfMask(req: PodFitRequest, mask: number): string[] {
  const out: string[] = [];
  if (mask & MaskPods) out.push(ReasonTooManyPods);
  if (mask & MaskCPU) out.push('Insufficient cpu');
  if (mask & MaskMemory) out.push('Insufficient memory');
  if (mask & MaskEphemeral) out.push('Insufficient ephemeral-storage');
  for (let i = 0; i < req.scalars.length; i++) if (mask & (16 << i)) out.push(req.scalars[i]!.reason);
  return out;
}

/** Whether some request exceeds the node's whole allocatable: even an empty node could not hold the pod. */
export function exceedsAllocatable(req: PodFitRequest, allocatable: NodeInfo['allocatable']): boolean {
  if (req.milliCPU > allocatable.milliCPU || req.memory > allocatable.memory || req.ephemeralStorage > allocatable.ephemeralStorage) return true;
  for (let i = 0; i < req.scalars.length; i++) {
    const sc = req.scalars[i]!;
    if (sc.quantity > (allocatable.scalar.get(sc.name) ?? 0)) return true;
  }
  return false;
}

/**
 * rejectionMask over the cache's compact resource columns (resourceTable.ts),
 * for pods without extended resources: the same comparisons on the same
 * numbers, read from a few dense arrays instead of three objects per node.
 */
function tableRejectionMask(req: PodFitRequest, t: NodeResourceTable, k: number): number {
  let mask = 0;
  if (t.podCount[k]! + 1 > t.allowedPods[k]!) mask |= MaskPods;
  if (req.empty) return mask;
  if (req.milliCPU > 0 && req.milliCPU > t.allocCPU[k]! - t.reqCPU[k]!) mask |= MaskCPU;
  if (req.memory > 0 && req.memory > t.allocMemory[k]! - t.reqMemory[k]!) mask |= MaskMemory;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > t.allocEphemeral[k]! - t.reqEphemeral[k]!) mask |= MaskEphemeral;
  return mask;
}

function rejection(s: PreFilterState, nodeInfo: NodeInfo, fastPath: boolean): Status | null {
  const req = s.request;
  if (req.scalars.length > MaxMaskedScalars) {
    const reasons = insufficientReasons(req, nodeInfo);
    if (reasons === null) return null;
    return new Status(s.unresolvableBeyondAllocatable && exceedsAllocatable(req, nodeInfo.allocatable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, reasons);
  }
  const table = fastPath && req.scalars.length === 0 ? nodeInfo.resourceTable : null;
  const mask = table ? tableRejectionMask(req, table, nodeInfo.resourceSlot!) : rejectionMask(req, nodeInfo);
  if (mask === 0) return null;
  // Only a resource that is short can exceed the whole allocatable, so the reasons stay those of the mask.
  const unresolvable = s.unresolvableBeyondAllocatable && mask !== MaskPods && exceedsAllocatable(req, nodeInfo.allocatable);
  const code = unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
  if (mask < 16) {
    const cache = unresolvable ? fixedUnresolvable : fixedRejections;
    return (cache[mask] ??= new Status(code, Object.freeze(reasonsOfMask(req, mask)) as string[]));
  }
  const m = (s.rejections ??= new Map());
  const key = unresolvable ? -mask : mask;
  let st = m.get(key);
  if (!st) m.set(key, (st = new Status(code, Object.freeze(reasonsOfMask(req, mask)) as string[])));
  return st;
}

function sameState<T>(this: T): T {
  return this;
}

function buildScorer(args: NodeResourcesFitArgs, fastPath: boolean): ResourceAllocationScorer {
  const s = args.scoringStrategy;
  switch (s.type) {
    case 'MostAllocated':
      return new ResourceAllocationScorer(s.type, s.resources, mostResourceScorer(s.resources), false, fastPath);
    case 'RequestedToCapacityRatio':
      return new ResourceAllocationScorer(
        s.type,
        s.resources,
        requestedToCapacityRatioScorer(s.resources, s.requestedToCapacityRatio?.shape ?? []),
        false,
        fastPath,
      );
    default:
      return new ResourceAllocationScorer(s.type, s.resources, leastResourceScorer(s.resources), false, fastPath);
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);
  private readonly preScoreSlot = new StateSlot<RequestsState>(preScoreStateKey);
  private readonly ignoredResources: Set<string>;
  private readonly ignoredResourceGroups: Set<string>;
  private readonly scorer: ResourceAllocationScorer;
  private readonly isIgnored = (rName: string): boolean => {
    if (this.ignoredResources.has(rName)) return true;
    if (this.ignoredResourceGroups.size === 0) return false;
    // API validation guarantees an extended resource name has a '/'.
    return this.ignoredResourceGroups.has(rName.split('/')[0]!);
  };

  constructor(
    readonly args: NodeResourcesFitArgs,
    /** Emulated release >= 1.34: requests beyond a node's allocatable are UnschedulableAndUnresolvable. */
    private readonly unresolvableBeyondAllocatable = true,
    /** SchedulerOptions.fastPath: Filter reads the cache's compact resource columns when the node has them. */
    private readonly fastPath = true,
  ) {
    this.ignoredResources = new Set(args.ignoredResources);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups);
    this.scorer = buildScorer(args, fastPath);
  }

  preFilter(state: CycleState, pod: PodInfo): { result: PreFilterResult | null; status: Result } {
    const s: PreFilterState = { request: computeFitRequest(pod.requests, this.isIgnored), unresolvableBeyondAllocatable: this.unresolvableBeyondAllocatable, clone: sameState };
    state.write(preFilterStateKey, s);
    return PreFilterNone;
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result {
    const s = this.preFilterSlot.read(state);
    if (!s) return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    return rejection(s, nodeInfo, this.fastPath);
  }

  /** The full InsufficientResource list for a pod on a node (as upstream's exported Fits). */
  insufficientResources(pod: PodInfo, nodeInfo: NodeInfo): InsufficientResource[] {
    return fitsRequest(computeFitRequest(pod.requests, this.isIgnored), nodeInfo.pods.length, nodeInfo.allocatable, nodeInfo.requested) ?? [];
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    state.write(preScoreStateKey, this.scorer.preScoreState(pod));
    return null;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status {
    // Without PreScore (disabled), compute the requests here as upstream does.
    const s = this.preScoreSlot.read(state);
    return this.scorer.score(nodeInfo, s ? s.podRequests : this.scorer.podRequests(pod));
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // InPlacePodVerticalScaling is off in v1.31, so only pod deletion frees
    // resources; with queueing hints off upstream also registers
    // UpdateNodeTaint | UpdateNodeLabel (kubernetes#109437).
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: isSchedulableAfterPodChange },
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel,
        },
        hint: isSchedulableAfterNodeChange,
      },
    ];
  }
}

/** A deleted pod frees resources only if it was assigned to a node. */
export function isSchedulableAfterPodChange(_pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  if (newObj === undefined) {
    const deleted = oldObj as Pod | undefined;
    if (!deleted) return 'Queue';
    return deleted.spec?.nodeName ? 'Queue' : 'QueueSkip';
  }
  // Any update: in-place resize is disabled in v1.31, so it cannot free resources.
  return 'QueueSkip';
}

/** isFit: would the pod fit the (modified) node if it were empty? */
export function isSchedulableAfterNodeChange(pod: Stored, _oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  const node = newObj as Node | undefined;
  if (!node) return 'Queue';
  const requests = resourceFromQuantities(podRequests(pod as unknown as Pod));
  const allocatable = resourceFromList(node.status?.allocatable);
  const fits = fitsRequest(computeFitRequest(requests, () => false), 0, allocatable, emptyResource()) === null;
  return fits ? 'Queue' : 'QueueSkip';
}

export const factory: PluginFactory = (args, handle) =>
  new NodeResourcesFit(parseNodeResourcesFitArgs(args), handle?.featureGates.atLeast('1.34') ?? true, handle?.fastPath ?? true);
