/**
 * The part of `ksim run`'s table a newcomer reads first: which pods are not
 * Running or Succeeded and why (the scheduler's FailedScheduling message, a
 * kubelet rejection such as OutOfcpu, an eviction), the workloads with
 * their READY counts, and where to look next (`ksim explain` for a Pending
 * pod). Large runs are capped so the summary stays readable.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { RunResult } from '../../scenario/run.ts';
import type { KObject, RecordedEvent } from '../../sim/types.ts';
import { podStatusColumns } from '../views/podStatus.ts';

/** Rows shown per section before "... and N more". */
export const SUMMARY_ROWS = 20;
/** Messages longer than this are cut (the full text is in `ksim describe pod`). */
const MESSAGE_WIDTH = 160;

export interface SummaryOptions {
  /** The input files, to print a runnable `ksim explain` command. */
  files?: readonly string[];
  /** --verbose: every troubled pod and workload, no cap. */
  verbose?: boolean;
}

export interface PodTrouble {
  pod: string;
  status: string;
  reason: string;
  message: string;
  pending: boolean;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_WIDTH ? `${flat.slice(0, MESSAGE_WIDTH - 3)}...` : flat;
}

/** Why a pod is not Running/Succeeded, from its own status first, then its latest Warning event. */
export function podTrouble(p: Pod, lastWarning: RecordedEvent | undefined): PodTrouble {
  const st = p.status ?? {};
  const status = podStatusColumns(p).status;
  const pod = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  const pending = (st.phase ?? 'Pending') === 'Pending';
  let reason = '';
  let message = '';
  const scheduled = st.conditions?.find((c) => c.type === 'PodScheduled');
  const waiting = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])].find((c) => c.state?.waiting?.reason || c.state?.terminated?.reason);
  if (st.reason) {
    reason = st.reason;
    message = st.message ?? '';
  } else if (scheduled && scheduled.status === 'False') {
    reason = scheduled.reason ?? '';
    message = scheduled.message ?? '';
  } else if (waiting) {
    reason = waiting.state?.waiting?.reason ?? waiting.state?.terminated?.reason ?? '';
    message = waiting.state?.waiting?.message ?? waiting.state?.terminated?.message ?? '';
  }
  if (lastWarning && (reason === '' || message === '')) {
    if (reason === '') reason = lastWarning.reason;
    if (message === '') message = lastWarning.message;
  }
  return { pod, status, reason: reason || '<none>', message: oneLine(message) || '<none>', pending };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The sections, as lines; `grid` lays out a table as the rest of the summary does. */
export function summarySections(r: RunResult, grid: (rows: string[][]) => string, opts: SummaryOptions = {}): string[] {
  const store = r.sim.store;
  const out: string[] = [];
  const pods = store.list('Pod') as unknown as Pod[];
  const troubled = pods.filter((p) => {
    const phase = p.status?.phase;
    return (phase !== 'Running' && phase !== 'Succeeded') || p.metadata?.deletionTimestamp;
  });
  if (troubled.length > 0) {
    // Latest Warning about each troubled pod, in one pass over the Events.
    const want = new Set(troubled.map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`));
    const warnings = new Map<string, RecordedEvent>();
    for (const e of r.sim.events()) {
      if (e.type !== 'Warning' || e.involvedObject.kind !== 'Pod') continue;
      const k = `${e.involvedObject.namespace}/${e.involvedObject.name}`;
      if (!want.has(k)) continue;
      const prev = warnings.get(k);
      if (!prev || e.lastTimestamp >= prev.lastTimestamp) warnings.set(k, e);
    }
    const rows = troubled.map((p) => podTrouble(p, warnings.get(`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`)));
    out.push('', `Pods not Running or Succeeded (${rows.length})`);
    const shown = opts.verbose ? rows : rows.slice(0, SUMMARY_ROWS);
    out.push(grid([['POD', 'STATUS', 'REASON', 'MESSAGE'], ...shown.map((t) => [t.pod, t.status, t.reason, t.message])]));
    if (rows.length > shown.length) out.push(`... and ${rows.length - shown.length} more ('ksim get pods -A -f FILE' lists them all)`);
    const firstPending = rows.find((t) => t.pending && t.status !== 'Terminating');
    if (firstPending) {
      const files = (opts.files ?? []).map(shellQuote).join(' ') || 'FILE';
      out.push(`Why is ${firstPending.pod} Pending? ksim explain ${files} --pod ${firstPending.pod}`);
    }
  }

  const workloads: [string, string, string][] = [];
  const ready = (kind: string, o: KObject, have: number | undefined, want: number | undefined): void => {
    workloads.push([o.metadata?.namespace ?? '', `${kind}/${o.metadata?.name ?? ''}`, `${have ?? 0}/${want ?? 0}`]);
  };
  for (const d of store.list('Deployment') as unknown as (Deployment & KObject)[]) ready('deployment', d, d.status?.readyReplicas, d.spec?.replicas);
  for (const s of store.list('StatefulSet') as unknown as (StatefulSet & KObject)[]) ready('statefulset', s, s.status?.readyReplicas, s.spec?.replicas);
  for (const d of store.list('DaemonSet') as unknown as (DaemonSet & KObject)[]) ready('daemonset', d, d.status?.numberReady, d.status?.desiredNumberScheduled);
  // ReplicaSets a Deployment owns are shown through it.
  for (const rs of store.list('ReplicaSet') as unknown as (ReplicaSet & KObject)[]) {
    if (!rs.metadata?.ownerReferences?.some((o) => o.controller)) ready('replicaset', rs, rs.status?.readyReplicas, rs.spec?.replicas);
  }
  for (const j of store.list('Job') as unknown as (Job & KObject)[]) {
    if (!j.metadata?.ownerReferences?.some((o) => o.controller)) ready('job', j, j.status?.succeeded, j.spec?.completions ?? 1);
  }
  if (workloads.length > 0) {
    out.push('', `Workloads (${workloads.length})`);
    const shown = opts.verbose ? workloads : workloads.slice(0, SUMMARY_ROWS);
    out.push(grid([['NAMESPACE', 'NAME', 'READY'], ...shown]));
    if (workloads.length > shown.length) out.push(`... and ${workloads.length - shown.length} more`);
  }
  return out;
}

/** `ksim run --quiet`: only the expectations that failed, one a line; nothing when all passed. */
export function renderQuiet(r: RunResult): string {
  return r.expectations
    .filter((e) => !e.passed)
    .map((e) => `FAIL at ${e.at}: ${e.expectation}${e.note ? ` (${e.note})` : ''}: ${e.actual}\n`)
    .join('');
}
