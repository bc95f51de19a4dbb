/**
 * The framework runtime of one profile, following kube-scheduler v1.31
 * pkg/scheduler/framework/runtime/framework.go: it runs each extension point's
 * plugins in configured order with upstream's semantics (Skip handling,
 * PreFilterResult merging, first-failure Filter, weighted Score sums,
 * reverse-order Unreserve, Permit waiting, first non-Skip Bind) and the
 * two-pass filtering with nominated pods (RunFilterPluginsWithNominatedPods,
 * addGENominatedPods).
 *
 * Plugin lists are plain arrays resolved once at construction (see
 * profile.ts), so the per-node hot path allocates nothing on success.
 */
import { FeatureGates } from '../../api/featureGates.ts';
import { invalidScore } from './pluginGuard.ts';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EventSource, KObject, Rng, Stored, StoreReader, Time } from '../../sim/types.ts';
import {
  Code,
  MaxNodeScore,
  MinNodeScore,
  Status,
  type BindPlugin,
  type ClusterEventWithHint,
  type CycleState,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeInfoLister,
  type NodeScore,
  type NodeToStatusMap,
  type PermitPlugin,
  type PodInfo,
  type PodNominator,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueSortPlugin,
  type QueuedPodInfo,
  type ReservePlugin,
  type Result,
  type ScorePlugin,
} from './types.ts';
import { NodeInfoImpl } from './nodeInfo.ts';
import { CycleStateImpl, SharedSkipSet } from './cycleState.ts';
import { WhatIfNodeInfo } from './whatIfNodeInfo.ts';
import { NominatedPassMemo } from './nominatedPass.ts';
import { filterMemo, generationOf, memoSet, podShape, scoreMemo, slotOf, type FilterMemoEntry, type NodeMemo } from './nodeMemo.ts';
import { FusedNodeLocalScores, fusedSet, type FusedPlugin, type FusedSet, type NormalizeColumn } from './fusedScores.ts';
import type { SortKeys } from '../queue/heap.ts';

/** Upstream maxTimeout for Permit waits: 15 minutes. */
export const MaxPermitTimeout: Time = 15 * 60 * 1000;

/** What the scheduler gives each profile's framework (backs the plugins' Handle). */
export interface FrameworkDeps {
  /** The cluster's feature gates and emulated version (default: the newest release's defaults). */
  featureGates?: FeatureGates;
  /** false: no hot-path shortcuts (SchedulerOptions.fastPath); default true. */
  fastPath?: boolean;
  snapshot(): NodeInfoLister;
  store(): StoreReader;
  nominator(): PodNominator;
  now(): Time;
  /** The Binding subresource: set spec.nodeName. */
  bindPod?(pod: PodInfo, nodeName: string): Result;
  evictPod?(victim: PodInfo, preemptor: PodInfo, nodeName: string): void;
  /** API writes on the scheduler's behalf (Handle.writeObject): VolumeBinding's PreBind, preemption's nomination clearing. */
  writeObject?<T extends KObject>(kind: string, namespace: string, name: string, mutate: (draft: T) => void): Stored<T>;
  /** Named random streams (Handle.rng), e.g. "preemption". */
  rng?(stream: string): Rng;
  /** Run fn after a virtual delay (Permit timeouts); returns a cancel function. */
  after?(delay: Time, fn: () => void): () => void;
}

/** Plugins resolved per extension point, in run order, with score weights. */
export interface PluginLists {
  preEnqueue: PreEnqueuePlugin[];
  queueSort: QueueSortPlugin[];
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: ScorePlugin[];
  reserve: ReservePlugin[];
  permit: PermitPlugin[];
  preBind: PreBindPlugin[];
  bind: BindPlugin[];
  postBind: PostBindPlugin[];
}

export interface EnqueueExtension {
  pluginName: string;
  events: ClusterEventWithHint[];
}

export interface PreFilterOutcome {
  result: PreFilterResult | null;
  status: Result;
  /** Plugins whose PreFilterResult narrowed the nodes (upstream's unscheduledPlugins). */
  unschedulablePlugins: ReadonlySet<string>;
}

/**
 * The plugins whose names the set lacks. A loop in a function of its own: a
 * filter() closure over the set in refreshActiveFilters made V8 allocate a
 * context on every call, taken branch or not (once per cycle).
 */
function notSkipped<P extends { readonly name: string }>(plugins: readonly P[], skip: ReadonlySet<string>): P[] {
  const out: P[] = [];
  for (let i = 0; i < plugins.length; i++) if (!skip.has(plugins[i]!.name)) out.push(plugins[i]!);
  return out;
}

/** Whether the set holds exactly the listed names (a loop, not every(): no closure per cycle). */
function sameMembers(names: readonly string[], set: ReadonlySet<string>): boolean {
  if (names.length !== set.size) return false;
  for (let i = 0; i < names.length; i++) if (!set.has(names[i]!)) return false;
  return true;
}

/** The outcome's plugin set when no PreFilter narrowed the nodes (shared, never changed). */
const NO_PLUGINS: ReadonlySet<string> = new Set();

/** Per-plugin score details, filled only when an explanation is requested. */
export interface ScoreDetail {
  plugins: string[];
  weights: number[];
  /** [plugin][node] */
  raw: number[][];
  normalized: number[][];
}

/** A pod held at Permit (upstream waitingPod). */
export class WaitingPod {
  private readonly pending = new Map<string, () => void>();
  private done = false;
  constructor(
    readonly pod: PodInfo,
    private readonly onDone: (s: Result) => void,
  ) {}
  addPlugin(name: string, cancelTimer: () => void): void {
    this.pending.set(name, cancelTimer);
  }
  getPendingPlugins(): string[] {
    return [...this.pending.keys()];
  }
  /** A plugin allows the pod; when none is pending any more, the pod proceeds to binding. */
  allow(pluginName: string): void {
    if (this.done) return;
    const cancel = this.pending.get(pluginName);
    if (cancel) {
      cancel();
      this.pending.delete(pluginName);
    }
    if (this.pending.size > 0) return;
    this.done = true;
    this.onDone(null);
  }
  reject(pluginName: string, msg: string): void {
    if (this.done) return;
    this.done = true;
    for (const c of this.pending.values()) c();
    this.pending.clear();
    this.onDone(new Status(Code.Unschedulable, [msg]).withPlugin(pluginName));
  }
}

function goDuration(ms: number): string {
  // Go's Duration.String for whole milliseconds (enough for permit timeouts).
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Number.isInteger(s) ? `${s}s` : `${s.toFixed(3).replace(/0+$/, '')}s`;
  return (h ? `${h}h` : '') + (h || m ? `${m}m` : '') + sec;
}

function podPriority(p: Pod): number {
  return p.spec?.priority ?? 0;
}

export class Framework {
  readonly handle: Handle;
  readonly waitingPods = new Map<string, WaitingPod>();
  /** Parallel to plugins.score. */
  readonly scoreWeights: number[];
  /** SchedulerOptions.fastPath: shortcuts that leave decisions unchanged (test/scheduler/equivalence.test.ts). */
  readonly fastPath: boolean;
  /**
   * The source of the profile's Events ({component: profileName}), made once
   * and frozen (perf: a literal per Scheduled event; the recorder only reads
   * it and keeps its own shared copy).
   */
  readonly eventSource: EventSource;

  constructor(
    readonly profileName: string,
    readonly plugins: PluginLists,
    scoreWeights: Map<string, number>,
    readonly enqueueExtensions: EnqueueExtension[],
    readonly percentageOfNodesToScore: number | undefined,
    readonly deps: FrameworkDeps,
  ) {
    this.scoreWeights = plugins.score.map((p) => scoreWeights.get(p.name) ?? 1);
    this.fastPath = deps.fastPath ?? true;
    this.eventSource = Object.freeze({ component: profileName });
    this.scoreMemos = plugins.score.map((p) => (this.fastPath && p.nodeLocal === true ? scoreMemo() : null));
    this.handle = this.makeHandle();
  }

  /**
   * Fast path: verdicts of the node-local Filters that come first in the
   * cycle's active list, by (that list, pod shape, node generation): one memo
   * per list, so a cycle's key is the pod's shape string as it is (no
   * concatenated copy per cycle).
   */
  private readonly filterMemos = new Map<string, NodeMemo<Result>>();
  /** Fast path: raw scores by (pod shape, node generation) of node-local Score plugins; parallel to plugins.score. */
  private readonly scoreMemos: Array<NodeMemo<number> | null>;
  private prefixOf: FilterPlugin[] | null = null;
  private prefix = 0;
  private prefixKey = '';
  /** Whether every Filter of the memoised prefix reads only the pod's spec (Plugin.podSpecOnly). */
  private prefixSpecOnly = false;

  /**
   * The memo of this cycle's Filter verdicts, or null when none may be
   * reused (fast path off, or the first active Filter reads more than the
   * node). The memo holds the verdict of the leading node-local Filters
   * (`prefix` of the active list; Filter stops at the first failure, so a
   * failure there is the node's verdict); when `prefix < total` a node that
   * passes them still runs the others (runFilterPluginsFrom). The caller
   * filters nodes with nominated pods without it (their what-if pass
   * depends on other pods). The object is rewritten by the next call.
   */
  filterMemoFor(state: CycleState, pod: PodInfo, nodes: number): { memo: FilterMemoEntry; prefix: number; total: number } | null {
    if (!this.fastPath) return null;
    const filters = this.filtersNotSkipped(state.skipFilterPlugins);
    if (filters !== this.prefixOf) {
      this.prefixOf = filters;
      let k = 0;
      while (k < filters.length && filters[k]!.nodeLocal === true) k++;
      this.prefix = k;
      this.prefixKey = filters
        .slice(0, k)
        .map((p) => p.name)
        .join(',');
      this.prefixSpecOnly = filters.slice(0, k).every((p) => p.podSpecOnly === true);
    }
    if (this.prefix === 0) return null;
    let memo = this.filterMemos.get(this.prefixKey);
    if (memo === undefined) this.filterMemos.set(this.prefixKey, (memo = filterMemo()));
    const entry = memo.forShape(podShape(pod, this.prefixSpecOnly), nodes);
    const c = this.memoChoice;
    if (c === null) return (this.memoChoice = { memo: entry, prefix: this.prefix, total: filters.length });
    c.memo = entry;
    c.prefix = this.prefix;
    c.total = filters.length;
    return c;
  }

  /**
   * filterMemoFor's answer, one object rewritten by every call (perf: one per
   * cycle otherwise); schedulePod reads it before it could ask again.
   */
  private memoChoice: { memo: FilterMemoEntry; prefix: number; total: number } | null = null;

  /**
   * runFilterPlugins over the active Filters at positions [from, to) (the
   * memoised prefix, or what follows it once the prefix passed).
   */
  runFilterPluginsRange(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, from: number, to: number): Result {
    const filters = this.filtersNotSkipped(state.skipFilterPlugins);
    const end = Math.min(to, filters.length);
    for (let i = from; i < end; i++) {
      const pl = filters[i]!;
      const s = pl.filter(state, pod, nodeInfo);
      if (s !== null && s.code !== Code.Success) {
        if (!s.isRejected()) return Status.error(`running "${pl.name}" filter plugin: ${s.message()}`).withPlugin(pl.name);
        return s.withPlugin(pl.name);
      }
    }
    return null;
  }

  /**
   * The handle given to plugin factories. Built before the plugins exist
   * (profile.ts), so it forwards to whatever the framework holds at call time.
   */
  static handleFor(profileName: string, deps: FrameworkDeps, fw: () => Framework | undefined): Handle {
    return {
      profileName,
      featureGates: deps.featureGates ?? FeatureGates.defaults(),
      fastPath: deps.fastPath ?? true,
      snapshot: () => deps.snapshot(),
      store: () => deps.store(),
      nominator: () => deps.nominator(),
      now: () => deps.now(),
      runFilterPluginsWithNominatedPods: (s, p, n) => fw()!.runFilterPluginsWithNominatedPods(s, p, n),
      runPreFilterExtensionAddPod: (s, p, a, n) => fw()!.runPreFilterExtensionAddPod(s, p, a, n),
      runPreFilterExtensionRemovePod: (s, p, r, n) => fw()!.runPreFilterExtensionRemovePod(s, p, r, n),
      activeFilters: (s) => ({ filters: fw()!.filtersNotSkipped(s.skipFilterPlugins), preFilterExtensions: fw()!.hasActivePreFilterExtensions(s) }),
      runFilterPlugins: (s, p, n) => fw()!.runFilterPlugins(s, p, n),
      ...(deps.evictPod ? { evictPod: deps.evictPod } : {}),
      ...(deps.writeObject ? { writeObject: deps.writeObject } : {}),
      ...(deps.rng ? { rng: deps.rng } : {}),
      getWaitingPod: (uid: string) => fw()?.waitingPods.get(uid),
      iterateOverWaitingPods: (cb) => {
        for (const wp of fw()?.waitingPods.values() ?? []) cb(wp);
      },
      bindPod: (p: PodInfo, node: string) => (deps.bindPod ? deps.bindPod(p, node) : Status.error('no binder available')),
    };
  }

  private makeHandle(): Handle {
    return Framework.handleFor(this.profileName, this.deps, () => this);
  }

  hasFilterPlugins(): boolean {
    return this.plugins.filter.length > 0;
  }
  hasScorePlugins(): boolean {
    return this.plugins.score.length > 0;
  }
  hasPostFilterPlugins(): boolean {
    return this.plugins.postFilter.length > 0;
  }

  /** QueueSort's less(); the queue uses the first (only) QueueSort plugin. */
  queueSortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.plugins.queueSort[0]!.less(a, b);
  }

  /** The QueueSort plugin's three-way compare, when it has one (bound; null otherwise). */
  queueSortCompare(): ((a: QueuedPodInfo, b: QueuedPodInfo) => number) | null {
    const pl = this.plugins.queueSort[0];
    return pl?.compare ? pl.compare.bind(pl) : null;
  }

  /** The queue-sort plugin's sort keys, if it has them (QueueSortPlugin.sortKeys). */
  queueSortKeys(): SortKeys<QueuedPodInfo> | null {
    return this.plugins.queueSort[0]?.sortKeys ?? null;
  }

  /** upstream runPreEnqueuePlugins: first rejection gates the pod. */
  runPreEnqueuePlugins(pod: Stored<Pod & KObject>): { plugin: string; status: Status } | null {
    for (const pl of this.plugins.preEnqueue) {
      const s = pl.preEnqueue(pod);
      if (s && !s.isSuccess()) return { plugin: pl.name, status: s.withPlugin(pl.name) };
    }
    return null;
  }

  /** upstream RunPreFilterPlugins (v1.31): merges results by intersection, Skip marks the Filter skipped. */
  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PreFilterOutcome {
    // Fast path: the skipped plugins are gathered as a mask and the state gets the
    // shared set of that mask once they have run (a skip set is read only after
    // PreFilter), also when a plugin throws, as the set filled in place would be.
    if (this.fastPath && state instanceof CycleStateImpl && this.plugins.preFilter.length <= 31) {
      // (A call made from inside a plugin keeps the outer call's mask as it found it.)
      const outer = this.skipMask;
      this.skipMask = 0;
      try {
        return this.preFilterLoop(state, pod, nodes, null);
      } finally {
        state.shareSkipFilterPlugins(this.sharedSkipSet(this.filterSkipSets, this.plugins.preFilter, this.skipMask));
        this.skipMask = outer;
      }
    }
    const skip = state.skipFilterPlugins;
    if (skip.size > 0) skip.clear();
    // The set is refilled below: the next filtersNotSkipped compares its members
    // (a new cycle usually skips the same plugins, and keeps the same list).
    // (A shared set needs no such check: it never changes.)
    this.activeFiltersSize = -1;
    return this.preFilterLoop(state, pod, nodes, skip);
  }

  /** The plugins skipped by the running PreFilter or PreScore, by position (the fast path's skip sets). */
  private skipMask = 0;
  /** The shared skip sets met so far, by mask (at most one per combination of skipped plugins). */
  private readonly filterSkipSets = new Map<number, SharedSkipSet>();
  private readonly scoreSkipSets = new Map<number, SharedSkipSet>();

  /** The shared set of the plugins at the mask's positions, in plugin order (the order add() would give). */
  private sharedSkipSet(sets: Map<number, SharedSkipSet>, plugins: readonly { readonly name: string }[], mask: number): SharedSkipSet {
    let set = sets.get(mask);
    if (set === undefined) {
      const names: string[] = [];
      for (let i = 0; i < plugins.length; i++) if ((mask & (1 << i)) !== 0) names.push(plugins[i]!.name);
      sets.set(mask, (set = new SharedSkipSet(names)));
    }
    return set;
  }

  /** runPreFilterPlugins' loop: skipped plugins go into `skip`, or into skipMask when it is null. */
  private preFilterLoop(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], skip: Set<string> | null): PreFilterOutcome {
    let result: PreFilterResult | null = null;
    let returnStatus: Result = null;
    // Made only when a PreFilter narrows the nodes (perf: an empty list and set per cycle otherwise).
    let pluginsWithNodes: string[] | null = null;
    let unschedulablePlugins: Set<string> | null = null;
    const plugins = this.plugins.preFilter;
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      const { result: r, status: s } = pl.preFilter(state, pod, nodes);
      if (s && s.code === Code.Skip) {
        if (skip !== null) skip.add(pl.name);
        else this.skipMask |= 1 << i;
        continue;
      }
      if (s && !s.isSuccess()) {
        s.withPlugin(pl.name);
        // upstream returns no plugin set here: the diagnosis then holds only the rejecting plugin.
        if (s.code === Code.UnschedulableAndUnresolvable) return { result: null, status: s, unschedulablePlugins: NO_PLUGINS };
        if (s.code === Code.Unschedulable) {
          // Keep running the remaining PreFilters: preemption needs their state (upstream issue 119770).
          returnStatus = s;
          continue;
        }
        return { result: null, status: Status.error(`running PreFilter plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name), unschedulablePlugins: unschedulablePlugins ?? NO_PLUGINS };
      }
      if (r && r.nodeNames !== null) {
        (pluginsWithNodes ??= []).push(pl.name);
        (unschedulablePlugins ??= new Set()).add(pl.name);
        result = mergePreFilterResult(result, r);
        if (result.nodeNames !== null && result.nodeNames.size === 0) {
          // upstream keeps pluginsWithNodes in a set and prints sets.List (sorted), not plugin order.
          const sorted = [...pluginsWithNodes].sort();
          const msg =
            sorted.length === 1
              ? `node(s) didn't satisfy plugin ${sorted[0]}`
              : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`;
          return { result, status: new Status(Code.UnschedulableAndUnresolvable, [msg]), unschedulablePlugins };
        }
      }
    }
    return { result, status: returnStatus, unschedulablePlugins: unschedulablePlugins ?? NO_PLUGINS };
  }

  /**
   * Filter plugins not skipped by PreFilter, computed once per skip set
   * (perf: runFilterPlugins runs for every node, and a Set lookup per plugin
   * per node was a measurable share of a 5,000-node cycle). Keyed by the
   * set's identity and size, then by its members: runPreFilterPlugins, the
   * only writer of a cycle's set, marks the cache for a member check, so
   * cycles that skip the same plugins share one list (and the Filter memo's
   * key built from it, filterMemoFor).
   */
  private activeFiltersFor: Set<string> | null = null;
  private activeFiltersSize = -1;
  private activeFiltersSkipped: string[] = [];
  private activeFilters: FilterPlugin[] = [];
  filtersNotSkipped(skip: Set<string>): FilterPlugin[] {
    if (skip.size === 0) return this.plugins.filter;
    if (this.activeFiltersFor !== skip || this.activeFiltersSize !== skip.size) this.refreshActiveFilters(skip);
    return this.activeFilters;
  }

  /**
   * filtersNotSkipped's recomputation, in a method of its own: a closure over
   * `skip` in filtersNotSkipped made V8 allocate a context on every call
   * (perf: ~40 bytes per node filtered, a third of PodAffinity's garbage).
   */
  private refreshActiveFilters(skip: Set<string>): void {
    // A cloned CycleState (preemption's what-ifs) has an equal set under a new identity: compare contents first.
    if (!(this.activeFiltersFor !== null && sameMembers(this.activeFiltersSkipped, skip))) {
      this.activeFilters = notSkipped(this.plugins.filter, skip);
      this.activeFiltersSkipped = [...skip];
    }
    this.activeFiltersFor = skip;
    this.activeFiltersSize = skip.size;
  }

  /** upstream RunFilterPlugins: stop at the first failure; non-rejection statuses become errors. */
  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    return this.runFilterPluginsRange(state, pod, nodeInfo, 0, Infinity);
  }

  /**
   * upstream RunFilterPluginsWithNominatedPods: when pods of equal or higher
   * priority are nominated to the node, filter once with them added (to a
   * cloned state and NodeInfo) and, if that passes, once more without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    const nom = this.deps.nominator();
    if (nom.hasNominatedPods && !nom.hasNominatedPods()) return this.runFilterPlugins(state, pod, nodeInfo);
    const nominated = nom.nominatedPodsForNode(nodeInfo.node.metadata?.name ?? '');
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    // Fast path: verdicts remembered per node while nothing they read changed (framework/nominatedPass.ts).
    if (this.fastPath) return this.nominatedPass.run(state, pod, nodeInfo, nominated);
    return this.filterWithNominated(state, pod, nodeInfo, nominated);
  }

  private readonly nominatedPass = new NominatedPassMemo(this);

  /** runFilterPluginsWithNominatedPods for a node with nominated pods. */
  filterWithNominated(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, nominated: readonly PodInfo[]): Result {
    let stateOut: CycleState | null = null;
    let nodeOut: NodeInfoImpl | WhatIfNodeInfo | null = null;
    const prio = podPriority(pod.pod);
    const uid = pod.pod.metadata?.uid;
    for (const pi of nominated) {
      if (podPriority(pi.pod) >= prio && pi.pod.metadata?.uid !== uid) {
        if (!stateOut) {
          // No active PreFilter extension means AddPod changes no state: the cycle's state serves as is.
          stateOut = this.hasActivePreFilterExtensions(state) ? state.clone() : state;
          // Fast path: with the state unchanged and only node-local Filters, a reusable copy (used only until this returns) instead of a clone.
          if (stateOut === state && this.fastPath && nodeInfo instanceof NodeInfoImpl && this.filtersNotSkipped(state.skipFilterPlugins).every((f) => f.nodeLocal === true)) {
            this.whatIf.reset(nodeInfo);
            nodeOut = this.whatIf;
          } else nodeOut = nodeInfo instanceof NodeInfoImpl ? nodeInfo.clone() : cloneForeign(nodeInfo);
        }
        nodeOut!.addPod(pi);
        const s = this.runPreFilterExtensionAddPod(stateOut, pod, pi, nodeOut!);
        if (s && !s.isSuccess()) return s;
      }
    }
    if (!stateOut) return this.runFilterPlugins(state, pod, nodeInfo);
    const first = this.runFilterPlugins(stateOut, pod, nodeOut!);
    if (first !== null) return first;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  private readonly whatIf = new WhatIfNodeInfo();

  /** Whether a PreFilter plugin not skipped this cycle has AddPod/RemovePod extensions. */
  hasActivePreFilterExtensions(state: CycleState): boolean {
    const skip = state.skipFilterPlugins;
    for (const pl of this.plugins.preFilter) if (!skip.has(pl.name) && pl.preFilterExtensions?.()) return true;
    return false;
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Result {
    for (const pl of this.plugins.preFilter) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.addPod(state, podToSchedule, podToAdd, nodeInfo);
      if (s && !s.isSuccess()) return Status.error(`running AddPod on PreFilter plugin "${pl.name}": ${s.message()}`);
    }
    return null;
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Result {
    for (const pl of this.plugins.preFilter) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.removePod(state, podToSchedule, podToRemove, nodeInfo);
      if (s && !s.isSuccess()) return Status.error(`running RemovePod on PreFilter plugin "${pl.name}": ${s.message()}`);
    }
    return null;
  }

  /** upstream RunPostFilterPlugins: first success wins; reasons of rejecting plugins are concatenated. */
  runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatusMap): { result: PostFilterResult | null; status: Status } {
    let result: PostFilterResult | null = null;
    const reasons: string[] = [];
    let rejector = '';
    for (const pl of this.plugins.postFilter) {
      const { result: r, status: s } = pl.postFilter(state, pod, statuses);
      if (s === null || s.isSuccess()) return { result: r, status: s ?? new Status(Code.Success) };
      if (s.code === Code.UnschedulableAndUnresolvable) return { result: r, status: s.withPlugin(pl.name) };
      if (!s.isRejected()) return { result: null, status: Status.error(s.message()).withPlugin(pl.name) };
      if (r) result = r;
      reasons.push(...s.reasons);
      if (!rejector) rejector = pl.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons).withPlugin(rejector) };
  }

  /** upstream RunPreScorePlugins: Skip marks the plugin's Score skipped for this cycle. */
  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], slots: Int32Array | null = null): Result {
    // Fast path: a shared skip set, as runPreFilterPlugins.
    if (this.fastPath && state instanceof CycleStateImpl && this.plugins.preScore.length <= 31) {
      // (A call made from inside a plugin keeps the outer call's mask as it found it.)
      const outer = this.skipMask;
      this.skipMask = 0;
      try {
        return this.preScoreLoop(state, pod, nodes, slots, null);
      } finally {
        state.shareSkipScorePlugins(this.sharedSkipSet(this.scoreSkipSets, this.plugins.preScore, this.skipMask));
        this.skipMask = outer;
      }
    }
    const skip = state.skipScorePlugins;
    if (skip.size > 0) skip.clear();
    return this.preScoreLoop(state, pod, nodes, slots, skip);
  }

  /** runPreScorePlugins' loop: skipped plugins go into `skip`, or into skipMask when it is null. */
  private preScoreLoop(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], slots: Int32Array | null, skip: Set<string> | null): Result {
    const plugins = this.plugins.preScore;
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      const s = pl.preScore(state, pod, nodes, slots);
      if (s && s.code === Code.Skip) {
        if (skip !== null) skip.add(pl.name);
        else this.skipMask |= 1 << i;
        continue;
      }
      if (s && !s.isSuccess()) return Status.error(`running PreScore plugin "${pl.name}": ${s.message()}`);
    }
    return null;
  }

  /**
   * upstream RunScorePlugins: raw scores per plugin and node, NormalizeScore,
   * range check, weight, sum. Totals go into `totals` (one per node).
   */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], totals: Float64Array, detail?: ScoreDetail, slots: Int32Array | null = null, fuse = true): Result {
    const n = nodes.length;
    this.bestKnown = false;
    totals.fill(0, 0, n);
    const skip = state.skipScorePlugins;
    const plugins = this.plugins.score;
    // Fast path: the cycle's node-local plugins in one pass (fusedScores.ts); on any
    // error or invalid score everything is scored again plugin by plugin.
    const fused = fuse && !detail ? this.fusablePlugins(state, pod) : null;
    let fusedDone = false;
    let bestKnown = false;
    for (let pi = 0; pi < plugins.length; pi++) {
      const pl = plugins[pi]!;
      if (skip.size > 0 && skip.has(pl.name)) continue;
      // A plugin that scores 0 everywhere leaves the totals as they are (explain still lists it).
      if (this.fastPath && !detail && pl.scoresNothing !== undefined && !pl.normalizeScore && pl.scoresNothing(state, pod)) continue;
      if (fused !== null && pi < 31 && (fused.mask & (1 << pi)) !== 0) {
        if (fusedDone) continue;
        fusedDone = true;
        if (!this.fusedScores.run(fused, state, pod, podShape(pod, fused.specOnly), nodes, slots, totals, this.normalizeFused)) {
          return this.runScorePlugins(state, pod, nodes, totals, detail, slots, false);
        }
        bestKnown = this.fusedScores.bestCount >= 1;
        continue;
      }
      // This plugin scores after the fused pass gathered the best nodes: they may no longer be.
      bestKnown = false;
      const weight = this.scoreWeights[pi]!;
      const memo = detail ? null : this.scoreMemos[pi]!;
      if (memo !== null) {
        // A node-local plugin: raw scores are reused while a node is unchanged
        // (nodeMemo.ts); the sums, normalisation and errors are as below.
        const m = memo.forShape(podShape(pod, pl.podSpecOnly === true), n);
        // Raw scores to normalise are gathered in a column; the NodeScore list is filled only if needed.
        const list = pl.normalizeScore ? scratchScores(n) : null;
        // The feasible nodes' slots and the table's generations (from the filter loop) spare reading each NodeInfo.
        const tableGen = slots !== null && n > 0 ? (nodes[0]!.resourceTable?.localGeneration ?? null) : null;
        // The memo's columns in locals, read again after memoSet (which may grow them).
        let mGen = m.keys;
        let mVal = m.values;
        let invalid = Number.NaN;
        let invalidFound = false;
        let minRaw = Infinity;
        let maxRaw = -Infinity;
        for (let i = 0; i < n; i++) {
          const ni = nodes[i]!;
          let s: number;
          const slot = slotOf(ni, i, slots, tableGen);
          const generation = generationOf(ni, slot, tableGen);
          if (slot >= 0 && slot < mGen.length && mGen[slot] === generation) s = mVal[slot]!;
          else {
            const r = pl.score(state, pod, ni);
            if (typeof r !== 'number') return Status.error(`plugin "${pl.name}" failed with: ${r.message()}`);
            s = r;
            memoSet(m, ni, s);
            mGen = m.keys;
            mVal = m.values;
          }
          if (list !== null) {
            list[i] = s;
            if (s < minRaw) minRaw = s;
            if (s > maxRaw) maxRaw = s;
          } else if (!(s >= MinNodeScore && s <= MaxNodeScore && Number.isInteger(s))) {
            if (!invalidFound) {
              invalidFound = true;
              invalid = s;
            }
          } else totals[i] = totals[i]! + s * weight;
        }
        if (invalidFound) return Status.error(invalidScore(pl.name, invalid, MinNodeScore, MaxNodeScore)!);
        // Equal raw scores everywhere normalise to one score for every node: no node gains on another.
        if (list !== null && pl.normalizesEqualToEqual === true && minRaw === maxRaw && minRaw >= 0) continue;
        if (list !== null) {
          const st = this.normalizeColumn(pi, state, pod, nodes, list, totals, weight);
          if (st !== null) return st;
        }
        continue;
      }
      if (this.fastPath && !detail && !pl.normalizeScore) {
        // Nothing rescales these scores: sum them directly instead of filling
        // the NodeScore list. Errors as below: the first failing Score wins,
        // else the first invalid score (totals are discarded on error).
        let invalid = Number.NaN;
        let invalidFound = false;
        for (let i = 0; i < n; i++) {
          const s = pl.score(state, pod, nodes[i]!);
          if (typeof s !== 'number') return Status.error(`plugin "${pl.name}" failed with: ${s.message()}`);
          if (!(s >= MinNodeScore && s <= MaxNodeScore && Number.isInteger(s))) {
            if (!invalidFound) {
              invalidFound = true;
              invalid = s;
            }
            continue;
          }
          totals[i] = totals[i]! + s * weight;
        }
        if (invalidFound) return Status.error(invalidScore(pl.name, invalid, MinNodeScore, MaxNodeScore)!);
        continue;
      }
      const list = this.scoreList(pi, n);
      if (this.fastPath && !detail && pl.scoreAll !== undefined) {
        // The plugin scores the whole list at once (fast path), with the same values and first error.
        const raw = scratchScores(n);
        const st = pl.scoreAll(state, pod, nodes, slots, raw);
        if (st !== null) return Status.error(`plugin "${pl.name}" failed with: ${st.message()}`);
        if (pl.normalizeScore) {
          const ns = this.normalizeColumn(pi, state, pod, nodes, raw, totals, weight);
          if (ns !== null) return ns;
          continue;
        }
        for (let i = 0; i < n; i++) {
          const e = list[i]!;
          e.name = nodes[i]!.node.metadata?.name ?? '';
          e.score = raw[i]!;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const ni = nodes[i]!;
          const s = pl.score(state, pod, ni);
          if (typeof s !== 'number') return Status.error(`plugin "${pl.name}" failed with: ${s.message()}`);
          const e = list[i]!;
          e.name = ni.node.metadata?.name ?? '';
          e.score = s;
        }
      }
      const raw = detail ? list.map((x) => x.score) : undefined;
      if (pl.normalizeScore) {
        const s = pl.normalizeScore(state, pod, list);
        if (s && !s.isSuccess()) return Status.error(`plugin "${pl.name}" failed with: ${s.message()}`);
      }
      for (let i = 0; i < n; i++) {
        const sc = list[i]!.score;
        // Not `sc > Max || sc < Min`: that lets NaN through. Fractions are invalid too (upstream scores are int64).
        if (!(sc >= MinNodeScore && sc <= MaxNodeScore && Number.isInteger(sc))) {
          return Status.error(invalidScore(pl.name, sc, MinNodeScore, MaxNodeScore)!);
        }
        totals[i] = totals[i]! + sc * weight;
      }
      if (detail) {
        detail.plugins.push(pl.name);
        detail.weights.push(weight);
        detail.raw.push(raw!);
        detail.normalized.push(list.map((x) => x.score));
      }
    }
    this.bestKnown = bestKnown;
    return null;
  }

  /**
   * selectBest(totals, n, rng) for the totals the last runScorePlugins call
   * returned successfully (n its node count), from the best nodes its fused
   * pass gathered (fusedScores.ts: bestCount), with the same draw; -1 when
   * that pass did not gather them or a later plugin changed the totals.
   */
  pickBestOfLastScores(rng: Rng | undefined): number {
    return this.bestKnown ? this.fusedScores.pickBest(rng) : -1;
  }

  private readonly fusedScores = new FusedNodeLocalScores();
  /** Whether the last runScorePlugins call's fused pass gathered its best nodes (pickBestOfLastScores). */
  private bestKnown = false;
  /** The fused pass's NormalizeColumn, made once. */
  private readonly normalizeFused: NormalizeColumn = (index, raw, state, pod, nodes, totals) =>
    this.normalizeColumn(index, state, pod, nodes, raw, totals, this.scoreWeights[index]!) === null;

  /** The cycle's memoised (node-local) Score plugins when there are two or more of them, as a bit mask by position. */
  private fusablePlugins(state: CycleState, pod: PodInfo): FusedSet | null {
    if (!this.fastPath) return null;
    const skip = state.skipScorePlugins;
    const plugins = this.plugins.score;
    let mask = 0;
    let count = 0;
    for (let pi = 0; pi < plugins.length; pi++) {
      const pl = plugins[pi]!;
      if (this.scoreMemos[pi] === null || (skip.size > 0 && skip.has(pl.name))) continue;
      if (pl.scoresNothing !== undefined && !pl.normalizeScore && pl.scoresNothing(state, pod)) continue;
      if (pi >= 31) return null;
      mask |= 1 << pi;
      count++;
    }
    if (count < 2) return null;
    let set = this.fusedSets.get(mask);
    if (set === undefined) {
      const members: FusedPlugin[] = [];
      for (let pi = 0; pi < plugins.length; pi++) {
        const pl = plugins[pi]!;
        if (pi < 31 && (mask & (1 << pi)) !== 0) members.push({ index: pi, plugin: pl, weight: this.scoreWeights[pi]!, normalized: pl.normalizeScore !== undefined });
      }
      this.fusedSets.set(mask, (set = fusedSet(members, mask)));
    }
    return set;
  }

  /** The plugin sets met so far, by mask (at most one per combination of skipped plugins). */
  private readonly fusedSets = new Map<number, FusedSet>();


  /**
   * NormalizeScore, range check and weighted sum for raw scores held in a
   * column (fast path): through the plugin's normalizeAll when it has one and
   * can, else through normalizeScore on the NodeScore list, as upstream.
   */
  private normalizeColumn(pi: number, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], raw: Float64Array, totals: Float64Array, weight: number): Status | null {
    const pl = this.plugins.score[pi]!;
    const n = nodes.length;
    const done = pl.normalizeAll !== undefined ? pl.normalizeAll(state, pod, raw, n) : false;
    if (done !== true && done !== false) return Status.error(`plugin "${pl.name}" failed with: ${done.message()}`);
    if (!done) {
      const list = this.scoreList(pi, n);
      for (let i = 0; i < n; i++) {
        const e = list[i]!;
        e.name = nodes[i]!.node.metadata?.name ?? '';
        e.score = raw[i]!;
      }
      const st = pl.normalizeScore!(state, pod, list);
      if (st && !st.isSuccess()) return Status.error(`plugin "${pl.name}" failed with: ${st.message()}`);
      for (let i = 0; i < n; i++) raw[i] = list[i]!.score;
    }
    for (let i = 0; i < n; i++) {
      const sc = raw[i]!;
      if (!(sc >= MinNodeScore && sc <= MaxNodeScore && Number.isInteger(sc))) return Status.error(invalidScore(pl.name, sc, MinNodeScore, MaxNodeScore)!);
      totals[i] = totals[i]! + sc * weight;
    }
    return null;
  }

  /** Per-plugin NodeScore lists reused across cycles (the score loop allocates nothing in the steady state). */
  private readonly scoreLists: NodeScore[][] = [];
  private scoreList(pi: number, n: number): NodeScore[] {
    let l = this.scoreLists[pi];
    if (!l || l.length !== n) {
      const old = l ?? [];
      l = new Array<NodeScore>(n);
      for (let i = 0; i < n; i++) l[i] = old[i] ?? { name: '', score: 0 };
      this.scoreLists[pi] = l;
    }
    return l;
  }

  /** upstream RunReservePluginsReserve. */
  runReservePluginsReserve(state: CycleState, pod: PodInfo, nodeName: string): Result {
    for (const pl of this.plugins.reserve) {
      const s = pl.reserve(state, pod, nodeName);
      if (s && !s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name);
        return Status.error(`running Reserve plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
      }
    }
    return null;
  }

  /** upstream RunReservePluginsUnreserve: reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    const rs = this.plugins.reserve;
    for (let i = rs.length - 1; i >= 0; i--) rs[i]!.unreserve(state, pod, nodeName);
  }

  /**
   * upstream RunPermitPlugins. On Wait, registers a WaitingPod whose outcome
   * is delivered to `onWaitDone` (allow, reject, or timeout).
   */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string, onWaitDone: (s: Result) => void): Result {
    // Made at the first Wait (perf: an empty list per cycle otherwise).
    let waits: Array<[string, Time]> | null = null;
    for (const pl of this.plugins.permit) {
      const { status: s, timeout } = pl.permit(state, pod, nodeName);
      if (s && !s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name);
        if (s.code === Code.Wait) {
          (waits ??= []).push([pl.name, Math.min(timeout, MaxPermitTimeout)]);
          continue;
        }
        return Status.error(`running Permit plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
      }
    }
    if (waits === null) return null;
    const uid = pod.pod.metadata?.uid ?? '';
    const wp = new WaitingPod(pod, (s) => {
      this.waitingPods.delete(uid);
      onWaitDone(s);
    });
    this.waitingPods.set(uid, wp);
    for (const [name, timeout] of waits) {
      const cancel = this.deps.after ? this.deps.after(timeout, () => wp.reject(name, `rejected due to timeout after waiting ${goDuration(timeout)} at plugin ${name}`)) : () => {};
      wp.addPlugin(name, cancel);
    }
    return new Status(Code.Wait, [`one or more plugins asked to wait and no plugin rejected pod "${pod.pod.metadata?.name ?? ''}"`]);
  }

  /** upstream RejectWaitingPod (used when a waiting pod is deleted). */
  rejectWaitingPod(uid: string): boolean {
    const wp = this.waitingPods.get(uid);
    if (!wp) return false;
    wp.reject('', 'removed');
    return true;
  }

  runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Result {
    for (const pl of this.plugins.preBind) {
      const s = pl.preBind(state, pod, nodeName);
      if (s && !s.isSuccess()) {
        // Wait: the plugin is polling for something (VolumeBinding, for its claims to bind); the scheduler asks again.
        if (s.isRejected() || s.code === Code.Wait) return s.withPlugin(pl.name);
        return Status.error(`running PreBind plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
      }
    }
    return null;
  }

  /** upstream RunBindPlugins: the first plugin not returning Skip decides. */
  runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Result {
    if (this.plugins.bind.length === 0) return Status.skip();
    let last: Result = null;
    for (const pl of this.plugins.bind) {
      const s = pl.bind(state, pod, nodeName);
      last = s;
      if (s && s.code === Code.Skip) continue;
      if (s && !s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name);
        return Status.error(`running Bind plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
      }
      return s;
    }
    return last;
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const pl of this.plugins.postBind) pl.postBind(state, pod, nodeName);
  }
}

/** One raw-score buffer reused by every scoreAll (cycles never nest; only the first n entries are read, each written first). */
let scoresBuffer = new Float64Array(0);
function scratchScores(n: number): Float64Array {
  if (scoresBuffer.length < n) scoresBuffer = new Float64Array(Math.max(n, scoresBuffer.length * 2, 128));
  return scoresBuffer;
}

/** upstream PreFilterResult.Merge: nil means all nodes; otherwise intersect. */
export function mergePreFilterResult(a: PreFilterResult | null, b: PreFilterResult | null): PreFilterResult {
  const an = a?.nodeNames ?? null;
  const bn = b?.nodeNames ?? null;
  if (an === null) return { nodeNames: bn === null ? null : new Set(bn) };
  if (bn === null) return { nodeNames: new Set(an) };
  const out = new Set<string>();
  for (const n of an) if (bn.has(n)) out.add(n);
  return { nodeNames: out };
}

/** A NodeInfoImpl copy of a NodeInfo implemented elsewhere (tests), for what-if additions. */
function cloneForeign(ni: NodeInfo): NodeInfoImpl {
  const c = new NodeInfoImpl(ni.node, ni.index);
  for (const p of ni.pods) c.addPod(p);
  return c;
}
