/**
 * Scheduling failure diagnosis and the FailedScheduling message, following
 * kube-scheduler pkg/scheduler/framework/types.go (Diagnosis,
 * FitError.Error, NoNodeAvailableMsg, SeparatorFormat, AddPluginStatus) and
 * schedule_one.go (ErrNoNodesAvailable, truncateMessage).
 */
import { Code, Status, type NodeToStatusMap } from './types.ts';

export const NoNodesAvailableMsg = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** Statuses of nodes that were evaluated and failed. */
  nodeToStatus: NodeToStatusMap;
  /** Status for nodes not in nodeToStatus (PreFilter rejection, or outside the PreFilterResult). */
  absentNodesStatus: Status | null;
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), absentNodesStatus: null, unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/** upstream Diagnosis.AddPluginStatus: remember which plugin rejected the pod (for queueing hints). */
export function addPluginStatus(d: Diagnosis, s: Status): void {
  if (!s.isRejected() || !s.plugin) return;
  if (s.code === Code.Pending) d.pendingPlugins.add(s.plugin);
  else d.unschedulablePlugins.add(s.plugin);
}

/** The error a failed cycle carries: a FitError when nodes were evaluated. The message is computed on read, after PostFilter added its part. */
export class FitError {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}
  get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/**
 * upstream FitError.Error (v1.35, the format unchanged since v1.31): "0/N nodes are available: <prefilter msg>."
 * or the sorted reasons histogram "<count> <reason>, ...", each followed by
 * "."; then the PostFilter message after a single space, with no period of its
 * own (since v1.28, PR 117588: the preemption message already ends with one,
 * so there is no "..").
 *
 * Nodes without a status of their own (left out by a PreFilterResult) are
 * counted with the absent-nodes status, "node(s) didn't satisfy plugin(s)
 * [...]", as upstream since v1.32 (NodeToStatus.AbsentNodesStatus). v1.31
 * left them out of the histogram; every release ksim emulates (>= 1.32)
 * counts them, so no version switch is needed here.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    // Plugins share one Status (frozen reasons) among the nodes they reject alike, so
    // runs of one reasons list are counted once per run (the same counts, and reasons
    // enter the map in the same first-seen order).
    // (forEach, not values(): a failed cycle's FailedNodeStatuses is read without filing a Map.)
    let run: readonly string[] | null = null;
    let n = 0;
    d.nodeToStatus.forEach((st) => {
      if (st.reasons === run) {
        n++;
        return;
      }
      if (run !== null) for (const r of run) counts.set(r, (counts.get(r) ?? 0) + n);
      run = st.reasons;
      n = 1;
    });
    const last = run as readonly string[] | null; // (set in the callback)
    if (last !== null) for (const r of last) counts.set(r, (counts.get(r) ?? 0) + n);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentNodesStatus) for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    // sortReasonsHistogram: "<count> <reason>" strings sorted as strings (Go sort.Strings).
    const parts = [...counts].map(([r, c]) => `${c} ${r}`);
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** upstream truncateMessage: events carry at most 1024 characters. */
export function truncateMessage(message: string): string {
  const max = 1024;
  if (message.length <= max) return message;
  const suffix = ' ...';
  return message.slice(0, max - suffix.length) + suffix;
}
