/**
 * Scheduling failure diagnosis and the FailedScheduling message, following
 * kube-scheduler v1.31 pkg/scheduler/framework/types.go (Diagnosis,
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
 * upstream FitError.Error (v1.31): "0/N nodes are available: <prefilter msg>."
 * or the sorted reasons histogram "<count> <reason>, ...", each followed by
 * "."; then the PostFilter message after a single space, with no period of its
 * own (since v1.28, PR 117588: the preemption message already ends with one,
 * so there is no "..").
 *
 * Only nodes with an explicit status are counted: in v1.31 the nodes left out
 * by a PreFilterResult are absent from NodeToStatusMap (PR 125197) and do not
 * appear in the histogram. (v1.32 added NodeToStatus.AbsentNodesStatus and
 * counts them as "node(s) didn't satisfy plugin(s) [...]"; ksim follows v1.31.)
 * `absentNodesStatus` still tells PostFilter how to treat them.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const st of d.nodeToStatus.values()) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
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
