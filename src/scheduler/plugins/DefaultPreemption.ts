/**
 * DefaultPreemption, following kube-scheduler v1.35
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go:
 * a PostFilter plugin that, when a pod fits nowhere, looks for a node where
 * evicting lower-priority pods makes it fit, evicts them and nominates the
 * node (the generic part lives in src/scheduler/preemption/evaluator.ts).
 *
 *  - PodEligibleToPreemptOthers: preemptionPolicy Never refuses; so does a
 *    nominated node that still has a lower-priority pod terminating because
 *    of preemption (DisruptionTarget/PreemptionByScheduler), unless the
 *    nominated node is now UnschedulableAndUnresolvable.
 *  - calculateNumCandidates: max(nodes * minCandidateNodesPercentage / 100,
 *    minCandidateNodesAbsolute), at most the number of nodes; the dry run
 *    starts at a random offset (rng stream "preemption").
 *  - SelectVictimsOnNode: remove every lower-priority pod, check the pod
 *    fits (with nominated pods), then reprieve victims in MoreImportantPod
 *    order, PDB-violating ones first, keeping only those that must go.
 *  - Every non-empty message is prefixed "preemption: ".
 * Asynchronous preemption (SchedulerAsyncPreemption, on since v1.33) is not
 * modelled, so the plugin has no PreEnqueue.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { Code, Status, type CycleState, type Handle, type NodeToStatusMap, type PluginFactory, type PodInfo, type PostFilterPlugin, type PostFilterResult, type Result } from '../framework/types.ts';
import { decodeArgs, intField } from './helper/args.ts';
import { Evaluator, type DryRunFilters, type MutableNodeInfo, type PreemptionInterface, type VictimSelection } from '../preemption/evaluator.ts';
import { filterPodsWithPDBViolation, type CompiledPDB } from '../preemption/pdb.ts';
import { byImportance, podPriority } from '../preemption/util.ts';
import { DisruptionTarget, PodReasonPreemptionByScheduler } from '../preemption/executor.ts';

export const name = 'DefaultPreemption';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

export const NotEligiblePreemptNever = 'not eligible due to preemptionPolicy=Never.';
export const NotEligibleTerminatingOnNominated = 'not eligible due to a terminating pod on the nominated node.';
export const NoVictimsFound = 'No preemption victims found for incoming pod';

/** Decode and validate the args as upstream's SetDefaults + ValidateDefaultPreemptionArgs. */
export function defaultPreemptionArgs(raw: unknown): DefaultPreemptionArgs {
  const obj = decodeArgs(raw, 'DefaultPreemptionArgs', ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute']);
  const errs: FieldError[] = [];
  const pct = intField(obj, 'minCandidateNodesPercentage', 10, '', errs);
  const abs = intField(obj, 'minCandidateNodesAbsolute', 100, '', errs);
  if (pct < 0 || pct > 100) errs.push({ path: 'minCandidateNodesPercentage', type: 'Invalid', value: pct, detail: 'not in valid range [0, 100]' });
  if (abs < 0) errs.push({ path: 'minCandidateNodesAbsolute', type: 'Invalid', value: abs, detail: 'not in valid range [0, inf)' });
  if (pct === 0 && abs === 0) {
    errs.push({ path: 'minCandidateNodesPercentage', type: 'Invalid', value: pct, detail: 'cannot be zero at the same time as minCandidateNodesAbsolute' });
    errs.push({ path: 'minCandidateNodesAbsolute', type: 'Invalid', value: abs, detail: 'cannot be zero at the same time as minCandidateNodesPercentage' });
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs };
}

/** upstream podTerminatingByPreemption: being deleted, with DisruptionTarget=True/PreemptionByScheduler. */
export function podTerminatingByPreemption(p: Pod): boolean {
  if (!p.metadata?.deletionTimestamp) return false;
  for (const c of p.status?.conditions ?? []) {
    if (c.type === DisruptionTarget) return c.status === 'True' && c.reason === PodReasonPreemptionByScheduler;
  }
  return false;
}

export class DefaultPreemption implements PostFilterPlugin, PreemptionInterface {
  readonly name = name;
  readonly evaluator: Evaluator;

  constructor(
    readonly args: DefaultPreemptionArgs,
    readonly handle: Handle,
  ) {
    this.evaluator = new Evaluator(name, handle, this);
  }

  postFilter(state: CycleState, pod: PodInfo, m: NodeToStatusMap): { result: PostFilterResult | null; status: Result } {
    const { result, status } = this.evaluator.preempt(state, pod, m);
    const msg = status ? status.message() : '';
    if (status && msg !== '') return { result, status: new Status(status.code, [`preemption: ${msg}`]) };
    return { result, status };
  }

  /** upstream calculateNumCandidates (int32 arithmetic: the percentage share truncates). */
  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * this.args.minCandidateNodesPercentage) / 100);
    if (n < this.args.minCandidateNodesAbsolute) n = this.args.minCandidateNodesAbsolute;
    if (n > numNodes) n = numNodes;
    return n;
  }

  getOffsetAndNumCandidates(numNodes: number): { offset: number; numCandidates: number } {
    const rng = this.handle.rng?.('preemption');
    return { offset: rng && numNodes > 0 ? rng.int(numNodes) : 0, numCandidates: this.calculateNumCandidates(numNodes) };
  }

  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): { eligible: boolean; msg: string } {
    if (pod.spec?.preemptionPolicy === 'Never') return { eligible: false, msg: NotEligiblePreemptNever };
    const nnn = pod.status?.nominatedNodeName ?? '';
    if (nnn !== '') {
      // The nominated node cannot take the pod any more: it may preempt elsewhere.
      if (nominatedNodeStatus && nominatedNodeStatus.code === Code.UnschedulableAndUnresolvable) return { eligible: true, msg: '' };
      const ni = this.handle.snapshot().get(nnn);
      if (ni) {
        const prio = podPriority(pod);
        for (const p of ni.pods) {
          if (podPriority(p.pod) < prio && podTerminatingByPreemption(p.pod)) return { eligible: false, msg: NotEligibleTerminatingOnNominated };
        }
      }
    }
    return { eligible: true, msg: '' };
  }

  selectVictimsOnNode(state: CycleState, pod: PodInfo, nodeInfo: MutableNodeInfo, pdbs: readonly CompiledPDB[], run: DryRunFilters = this.evaluator.straightforward): VictimSelection {
    // Remove every pod the preemptor may preempt, then check the preemptor fits.
    const prio = podPriority(pod.pod);
    const potential = nodeInfo.pods.filter((p) => podPriority(p.pod) < prio);
    for (const v of potential) {
      const s = this.removeVictim(state, pod, v, nodeInfo, run);
      if (s) return failed(s);
    }
    if (potential.length === 0) return failed(Status.unresolvable(NoVictimsFound));
    // Affinity of the preemptor to the victims themselves is not considered, as upstream.
    const fit = run.filter(state, pod, nodeInfo);
    if (fit && !fit.isSuccess()) return failed(fit);

    // Reprieve as many as possible: most important first, PDB-violating ones before the rest.
    potential.sort(byImportance);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numViolating = 0;
    for (const v of violating) {
      const r = this.reprieve(state, pod, v, nodeInfo, victims, run);
      if (r instanceof Status) return failed(r);
      if (!r) numViolating++;
    }
    for (const v of nonViolating) {
      const r = this.reprieve(state, pod, v, nodeInfo, victims, run);
      if (r instanceof Status) return failed(r);
    }
    // Keep victims in importance order when both groups contributed.
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance);
    // Frozen: the dry-run memo hands this list to later preemptors, and the evaluator keeps candidate scores only for frozen lists.
    return { victims: Object.freeze(victims), numPDBViolations: numViolating, status: null };
  }

  /** Take a potential victim off the what-if node (NodeInfo and PreFilter state); an error Status on failure. */
  private removeVictim(state: CycleState, pod: PodInfo, v: PodInfo, nodeInfo: MutableNodeInfo, run: DryRunFilters): Status | null {
    nodeInfo.removePod(v);
    if (!run.extensions) return null;
    const s = this.handle.runPreFilterExtensionRemovePod(state, pod, v, nodeInfo);
    return s && !s.isSuccess() ? Status.error(s.message()) : null;
  }

  /**
   * Put a potential victim back; if the preemptor no longer fits, take it
   * off again and record it as a victim. True when the victim is reprieved.
   */
  private reprieve(state: CycleState, pod: PodInfo, v: PodInfo, nodeInfo: MutableNodeInfo, victims: PodInfo[], run: DryRunFilters): boolean | Status {
    nodeInfo.addPod(v);
    if (run.extensions) {
      const a = this.handle.runPreFilterExtensionAddPod(state, pod, v, nodeInfo);
      if (a && !a.isSuccess()) return Status.error(a.message());
    }
    const s = run.filter(state, pod, nodeInfo);
    if (s === null || s.isSuccess()) return true;
    const r = this.removeVictim(state, pod, v, nodeInfo, run);
    if (r) return r;
    victims.push(v);
    return false;
  }
}

function failed(s: Status): VictimSelection {
  return { victims: [], numPDBViolations: 0, status: s };
}

export const factory: PluginFactory = (args, handle) => new DefaultPreemption(defaultPreemptionArgs(args), handle);
