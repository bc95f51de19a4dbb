/**
 * InterPodAffinity, following kube-scheduler v1.35
 * (matchLabelKeys GA in v1.33; unchanged otherwise in what ksim models)
 * pkg/scheduler/framework/plugins/interpodaffinity (plugin.go, filtering.go,
 * scoring.go) and the args in pkg/scheduler/apis/config
 * (InterPodAffinityArgs: hardPodAffinityWeight default 1 in [0, 100],
 * ignorePreferredTermsOfExistingPods default false).
 *
 * Filter order and codes as upstream: the incoming pod's required affinity
 * (UnschedulableAndUnresolvable), its required anti-affinity (Unschedulable),
 * then existing pods' required anti-affinity (Unschedulable). A pod whose
 * affinity matches no pod anywhere may still land if it matches its own
 * terms (the first pod of a group). Namespace selectors of the incoming pod's
 * terms are unrolled into namespace sets from Namespace objects in the store.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import {
  ActionType,
  Code,
  MaxNodeScore,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PluginFactory,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueingHint,
  type Result,
  type ScorePlugin,
  type StateData,
  PreFilterSkip,
  SkipStatus,
  PreFilterNone,
} from '../framework/types.ts';
import { newPodInfo } from '../framework/podInfo.ts';
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { boolField, decodeArgs, intField, join } from './helper/args.ts';
import {
  mergeTermNamespaces,
  mergeWeighted,
  namespaceLabels,
  podMatchesAllAffinityTerms,
  termMatches,
  type Term,
  type WeightedTerm,
} from './interpodaffinity/terms.ts';
import { Contribution, ContributionCache, NodeContributions, SumsView, labelsKey, type CountsReader, type PodwiseShare, type ScoreReader } from './interpodaffinity/incremental.ts';
import { StateSlot } from '../framework/cycleState.ts';
import { TopologyIndex, type TopologyKeyColumn } from './interpodaffinity/topologyIndex.ts';

export const name = 'InterPodAffinity';

export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

/**
 * Filter's rejections, one frozen Status each (perf: a Status and a reasons
 * array per rejected node; anti-affinity rejects thousands of nodes a
 * cycle). Same codes and messages; the framework only sets their plugin name,
 * always this plugin's.
 */
const rejectedAffinity = new Status(Code.UnschedulableAndUnresolvable, Object.freeze([ErrReasonAffinityRulesNotMatch]) as string[]);
const rejectedAntiAffinity = new Status(Code.Unschedulable, Object.freeze([ErrReasonAntiAffinityRulesNotMatch]) as string[]);
const rejectedExistingAntiAffinity = new Status(Code.Unschedulable, Object.freeze([ErrReasonExistingAntiAffinityRulesNotMatch]) as string[]);
const noLabels: Readonly<Record<string, string>> = Object.freeze({});

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;

export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

/** Decode, default and validate (upstream ValidateInterPodAffinityArgs); throws FieldErrorList. */
export function interPodAffinityArgs(raw: unknown, path = ''): InterPodAffinityArgs {
  const obj = decodeArgs(raw, 'InterPodAffinityArgs', ['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods'], path);
  const errs: FieldError[] = [];
  const hardPodAffinityWeight = intField(obj, 'hardPodAffinityWeight', 1, path, errs);
  const ignorePreferredTermsOfExistingPods = boolField(obj, 'ignorePreferredTermsOfExistingPods', false, path, errs);
  if (errs.length === 0 && (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100)) {
    errs.push({ path: join(path, 'hardPodAffinityWeight'), type: 'Invalid', value: hardPodAffinityWeight, detail: 'not in valid range [0, 100]' });
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { hardPodAffinityWeight, ignorePreferredTermsOfExistingPods };
}

/**
 * upstream topologyToMatchedTermCount: matched-term counts by (topology key,
 * value). Nested maps, so updates and lookups build no "key/value" strings
 * (perf: they ran once per existing pod per cycle). Entries that drop to
 * zero are removed; `size` counts the (key, value) entries left.
 */
export class TopologyCounts implements CountsReader {
  private readonly byKey = new Map<string, Map<string, number>>();
  size = 0;

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  add(key: string, value: string, delta: number): void {
    let inner = this.byKey.get(key);
    if (!inner) this.byKey.set(key, (inner = new Map()));
    const had = inner.has(value);
    const n = (inner.get(value) ?? 0) + delta;
    if (n === 0) {
      if (had) {
        inner.delete(value);
        this.size--;
        if (inner.size === 0) this.byKey.delete(key);
      }
    } else {
      inner.set(value, n);
      if (!had) this.size++;
    }
  }

  /** True when the node's value of some counted key has a positive count (upstream loops over the node's labels). */
  anyPositive(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, inner] of this.byKey) {
      const v = labels[key];
      if (typeof v === 'string' && (inner.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, inner] of this.byKey) c.byKey.set(k, new Map(inner));
    c.size = this.size;
    return c;
  }
}

/** topologyToMatchedTermCount.update: only nodes carrying the key count; entries dropping to zero are removed. */
function updateCount(m: TopologyCounts, node: Node, tk: string, value: number): void {
  const tv = node.metadata?.labels?.[tk];
  if (tv === undefined) return;
  m.add(tk, tv, value);
}

/** updateWithAffinityTerms: counts only when the pod matches ALL terms. */
function updateWithAffinityTerms(m: TopologyCounts, terms: readonly Term[], pod: Pod, node: Node, value: number): void {
  if (podMatchesAllAffinityTerms(terms, pod)) for (const t of terms) updateCount(m, node, t.topologyKey, value);
}

/** updateWithAntiAffinityTerms: each matching term counts. */
function updateWithAntiAffinityTerms(
  m: TopologyCounts,
  terms: readonly Term[],
  pod: Pod,
  nsLabels: Readonly<Record<string, string>> | undefined,
  node: Node,
  value: number,
): void {
  for (const t of terms) if (termMatches(t, pod, nsLabels)) updateCount(m, node, t.topologyKey, value);
}

/** A TopologyCounts of its own with the same entries (cached views are shared and never change). */
function ownCopy(c: CountsReader): TopologyCounts {
  if (c instanceof TopologyCounts) return c.clone();
  const out = new TopologyCounts();
  if (c instanceof SumsView) c.forEach((k, v, n) => out.add(k, v, n));
  return out;
}

/**
 * Filter's lookups by node slot (fast path), resolved once in PreFilter: for
 * each count, the key columns to read and the sums by value id of those keys
 * (undefined: no entry for the key). Valid while every cached view read is
 * still current (SumsView.isCurrent): the arrays are the cache's own.
 */
interface SlotLookups {
  readonly views: readonly SumsView[];
  /** The incoming pod's required affinity terms' keys and sums (parallel). */
  readonly affinityCols: readonly TopologyKeyColumn[];
  readonly affinitySums: ReadonlyArray<Float64Array | undefined>;
  readonly antiCols: readonly TopologyKeyColumn[];
  readonly antiSums: ReadonlyArray<Float64Array | undefined>;
  /** Every key with existing pods' anti-affinity counts. */
  readonly existingCols: readonly TopologyKeyColumn[];
  readonly existingSums: readonly Float64Array[];
}

/** SlotLookups for a state's counts; null when some count is not kept by value id. */
function slotLookupsFor(index: TopologyIndex, st: PreFilterState): SlotLookups | null {
  const views: SumsView[] = [];
  const sumsOf = (c: CountsReader): ReadonlyArray<Float64Array | undefined> | null => {
    if (c instanceof SumsView) {
      const sums = c.liveSums();
      if (sums !== null) views.push(c);
      return sums;
    }
    return c.size === 0 ? [] : null;
  };
  const aff = sumsOf(st.affinityCounts);
  const anti = sumsOf(st.antiAffinityCounts);
  const existing = sumsOf(st.existingAntiAffinityCounts);
  if (aff === null || anti === null || existing === null) return null;
  const affinityCols = st.requiredAffinityTerms.map((t) => index.column(t.topologyKey));
  const antiCols = st.requiredAntiAffinityTerms.map((t) => index.column(t.topologyKey));
  const existingCols: TopologyKeyColumn[] = [];
  const existingSums: Float64Array[] = [];
  for (let k = 0; k < existing.length; k++) {
    const arr = existing[k];
    if (arr === undefined) continue;
    existingCols.push(index.columns[k]!);
    existingSums.push(arr);
  }
  return {
    views,
    affinityCols,
    affinitySums: affinityCols.map((c) => aff[c.index]),
    antiCols,
    antiSums: antiCols.map((c) => anti[c.index]),
    existingCols,
    existingSums,
  };
}

/** upstream preFilterState. */
export class PreFilterState implements StateData {
  /** Set by PreFilter on the fast path; dropped when the counts become the state's own. */
  slotLookups: SlotLookups | null = null;
  constructor(
    readonly pod: Pod,
    /** The incoming pod's required terms, namespace selectors merged. */
    readonly requiredAffinityTerms: Term[],
    readonly requiredAntiAffinityTerms: Term[],
    readonly namespaceLabels: Readonly<Record<string, string>> | undefined,
    public existingAntiAffinityCounts: CountsReader,
    public affinityCounts: CountsReader,
    public antiAffinityCounts: CountsReader,
    /** False while the counts are shared with the plugin's cross-cycle cache: copied before the first change. */
    private ownsCounts = true,
  ) {}
  private ownMatch: boolean | undefined = undefined;
  /** podMatchesAllAffinityTerms(requiredAffinityTerms, pod), once per cycle (both are fixed for the state's life). */
  matchesOwnAffinityTerms(): boolean {
    return (this.ownMatch ??= podMatchesAllAffinityTerms(this.requiredAffinityTerms, this.pod));
  }
  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.requiredAffinityTerms,
      this.requiredAntiAffinityTerms,
      this.namespaceLabels,
      ownCopy(this.existingAntiAffinityCounts),
      ownCopy(this.affinityCounts),
      ownCopy(this.antiAffinityCounts),
    );
  }
  /** upstream updateWithPod (preemption's AddPod/RemovePod). */
  updateWithPod(pInfo: PodInfo, node: Node, multiplier: number): void {
    const existing = this.ownsCounts && this.existingAntiAffinityCounts instanceof TopologyCounts ? this.existingAntiAffinityCounts : ownCopy(this.existingAntiAffinityCounts);
    const affinity = this.ownsCounts && this.affinityCounts instanceof TopologyCounts ? this.affinityCounts : ownCopy(this.affinityCounts);
    const anti = this.ownsCounts && this.antiAffinityCounts instanceof TopologyCounts ? this.antiAffinityCounts : ownCopy(this.antiAffinityCounts);
    this.existingAntiAffinityCounts = existing;
    this.affinityCounts = affinity;
    this.antiAffinityCounts = anti;
    this.ownsCounts = true;
    this.slotLookups = null;
    updateWithAntiAffinityTerms(existing, pInfo.requiredAntiAffinityTerms, this.pod, this.namespaceLabels, node, multiplier);
    updateWithAffinityTerms(affinity, this.requiredAffinityTerms, pInfo.pod, node, multiplier);
    // The incoming pod's terms have their namespaceSelector merged: no namespace labels needed.
    updateWithAntiAffinityTerms(anti, this.requiredAntiAffinityTerms, pInfo.pod, undefined, node, multiplier);
  }
}

type ScoreMap = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Where processTerm's matches go: a topologyScore map, or one node's share. */
interface ScoreSink {
  push(key: string, value: string, weight: number): void;
}

/** A topologyScore map built by a full recount. */
class MapScores implements ScoreReader {
  constructor(private readonly m: ScoreMap) {}
  get keyCount(): number {
    return this.m.size;
  }
  scoreFor(labels: Readonly<Record<string, string>>): number {
    let score = 0;
    for (const [tk, vals] of this.m) {
      const v = labels[tk];
      if (v !== undefined) score += vals.get(v) ?? 0;
    }
    return score;
  }
}

/** Adds matches straight into a topologyScore map. */
class MapSink implements ScoreSink {
  constructor(readonly m: Map<string, Map<string, number>>) {}
  push(key: string, value: string, weight: number): void {
    let inner = this.m.get(key);
    if (!inner) this.m.set(key, (inner = new Map()));
    inner.set(value, (inner.get(value) ?? 0) + weight);
  }
}

/** upstream preScoreState; shared on clone as upstream. */
export class PreScoreState implements StateData {
  topologyScore: ScoreReader = new MapScores(new Map());
  constructor(
    readonly preferredAffinityTerms: WeightedTerm[],
    readonly preferredAntiAffinityTerms: WeightedTerm[],
    readonly namespaceLabels: Readonly<Record<string, string>> | undefined,
  ) {}
  clone(): PreScoreState {
    return this;
  }
}

type Labels = Readonly<Record<string, string>> | undefined;

/** `nodeLabels` are the node's labels (looked up once per node by the caller). */
function processTerm(m: ScoreSink, term: Term, weight: number, pod: Pod, nsLabels: Labels, nodeLabels: Labels, multiplier: number): void {
  if (!termMatches(term, pod, nsLabels)) return;
  const tv = nodeLabels?.[term.topologyKey];
  if (tv === undefined) return;
  m.push(term.topologyKey, tv, weight * multiplier);
}

function processTerms(m: ScoreSink, terms: readonly WeightedTerm[], pod: Pod, nsLabels: Labels, nodeLabels: Labels, multiplier: number): void {
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    processTerm(m, t, t.weight, pod, nsLabels, nodeLabels, multiplier);
  }
}

function parseError(pi: PodInfo): string | undefined {
  const e = (pi as PodInfo & { parseError?: unknown }).parseError;
  return typeof e === 'string' && e.length > 0 ? e : undefined;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = name;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);
  private readonly preScoreSlot = new StateSlot<PreScoreState>(preScoreStateKey);
  /** Cross-cycle per-node shares (see interpodaffinity/incremental.ts). */
  private readonly cache = new ContributionCache();
  /** Off (and with SchedulerOptions.fastPath off): every cycle recounts from scratch (property tests compare both). */
  cacheable: boolean;
  /** Off: a cached score share of a node that only gained pods is recounted in full (property tests compare both). */
  appendOnlyDelta = true;
  /** Off: Filter and Score look sums up by label value, never by node slot and value id (property tests compare both). */
  slotLookups = true;
  private readonly topology = new TopologyIndex();
  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly handle: Handle,
  ) {
    this.cacheable = handle.fastPath !== false;
  }

  // ---- PreFilter / Filter -------------------------------------------------

  preFilter(state: CycleState, podInfo: PodInfo, allNodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Result } {
    const pod = podInfo.pod;
    const perr = parseError(podInfo);
    if (perr) return { result: null, status: Status.unresolvable(`parsing pod: ${perr}`) };
    // No terms of its own and no pod with required anti-affinity anywhere: the Skip
    // below, without building empty counts (perf: most pods of most workloads).
    if (podInfo.requiredAffinityTerms.length === 0 && podInfo.requiredAntiAffinityTerms.length === 0 && this.handle.snapshot().havePodsWithRequiredAntiAffinityList().length === 0) {
      return PreFilterSkip;
    }
    const store = this.handle.store();
    const affinityTerms = podInfo.requiredAffinityTerms.map((t) => mergeTermNamespaces(t, store));
    const antiAffinityTerms = podInfo.requiredAntiAffinityTerms.map((t) => mergeTermNamespaces(t, store));
    const nsLabels = namespaceLabels(pod.metadata.namespace ?? '', store);

    const snap = this.handle.snapshot();
    const antiNodes = snap.havePodsWithRequiredAntiAffinityList();
    let existing: CountsReader;
    let affinityCounts: CountsReader;
    let antiAffinityCounts: CountsReader;
    let shared = false;
    const affKey = this.cacheable ? termsKey(affinityTerms) : undefined;
    const antiKey = this.cacheable ? termsKey(antiAffinityTerms) : undefined;
    if (affKey !== undefined && antiKey !== undefined) {
      // Same sums as countExisting / countIncoming below, kept across cycles.
      shared = true;
      existing =
        antiNodes.length === 0
          ? new TopologyCounts()
          : this.cache
              .get(`x\u0000${pod.metadata.namespace ?? ''}\u0000${labelsKey(pod.metadata.labels)}\u0000${labelsKey(nsLabels)}`, () =>
                newCounter((ni) => existingAntiShare(ni, pod, nsLabels), this.topology),
              )
              .sync(snap.list());
      affinityCounts =
        affinityTerms.length === 0
          ? new TopologyCounts()
          : this.cache.get(`a\u0000${affKey}`, () => newCounter((ni) => affinityShare(ni, affinityTerms), this.topology)).sync(allNodes);
      antiAffinityCounts =
        antiAffinityTerms.length === 0
          ? new TopologyCounts()
          : this.cache.get(`n\u0000${antiKey}`, () => newCounter((ni) => antiAffinityShare(ni, antiAffinityTerms), this.topology)).sync(allNodes);
    } else {
      existing = countExisting(antiNodes, pod, nsLabels);
      ({ affinityCounts, antiAffinityCounts } = countIncoming(allNodes, affinityTerms, antiAffinityTerms));
    }
    if (existing.size === 0 && affinityTerms.length === 0 && antiAffinityTerms.length === 0) {
      return PreFilterSkip;
    }
    const st = new PreFilterState(pod, affinityTerms, antiAffinityTerms, nsLabels, existing, affinityCounts, antiAffinityCounts, !shared);
    if (shared && this.slotLookups) st.slotLookups = slotLookupsFor(this.topology, st);
    state.write(preFilterStateKey, st);
    return PreFilterNone;
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _podToSchedule: PodInfo, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Result {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    s.updateWithPod(podInfoToAdd, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, _podToSchedule: PodInfo, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Result {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    s.updateWithPod(podInfoToRemove, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, _podInfo: PodInfo, nodeInfo: NodeInfo): Result {
    const s = this.preFilterSlot.read(state);
    if (!s) return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    const slot = nodeInfo.resourceSlot ?? -1;
    if (s.slotLookups !== null && slot >= 0) {
      const r = filterBySlot(s, s.slotLookups, slot, nodeInfo);
      if (r !== undefined) return r;
    }
    const labels = nodeInfo.node.metadata.labels ?? noLabels;
    if (!satisfyPodAffinity(s, labels)) return rejectedAffinity;
    if (!satisfyPodAntiAffinity(s, labels)) return rejectedAntiAffinity;
    if (!satisfyExistingPodsAntiAffinity(s, labels)) return rejectedExistingAntiAffinity;
    return null;
  }

  // ---- PreScore / Score ---------------------------------------------------

  /** The caller skips nodes without labels (upstream returns early for them). */
  private processExistingPod(s: PreScoreState, existing: PodInfo, nodeLabels: Labels, incoming: Pod, topoScore: ScoreSink): void {
    // The incoming pod's preferred terms against the existing pod (namespace selectors merged).
    processTerms(topoScore, s.preferredAffinityTerms, existing.pod, undefined, nodeLabels, 1);
    processTerms(topoScore, s.preferredAntiAffinityTerms, existing.pod, undefined, nodeLabels, -1);
    // The existing pod's required affinity, weighted by hardPodAffinityWeight.
    if (this.args.hardPodAffinityWeight > 0) {
      for (const t of existing.requiredAffinityTerms) processTerm(topoScore, t, this.args.hardPodAffinityWeight, incoming, s.namespaceLabels, nodeLabels, 1);
    }
    // The existing pod's preferred terms against the incoming pod.
    processTerms(topoScore, existing.preferredAffinityTerms, incoming, s.namespaceLabels, nodeLabels, 1);
    processTerms(topoScore, existing.preferredAntiAffinityTerms, incoming, s.namespaceLabels, nodeLabels, -1);
  }

  /**
   * A node's share of topologyScore, pod by pod: one triple per processTerm
   * hit of each pod of the list preScore walks on the node.
   */
  private scoreShare(s: PreScoreState, incoming: Pod, hasConstraints: boolean): PodwiseShare {
    return {
      list: (nodeInfo) => (hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity),
      appendShare: (nodeInfo, from, c) => {
        const podsToProcess = hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
        const nodeLabels = nodeInfo.node.metadata?.labels;
        if (podsToProcess.length <= from || !hasAnyLabel(nodeLabels)) return;
        for (let i = from; i < podsToProcess.length; i++) this.processExistingPod(s, podsToProcess[i]!, nodeLabels, incoming, c);
      },
    };
  }

  preScore(state: CycleState, podInfo: PodInfo, nodes: readonly NodeInfo[]): Result {
    if (nodes.length === 0) return SkipStatus;
    const pod = podInfo.pod;
    const aff = pod.spec?.affinity;
    const hasPreferredAffinity = (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    const hasPreferredAnti = (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    const hasConstraints = hasPreferredAffinity || hasPreferredAnti;
    // Optionally ignore existing pods' preferences when the incoming pod has none.
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SkipStatus;
    const snap = this.handle.snapshot();
    // Unless the incoming pod has preferred terms, only nodes hosting pods with affinity matter.
    const allNodes = hasConstraints ? snap.list() : snap.havePodsWithAffinityList();
    const perr = parseError(podInfo);
    if (perr) return Status.error(`failed to parse pod: ${perr}`);
    // No preferred terms and no pod with affinity anywhere: nothing to sum, the Skip below.
    if (!hasConstraints && allNodes.length === 0) return SkipStatus;
    const store = this.handle.store();
    const s = new PreScoreState(
      podInfo.preferredAffinityTerms.map((t) => mergeWeighted(t, store)),
      podInfo.preferredAntiAffinityTerms.map((t) => mergeWeighted(t, store)),
      namespaceLabels(pod.metadata.namespace ?? '', store),
    );
    const prefKey = this.cacheable ? termsKey(s.preferredAffinityTerms) : undefined;
    const prefAntiKey = this.cacheable ? termsKey(s.preferredAntiAffinityTerms) : undefined;
    if (prefKey !== undefined && prefAntiKey !== undefined) {
      // The same sums as the loop below, kept across cycles: nodes outside
      // havePodsWithAffinityList have no pod with affinity, so no share.
      if (allNodes.length > 0) {
        const key = `s\u0000${hasConstraints}\u0000${pod.metadata.namespace ?? ''}\u0000${labelsKey(pod.metadata.labels)}\u0000${labelsKey(s.namespaceLabels)}\u0000${prefKey}\u0000${prefAntiKey}`;
        const sums = this.cache
          .get(key, () => newPodwiseCounter(this.scoreShare(s, pod, hasConstraints), this.appendOnlyDelta, this.topology))
          .sync(snap.list());
        s.topologyScore = sums;
      }
    } else {
      // Upstream sums per-node partial maps (built in parallel) into one; adding
      // straight into the total gives the same sums without a map per node.
      const sink = new MapSink(new Map());
      s.topologyScore = new MapScores(sink.m);
      for (const nodeInfo of allNodes) {
        const podsToProcess = hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
        const nodeLabels = nodeInfo.node.metadata?.labels;
        if (podsToProcess.length === 0 || !hasAnyLabel(nodeLabels)) continue;
        for (let i = 0; i < podsToProcess.length; i++) this.processExistingPod(s, podsToProcess[i]!, nodeLabels, pod, sink);
      }
    }
    if (s.topologyScore.keyCount === 0) return SkipStatus;
    state.write(preScoreStateKey, s);
    return null;
  }

  score(state: CycleState, _podInfo: PodInfo, nodeInfo: NodeInfo): number | Status {
    const s = this.preScoreSlot.read(state);
    if (!s) return Status.error(`failed to read "${preScoreStateKey}" from cycleState: not found`);
    return s.topologyScore.scoreFor(nodeInfo.node.metadata.labels ?? {});
  }

  /** Score for every node (fast path): the same sums, without a NodeScore entry per node. */
  scoreAll(state: CycleState, _podInfo: PodInfo, nodes: readonly NodeInfo[], _slots: Int32Array | null, out: Float64Array): Status | null {
    const s = this.preScoreSlot.read(state);
    if (!s) return Status.error(`failed to read "${preScoreStateKey}" from cycleState: not found`);
    const ts = s.topologyScore;
    const sums = this.slotLookups && ts instanceof SumsView ? ts.liveSums() : null;
    if (sums !== null) {
      // By node slot and value id (topologyIndex.ts): the same sums over the same keys.
      const columns = this.topology.columns;
      for (let i = 0; i < nodes.length; i++) {
        const ni = nodes[i]!;
        const slot = ni.resourceSlot ?? -1;
        if (slot < 0) {
          out[i] = ts.scoreFor(ni.node.metadata.labels ?? noLabels);
          continue;
        }
        let score = 0;
        for (let k = 0; k < sums.length; k++) {
          const arr = sums[k];
          if (arr === undefined) continue;
          const id = columns[k]!.idAt(slot, ni);
          if (id >= 0 && id < arr.length) score += arr[id]!;
        }
        out[i] = score;
      }
      return null;
    }
    for (let i = 0; i < nodes.length; i++) out[i] = ts.scoreFor(nodes[i]!.node.metadata.labels ?? noLabels);
    return null;
  }

  /** normalizeScore over scoreAll's column (fast path); it never needs the nodes' names. */
  normalizeAll(state: CycleState, _podInfo: PodInfo, scores: Float64Array, n: number): boolean | Status {
    const s = this.preScoreSlot.read(state);
    if (!s) return Status.error(`failed to read "${preScoreStateKey}" from cycleState: not found`);
    if (s.topologyScore.keyCount === 0) return true;
    let minCount = Number.POSITIVE_INFINITY;
    let maxCount = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = scores[i]!;
      if (v > maxCount) maxCount = v;
      if (v < minCount) minCount = v;
    }
    const diff = maxCount - minCount;
    for (let i = 0; i < n; i++) {
      let f = 0;
      if (diff > 0) f = MaxNodeScore * ((scores[i]! - minCount) / diff);
      scores[i] = Math.trunc(f);
    }
    return true;
  }

  normalizeScore(state: CycleState, _podInfo: PodInfo, scores: NodeScore[]): Result {
    const s = state.read<PreScoreState>(preScoreStateKey);
    if (!s) return Status.error(`failed to read "${preScoreStateKey}" from cycleState: not found`);
    if (s.topologyScore.keyCount === 0) return null;
    let minCount = Number.POSITIVE_INFINITY;
    let maxCount = Number.NEGATIVE_INFINITY;
    for (const sc of scores) {
      if (sc.score > maxCount) maxCount = sc.score;
      if (sc.score < minCount) minCount = sc.score;
    }
    const diff = maxCount - minCount;
    for (const sc of scores) {
      let f = 0;
      if (diff > 0) f = MaxNodeScore * ((sc.score - minCount) / diff);
      sc.score = Math.trunc(f);
    }
    return null;
  }

  // ---- Queueing hints -----------------------------------------------------

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // An assigned pod added (may satisfy affinity), relabelled, or deleted (may lift anti-affinity).
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
        hint: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Stored<Pod & KObject> | undefined, newObj as Stored<Pod & KObject> | undefined),
      },
      // UpdateNodeTaint catches nodes that were added while not ready (upstream issue 110175).
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        hint: (pod, _oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, newObj as Stored<Node & KObject> | undefined),
      },
    ];
  }

  isSchedulableAfterPodChange(pod: Pod, originalPod: Pod | undefined, modifiedPod: Pod | undefined): QueueingHint {
    if ((modifiedPod && !modifiedPod.spec?.nodeName) || (originalPod && !originalPod.spec?.nodeName)) return 'QueueSkip';
    const info = newPodInfo(pod);
    if (parseError(info)) return 'Queue';
    const terms = info.requiredAffinityTerms;
    const antiTerms = info.requiredAntiAffinityTerms;
    if (modifiedPod && originalPod) {
      if (!podMatchesAllAffinityTerms(terms, originalPod) && podMatchesAllAffinityTerms(terms, modifiedPod)) return 'Queue';
      if (podMatchesAllAffinityTerms(antiTerms, originalPod) && !podMatchesAllAffinityTerms(antiTerms, modifiedPod)) return 'Queue';
      return 'QueueSkip';
    }
    if (modifiedPod) return podMatchesAllAffinityTerms(terms, modifiedPod) ? 'Queue' : 'QueueSkip';
    if (!originalPod) return 'Queue';
    return podMatchesAllAffinityTerms(antiTerms, originalPod) ? 'Queue' : 'QueueSkip';
  }

  isSchedulableAfterNodeChange(pod: Pod, modifiedNode: Node | undefined): QueueingHint {
    if (!modifiedNode) return 'Queue';
    const info = newPodInfo(pod);
    if (parseError(info)) return 'Queue';
    const labels = modifiedNode.metadata?.labels ?? {};
    for (const t of info.requiredAffinityTerms) if (t.topologyKey in labels) return 'Queue';
    for (const t of info.requiredAntiAffinityTerms) if (t.topologyKey in labels) return 'Queue';
    return 'QueueSkip';
  }
}

/** Existing pods' required anti-affinity terms matching the incoming pod, over nodes having such pods (full recount). */
export function countExisting(nodes: readonly NodeInfo[], pod: Pod, nsLabels: Labels): TopologyCounts {
  const existing = new TopologyCounts();
  for (const nodeInfo of nodes) {
    for (const ep of nodeInfo.podsWithRequiredAntiAffinity) {
      updateWithAntiAffinityTerms(existing, ep.requiredAntiAffinityTerms, pod, nsLabels, nodeInfo.node, 1);
    }
  }
  return existing;
}

/** Existing pods matching the incoming pod's required (anti-)affinity terms (full recount). */
export function countIncoming(
  allNodes: readonly NodeInfo[],
  affinityTerms: readonly Term[],
  antiAffinityTerms: readonly Term[],
): { affinityCounts: TopologyCounts; antiAffinityCounts: TopologyCounts } {
  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  if (affinityTerms.length > 0 || antiAffinityTerms.length > 0) {
    const withAffinity = affinityTerms.length > 0;
    const withAnti = antiAffinityTerms.length > 0;
    for (let n = 0; n < allNodes.length; n++) {
      const nodeInfo = allNodes[n]!;
      const pods = nodeInfo.pods;
      for (let i = 0; i < pods.length; i++) {
        const ep = pods[i]!;
        if (withAffinity) updateWithAffinityTerms(affinityCounts, affinityTerms, ep.pod, nodeInfo.node, 1);
        if (withAnti) updateWithAntiAffinityTerms(antiAffinityCounts, antiAffinityTerms, ep.pod, undefined, nodeInfo.node, 1);
      }
    }
  }
  return { affinityCounts, antiAffinityCounts };
}

function newCounter(share: (ni: NodeInfo) => Contribution | null, index: TopologyIndex): NodeContributions {
  return new NodeContributions(share, null, index);
}

function newPodwiseCounter(share: PodwiseShare, appendOnlyDelta: boolean, index: TopologyIndex): NodeContributions {
  const c = new NodeContributions(() => null, share, index);
  c.appendOnlyDelta = appendOnlyDelta;
  return c;
}

/** A node's share of countExisting. */
function existingAntiShare(ni: NodeInfo, pod: Pod, nsLabels: Labels): Contribution | null {
  const eps = ni.podsWithRequiredAntiAffinity;
  if (eps.length === 0) return null;
  const labels = ni.node.metadata?.labels;
  let c: Contribution | null = null;
  for (const ep of eps) {
    for (const t of ep.requiredAntiAffinityTerms) {
      if (!termMatches(t, pod, nsLabels)) continue;
      const tv = labels?.[t.topologyKey];
      if (tv !== undefined) (c ??= new Contribution()).push(t.topologyKey, tv, 1);
    }
  }
  return c;
}

/** A node's share of countIncoming's affinity counts: pods matching all terms count once per term. */
function affinityShare(ni: NodeInfo, terms: readonly Term[]): Contribution | null {
  let n = 0;
  for (const ep of ni.pods) if (podMatchesAllAffinityTerms(terms, ep.pod)) n++;
  if (n === 0) return null;
  const labels = ni.node.metadata?.labels;
  const c = new Contribution();
  for (const t of terms) {
    const tv = labels?.[t.topologyKey];
    if (tv !== undefined) c.push(t.topologyKey, tv, n);
  }
  return c;
}

/** A node's share of countIncoming's anti-affinity counts: each matching term counts. */
function antiAffinityShare(ni: NodeInfo, terms: readonly Term[]): Contribution | null {
  if (ni.pods.length === 0) return null;
  const labels = ni.node.metadata?.labels;
  let c: Contribution | null = null;
  for (const t of terms) {
    const tv = labels?.[t.topologyKey];
    if (tv === undefined) continue;
    let n = 0;
    for (const ep of ni.pods) if (termMatches(t, ep.pod, undefined)) n++;
    if (n > 0) (c ??= new Contribution()).push(t.topologyKey, tv, n);
  }
  return c;
}

/**
 * Identity of merged terms for the caches: namespaces, selectors, topology
 * key (and weight). undefined when a term cannot be keyed (no selectorKey, or
 * a namespace selector that was not merged), which turns caching off.
 */
function termsKey(terms: readonly (Term & { weight?: number })[]): string | undefined {
  let key = '';
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (t.selectorKey === undefined) return undefined;
    if (t.namespaceSelector !== null && !t.namespaceSelector.empty) return undefined;
    // Fields split by \u0002, terms by \u0001 (the callers' keys use \u0000): JSON texts and
    // numbers never hold those characters raw, so equal keys mean equal terms (perf: one
    // JSON.stringify of the whole term escaped the selector's JSON text again, every cycle).
    const ns = t.namespaces.size === 1 ? JSON.stringify(t.namespaces.values().next().value) : JSON.stringify([...t.namespaces].sort());
    key += `${i > 0 ? '\u0001' : ''}${ns}\u0002${t.namespaceSelector === null ? 1 : 0}\u0002${JSON.stringify(t.topologyKey)}\u0002${t.weight ?? ''}\u0002${t.selectorKey}`;
  }
  return key;
}

function hasAnyLabel(labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const _ in labels) return true;
  return false;
}

/**
 * Filter's three checks, in the same order with the same outcomes, reading
 * the counts by the node's slot and value ids (fast path: no label map or
 * string-keyed map lookups). undefined when a cached view changed since
 * PreFilter (the caller then reads the counts by label value).
 */
function filterBySlot(s: PreFilterState, l: SlotLookups, slot: number, nodeInfo: NodeInfo): Result | undefined {
  const views = l.views;
  for (let v = 0; v < views.length; v++) if (!views[v]!.isCurrent()) return undefined;
  const affCols = l.affinityCols;
  if (affCols.length > 0) {
    let podsExist = true;
    for (let j = 0; j < affCols.length; j++) {
      const id = affCols[j]!.idAt(slot, nodeInfo);
      // Every topology key must be a node label.
      if (id < 0) return rejectedAffinity;
      const arr = l.affinitySums[j];
      if (arr === undefined || id >= arr.length || arr[id]! <= 0) podsExist = false;
    }
    if (!podsExist && !(s.affinityCounts.size === 0 && s.matchesOwnAffinityTerms())) return rejectedAffinity;
  }
  if (s.antiAffinityCounts.size > 0) {
    const cols = l.antiCols;
    for (let j = 0; j < cols.length; j++) {
      const arr = l.antiSums[j];
      if (arr === undefined) continue;
      const id = cols[j]!.idAt(slot, nodeInfo);
      if (id >= 0 && id < arr.length && arr[id]! > 0) return rejectedAntiAffinity;
    }
  }
  if (s.existingAntiAffinityCounts.size > 0) {
    // Every key with counts (keys whose entries all went have zeros only).
    const cols = l.existingCols;
    for (let k = 0; k < cols.length; k++) {
      const arr = l.existingSums[k]!;
      const id = cols[k]!.idAt(slot, nodeInfo);
      if (id >= 0 && id < arr.length && arr[id]! > 0) return rejectedExistingAntiAffinity;
    }
  }
  return null;
}

/** Incoming pod's required affinity; the first pod of a self-affine group passes when nothing matches anywhere. */
function satisfyPodAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  let podsExist = true;
  for (const t of s.requiredAffinityTerms) {
    const tv = labels[t.topologyKey];
    // Every topology key must be a node label.
    if (tv === undefined) return false;
    if (s.affinityCounts.get(t.topologyKey, tv) <= 0) podsExist = false;
  }
  if (!podsExist) return s.affinityCounts.size === 0 && s.matchesOwnAffinityTerms();
  return true;
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.requiredAntiAffinityTerms) {
    const tv = labels[t.topologyKey];
    if (tv !== undefined && s.antiAffinityCounts.get(t.topologyKey, tv) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  return !s.existingAntiAffinityCounts.anyPositive(labels);
}

export const factory: PluginFactory = (args, handle) => new InterPodAffinity(interPodAffinityArgs(args), handle);
