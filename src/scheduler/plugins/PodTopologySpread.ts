/**
 * PodTopologySpread, following kube-scheduler v1.35
 * (v1.34's MatchLabelKeysInPodTopologySpreadSelectorMerge, where the API server
 * merges matchLabelKeys into labelSelector at pod creation, is not modelled:
 * ksim merges them here, which places pods alike unless their labels change)
 * pkg/scheduler/framework/plugins/podtopologyspread (plugin.go, common.go,
 * filtering.go, scoring.go).
 *
 * - PreFilter counts, per DoNotSchedule constraint and topology value, the
 *   pods matching the constraint's selector on nodes that carry every
 *   topology key and pass the constraint's node inclusion policies; it keeps
 *   the two "critical paths" (lowest counts) per constraint exactly as
 *   upstream, so preemption's AddPod/RemovePod updates behave the same.
 * - Filter: matchNum + selfMatch - globalMin > maxSkew rejects
 *   (Unschedulable); a node lacking a topology key is
 *   UnschedulableAndUnresolvable. Fewer domains than minDomains => global
 *   minimum 0.
 * - PreScore/Score for ScheduleAnyway constraints: per-domain counts weighted
 *   by log(domains + 2), plus maxSkew - 1; NormalizeScore reverses min-max.
 * - Pods without constraints get the default constraints (System: hostname
 *   maxSkew 3 + zone maxSkew 5, ScheduleAnyway) with the selector deduced
 *   from Services / RC / RS / StatefulSets (helper.DefaultSelector).
 */
import type { KeyedMatcher } from './helper/labelMatch.ts';
import { labelsEqual } from '../../api/labels.ts';
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import {
  ActionType,
  MaxNodeScore,
  Code,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueingHint,
  type Result,
  type ScorePlugin,
  type StateData,
  type PluginFactory,
  PreFilterSkip,
  SkipStatus,
  PreFilterNone,
} from '../framework/types.ts';
import { getRequiredNodeAffinity } from './helper/nodeAffinity.ts';
import { defaultSelector } from './helper/spread.ts';
import {
  LabelHostname,
  LabelTopologyZone,
  countPodsMatchSelector,
  countPodsMatchSelectorOn,
  filterTopologySpreadConstraints,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConstraint,
} from './podtopologyspread/common.ts';
import { podTopologySpreadArgs, type PodTopologySpreadArgs } from './podtopologyspread/args.ts';
import { DomainCounter, DomainCounterCache, OverlayCounts } from './podtopologyspread/domainCounts.ts';
import { StateSlot } from '../framework/cycleState.ts';
import { LruCache } from './helper/lruCache.ts';
import { NodeLabelColumns, type NodeLabelColumn } from '../framework/nodeLabelColumn.ts';

export const name = 'PodTopologySpread';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + ' (missing required label)';

/** upstream systemDefaultConstraints (unchanged v1.31-v1.35). */
export const systemDefaultConstraints: readonly TopologySpreadConstraint[] = [
  { topologyKey: LabelHostname, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LabelTopologyZone, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;
const MaxInt32 = 2147483647;

/**
 * upstream criticalPaths: the two lowest-count domains, where [0] always
 * holds the minimum and [1] is >= [0] but not necessarily the second minimum.
 */
export class CriticalPaths {
  v0 = '';
  n0 = MaxInt32;
  v1 = '';
  n1 = MaxInt32;
  update(tpVal: string, num: number): void {
    let i = -1;
    if (tpVal === this.v0) i = 0;
    else if (tpVal === this.v1) i = 1;
    if (i >= 0) {
      if (i === 0) this.n0 = num;
      else this.n1 = num;
      if (this.n0 > this.n1) {
        const v = this.v0;
        const n = this.n0;
        this.v0 = this.v1;
        this.n0 = this.n1;
        this.v1 = v;
        this.n1 = n;
      }
    } else if (num < this.n0) {
      this.v1 = this.v0;
      this.n1 = this.n0;
      this.v0 = tpVal;
      this.n0 = num;
    } else if (num < this.n1) {
      this.v1 = tpVal;
      this.n1 = num;
    }
  }
  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.v0 = this.v0;
    c.n0 = this.n0;
    c.v1 = this.v1;
    c.n1 = this.n1;
    return c;
  }
}

/** upstream preFilterState: per constraint index, counts by topology value and the critical paths. */
export class PreFilterState implements StateData {
  constructor(
    readonly constraints: SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    readonly tpValueToMatchNum: OverlayCounts[],
  ) {}
  /** Per constraint, 1 when the pod matches its own selector; cached for `selfMatchLabels` (Filter runs once per node). */
  private selfMatch: number[] = [];
  private selfMatchLabels: Readonly<Record<string, string>> | undefined | null = null;
  selfMatchNum(i: number, podLabels: Readonly<Record<string, string>> | undefined): number {
    if (this.selfMatchLabels !== podLabels) this.computeSelfMatch(podLabels);
    return this.selfMatch[i]!;
  }
  /** selfMatchNum's recomputation, apart: a closure over podLabels in selfMatchNum made V8 allocate a context on every call (per node and constraint). */
  private computeSelfMatch(podLabels: Readonly<Record<string, string>> | undefined): void {
    this.selfMatch = this.constraints.map((c) => (c.selector.matches(podLabels) ? 1 : 0));
    this.selfMatchLabels = podLabels;
  }
  /** Global minimum for skew, 0 when there are fewer eligible domains than minDomains. */
  minMatchNum(i: number, minDomains: number): number {
    if (this.tpValueToMatchNum[i]!.size < minDomains) return 0;
    return this.criticalPaths[i]!.n0;
  }
  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => m.clone()),
    );
  }
}

/**
 * calPreFilterState's answer for a pod with no hard constraints, shared: such
 * a state is never written to a CycleState (PreFilter answers Skip), so it is
 * never read or changed (perf: three arrays and a state per cycle of every
 * pod without constraints).
 */
const NO_PREFILTER_CONSTRAINTS = new PreFilterState([], [], []);

/** upstream preScoreState. Cloning shares it, as upstream (scores are not re-run by preemption). */
export class PreScoreState implements StateData {
  constraints: SpreadConstraint[] = [];
  ignoredNodes = new Set<string>();
  /** Per constraint: counts by topology value, only for values of filtered nodes (hostname counted at Score). */
  topologyValueToPodCounts: Map<string, number>[] = [];
  topologyNormalizingWeight: number[] = [];
  /** Per constraint: the hostname count column (fast path; undefined for other keys or with fastPath off). */
  hostCounts: Array<HostCountColumn | undefined> = [];
  /** Per constraint: the nodes' values of its topology key (fast path; empty with fastPath off). */
  labelColumns: NodeLabelColumn[] = [];
  /** Per non-hostname constraint: whether some filtered node has its topology key (else Score adds nothing for it). */
  keyOnSomeNode: boolean[] = [];
  /**
   * Per zone-like constraint, the filtered nodes' value ids in list order, as
   * PreScore read them (fast path): Score reads them back instead of checking
   * each node's column entry again, for the very list PreScore saw (idsFor).
   */
  valueIds: Array<Int32Array | undefined> = [];
  idsFor: readonly NodeInfo[] | null = null;
  idsLength = -1;
  clone(): PreScoreState {
    return this;
  }
}

/**
 * Matching pods per node for one (namespace, selector), by the cache's node
 * slot, each valid while the node's NodeInfo generation is unchanged (fast
 * path: hostname spreading counts the pods of every scored node, every cycle,
 * though only the node that took the last pod has changed).
 */
class HostCountColumn {
  generation = new Float64Array(0);
  count = new Float64Array(0);
  /** Per slot: the node's count when it has the hostname label, else -1 (hostname spreading skips it). */
  scored = new Float64Array(0);
  /** Per slot: the label index's stamp of the selector's first required pair when counted (-1: none). */
  stamps = new Float64Array(0);
  constructor(
    private readonly selector: KeyedMatcher,
    private readonly namespace: string,
  ) {}
  get(nodeInfo: NodeInfo): number {
    const slot = nodeInfo.resourceSlot ?? -1;
    if (slot < 0) return countPodsMatchSelector(nodeInfo.pods, this.selector, this.namespace);
    if (slot < this.generation.length && this.generation[slot] === nodeInfo.generation) return this.count[slot]!;
    return this.refresh(slot, nodeInfo);
  }
  /** Recount a node of the cache's table (a slot) for its current generation. */
  refresh(slot: number, nodeInfo: NodeInfo): number {
    if (slot >= this.generation.length) this.grow(slot + 1);
    // The pods carrying the selector's first required pair were neither filed on nor taken
    // off this slot since it was counted (PodLabelIndex.stampOn): the count is the same.
    const pair = this.selector.requiredPairs?.[0];
    const table = nodeInfo.resourceTable;
    const stamp = pair !== undefined && table != null ? table.podLabels.stampOn(this.namespace, pair[0], pair[1], slot) : -1;
    const n = stamp >= 0 && this.generation[slot] !== -1 && this.stamps[slot] === stamp ? this.count[slot]! : countPodsMatchSelectorOn(nodeInfo, this.selector, this.namespace);
    this.stamps[slot] = stamp;
    this.generation[slot] = nodeInfo.generation;
    this.count[slot] = n;
    this.scored[slot] = nodeInfo.node.metadata.labels?.[LabelHostname] !== undefined ? n : -1;
    return n;
  }
  private grow(min: number): void {
    const size = Math.max(min, this.generation.length * 2, 64);
    const g = new Float64Array(size).fill(-1);
    g.set(this.generation);
    const c = new Float64Array(size);
    c.set(this.count);
    const sc = new Float64Array(size);
    sc.set(this.scored);
    const st = new Float64Array(size).fill(-1);
    st.set(this.stamps);
    this.generation = g;
    this.count = c;
    this.scored = sc;
    this.stamps = st;
  }
}

/**
 * Filter's rejections, shared by every rejected node (perf: spreading over
 * few domains rejects most nodes, every cycle). The framework only ever tags
 * them with this plugin's name; the frozen reasons make any other change
 * fail loudly.
 */
const rejectedNodeLabel = new Status(Code.UnschedulableAndUnresolvable, Object.freeze([ErrReasonNodeLabelNotMatch]) as string[]);
const rejectedConstraints = new Status(Code.Unschedulable, Object.freeze([ErrReasonConstraintsNotMatch]) as string[]);

function errorStatus(e: unknown): Status {
  return Status.error(e instanceof Error ? e.message : String(e));
}

function notFound(key: string): Status {
  return Status.error(`reading "${key}" from cycleState: not found`);
}

/** upstream topologyNormalizingWeight: log(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** upstream scoreForCount: cnt * weight + (maxSkew - 1). */
export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/**
 * upstream NormalizeScore: the lowest raw score becomes MaxNodeScore, the
 * rest fall linearly with their distance from it (integer division); ignored
 * nodes (missing a required topology key) score 0, all nodes MaxNodeScore
 * when every raw score is 0.
 */
function normalizeSpreadScores(scores: { [i: number]: number }, n: number, ignored: ((i: number) => boolean) | null): void {
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  for (let i = 0; i < n; i++) {
    if (ignored !== null && ignored(i)) continue;
    const sc = scores[i]!;
    if (sc < minScore) minScore = sc;
    if (sc > maxScore) maxScore = sc;
  }
  for (let i = 0; i < n; i++) {
    if (ignored !== null && ignored(i)) scores[i] = 0;
    else if (maxScore === 0) scores[i] = MaxNodeScore;
    // Integer division as Go's int64 arithmetic.
    else scores[i] = Math.trunc((MaxNodeScore * (maxScore + minScore - scores[i]!)) / maxScore);
  }
}

/**
 * scoreAll's terms of a hostname constraint (fast path): one column per node
 * slot gives the node's matching pods, or -1 when the node has no hostname
 * label (score() skips the constraint there); a node changed since its count
 * is counted again.
 */
function hostnameScores(col: HostCountColumn, nodes: readonly NodeInfo[], slots: Int32Array, gen: Float64Array, n: number, maxSkew: number, weight: number, out: Float64Array): void {
  let cg = col.generation;
  let sc = col.scored;
  for (let i = 0; i < n; i++) {
    const slot = slots[i]!;
    const g = gen[slot]!;
    if (!(slot < cg.length && cg[slot] === g)) {
      col.refresh(slot, nodes[i]!);
      cg = col.generation;
      sc = col.scored;
    }
    const cnt = sc[slot]!;
    if (cnt < 0) continue;
    out[i] = out[i]! + scoreForCount(cnt, maxSkew, weight);
  }
}

/**
 * Scratch for the fast path's loops over label-value ids (cycles never nest):
 * a stamp per id met in the current pass, and sums by id.
 */
let seenStamps = new Int32Array(64);
let seenStamp = 0;
function nextSeenStamp(): number {
  if (seenStamp === 0x7fffffff) {
    seenStamps.fill(0);
    seenStamp = 0;
  }
  return ++seenStamp;
}
function growSeenStamps(min: number): void {
  const grown = new Int32Array(Math.max(min, seenStamps.length * 2));
  grown.set(seenStamps);
  seenStamps = grown;
}
/** Per constraint position, a value-id buffer reused by every cycle (PreScore writes it, Score of the same cycle reads it). */
const valueIdBuffers: Int32Array[] = [];
function scratchValueIds(k: number, n: number): Int32Array {
  let b = valueIdBuffers[k];
  if (b === undefined || b.length < n) valueIdBuffers[k] = b = new Int32Array(Math.max(n, 128, (b?.length ?? 0) * 2));
  return b;
}
let countsById = new Float64Array(64);
/** Sums by id for ids 0 .. n-1, all 0. */
function scratchCounts(n: number): Float64Array {
  if (countsById.length < n) countsById = new Float64Array(Math.max(n, countsById.length * 2));
  countsById.fill(0, 0, n);
  return countsById;
}

/** Go's math.Round: halves away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = name;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);
  private readonly preScoreSlot = new StateSlot<PreScoreState>(preScoreStateKey);
  readonly systemDefaulted: boolean;
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
  /**
   * Per-domain sums by (selector, namespace, constraint, ...). Each default
   * spreading selector is a workload's, so the cache holds as many as a large
   * cluster has workloads in flight at once (a 150k-pod cluster of 300
   * Deployments recounted all 5,000 nodes per pod with room for 32); an entry
   * costs a few numbers per node.
   */
  private readonly counters = new DomainCounterCache(1024);
  /**
   * Score's per-node hostname counts by (namespace, selector), valid while the
   * NodeInfo's generation is unchanged (fast path). Consecutive pods of one
   * workload share a selector and a binding changes one node, so a cycle
   * recounts only the nodes that changed instead of every pod on every node.
   */
  /** Hostname counts by namespace and selector (fast path), the most recently used kept. */
  private readonly hostCountColumns = new LruCache<HostCountColumn>(1024);
  /** Nodes' topology label values (fast path). */
  private readonly labelColumns = new NodeLabelColumns();

  constructor(
    args: PodTopologySpreadArgs,
    private readonly handle: Handle,
  ) {
    this.systemDefaulted = args.defaultingType === 'System';
    this.defaultConstraints = this.systemDefaulted ? systemDefaultConstraints : args.defaultConstraints;
    this.hasDefaultDoNotSchedule = this.defaultConstraints.some((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    this.hasDefaultScheduleAnyway = this.defaultConstraints.some((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
  }

  /** Whether any default constraint has this action (the default constraints never change). */
  private readonly hasDefaultDoNotSchedule: boolean;
  private readonly hasDefaultScheduleAnyway: boolean;

  /** The kept counter for these sums (fast path), or with fastPath off a fresh one: a full count, the reference the equivalence test compares with. */
  private counter(key: string, make: () => DomainCounter): DomainCounter {
    return this.handle.fastPath === false ? make() : this.counters.get(key, make);
  }

  /** upstream buildDefaultConstraints. */
  buildDefaultConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
    // The same result as filtering first (upstream's order): default constraints carry no
    // label selector, so the filter cannot fail, and with no constraint of this action or
    // an empty default selector the answer is none either way. Checking those first spares
    // building two constraints per cycle for every pod no workload selects (bare pods, Jobs').
    if (!(action === 'DoNotSchedule' ? this.hasDefaultDoNotSchedule : this.hasDefaultScheduleAnyway)) return [];
    const selector = defaultSelector(pod, this.handle.store());
    if (selector.empty) return [];
    const constraints = filterTopologySpreadConstraints(this.defaultConstraints, pod.metadata?.labels, action);
    for (const c of constraints) c.selector = selector;
    return constraints;
  }

  /** upstream getConstraints (hard constraints, for PreFilter and queueing hints). Throws on a bad selector. */
  getConstraints(pod: Pod): SpreadConstraint[] {
    if ((pod.spec?.topologySpreadConstraints?.length ?? 0) > 0) {
      try {
        return filterTopologySpreadConstraints(pod.spec!.topologySpreadConstraints!, pod.metadata?.labels, 'DoNotSchedule');
      } catch (e) {
        throw new Error(`obtaining pod's hard topology spread constraints: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    try {
      return this.buildDefaultConstraints(pod, 'DoNotSchedule');
    } catch (e) {
      throw new Error(`setting default hard topology spread constraints: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ---- PreFilter / Filter -------------------------------------------------

  calPreFilterState(pod: Pod, allNodes: readonly NodeInfo[]): PreFilterState {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch (e) {
      throw new Error(`get constraints from pod: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (constraints.length === 0) return NO_PREFILTER_CONSTRAINTS;
    const ns = pod.metadata?.namespace ?? '';
    const required = getRequiredNodeAffinity(pod);
    const maps = constraints.map((c) => {
      // Eligible nodes carry every topology key and pass this constraint's inclusion policies.
      const domainOf = (ni: NodeInfo): string | undefined => {
        const labels = ni.node.metadata.labels;
        if (!nodeLabelsMatchSpreadConstraints(labels, constraints)) return undefined;
        if (!matchNodeInclusionPolicies(c, pod, ni.node, required)) return undefined;
        return labels![c.topologyKey];
      };
      const key = counterKey('pf', pod, ns, c, constraints.map((x) => x.topologyKey).join('\u0001'));
      return new OverlayCounts(this.counter(key, () => new DomainCounter(domainOf, c.selector, ns, this.handle.fastPath !== false)).sync(allNodes));
    });
    const paths = constraints.map((_, i) => {
      const p = new CriticalPaths();
      for (const [v, n] of maps[i]!) p.update(v, n);
      return p;
    });
    return new PreFilterState(constraints, paths, maps);
  }

  preFilter(state: CycleState, podInfo: PodInfo, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Result } {
    let s: PreFilterState;
    try {
      s = this.calPreFilterState(podInfo.pod, nodes);
    } catch (e) {
      return { result: null, status: errorStatus(e) };
    }
    if (s.constraints.length === 0) return PreFilterSkip;
    state.write(preFilterStateKey, s);
    return PreFilterNone;
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, podToSchedule: PodInfo, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Result {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return notFound(preFilterStateKey);
    this.updateWithPod(s, podInfoToAdd.pod, podToSchedule.pod, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, podToSchedule: PodInfo, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Result {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return notFound(preFilterStateKey);
    this.updateWithPod(s, podInfoToRemove.pod, podToSchedule.pod, nodeInfo.node, -1);
    return null;
  }

  /** upstream updateWithPod. */
  private updateWithPod(s: PreFilterState, updatedPod: Pod, preemptorPod: Pod, node: Node, delta: number): void {
    if ((updatedPod.metadata?.namespace ?? '') !== (preemptorPod.metadata?.namespace ?? '')) return;
    const labels = node.metadata?.labels;
    if (!nodeLabelsMatchSpreadConstraints(labels, s.constraints)) return;
    const required = getRequiredNodeAffinity(preemptorPod);
    const podLabels = updatedPod.metadata?.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      if (!c.selector.matches(podLabels)) continue;
      if (!matchNodeInclusionPolicies(c, preemptorPod, node, required)) continue;
      const v = labels![c.topologyKey]!;
      const m = s.tpValueToMatchNum[i]!;
      const n = (m.get(v) ?? 0) + delta;
      m.set(v, n);
      s.criticalPaths[i]!.update(v, n);
    }
  }

  filter(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result {
    const s = this.preFilterSlot.read(state);
    if (!s) return notFound(preFilterStateKey);
    // An empty state is legit: it tolerates every pod.
    if (s.constraints.length === 0) return null;
    const labels = nodeInfo.node.metadata.labels;
    const podLabels = podInfo.pod.metadata.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const tpVal = labels?.[c.topologyKey];
      if (tpVal === undefined) return rejectedNodeLabel;
      // 'existing matching num' + 'if self-match (1 or 0)' - 'global minimum' <= 'maxSkew'
      const minMatchNum = s.minMatchNum(i, c.minDomains);
      const selfMatchNum = s.selfMatchNum(i, podLabels);
      const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
      if (matchNum + selfMatchNum - minMatchNum > c.maxSkew) return rejectedConstraints;
    }
    return null;
  }

  // ---- PreScore / Score ---------------------------------------------------

  /** initPreScoreState's constraints (upstream's first step there): the pod's soft ones, or the default ones. Throws on a bad selector. */
  private softConstraints(pod: Pod): SpreadConstraint[] {
    if ((pod.spec?.topologySpreadConstraints?.length ?? 0) > 0) {
      try {
        return filterTopologySpreadConstraints(pod.spec!.topologySpreadConstraints!, pod.metadata?.labels, 'ScheduleAnyway');
      } catch (e) {
        throw new Error(`obtaining pod's soft topology spread constraints: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    try {
      return this.buildDefaultConstraints(pod, 'ScheduleAnyway');
    } catch (e) {
      throw new Error(`setting default soft topology spread constraints: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** upstream initPreScoreState after the constraints (softConstraints, non-empty, already in `s`). */
  private initPreScoreState(s: PreScoreState, pod: Pod, filteredNodes: readonly NodeInfo[], requireAllTopologies: boolean, slots: Int32Array | null): void {
    if (this.handle.fastPath !== false) s.labelColumns = s.constraints.map((c) => this.labelColumns.get(c.topologyKey));
    const columns = s.labelColumns;
    s.topologyValueToPodCounts = s.constraints.map(() => new Map<string, number>());
    const topoSize = s.constraints.map(() => 0);
    // With the nodes' table slots the label columns are read without touching each NodeInfo.
    const gen = columns.length > 0 && slots != null && filteredNodes.length > 0 ? (filteredNodes[0]!.resourceTable?.generation ?? null) : null;
    if (gen !== null && !requireAllTopologies) {
      // No node is ignored: constraint by constraint, each a tight loop over the column
      // (every map still gets its values in node order).
      for (let i = 0; i < s.constraints.length; i++) {
        if (s.constraints[i]!.topologyKey === LabelHostname) continue;
        const col = columns[i]!;
        const m = s.topologyValueToPodCounts[i]!;
        // No node of the cache has the key (a cluster without zones): every node's value is '',
        // as the loop below would find node by node.
        const table = filteredNodes[0]!.resourceTable;
        if (table != null && table.nodeLabelKeys.nodesWith(s.constraints[i]!.topologyKey) === 0) {
          m.set('', 0);
          topoSize[i]!++;
          continue;
        }
        let keyed = false;
        // Values are met by id (the column's), each marked with this pass's stamp:
        // a Map lookup by string per node was most of this loop in zoned clusters.
        const stamp = nextSeenStamp();
        let emptyMet = false;
        const ids = scratchValueIds(i, filteredNodes.length);
        s.valueIds[i] = ids;
        s.idsFor = filteredNodes;
        s.idsLength = filteredNodes.length;
        for (let j = 0; j < filteredNodes.length; j++) {
          const slot = slots![j]!;
          const id = col.idAt(slot, gen[slot]!, filteredNodes[j]!);
          ids[j] = id;
          if (id < 0) {
            // No label: the domain is '' (as upstream's map lookup of a missing label).
            if (emptyMet) continue;
            emptyMet = true;
            if (!m.has('')) {
              m.set('', 0);
              topoSize[i]!++;
            }
            continue;
          }
          keyed = true;
          if (id >= seenStamps.length) growSeenStamps(id + 1);
          if (seenStamps[id] === stamp) continue;
          seenStamps[id] = stamp;
          const value = col.valueOf(id);
          if (!m.has(value)) {
            m.set(value, 0);
            topoSize[i]!++;
          }
        }
        if (keyed) s.keyOnSomeNode[i] = true;
      }
    } else {
      for (let j = 0; j < filteredNodes.length; j++) {
        const nodeInfo = filteredNodes[j]!;
        const node = nodeInfo.node;
        if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.metadata.labels, s.constraints)) {
          // Nodes missing a required topology key are ignored when scoring.
          s.ignoredNodes.add(node.metadata.name ?? '');
          continue;
        }
        for (let i = 0; i < s.constraints.length; i++) {
          const c = s.constraints[i]!;
          // Per-node counts (hostname) are computed at Score.
          if (c.topologyKey === LabelHostname) continue;
          const label = gen !== null ? columns[i]!.getAt(slots![j]!, gen[slots![j]!]!, nodeInfo) : columns.length > 0 ? columns[i]!.get(nodeInfo) : node.metadata.labels?.[c.topologyKey];
          if (label !== undefined) s.keyOnSomeNode[i] = true;
          const value = label ?? '';
          const m = s.topologyValueToPodCounts[i]!;
          if (!m.has(value)) {
            m.set(value, 0);
            topoSize[i]!++;
          }
        }
      }
    }
    s.topologyNormalizingWeight = s.constraints.map((c, i) =>
      topologyNormalizingWeight(c.topologyKey === LabelHostname ? filteredNodes.length - s.ignoredNodes.size : topoSize[i]!),
    );
  }

  preScore(state: CycleState, podInfo: PodInfo, filteredNodes: readonly NodeInfo[], slots: Int32Array | null = null): Result {
    const allNodes = this.handle.snapshot().list();
    if (filteredNodes.length === 0 || allNodes.length === 0) return SkipStatus;
    const pod = podInfo.pod;
    // Only non-system-default spreading requires every topology key on a node,
    // so nodes without a zone label still get hostname spreading.
    const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    // The state is made only for a pod with soft constraints (perf: a state with
    // a Set and seven arrays per cycle of every pod without any, then dropped).
    let s: PreScoreState;
    try {
      const constraints = this.softConstraints(pod);
      if (constraints.length === 0) return SkipStatus;
      s = new PreScoreState();
      s.constraints = constraints;
      this.initPreScoreState(s, pod, filteredNodes, requireAllTopologies, slots);
    } catch (e) {
      return Status.error(`calculating preScoreState: ${e instanceof Error ? e.message : String(e)}`);
    }
    const ns = pod.metadata?.namespace ?? '';
    const required = getRequiredNodeAffinity(pod);
    const allKeys = requireAllTopologies ? s.constraints.map((x) => x.topologyKey).join('\u0001') : '*';
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      // Per-node (hostname) counts are taken at Score.
      if (c.topologyKey === LabelHostname) {
        if (this.handle.fastPath !== false) {
          const sel = c.selector;
          s.hostCounts[i] = this.hostCountColumns.get(`${ns}\u0000${sel.key}`, () => new HostCountColumn(sel, ns));
        }
        continue;
      }
      // No filtered node has this key: Score skips the constraint on every node, so
      // its domain sums would never be read (fast path: a cluster without zone labels
      // still gets the default zone constraint).
      if (this.handle.fastPath !== false && s.keyOnSomeNode[i] !== true) continue;
      const constraints = s.constraints;
      const domainOf = (ni: NodeInfo): string | undefined => {
        const labels = ni.node.metadata.labels;
        if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) return undefined;
        if (!matchNodeInclusionPolicies(c, pod, ni.node, required)) return undefined;
        return labels?.[c.topologyKey] ?? '';
      };
      // Read here and copied into the state (peek: the counter's map is not kept).
      const totals = this.counter(counterKey('ps', pod, ns, c, allKeys), () => new DomainCounter(domainOf, c.selector, ns, this.handle.fastPath !== false)).peek(allNodes);
      // Only domains of candidate nodes are scored.
      const m = s.topologyValueToPodCounts[i]!;
      for (const v of m.keys()) m.set(v, totals.get(v) ?? 0);
    }
    state.write(preScoreStateKey, s);
    return null;
  }

  /**
   * Score over a list (fast path): with the nodes' table slots, the label and
   * hostname-count columns are read without touching each NodeInfo; the same
   * arithmetic as score().
   */
  scoreAll(state: CycleState, podInfo: PodInfo, nodes: readonly NodeInfo[], slots: Int32Array | null, out: Float64Array): Status | null {
    const s = this.preScoreSlot.read(state);
    const gen = slots !== null && nodes.length > 0 ? (nodes[0]!.resourceTable?.generation ?? null) : null;
    if (!s || gen === null || s.ignoredNodes.size > 0 || s.labelColumns.length !== s.constraints.length) {
      for (let i = 0; i < nodes.length; i++) {
        const r = this.score(state, podInfo, nodes[i]!);
        if (typeof r !== 'number') return r;
        out[i] = r;
      }
      return null;
    }
    const ns = podInfo.pod.metadata.namespace ?? '';
    const cs = s.constraints;
    const n = nodes.length;
    const sl = slots!;
    out.fill(0, 0, n);
    // Constraint by constraint, each a tight loop over the nodes; every node's
    // terms are still added in constraint order, so the sums are score()'s.
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k]!;
      // No scored node has this key: every node skips the constraint (as score() does node by node).
      if (c.topologyKey !== LabelHostname && s.keyOnSomeNode[k] !== true) continue;
      const labels = s.labelColumns[k]!;
      const weight = s.topologyNormalizingWeight[k]!;
      const isHost = c.topologyKey === LabelHostname;
      const hostCol = isHost ? s.hostCounts[k] : undefined;
      if (hostCol !== undefined) {
        hostnameScores(hostCol, nodes, sl, gen, n, c.maxSkew, weight, out);
        continue;
      }
      const domainCounts = s.topologyValueToPodCounts[k]!;
      if (isHost) {
        for (let i = 0; i < n; i++) {
          const slot = sl[i]!;
          if (labels.getAt(slot, gen[slot]!, nodes[i]!) === undefined) continue;
          out[i] = out[i]! + scoreForCount(countPodsMatchSelector(nodes[i]!.pods, c.selector, ns), c.maxSkew, weight);
        }
        continue;
      }
      // The domains' sums by the column's value ids (an array read per node instead of a Map
      // lookup by string); ids the map lacks read 0, as `get(tpVal) ?? 0` does.
      // (Every value PreScore met is in the column already; one met only now is looked up by string.)
      const nIds = labels.valueCount;
      const byId = scratchCounts(nIds);
      for (const [value, cnt] of domainCounts) {
        const id = labels.idOf(value);
        if (id >= 0) byId[id] = cnt;
      }
      // The ids PreScore read for this very list (the nodes cannot change in between), else read again.
      const known = s.idsFor === nodes && s.idsLength === n ? s.valueIds[k] : undefined;
      for (let i = 0; i < n; i++) {
        const id = known !== undefined ? known[i]! : labels.idAt(sl[i]!, gen[sl[i]!]!, nodes[i]!);
        if (id < 0) continue;
        const cnt = id < nIds ? byId[id]! : (domainCounts.get(labels.valueOf(id)) ?? 0);
        out[i] = out[i]! + scoreForCount(cnt, c.maxSkew, weight);
      }
    }
    for (let i = 0; i < n; i++) out[i] = goRound(out[i]!);
    return null;
  }

  score(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): number | Status {
    const s = this.preScoreSlot.read(state);
    if (!s) return Status.error(`error reading "${preScoreStateKey}" from cycleState: not found`);
    const node = nodeInfo.node;
    if (s.ignoredNodes.size > 0 && s.ignoredNodes.has(node.metadata.name ?? '')) return 0;
    const ns = podInfo.pod.metadata.namespace ?? '';
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const column = s.labelColumns[i];
      const tpVal = column !== undefined ? column.get(nodeInfo) : node.metadata.labels?.[c.topologyKey];
      if (tpVal === undefined) continue;
      let cnt: number;
      if (c.topologyKey === LabelHostname) {
        const col = s.hostCounts[i];
        cnt = col !== undefined ? col.get(nodeInfo) : countPodsMatchSelector(nodeInfo.pods, c.selector, ns);
      }
      else cnt = s.topologyValueToPodCounts[i]!.get(tpVal) ?? 0;
      score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
    }
    return goRound(score);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): Result {
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return Status.error(`error reading "${preScoreStateKey}" from cycleState: not found`);
    const values = scores.map((sc) => sc.score);
    normalizeSpreadScores(values, values.length, s.ignoredNodes.size > 0 ? (i) => s.ignoredNodes.has(scores[i]!.name) : null);
    for (let i = 0; i < scores.length; i++) scores[i]!.score = values[i]!;
    return null;
  }

  /** normalizeScore over scoreAll's column (fast path); it needs the names only when some node is ignored. */
  normalizeAll(state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): boolean | Status {
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return Status.error(`error reading "${preScoreStateKey}" from cycleState: not found`);
    if (s.ignoredNodes.size > 0) return false;
    normalizeSpreadScores(scores, n, null);
    return true;
  }

  // ---- Queueing hints -----------------------------------------------------

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // A matching pod added, relabelled or deleted (or, with NodeTaintsPolicy Honor, the pod gaining a toleration) may fix the skew.
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodTolerations | ActionType.Delete },
        hint: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Stored<Pod & KObject> | undefined, newObj as Stored<Pod & KObject> | undefined),
      },
      // Nodes joining/leaving/relabelled change the domains.
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        hint: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj as Stored<Node & KObject> | undefined, newObj as Stored<Node & KObject> | undefined),
      },
    ];
  }

  isSchedulableAfterPodChange(pod: Pod, originalPod: Pod | undefined, modifiedPod: Pod | undefined): QueueingHint {
    const involved = (p: Pod): boolean =>
      (p.metadata?.uid !== undefined && p.metadata.uid === pod.metadata?.uid) ||
      (!!p.spec?.nodeName && (p.metadata?.namespace ?? '') === (pod.metadata?.namespace ?? ''));
    if ((modifiedPod && !involved(modifiedPod)) || (originalPod && !involved(originalPod))) return 'QueueSkip';
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch {
      return 'Queue';
    }
    if (modifiedPod && originalPod) {
      if (
        modifiedPod.metadata?.uid === pod.metadata?.uid &&
        JSON.stringify(modifiedPod.spec?.tolerations ?? null) !== JSON.stringify(originalPod.spec?.tolerations ?? null) &&
        constraints.some((c) => c.nodeTaintsPolicy === 'Honor')
      ) {
        return 'Queue';
      }
      if (labelsEqual(modifiedPod.metadata?.labels, originalPod.metadata?.labels)) return 'QueueSkip';
      for (const c of constraints) {
        if (c.selector.matches(originalPod.metadata?.labels) !== c.selector.matches(modifiedPod.metadata?.labels)) return 'Queue';
      }
      return 'QueueSkip';
    }
    const p = modifiedPod ?? originalPod;
    if (!p) return 'Queue';
    // upstream podLabelsMatchSpreadConstraints: any constraint's selector matches.
    return constraints.some((c) => c.selector.matches(p.metadata?.labels)) ? 'Queue' : 'QueueSkip';
  }

  isSchedulableAfterNodeChange(pod: Pod, originalNode: Node | undefined, modifiedNode: Node | undefined): QueueingHint {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch {
      return 'Queue';
    }
    const origMatch = originalNode ? nodeLabelsMatchSpreadConstraints(originalNode.metadata?.labels ?? {}, constraints) : false;
    const modMatch = modifiedNode ? nodeLabelsMatchSpreadConstraints(modifiedNode.metadata?.labels ?? {}, constraints) : false;
    if (originalNode && modifiedNode) {
      if (origMatch !== modMatch) return 'Queue';
      if (modMatch) {
        const ol = originalNode.metadata?.labels ?? {};
        const ml = modifiedNode.metadata?.labels ?? {};
        const keyChanged = constraints.some((c) => ol[c.topologyKey] !== ml[c.topologyKey]);
        const taintsChanged = JSON.stringify(originalNode.spec?.taints ?? null) !== JSON.stringify(modifiedNode.spec?.taints ?? null);
        if (keyChanged || taintsChanged) return 'Queue';
      }
      return 'QueueSkip';
    }
    if (modifiedNode) return modMatch ? 'Queue' : 'QueueSkip';
    return origMatch ? 'Queue' : 'QueueSkip';
  }
}

/**
 * What a DomainCounter's sums depend on besides the nodes: the namespace,
 * selector, topology key, the set of keys a node must carry, and the pod's
 * node affinity / tolerations when the constraint honours them.
 */
function counterKey(phase: string, pod: Pod, ns: string, c: SpreadConstraint, allKeys: string): string {
  const aff = c.nodeAffinityPolicy === 'Honor' ? JSON.stringify([pod.spec?.nodeSelector ?? null, pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]) : '';
  const tol = c.nodeTaintsPolicy === 'Honor' ? JSON.stringify(pod.spec?.tolerations ?? null) : '';
  return [phase, ns, c.selector.key, c.topologyKey, allKeys, c.nodeAffinityPolicy, aff, c.nodeTaintsPolicy, tol].join('\u0000');
}


export const factory: PluginFactory = (args, handle) => new PodTopologySpread(podTopologySpreadArgs(args), handle);
