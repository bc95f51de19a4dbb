/**
 * One pod's placement decision, following kube-scheduler v1.31/v1.32
 * pkg/scheduler/schedule_one.go (schedulePod, findNodesThatFitPod,
 * evaluateNominatedNode, findNodesThatPassFilters, numFeasibleNodesToFind,
 * prioritizeNodes, selectHost).
 *
 * Filters run sequentially from nextStartNodeIndex and stop as soon as
 * enough feasible nodes are found (upstream runs 16 goroutines, so it may
 * look at a few extra nodes; ksim behaves as parallelism 1, which keeps
 * the result deterministic). Ties between the best nodes are broken by
 * reservoir sampling over the feasible nodes in evaluation order.
 */
import { FailedNodeStatuses } from './nodeToStatus.ts';
import type { Rng } from '../../sim/types.ts';
import { Code, Status, type CycleState, type NodeInfo, type NodeInfoLister, type PodInfo, type PodNominator } from './types.ts';
import type { Framework, ScoreDetail } from './runtime.ts';
import { addPluginStatus, newDiagnosis, FitError, NoNodesAvailableMsg, type Diagnosis } from './fitError.ts';
import type { AttemptRecord, CodeName, StatusRecord } from '../explain/record.ts';
import { filterMemoGet, filterMemoSet, syncFresh } from './nodeMemo.ts';
import { listSlots, type NodeResourceTable } from './resourceTable.ts';

export const MinFeasibleNodesToFind = 100;
export const MinFeasibleNodesPercentageToFind = 5;

/** upstream numFeasibleNodesToFind: adaptive percentage 50 - nodes/125, at least 5%, at least 100 nodes. */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MinFeasibleNodesToFind) return numAllNodes;
  let pct = percentage;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MinFeasibleNodesPercentageToFind) pct = MinFeasibleNodesPercentageToFind;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MinFeasibleNodesToFind ? MinFeasibleNodesToFind : n;
}

export function codeName(c: Code): CodeName {
  return Code[c] as CodeName;
}

export function statusRecord(s: Status): StatusRecord {
  return { code: codeName(s.code), plugin: s.plugin, reasons: [...s.reasons] };
}

export interface ScheduleContext {
  fw: Framework;
  lister: NodeInfoLister;
  state: CycleState;
  pod: PodInfo;
  /** Global percentageOfNodesToScore (0 = adaptive); the profile's own value wins. */
  percentageOfNodesToScore: number;
  /** false: evaluate every node (explain). */
  sample: boolean;
  nextStartNodeIndex: number;
  /** Tie-break randomness; without it the first best node (in evaluation order) wins. */
  rng?: Rng;
  /** Filled with details when present. */
  record?: AttemptRecord;
}

export type ScheduleOutcome =
  | { ok: true; host: string; evaluatedNodes: number; feasibleNodes: number; nextStartNodeIndex: number }
  | { ok: false; status: Status; fitError?: FitError; diagnosis: Diagnosis; nextStartNodeIndex: number };

/** upstream schedulePod. */
export function schedulePod(ctx: ScheduleContext): ScheduleOutcome {
  const { fw, lister, state, pod, record } = ctx;
  const allNodes = lister.list();
  const diagnosis = takeDiagnosis();
  let next = ctx.nextStartNodeIndex;
  if (record) record.nodesTotal = allNodes.length;
  if (allNodes.length === 0) {
    return { ok: false, status: new Status(Code.UnschedulableAndUnresolvable, [NoNodesAvailableMsg]), diagnosis, nextStartNodeIndex: next };
  }

  // PreFilter.
  const pre = fw.runPreFilterPlugins(state, pod, allNodes);
  // (Usually none: a for-of over the empty set still made an iterator per cycle.)
  if (pre.unschedulablePlugins.size > 0) for (const p of pre.unschedulablePlugins) diagnosis.unschedulablePlugins.add(p);
  if (record) {
    record.preFilter = {
      status: pre.status ? statusRecord(pre.status) : null,
      nodeNames: pre.result && pre.result.nodeNames ? [...pre.result.nodeNames].sort() : null,
    };
  }
  if (pre.status && !pre.status.isSuccess()) {
    if (!pre.status.isRejected()) return { ok: false, status: pre.status, diagnosis, nextStartNodeIndex: next };
    // Every node gets the PreFilter status (preemption looks at it); the message shows it once.
    diagnosis.absentNodesStatus = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    addPluginStatus(diagnosis, pre.status);
    return fail(allNodes, diagnosis, next);
  }

  // The nominated node (set by an earlier preemption) is tried first.
  // (Skipped when explaining, which looks at every node.)
  const nnn = ctx.sample ? pod.pod.status?.nominatedNodeName : undefined;
  if (nnn) {
    const ni = lister.get(nnn);
    if (ni) {
      const st = fw.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (st === null || st.isSuccess()) {
        if (record) {
          record.filter.push({ node: nnn, plugin: '', code: 'Success', reasons: [] });
          record.nodesEvaluated = 1;
          record.feasible = 1;
        }
        const evaluatedNodes = 1 + diagnosis.nodeToStatus.size;
        recycleDiagnosis(diagnosis);
        return { ok: true, host: nnn, evaluatedNodes, feasibleNodes: 1, nextStartNodeIndex: next };
      }
      if (st.code === Code.Error) return { ok: false, status: st, diagnosis, nextStartNodeIndex: next };
      diagnosis.nodeToStatus.set(nnn, st);
      addPluginStatus(diagnosis, st);
      if (record) record.filter.push({ node: nnn, plugin: st.plugin, code: codeName(st.code), reasons: [...st.reasons] });
    }
  }

  let nodes: readonly NodeInfo[] = allNodes;
  if (pre.result && pre.result.nodeNames !== null) {
    const allowed = pre.result.nodeNames;
    // Snapshot order (upstream iterates a Go map here; ksim keeps it deterministic).
    nodes = allNodes.filter((n) => allowed.has(n.node.metadata?.name ?? ''));
    diagnosis.absentNodesStatus = new Status(Code.UnschedulableAndUnresolvable, [
      `node(s) didn't satisfy plugin(s) [${[...diagnosis.unschedulablePlugins].sort().join(' ')}]`,
    ]);
  }

  // Filter.
  const numAll = nodes.length;
  let numToFind = ctx.sample ? numFeasibleNodesToFind(fw.percentageOfNodesToScore ?? ctx.percentageOfNodesToScore, numAll) : numAll;
  if (ctx.sample && !fw.hasScorePlugins()) numToFind = Math.min(1, numAll);
  // Sized once for the nodes to find and trimmed after the loop (perf: growing it by
  // push to ~500 entries made a few copies of it per cycle, the cycle's largest garbage).
  // (A very long one is appended to instead: V8 would make a preallocated one a dictionary.)
  // On the fast path one array is reused by every cycle (scratchFeasible), the
  // cycle's largest allocation otherwise (~4 KB at 500 nodes).
  const feasible: NodeInfo[] = fw.fastPath && !record ? scratchFeasible() : numToFind <= 65536 ? new Array<NodeInfo>(numToFind) : [];
  let nFeasible = 0;
  /** The feasible nodes' resource slots, in feasible order (fast path; null when not kept). */
  let feasibleSlots: Int32Array | null = null;
  /** The table feasibleSlots index (non-null with it). */
  let slotTable: NodeResourceTable | null = null;
  let evaluated = 0;
  // Failed nodes, in evaluation order. They go into diagnosis.nodeToStatus
  // only when the cycle fails (perf: a Map entry per rejected node was a
  // large share of cycles that reject thousands of nodes and still succeed);
  // `failedCount` is what nodeToStatus.size would be.
  // (Written from index 0 into arrays reused by every cycle: a cycle rejecting thousands of
  // nodes grew two fresh arrays to that size, ~50 bytes of garbage per rejected node.)
  // (NodeInfos, not names: a name is read only when the cycle fails and they are flushed,
  // sparing a cold read per rejected node in cycles that succeed.)
  const failedNodes = failedNodesBuffer;
  const failedStatuses = failedStatusesBuffer;
  let nFailed = 0;
  const failedBefore = diagnosis.nodeToStatus.size;
  let failedCount = failedBefore;
  if (numAll > 0) {
    const start = ctx.sample ? next % numAll : 0;
    if (!fw.hasFilterPlugins()) {
      for (let i = 0; i < numToFind; i++) feasible[nFeasible++] = nodes[(start + i) % numAll]!;
      evaluated = numToFind;
    } else {
      // Same as runFilterPluginsWithNominatedPods, with its "nothing nominated
      // anywhere" check done once per cycle instead of once per node.
      const nominator = fw.deps.nominator();
      const noneNominated = nominator.hasNominatedPods !== undefined && !nominator.hasNominatedPods();
      // addPluginStatus only records (plugin, code) pairs in sets: repeats of the last pair are skipped.
      let lastPlugin = '';
      let lastCode = Code.Success;
      // Verdicts of nodes unchanged since a pod of the same shape was filtered
      // (fast path, nodeMemo.ts); a node with pods nominated to it is filtered
      // with them as upstream does, never from the memo.
      const fm = !record ? fw.filterMemoFor(state, pod, allNodes.length) : null;
      const memo = fm !== null ? fm.memo : null;
      // Active Filters after the memoised node-local prefix run on every node that passes it.
      const rest = fm !== null && fm.prefix < fm.total ? fm.prefix : -1;
      // With nothing nominated, memo hits are checked from typed arrays alone (node slots, generations),
      // without reading each NodeInfo; feasible nodes' slots are kept for the Score memos.
      // With pods nominated somewhere, their nodes' slots are marked for this cycle so
      // that every other node still takes the typed-array path.
      const marked = memo !== null && !noneNominated && nodes === allNodes ? markNominatedSlots(nominator, lister) : 0;
      const ls = memo !== null && (noneNominated || marked !== 0) && nodes === allNodes ? listSlots(nodes) : null;
      if (ls !== null) {
        feasibleSlots = scratchSlots(numToFind);
        slotTable = ls.table;
      }
      // The columns in locals (perf: the loop's hot path reads nothing else); the
      // memo's are read again after memoSet, which may grow them.
      const slotOf = ls !== null ? ls.slots : null;
      const tableGen = ls !== null ? ls.table.localGeneration : null;
      // A key equal to the node's generation is a remembered null verdict, -2 - generation a
      // remembered Status (nodeMemo.ts: filterKey): a feasible hit reads no verdict column.
      let memoKeys = memo !== null ? memo.keys : null;
      let memoVal = memo !== null ? memo.values : null;
      let key = 0;
      let gen = 0;
      let idx = start;
      // Runs of nodes remembered feasible (the usual node) are taken by a loop of their own
      // when a hit needs nothing more (no Filters after the memoised prefix): the same
      // check as the first branch below, without the general body's other tests per node.
      const runs = slotOf !== null && rest < 0;
      // That check reads the memo's one-byte feasible marks (nodeMemo.ts: syncFresh), brought up to
      // date from the table's change journal once per cycle; a node not marked takes the general
      // body below, which checks the keys themselves, so a mark only ever saves work.
      let fresh = runs ? syncFresh(memo!, ls!.table) : null;
      for (let i = 0; i < numAll; i++, idx = idx + 1 === numAll ? 0 : idx + 1) {
        if (runs) {
          let s: number;
          while ((s = slotOf[idx]!) < fresh!.length && fresh![s] === 1 && (marked === 0 || nominatedMark[s] !== marked)) {
            feasibleSlots![nFeasible] = s;
            feasible[nFeasible++] = nodes[idx]!;
            evaluated++;
            if (nFeasible >= numToFind || ++i >= numAll) break;
            idx = idx + 1 === numAll ? 0 : idx + 1;
          }
          if (nFeasible >= numToFind || i >= numAll) break;
        }
        const ni = nodes[idx]!;
        let st: Status | null;
        let slot = -1;
        if (
          slotOf !== null &&
          (slot = slotOf[idx]!) < memoKeys!.length &&
          ((key = memoKeys![slot]!) === (gen = tableGen![slot]!) || key === -2 - gen) &&
          (marked === 0 || nominatedMark[slot] !== marked)
        ) {
          st = key === gen ? null : (memoVal![slot] as Status);
          if (st === null && rest >= 0) st = fw.runFilterPluginsRange(state, pod, ni, rest, Infinity);
        } else if (memo !== null && (noneNominated || nominator.nominatedPodsForNode(ni.node.metadata?.name ?? '').length === 0)) {
          const known = filterMemoGet(memo, ni.resourceSlot ?? -1, ni.localGeneration ?? ni.generation);
          if (known !== undefined) st = known as Status | null;
          else {
            st = fw.runFilterPluginsRange(state, pod, ni, 0, fm!.prefix);
            if (st === null || st.code !== Code.Error) {
              filterMemoSet(memo, ni, st);
              memoKeys = memo.keys;
              memoVal = memo.values;
              if (fresh !== null) fresh = memo.fresh;
            }
          }
          if (st === null && rest >= 0) st = fw.runFilterPluginsRange(state, pod, ni, rest, Infinity);
        } else st = noneNominated ? fw.runFilterPlugins(state, pod, ni) : fw.runFilterPluginsWithNominatedPods(state, pod, ni);
        evaluated++;
        if (st === null || st.code === Code.Success) {
          if (feasibleSlots !== null) feasibleSlots[nFeasible] = slot;
          feasible[nFeasible++] = ni;
          if (record) record.filter.push({ node: ni.node.metadata?.name ?? '', plugin: '', code: 'Success', reasons: [] });
          if (nFeasible >= numToFind) break;
          continue;
        }
        if (st.code === Code.Error) {
          next = (next + nFeasible + failedCount) % allNodes.length;
          flushFailed(fw, diagnosis, nFailed);
          return { ok: false, status: st, diagnosis, nextStartNodeIndex: next };
        }
        failedNodes[nFailed] = ni;
        failedStatuses[nFailed++] = st;
        // The nominated node may already be in the map: count it once, as a Map would.
        if (failedBefore === 0 || !diagnosis.nodeToStatus.has(ni.node.metadata?.name ?? '')) failedCount++;
        if (st.plugin !== lastPlugin || st.code !== lastCode) {
          addPluginStatus(diagnosis, st);
          lastPlugin = st.plugin;
          lastCode = st.code;
        }
        if (record) record.filter.push({ node: ni.node.metadata?.name ?? '', plugin: st.plugin, code: codeName(st.code), reasons: [...st.reasons] });
      }
    }
  }
  // Set only when it differs (perf: the length setter is a runtime call even when it keeps the length, the usual case on the reused list).
  if (feasible.length !== nFeasible) feasible.length = nFeasible;
  if (ctx.sample) next = (next + feasible.length + failedCount) % allNodes.length;
  if (record) {
    record.nodesEvaluated = evaluated;
    record.feasible = feasible.length;
  }
  if (feasible.length === 0) {
    flushFailed(fw, diagnosis, nFailed);
    return fail(allNodes, diagnosis, next);
  }

  const evaluatedNodes = feasible.length + failedCount;
  if (feasible.length === 1) {
    const host = feasibleName(feasible, 0, feasibleSlots, slotTable);
    if (record) record.bestNodes = [host];
    recycleDiagnosis(diagnosis);
    return { ok: true, host, evaluatedNodes, feasibleNodes: 1, nextStartNodeIndex: next };
  }

  // Score.
  const totals = fw.fastPath ? scratchTotals(feasible.length) : new Float64Array(feasible.length);
  /** Whether runScorePlugins made the totals (so its gathered best nodes are this cycle's). */
  let scored = false;
  if (!fw.hasScorePlugins()) {
    totals.fill(1);
  } else {
    const ps = fw.runPreScorePlugins(state, pod, feasible, feasibleSlots);
    if (ps) {
      flushFailed(fw, diagnosis, nFailed);
      return { ok: false, status: ps, diagnosis, nextStartNodeIndex: next };
    }
    const detail: ScoreDetail | undefined = record ? { plugins: [], weights: [], raw: [], normalized: [] } : undefined;
    const ss = fw.runScorePlugins(state, pod, feasible, totals, detail, feasibleSlots);
    if (ss) {
      flushFailed(fw, diagnosis, nFailed);
      return { ok: false, status: ss, diagnosis, nextStartNodeIndex: next };
    }
    scored = true;
    if (record && detail) {
      for (let i = 0; i < feasible.length; i++) {
        const node = feasible[i]!.node.metadata?.name ?? '';
        for (let p = 0; p < detail.plugins.length; p++) {
          const normalized = detail.normalized[p]![i]!;
          record.scores.push({ node, plugin: detail.plugins[p]!, raw: detail.raw[p]![i]!, normalized, weight: detail.weights[p]!, weighted: normalized * detail.weights[p]! });
        }
      }
    }
  }
  if (record) for (let i = 0; i < feasible.length; i++) record.totals.push({ node: feasible[i]!.node.metadata?.name ?? '', score: totals[i]! });

  // selectHost: a uniformly random one of the best-scoring nodes. Upstream
  // reservoir-samples with one draw per tie; the result has the same
  // distribution with a single draw per cycle (perf: ties are the rule on
  // uniform clusters, and a draw per tied node was a visible cost).
  // The tied best nodes' indices are gathered in the same pass, so the draw
  // picks one directly (perf: a second walk to the k-th tie was a visible
  // share of the cycle on uniform clusters, where every node ties).
  // (Fast path: the Score pass's fused node loop usually gathered the best nodes already.)
  const nFeas = feasible.length;
  const gathered = fw.fastPath && scored ? fw.pickBestOfLastScores(ctx.rng) : -1;
  const best = gathered >= 0 ? gathered : fw.fastPath ? selectBest(totals, nFeas, ctx.rng) : selectBestStraight(totals, nFeas, ctx.rng);
  if (record) {
    const max = totals[best]!;
    record.bestNodes = [];
    for (let i = 0; i < feasible.length; i++) if (totals[i] === max) record.bestNodes.push(feasible[i]!.node.metadata?.name ?? '');
  }
  recycleDiagnosis(diagnosis);
  return { ok: true, host: feasibleName(feasible, best, feasibleSlots, slotTable), evaluatedNodes, feasibleNodes: feasible.length, nextStartNodeIndex: next };
}

/**
 * The name of the i-th feasible node: from the resource table's names column
 * when the cycle kept the feasible nodes' slots (the same string, set from
 * NodeInfo.name whenever the slot's node object changes), else from the node.
 */
function feasibleName(feasible: readonly NodeInfo[], i: number, slots: Int32Array | null, table: NodeResourceTable | null): string {
  if (slots !== null && table !== null) return table.names[slots[i]!]!;
  return feasible[i]!.node.metadata?.name ?? '';
}

/**
 * selectHost's pick among totals[0..n) (n >= 1): the k-th (0-based, in
 * evaluation order) of the nodes with the highest total, k drawn once with
 * rng.int(count) when more than one ties, else the first of them.
 */
export function selectBestStraight(totals: Float64Array, n: number, rng: Rng | undefined): number {
  const ties = scratchTies(n);
  let best = 0;
  let cnt = 1;
  ties[0] = 0;
  let max = totals[0]!;
  for (let i = 1; i < n; i++) {
    const t = totals[i]!;
    if (t > max) {
      max = t;
      best = i;
      ties[0] = i;
      cnt = 1;
    } else if (t === max) {
      ties[cnt++] = i;
    }
  }
  if (cnt > 1 && rng) best = ties[rng.int(cnt)]!;
  return best;
}

/**
 * selectBestStraight's answer (the same draw, the same node) without a
 * branch per node on whether it ties (fast path). Why: on a uniform cluster
 * about half of a cycle's ~500 feasible nodes tie in no pattern, so that
 * branch was mispredicted on every other node, ~3 us a cycle (6-7% of a
 * SchedulingBasic pod). Every node's index is written at the tie count,
 * which grows by one exactly where the total equals the highest so far; a
 * new highest (rare after the first few nodes) starts the count again, so
 * the kept indices are those of the nodes equal to the final highest, in
 * order. That step is integer arithmetic, exact for totals that are int32
 * values (t | 0 is t) and not negative (scores are integers times integer
 * weights): d = max - t is in [0, 2^31), and (d - 1) >>> 31 is 1 for d = 0
 * and 0 otherwise. Any other total (a fraction, a negative, 2^31 or more,
 * NaN) takes the straight path. One pass (perf: a first pass for the highest
 * total and the checks was ~40% of this function).
 */
export function selectBest(totals: Float64Array, n: number, rng: Rng | undefined): number {
  const ties = scratchTies(n);
  let m = totals[0]! | 0;
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    const t = totals[i]!;
    const ti = t | 0;
    if (ti !== t || ti < 0) return selectBestStraight(totals, n, rng);
    if (ti > m) {
      m = ti;
      cnt = 0;
    }
    // cnt <= i, so the write stays below n; an entry is kept only when cnt then grows past it.
    ties[cnt] = i;
    cnt += (m - ti - 1) >>> 31;
  }
  return cnt > 1 && rng ? ties[rng.int(cnt)]! : ties[0]!;
}

/**
 * A cycle's Diagnosis. Only a failed cycle's escapes (in its outcome and
 * FitError); a successful one is dropped, and when nothing was written into it
 * (no node rejected: the usual cycle) the next cycle takes it instead of a new
 * one (perf: an object, a Map and two Sets per cycle, ~3% of SchedulingBasic's
 * garbage).
 */
let spareDiagnosis: Diagnosis | null = null;
/** @internal Exported for tests. */
export function takeDiagnosis(): Diagnosis {
  const d = spareDiagnosis;
  if (d === null) return newDiagnosis();
  spareDiagnosis = null;
  return d;
}
/** Keep a successful cycle's diagnosis for the next cycle if it is still as newDiagnosis() made it. */
/** @internal Exported for tests. */
export function recycleDiagnosis(d: Diagnosis): void {
  if (d.nodeToStatus.size === 0 && d.unschedulablePlugins.size === 0 && d.pendingPlugins.size === 0 && d.absentNodesStatus === null && d.preFilterMsg === '' && d.postFilterMsg === '') spareDiagnosis = d;
}

/**
 * One Float64Array of node totals reused by every cycle (fast path; perf: a
 * fresh ~4 KB array per cycle was a steady share of GC at 5,000 nodes).
 * Cycles never nest, and only indices below `n` are read, each written
 * first (runScorePlugins fills them).
 */
let totalsBuffer = new Float64Array(0);
function scratchTotals(n: number): Float64Array {
  if (totalsBuffer.length < n) totalsBuffer = new Float64Array(Math.max(n, totalsBuffer.length * 2, 128));
  return totalsBuffer;
}

/**
 * Marks of the nodes with nominated pods, by table slot: a slot holds the
 * stamp of the last cycle that found pods nominated to its node (fast path;
 * stamps grow, so nothing is cleared between cycles).
 */
let nominatedMark = new Int32Array(0);
let markStamp = 0;
/** Mark this cycle's nominated nodes; the stamp, or 0 when the nominator cannot list them. */
function markNominatedSlots(nominator: PodNominator, lister: NodeInfoLister): number {
  if (nominator.nominatedNodeNames === undefined) return 0;
  if (markStamp >= 0x7fffffff) {
    nominatedMark.fill(0);
    markStamp = 0;
  }
  const stamp = ++markStamp;
  for (const name of nominator.nominatedNodeNames()) {
    const slot = lister.get(name)?.resourceSlot ?? -1;
    if (slot < 0) continue;
    if (slot >= nominatedMark.length) {
      const grown = new Int32Array(Math.max(slot + 1, nominatedMark.length * 2, 128));
      grown.set(nominatedMark);
      nominatedMark = grown;
    }
    nominatedMark[slot] = stamp;
  }
  return stamp;
}

/**
 * The feasible-node list reused by every cycle (fast path), as totalsBuffer:
 * cycles never nest, each cycle writes its entries from index 0 and then sets
 * the length (which drops any stale entries of a longer earlier list), and
 * the list is read only during its cycle (PreScore and Score get it as a
 * readonly list). Not emptied first: V8 frees the store of an array whose
 * length is set to 0, and regrowing it was the allocation this avoids.
 */
const feasibleBuffer: NodeInfo[] = [];
function scratchFeasible(): NodeInfo[] {
  return feasibleBuffer;
}

/**
 * The failed nodes and their statuses, in evaluation order, reused by every
 * cycle as feasibleBuffer (entries past the cycle's count are stale and never
 * read; they are flushed into the diagnosis before the cycle returns).
 */
const failedNodesBuffer: NodeInfo[] = [];
const failedStatusesBuffer: Status[] = [];
/** The failed nodes' names, written at a flush (a failed cycle), reused as the others. */
const failedNamesBuffer: string[] = [];

/**
 * File the cycle's failed nodes (the buffers' first n entries) in the
 * diagnosis. A function of its own, not a closure in schedulePod: the closure
 * made V8 allocate a context for every cycle and keep the failed-node count
 * in it, read and written through memory in the node loop.
 */
function flushFailed(fw: Framework, diagnosis: Diagnosis, n: number): void {
  for (let i = 0; i < n; i++) failedNamesBuffer[i] = failedNodesBuffer[i]!.node.metadata?.name ?? '';
  // Fast path: an empty map is replaced by the lists themselves (nodeToStatus.ts).
  if (fw.fastPath && diagnosis.nodeToStatus.size === 0) diagnosis.nodeToStatus = new FailedNodeStatuses(failedNamesBuffer, failedStatusesBuffer, n);
  else for (let i = 0; i < n; i++) diagnosis.nodeToStatus.set(failedNamesBuffer[i]!, failedStatusesBuffer[i]!);
}

/** The best-scoring nodes' indices of a cycle, reused by every cycle as totalsBuffer. */
let tiesBuffer = new Int32Array(0);
function scratchTies(n: number): Int32Array {
  if (tiesBuffer.length < n) tiesBuffer = new Int32Array(Math.max(n, tiesBuffer.length * 2, 128));
  return tiesBuffer;
}

/** One slot buffer reused by every cycle (fast path), as totalsBuffer. */
let slotsBuffer = new Int32Array(0);
function scratchSlots(n: number): Int32Array {
  if (slotsBuffer.length < n) slotsBuffer = new Int32Array(Math.max(n, slotsBuffer.length * 2, 128));
  return slotsBuffer;
}

function fail(allNodes: readonly NodeInfo[], diagnosis: Diagnosis, next: number): ScheduleOutcome {
  const fitError = new FitError(allNodes.length, diagnosis);
  return { ok: false, status: new Status(Code.Unschedulable, [fitError.message]), fitError, diagnosis, nextStartNodeIndex: next };
}

/**
 * The status map PostFilter plugins see: evaluated failures plus the absent
 * nodes' shared status (upstream NodeToStatus with AbsentNodesStatus).
 */
export function fullNodeToStatus(allNodes: readonly NodeInfo[], d: Diagnosis): Map<string, Status> {
  if (!d.absentNodesStatus) return d.nodeToStatus;
  const m = new Map(d.nodeToStatus);
  for (const n of allNodes) {
    const name = n.node.metadata?.name ?? '';
    if (!m.has(name)) m.set(name, d.absentNodesStatus);
  }
  return m;
}
