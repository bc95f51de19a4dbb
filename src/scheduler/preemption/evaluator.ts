/**
 * The generic preemption evaluator, following kube-scheduler v1.35
 * (unchanged since v1.32 in what ksim models; async preemption not modelled)
 * pkg/scheduler/framework/preemption/preemption.go (Evaluator.Preempt,
 * findCandidates, DryRunPreemption, SelectCandidate,
 * pickOneNodeForPreemption, prepareCandidate, getLowerPriorityNominatedPods,
 * clearNominatedNodeName) with the v1.32 NodeToStatus reading (nodes absent
 * from the status map count as UnschedulableAndUnresolvable).
 *
 * A preemption plugin supplies the policy (PreemptionInterface: eligibility,
 * victim selection, candidate count); the evaluator runs the dry run over
 * the nodes where removing pods might help, picks one candidate and carries
 * out the preemption through the Handle (evictPod, writeObject).
 *
 * Upstream dry-runs nodes with 16 goroutines and stops once enough
 * candidates exist; ksim dry-runs them one by one in the same (offset)
 * order, which is what a single worker would do and keeps runs
 * deterministic. Upstream collects candidates into a Go map before picking
 * (so the final "first node" tie-break is effectively random); ksim keeps
 * discovery order: non-PDB-violating candidates first, then violating ones.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../../sim/types.ts';
import { Code, Status, type CycleState, type FilterPlugin, type Handle, type NodeInfo, type NodeToStatusMap, type PodInfo, type PostFilterResult, type Result } from '../framework/types.ts';
import { NodeInfoImpl } from '../framework/nodeInfo.ts';
import { fitErrorMessage, newDiagnosis } from '../framework/fitError.ts';
import { compilePDBs, type CompiledPDB, type PDB } from './pdb.ts';
import { earliestStartTimeOfHighestPriority, podPriority, podRef } from './util.ts';
import { WhatIfNodeInfo } from '../framework/whatIfNodeInfo.ts';
import { MemoContexts, NodeResultMemo, nominatedHere } from '../framework/dryRunMemo.ts';

/** upstream Candidate: a node and the victims whose eviction makes the pod fit there. */
export interface Candidate {
  name: string;
  /** Most important first (MoreImportantPod order). */
  victims: readonly PodInfo[];
  numPDBViolations: number;
  /** The default criteria's scores of `victims`, when the evaluator made the candidate (victimScoresOf). */
  scores?: VictimScores;
}

/** A node's private what-if copy, changed by the dry run (NodeInfoImpl or WhatIfNodeInfo). */
export interface MutableNodeInfo extends NodeInfo {
  addPod(pi: PodInfo): void;
  removePod(pi: PodInfo): boolean;
}

/** How the dry run evaluates what-ifs on a node copy. */
export interface DryRunFilters {
  /** upstream RunFilterPluginsWithNominatedPods on the copy. */
  filter(state: CycleState, pod: PodInfo, nodeInfo: MutableNodeInfo): Result;
  /**
   * false when no PreFilter extension is active this cycle: AddPod/RemovePod
   * would do nothing and return success, so they need not be called.
   */
  readonly extensions: boolean;
}

export interface VictimSelection {
  victims: readonly PodInfo[];
  numPDBViolations: number;
  status: Result;
  /** The evaluator's cache of the victims' scores (victimScoresOf); only for a frozen list of frozen pods. */
  scores?: VictimScores;
}

/** upstream preemption.Interface: what a preemption plugin decides. */
export interface PreemptionInterface {
  /** A random offset into the potential nodes and how many candidates to find. */
  getOffsetAndNumCandidates(numNodes: number): { offset: number; numCandidates: number };
  /** Whether the pod may preempt at all; msg explains a refusal. */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): { eligible: boolean; msg: string };
  /** Victims on one node; `state` and `nodeInfo` are private copies the plugin may change (through `run`'s rules). */
  selectVictimsOnNode(state: CycleState, pod: PodInfo, nodeInfo: MutableNodeInfo, pdbs: readonly CompiledPDB[], run?: DryRunFilters): VictimSelection;
  /** Custom tie-break scores (higher wins), or null for upstream's default criteria. */
  orderedScoreFuncs?(candidates: readonly Candidate[]): Array<(c: Candidate) => number> | null;
}

/** The status preemption gives nodes it cannot help (upstream's absent-nodes status in the FitError). */
export const PreemptionNotHelpfulMsg = 'Preemption is not helpful for scheduling';
/** MaxInt32 + 1: added to every victim priority so sums of negative priorities still order correctly. */
const PriorityShift = 2147483648;

export interface PreemptOutcome {
  result: PostFilterResult | null;
  status: Result;
}

/** The status of a node as upstream's NodeToStatus.Get: absent nodes are UnschedulableAndUnresolvable. */
function statusCode(m: NodeToStatusMap, name: string): Code {
  const s = m.get(name);
  return s ? s.code : Code.UnschedulableAndUnresolvable;
}

/** A private copy of a NodeInfo for what-if changes (upstream NodeInfo.Snapshot). */
export function cloneNodeInfo(ni: NodeInfo): NodeInfoImpl {
  if (ni instanceof NodeInfoImpl) return ni.clone();
  const c = new NodeInfoImpl(ni.node, ni.index);
  for (const p of ni.pods) c.addPod(p);
  return c;
}

interface ListNames {
  names: string[];
  /** Position by name; null when a name repeats. */
  position: Map<string, number> | null;
}
const namesOfList = new WeakMap<readonly NodeInfo[], ListNames>();

/**
 * The node names of a node list, by position, made once per list (the
 * scheduler cache makes a new list whenever nodes come or go, and a
 * NodeInfo's node keeps its name): the potential-node pass and the dry run
 * read a thousand names per preemption, each three objects away (perf).
 */
function nodeNamesOf(list: readonly NodeInfo[]): ListNames {
  let ln = namesOfList.get(list);
  if (ln === undefined || ln.names.length !== list.length) {
    const names = list.map((ni) => ni.node.metadata?.name ?? '');
    let position: Map<string, number> | null = new Map();
    for (let i = 0; i < names.length && position !== null; i++) {
      if (position.has(names[i]!)) position = null;
      else position.set(names[i]!, i);
    }
    ln = { names, position };
    namesOfList.set(list, ln);
  }
  return ln;
}

let codesScratch = new Int32Array(0);

/**
 * Each node's status code in `m` (upstream NodeToStatus.Get: absent nodes
 * are UnschedulableAndUnresolvable), by position in `list`; a scratch array
 * valid until the next call. A failed cycle writes its map in evaluation
 * order, one name after the other from some node on, wrapping: when the
 * keys are, in order, the names from one position on (each compared by
 * identity first), the map is walked once instead of looked up a thousand
 * times (perf); otherwise, or when names repeat, every name is looked up.
 */
export function nodeStatusCodes(m: NodeToStatusMap, list: readonly NodeInfo[]): Int32Array {
  const { names, position } = nodeNamesOf(list);
  const n = names.length;
  if (codesScratch.length < n) codesScratch = new Int32Array(Math.max(n, 2 * codesScratch.length));
  const codes = codesScratch;
  if (position !== null && m.size > 0 && m.size <= n) {
    codes.fill(Code.UnschedulableAndUnresolvable, 0, n);
    let start = -1;
    let j = 0;
    let ok = true;
    m.forEach((s, k) => {
      if (!ok) return;
      if (start < 0) {
        const p = position.get(k);
        if (p === undefined) {
          ok = false;
          return;
        }
        start = p;
      }
      const p = start + j < n ? start + j : start + j - n;
      if (names[p] !== k) {
        ok = false;
        return;
      }
      codes[p] = s ? s.code : Code.UnschedulableAndUnresolvable;
      j++;
    });
    if (ok) return codes;
  }
  for (let i = 0; i < n; i++) codes[i] = statusCode(m, names[i]!);
  return codes;
}

export class Evaluator {
  constructor(
    readonly pluginName: string,
    readonly handle: Handle,
    readonly policy: PreemptionInterface,
  ) {}

  /**
   * upstream Evaluator.Preempt:
   *  - <null, Unschedulable>: not eligible (the nomination is kept);
   *  - <result "", Unschedulable>: no candidate anywhere (the nomination is cleared);
   *  - <result node, null>: victims evicted, the pod is nominated to `node`;
   *  - <null, Error>: something went wrong; retried later.
   */
  preempt(state: CycleState, podInfo: PodInfo, m: NodeToStatusMap): PreemptOutcome {
    // 0) The latest version of the pod (its nominatedNodeName may have changed).
    const given = podInfo.pod;
    const latest = this.handle.store().get<Pod & KObject>('Pod', given.metadata?.namespace ?? '', given.metadata?.name ?? '');
    const pod: Pod = latest && latest.metadata?.uid === given.metadata?.uid ? latest : given;

    // 1) Eligibility.
    const nnn = pod.status?.nominatedNodeName ?? '';
    const nominatedStatus = nnn ? (m.get(nnn) ?? new Status(Code.UnschedulableAndUnresolvable)) : undefined;
    const { eligible, msg } = this.policy.podEligibleToPreemptOthers(pod, nominatedStatus);
    if (!eligible) return { result: null, status: Status.unschedulable(msg) };

    // 2) Candidates.
    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return { result: null, status: Status.error('no nodes available') };
    const { candidates, nodeStatuses, errors } = this.findCandidates(state, allNodes, podInfo, m);
    if (errors.length > 0 && candidates.length === 0) return { result: null, status: Status.error(errors.join(', ')) };

    if (candidates.length === 0) {
      // A FitError over all nodes: the dry run's statuses, every other node "not helpful".
      const d = newDiagnosis();
      for (const [n, s] of nodeStatuses) d.nodeToStatus.set(n, s);
      // upstream nodesWherePreemptionMightHelp gives every other node an explicit
      // "not helpful" status, so they all count in the message (v1.31 FitError.Error
      // counts only explicit entries).
      const notHelpful = new Status(Code.UnschedulableAndUnresolvable, [PreemptionNotHelpfulMsg]);
      for (const ni of allNodes) {
        const name = ni.node.metadata?.name ?? '';
        if (!d.nodeToStatus.has(name)) d.nodeToStatus.set(name, notHelpful);
      }
      // The empty nomination clears any nominatedNodeName the pod had.
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(fitErrorMessage(allNodes.length, d)) };
    }

    // 3) Extenders: not modelled.
    // 4) The best candidate.
    const best = this.selectCandidate(candidates);
    if (!best || best.name === '') return { result: null, status: Status.unschedulable('no candidate node for preemption') };

    // 5) Evict the victims and clear lower-priority nominations on the node.
    const st = this.prepareCandidate(best, podInfo);
    if (st) return { result: null, status: st };
    return {
      result: {
        nominatedNodeName: best.name,
        victims: best.victims.map((v) => podRef(v.pod)),
        // Read only by explanations: built when read (perf: a hundred candidates per preemption).
        get candidates() {
          return candidates.map((c) => ({ node: c.name, victims: c.victims.map((v) => podRef(v.pod)), numPDBViolations: c.numPDBViolations }));
        },
      },
      status: null,
    };
  }

  /** upstream findCandidates: only nodes whose filter status is Unschedulable can be helped by removing pods. */
  findCandidates(
    state: CycleState,
    allNodes: readonly NodeInfo[],
    pod: PodInfo,
    m: NodeToStatusMap,
  ): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    // dryRunPreemption keeps no reference to the lists it is given: they may be reused scratch.
    const names = nodeNamesOf(allNodes).names;
    const codes = nodeStatusCodes(m, allNodes);
    const n = allNodes.length;
    let count = 0;
    for (let i = 0; i < n; i++) if (codes[i] === Code.Unschedulable) count++;
    // Every node a potential one (the usual failed cycle): the lists themselves.
    let potential: readonly NodeInfo[] = allNodes;
    let potentialNames: readonly string[] = names;
    if (count < n) {
      // Lists reused across attempts, written from index 0, then cut to length
      // (perf: emptying an array with length = 0 drops its store, and regrowing
      // it to a thousand entries was most of a preemption's garbage).
      const nodes = this.potentialScratch;
      const nodeNames = this.potentialNamesScratch;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (codes[i] === Code.Unschedulable) {
          nodes[k] = allNodes[i]!;
          nodeNames[k++] = names[i]!;
        }
      }
      nodes.length = k;
      nodeNames.length = k;
      potential = nodes;
      potentialNames = nodeNames;
    }
    if (count === 0) return { candidates: [], nodeStatuses: new Map(), errors: [] };
    const pdbObjects = this.handle.store().list<PDB>('PodDisruptionBudget');
    const pdbs = compilePDBs(pdbObjects);
    const { offset, numCandidates } = this.policy.getOffsetAndNumCandidates(potential.length);
    return this.dryRunPreemption(state, pod, potential, pdbs, offset, numCandidates, pdbObjects, potentialNames);
  }

  private readonly potentialScratch: NodeInfo[] = [];
  private readonly potentialNamesScratch: string[] = [];

  /**
   * upstream DryRunPreemption: from `offset`, select victims on each
   * potential node (on copies of the state and NodeInfo) until there are
   * `numCandidates` candidates and at least one of them violates no PDB.
   * `pdbObjects`, the PDBs `pdbs` was compiled from, lets the fast path
   * reuse results of unchanged nodes (dryRunMemo.ts); without it every node
   * is evaluated. `names`, the potential nodes' names by position, spares
   * reading each node's. `nodeStatuses`, which only a search without
   * candidates reports, is filled only then.
   */
  dryRunPreemption(
    state: CycleState,
    pod: PodInfo,
    potential: readonly NodeInfo[],
    pdbs: readonly CompiledPDB[],
    offset: number,
    numCandidates: number,
    pdbObjects?: readonly PDB[],
    names?: readonly string[],
  ): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    // Scratch lists written from index 0 (as findCandidates'); copied into nodeStatuses before returning, if at all.
    const failedNames = this.failedNamesScratch;
    const failedStatuses = this.failedStatusesScratch;
    let failed = 0;
    const errors: string[] = [];
    const n = potential.length;
    const fast = this.fastDryRun(state);
    const context = fast !== null && pdbObjects !== undefined ? this.memoContext(fast, pod, pdbObjects) : -1;
    const nominator = this.handle.nominator();
    const uid = pod.pod.metadata?.uid;
    for (let i = 0; i < n; i++) {
      const idx = (offset + i) % n;
      const ni = potential[idx]!;
      const name = names !== undefined ? names[idx]! : (ni.node.metadata?.name ?? '');
      let sel: VictimSelection;
      if (fast !== null && ni instanceof NodeInfoImpl) {
        // The preemptor nominated here is left out of the nominated pass: not a result other pods share.
        const nominated = context >= 0 ? nominator.nominatedPodsForNode(name) : null;
        const hit = nominated !== null ? this.memo.get(ni, context, this.pdbEpoch, nominated, uid) : undefined;
        if (hit !== undefined) sel = hit;
        else {
          fast.node.reset(ni);
          sel = this.policy.selectVictimsOnNode(state, pod, fast.node, pdbs, fast);
          if (nominated !== null && !nominatedHere(nominated, uid) && (sel.status === null || sel.status.code !== Code.Error)) this.memo.set(ni, context, this.pdbEpoch, nominated, sel);
        }
      } else sel = this.policy.selectVictimsOnNode(state.clone(), pod, cloneNodeInfo(ni), pdbs, this.straightforward);
      let status = sel.status;
      if (status === null || status.isSuccess()) {
        if (sel.victims.length > 0) {
          const c: Candidate = { name, victims: sel.victims, numPDBViolations: sel.numPDBViolations, scores: victimScoresOf(sel) };
          // upstream candidateList: at most numCandidates of each kind are kept.
          if (c.numPDBViolations === 0) {
            if (nonViolating.length < numCandidates) nonViolating.push(c);
          } else if (violating.length < numCandidates) violating.push(c);
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
          continue;
        }
        status = Status.error(`expected at least one victim pod on node "${name}"`);
      }
      if (status.code === Code.Error) errors.push(status.message());
      failedNames[failed] = name;
      failedStatuses[failed++] = status;
    }
    const candidates = violating.length === 0 ? nonViolating : [...nonViolating, ...violating];
    const nodeStatuses = new Map<string, Status>();
    if (candidates.length === 0) for (let i = 0; i < failed; i++) nodeStatuses.set(failedNames[i]!, failedStatuses[i]!);
    return { candidates, nodeStatuses, errors };
  }

  private readonly failedNamesScratch: string[] = [];
  private readonly failedStatusesScratch: Status[] = [];

  /** upstream's what-if evaluation: filters with nominated pods through the framework, extensions called. */
  readonly straightforward: DryRunFilters = {
    filter: (state, pod, nodeInfo) => this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo),
    extensions: true,
  };

  /**
   * The fast dry run, or null where it might decide differently. It needs
   * every Filter this cycle runs to be node-local (reads only the pod, its
   * args, the NodeInfo and PreFilter state; writes nothing) and no active
   * PreFilter extension: then the cycle state is never changed, so one
   * state serves every node instead of a clone per node, and a reusable
   * WhatIfNodeInfo replaces the NodeInfo clone. The same Filter calls run,
   * in the same order, on equal NodeInfo contents.
   */
  private fastDryRun(state: CycleState): FastDryRun | null {
    const h = this.handle;
    if (h.fastPath === false || !h.activeFilters || !h.runFilterPlugins) return null;
    const { filters, preFilterExtensions } = h.activeFilters(state);
    if (preFilterExtensions) return null;
    for (const f of filters) if (f.nodeLocal !== true) return null;
    const fast = (this.fast ??= new FastDryRun(h, h.runFilterPlugins.bind(h)));
    fast.filters = filters;
    return fast;
  }
  private fast: FastDryRun | null = null;

  private readonly memo = new NodeResultMemo<VictimSelection>();
  /** Memo contexts (active Filters and preemptor shape). */
  private readonly contexts = new MemoContexts();
  /** Bumped whenever the PDB objects differ from the previous attempt's. */
  private pdbEpoch = 0;
  private lastPdbs: readonly PDB[] = [];

  /** The memo context of this attempt (and the PDB epoch brought up to date). */
  private memoContext(fast: FastDryRun, pod: PodInfo, pdbObjects: readonly PDB[]): number {
    const last = this.lastPdbs;
    if (last.length !== pdbObjects.length || last.some((p, i) => p !== pdbObjects[i])) {
      this.pdbEpoch++;
      this.lastPdbs = pdbObjects;
    }
    return this.contexts.idFor(fast.filters, pod);
  }

  /** upstream SelectCandidate. */
  selectCandidate(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length <= 1) return candidates[0];
    const funcs = this.policy.orderedScoreFuncs?.(candidates) ?? null;
    return pickOneNodeForPreemption(candidates, funcs);
  }

  /**
   * upstream prepareCandidate: evict every victim not already terminating
   * (a victim waiting at Permit is rejected instead), then clear the
   * nominations of lower-priority pods nominated to the node, since they
   * may no longer fit there.
   */
  prepareCandidate(c: Candidate, preemptor: PodInfo): Result {
    const evict = this.handle.evictPod;
    for (const v of c.victims) {
      // Graceful deletion already started (an earlier preemption): no second delete, condition or event (v1.32+).
      if (v.pod.metadata?.deletionTimestamp) continue;
      if (!evict) return Status.error('the scheduler handle cannot evict pods');
      try {
        evict(v, preemptor, c.name);
      } catch (e) {
        return Status.error(e instanceof Error ? e.message : String(e));
      }
    }
    const lower = getLowerPriorityNominatedPods(this.handle, preemptor.pod, c.name);
    const write = this.handle.writeObject;
    if (write) {
      for (const p of lower) {
        if (!p.status?.nominatedNodeName) continue;
        try {
          write<Pod & KObject>('Pod', p.metadata?.namespace ?? '', p.metadata?.name ?? '', (d) => {
            const st = (d as { status?: { nominatedNodeName?: string } }).status;
            if (st) delete st.nominatedNodeName;
          });
        } catch {
          // Not critical, as upstream: the pod may be gone.
        }
      }
    }
    return null;
  }
}

/**
 * The fast path's DryRunFilters: runFilterPluginsWithNominatedPods (framework
 * runtime) with a reusable what-if copy for the nominated pods' pass instead
 * of a clone, and no AddPod extension calls (none is active).
 */
class FastDryRun implements DryRunFilters {
  readonly node = new WhatIfNodeInfo();
  private readonly withNominated = new WhatIfNodeInfo();
  readonly extensions = false;
  /** This attempt's active Filters (part of the memo context). */
  filters: readonly FilterPlugin[] = [];

  constructor(
    private readonly handle: Handle,
    private readonly run: (state: CycleState, pod: PodInfo, nodeInfo: NodeInfo) => Result,
  ) {}

  filter(state: CycleState, pod: PodInfo, nodeInfo: MutableNodeInfo): Result {
    const nominated = this.handle.nominator().nominatedPodsForNode(nodeInfo.node.metadata?.name ?? '');
    if (nominated.length === 0) return this.run(state, pod, nodeInfo);
    let out: WhatIfNodeInfo | null = null;
    const prio = podPriority(pod.pod);
    const uid = pod.pod.metadata?.uid;
    for (const pi of nominated) {
      if (podPriority(pi.pod) >= prio && pi.pod.metadata?.uid !== uid) {
        if (out === null) {
          out = this.withNominated;
          out.reset(nodeInfo as WhatIfNodeInfo);
        }
        out.addPod(pi);
      }
    }
    if (out === null) return this.run(state, pod, nodeInfo);
    // Upstream: with the nominated pods first; if that passes, without them.
    const first = this.run(state, pod, out);
    if (first !== null) return first;
    return this.run(state, pod, nodeInfo);
  }
}

/** upstream getLowerPriorityNominatedPods. */
export function getLowerPriorityNominatedPods(handle: Handle, pod: Pod, nodeName: string): Pod[] {
  const prio = podPriority(pod);
  return handle
    .nominator()
    .nominatedPodsForNode(nodeName)
    .filter((pi) => podPriority(pi.pod) < prio)
    .map((pi) => pi.pod);
}

/**
 * upstream pickOneNodeForPreemption. Each score function keeps the
 * candidates with the highest score; the first function that leaves one
 * decides. Default criteria, in order: fewest PDB violations; lowest
 * highest-victim priority; smallest sum of (priority + MaxInt32 + 1); fewest
 * victims; latest earliest start time among the highest-priority victims;
 * then the first candidate.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], scoreFuncs: Array<(c: Candidate) => number> | null): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  if (!scoreFuncs || scoreFuncs.length === 0) {
    const picked = pickByDefaultCriteria(candidates);
    if (picked !== undefined) return picked;
  }
  const funcs = scoreFuncs && scoreFuncs.length > 0 ? scoreFuncs : defaultScoreFuncs;
  let all: readonly Candidate[] = candidates;
  for (const f of funcs) {
    let selected: Candidate[] = [];
    let max = -Infinity;
    for (const c of all) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [c];
      } else if (s === max) selected.push(c);
    }
    // Every candidate scoring -Infinity (impossible with the defaults) keeps them all, as MinInt64 would.
    if (selected.length === 0) selected = all.slice();
    if (selected.length === 1) return selected[0];
    all = selected;
  }
  return all[0];
}

/** The default criteria as score functions (the reference the figures below must agree with). */
export const defaultScoreFuncs: ReadonlyArray<(c: Candidate) => number> = [
  // A node with fewer PDB violations.
  (c) => -c.numPDBViolations,
  // A node whose most important victim has the lowest priority (victims are sorted, so it is the first).
  (c) => -podPriority(c.victims[0]!.pod),
  // A node with the smallest sum of victim priorities, each shifted to be >= 0.
  (c) => {
    let sum = 0;
    for (const v of c.victims) sum += podPriority(v.pod) + PriorityShift;
    return -sum;
  },
  // A node with fewer victims.
  (c) => -c.victims.length,
  // A node whose highest-priority victims started latest.
  (c) => earliestStartTimeOfHighestPriority(c.victims.map((v) => v.pod)) ?? -Infinity,
];

/**
 * The default criteria's scores of one victim list (criteria 2-5; the first
 * is the candidate's PDB violation count), in defaultScoreFuncs' terms.
 */
export type VictimScores = readonly [first: number, sum: number, count: number, earliest: number];

/** The scores of a victim list, and whether the list and its pods are frozen (then they can never change). */
function computeVictimScores(victims: readonly PodInfo[]): { scores: VictimScores; frozen: boolean } {
  let sum = 0;
  let frozen = Object.isFrozen(victims);
  const pods: Pod[] = [];
  for (const v of victims) {
    const p = v.pod;
    sum += podPriority(p) + PriorityShift;
    pods.push(p);
    if (frozen && !(Object.isFrozen(p) && Object.isFrozen(p.spec) && Object.isFrozen(p.status))) frozen = false;
  }
  return { scores: [-podPriority(victims[0]!.pod), -sum, -victims.length, earliestStartTimeOfHighestPriority(pods) ?? -Infinity], frozen };
}

/**
 * A selection's victim scores, kept on the selection when its victim list
 * and pods are frozen (stored pods are): the dry-run memo hands the same
 * selection to every preemptor of a shape while the node is unchanged, and
 * a hundred candidates are scored per preemption (perf). At least one victim.
 */
export function victimScoresOf(sel: VictimSelection): VictimScores {
  if (sel.scores !== undefined) return sel.scores;
  const { scores, frozen } = computeVictimScores(sel.victims);
  if (frozen) sel.scores = scores;
  return scores;
}

/** Scratch for pickByDefaultCriteria (grown as needed): five score columns, two index lists. */
let scoreScratch = new Float64Array(5 * 128);
let liveScratch = new Int32Array(128);
let keptScratch = new Int32Array(128);

/**
 * pickOneNodeForPreemption with the default criteria: the same filtering,
 * over scores taken once per candidate (and cached per frozen victim list)
 * instead of five closure calls per candidate; undefined (the caller then
 * runs the functions) when a candidate has no victims.
 */
function pickByDefaultCriteria(candidates: readonly Candidate[]): Candidate | undefined {
  const n = candidates.length;
  for (let i = 0; i < n; i++) if (candidates[i]!.victims.length === 0) return undefined;
  if (liveScratch.length < n) {
    scoreScratch = new Float64Array(5 * n);
    liveScratch = new Int32Array(n);
    keptScratch = new Int32Array(n);
  }
  // Column k holds criterion k's scores, by candidate.
  const scores = scoreScratch;
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!;
    const v = c.scores ?? computeVictimScores(c.victims).scores;
    scores[i] = -c.numPDBViolations;
    scores[n + i] = v[0];
    scores[2 * n + i] = v[1];
    scores[3 * n + i] = v[2];
    scores[4 * n + i] = v[3];
  }
  let live = liveScratch;
  let kept = keptScratch;
  for (let i = 0; i < n; i++) live[i] = i;
  let count = n;
  for (let k = 0, col = 0; k < 5; k++, col += n) {
    let max = -Infinity;
    let nKept = 0;
    for (let j = 0; j < count; j++) {
      const i = live[j]!;
      const s = scores[col + i]!;
      if (s > max) {
        max = s;
        kept[0] = i;
        nKept = 1;
      } else if (s === max) kept[nKept++] = i;
    }
    // As above: no candidate above -Infinity keeps them all.
    if (nKept === 0) continue;
    if (nKept === 1) return candidates[kept[0]!];
    const t = live;
    live = kept;
    kept = t;
    count = nKept;
  }
  return candidates[live[0]!];
}
