/**
 * "What would have to change" for a pod explainPod found unschedulable (or
 * to see what its placement depends on), derived from the filter verdicts:
 *  - Insufficient <resource>: the smallest shortfall over all nodes (the
 *    roomiest node's free amount vs. the pod's request, as NodeResourcesFit
 *    compares them: allocatable - requested);
 *  - Too many pods: the pod-count limit;
 *  - untolerated taints (TaintToleration): the tolerations that would help;
 *  - node affinity/selector (NodeAffinity): which selector labels no node has;
 *  - cordoned nodes (NodeUnschedulable);
 *  - preemption: a side-effect-free dry run of the profile's DefaultPreemption
 *    (all potential nodes, offset 0, nothing evicted), giving the victims.
 * Follows kube-scheduler v1.35's filter rules only for reading the verdicts;
 * the suggestions themselves are ksim's.
 */
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { Quantity } from '../../api/quantity.ts';
import { Code, Status, type NodeInfo, type NodeInfoLister, type NodeToStatusMap, type PodInfo } from '../framework/types.ts';
import type { Framework } from '../framework/runtime.ts';
import { newCycleState } from '../framework/cycleState.ts';
import { newPodInfo } from '../framework/podInfo.ts';
import { DefaultPreemption } from '../plugins/DefaultPreemption.ts';
import { compilePDBs, type PDB } from '../preemption/pdb.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from '../../api/taints.ts';
import { podPriority, podRef } from '../preemption/util.ts';
import { schedulerOf } from '../scheduler.ts';
import type { AttemptRecord, CodeName } from './record.ts';

export interface PreemptionWhatIf {
  /** False when the pod may not preempt (preemptionPolicy Never, ...); `message` says why. */
  eligible: boolean;
  message: string;
  /** The node preemption would nominate, if any. */
  nominatedNodeName?: string;
  victims?: Array<{ pod: string; priority: number }>;
  candidates: Array<{ node: string; victims: string[]; numPDBViolations: number }>;
}

const codes: Record<CodeName, Code> = {
  Success: Code.Success,
  Error: Code.Error,
  Unschedulable: Code.Unschedulable,
  UnschedulableAndUnresolvable: Code.UnschedulableAndUnresolvable,
  Wait: Code.Wait,
  Skip: Code.Skip,
  Pending: Code.Pending,
};

/** The per-node statuses a PostFilter plugin would have seen for this record. */
export function nodeToStatusFromRecord(record: AttemptRecord, nodes: readonly NodeInfo[]): NodeToStatusMap {
  const m: NodeToStatusMap = new Map();
  for (const f of record.filter) {
    if (f.code === 'Success') continue;
    m.set(f.node, new Status(codes[f.code], [...f.reasons]).withPlugin(f.plugin));
  }
  const pre = record.preFilter.status;
  if (pre && pre.code !== 'Success') {
    const s = new Status(codes[pre.code], [...pre.reasons]).withPlugin(pre.plugin);
    for (const n of nodes) {
      const name = n.node.metadata?.name ?? '';
      if (!m.has(name)) m.set(name, s);
    }
  }
  return m;
}

interface Env {
  fw: Framework;
  lister: NodeInfoLister;
}

function environment(sim: object, pod: Pod): Env | undefined {
  const s = schedulerOf(sim);
  if (!s) return undefined;
  const fw = s.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
  return fw ? { fw, lister: s.cache } : undefined;
}

/**
 * DefaultPreemption's decision for this pod without carrying it out:
 * eligibility, every candidate among the nodes where removing pods might
 * help, and the one pickOneNodeForPreemption would choose.
 */
export function preemptionWhatIf(sim: object, pod: Stored<Pod & KObject>, record: AttemptRecord): PreemptionWhatIf | undefined {
  const env = environment(sim, pod);
  if (!env) return undefined;
  const dp = env.fw.plugins.postFilter.find((p): p is DefaultPreemption => p instanceof DefaultPreemption);
  if (!dp) return undefined;
  const nodes = env.lister.list();
  const m = nodeToStatusFromRecord(record, nodes);
  const nnn = pod.status?.nominatedNodeName ?? '';
  const el = dp.podEligibleToPreemptOthers(pod, nnn ? (m.get(nnn) ?? new Status(Code.UnschedulableAndUnresolvable)) : undefined);
  if (!el.eligible) return { eligible: false, message: `preemption: ${el.msg}`, candidates: [] };

  const podInfo: PodInfo = newPodInfo(pod);
  const state = newCycleState();
  const pre = env.fw.runPreFilterPlugins(state, podInfo, nodes);
  if (pre.status && pre.status.code === Code.Error) return { eligible: true, message: `preemption: ${pre.status.message()}`, candidates: [] };
  const potential = nodes.filter((n) => m.get(n.node.metadata?.name ?? '')?.code === Code.Unschedulable);
  const pdbs = compilePDBs(dp.handle.store().list<PDB>('PodDisruptionBudget'));
  const { candidates } = dp.evaluator.dryRunPreemption(state, podInfo, potential, pdbs, 0, potential.length);
  const out: PreemptionWhatIf = {
    eligible: true,
    message: '',
    candidates: candidates.map((c) => ({ node: c.name, victims: c.victims.map((v) => podRef(v.pod)), numPDBViolations: c.numPDBViolations })),
  };
  const best = dp.evaluator.selectCandidate(candidates);
  if (best) {
    out.nominatedNodeName = best.name;
    out.victims = best.victims.map((v) => ({ pod: podRef(v.pod), priority: podPriority(v.pod) }));
  } else {
    out.message = 'preemption: no node where evicting lower-priority pods would make room';
  }
  return out;
}

function fmtCPU(milli: number): string {
  return Quantity.fromMilli(Math.max(0, milli), 'DecimalSI').toString();
}

function fmtBytes(n: number): string {
  return Quantity.fromValue(Math.max(0, n), 'BinarySI').toString();
}

function nodeName(n: NodeInfo): string {
  return n.node.metadata?.name ?? '';
}

function taintText(t: Taint): string {
  return `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`;
}

/** Human-readable changes that would let the pod schedule, most specific first. */
export function suggestChanges(record: AttemptRecord, pod: Stored<Pod & KObject>, nodes: readonly NodeInfo[], preemption?: PreemptionWhatIf): string[] {
  if (record.chosen) return [];
  const out: string[] = [];
  const failing = new Map<string, { plugin: string; reasons: string[] }>();
  for (const f of record.filter) if (f.code !== 'Success') failing.set(f.node, { plugin: f.plugin, reasons: f.reasons });
  const reasonCount = new Map<string, number>();
  for (const f of failing.values()) for (const r of f.reasons) reasonCount.set(r, (reasonCount.get(r) ?? 0) + 1);
  const info = newPodInfo(pod);
  const req = info.requests;

  // Resources: the roomiest node and how much is missing there.
  const resources: Array<{ reason: string; name: string; want: number; free: (n: NodeInfo) => number; fmt: (n: number) => string }> = [
    { reason: 'Insufficient cpu', name: 'cpu', want: req.milliCPU, free: (n) => n.allocatable.milliCPU - n.requested.milliCPU, fmt: fmtCPU },
    { reason: 'Insufficient memory', name: 'memory', want: req.memory, free: (n) => n.allocatable.memory - n.requested.memory, fmt: fmtBytes },
    {
      reason: 'Insufficient ephemeral-storage',
      name: 'ephemeral-storage',
      want: req.ephemeralStorage,
      free: (n) => n.allocatable.ephemeralStorage - n.requested.ephemeralStorage,
      fmt: fmtBytes,
    },
  ];
  for (const [name, want] of req.scalar) {
    resources.push({
      reason: `Insufficient ${name}`,
      name,
      want,
      free: (n) => (n.allocatable.scalar.get(name) ?? 0) - (n.requested.scalar.get(name) ?? 0),
      fmt: (v) => String(Math.max(0, v)),
    });
  }
  for (const r of resources) {
    if (!reasonCount.has(r.reason)) continue;
    // The roomiest of the nodes this resource rejected (nodes rejected for other reasons are not evidence).
    const short = nodes.filter((n) => failing.get(nodeName(n))?.reasons.includes(r.reason));
    if (short.length === 0) continue;
    let best = short[0]!;
    for (const n of short) if (r.free(n) > r.free(best)) best = n;
    const free = r.free(best);
    out.push(
      `${r.reason} on ${reasonCount.get(r.reason)} node(s): needs ${r.fmt(r.want - free)} more ${r.name} than the roomiest node has free: ` +
        `${nodeName(best)} has ${r.fmt(free)} free, pod requests ${r.fmt(r.want)}; lower the request, add capacity, or free room (preemption below)`,
    );
  }
  if (reasonCount.has('Too many pods')) {
    out.push(`Too many pods on ${reasonCount.get('Too many pods')} node(s): they are at their pod limit (status.allocatable.pods); add nodes or remove pods`);
  }

  // Taints: the tolerations that would let the pod onto the tainted nodes.
  const taints = new Map<string, { taint: Taint; nodes: number }>();
  for (const n of nodes) {
    if (failing.get(nodeName(n))?.plugin !== 'TaintToleration') continue;
    const t = findMatchingUntoleratedTaint(n.node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint);
    if (!t) continue;
    const k = taintText(t);
    const e = taints.get(k);
    if (e) e.nodes++;
    else taints.set(k, { taint: t, nodes: 1 });
  }
  for (const { taint, nodes: count } of [...taints.values()].sort((a, b) => b.nodes - a.nodes || (taintText(a.taint) < taintText(b.taint) ? -1 : 1))) {
    const tol = taint.value
      ? `{key: ${taint.key}, operator: Equal, value: ${taint.value}, effect: ${taint.effect}}`
      : `{key: ${taint.key}, operator: Exists, effect: ${taint.effect}}`;
    out.push(`untolerated taint ${taintText(taint)} on ${count} node(s): add toleration ${tol}`);
  }

  // Node affinity / nodeSelector: which wanted labels no node carries.
  const naCount = reasonCount.get("node(s) didn't match Pod's node affinity/selector");
  if (naCount) {
    const missing: string[] = [];
    for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
      const have = nodes.filter((n) => n.node.metadata?.labels?.[k] === v).length;
      if (have === 0) missing.push(`${k}=${v}`);
    }
    const keys = new Set<string>(Object.keys(pod.spec?.nodeSelector ?? {}));
    for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
      for (const e of t.matchExpressions ?? []) keys.add(e.key);
    }
    const present = [...keys].sort().map((k) => {
      const vals = new Set<string>();
      for (const n of nodes) {
        const v = n.node.metadata?.labels?.[k];
        if (v !== undefined) vals.add(v);
      }
      const list = [...vals].sort();
      return `${k} in {${list.slice(0, 10).join(', ')}${list.length > 10 ? ', ...' : ''}}`;
    });
    out.push(
      `node affinity/selector excludes ${naCount} node(s)` +
        (missing.length > 0 ? `: no node has label ${missing.join(', ')}` : '') +
        (present.length > 0 ? `; nodes have ${present.join('; ')}` : '') +
        `; label nodes to match, or relax spec.nodeSelector / spec.affinity.nodeAffinity`,
    );
  }
  const cordoned = reasonCount.get('node(s) were unschedulable');
  if (cordoned) out.push(`${cordoned} node(s) are cordoned (spec.unschedulable): uncordon them, or tolerate node.kubernetes.io/unschedulable:NoSchedule`);

  // Everything else, as counted reasons.
  const handled = new Set([...resources.map((r) => r.reason), 'Too many pods', "node(s) didn't match Pod's node affinity/selector", 'node(s) were unschedulable']);
  for (const [r, c] of [...reasonCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    if (handled.has(r) || r.startsWith('node(s) had untolerated taint')) continue;
    out.push(`${c} node(s): ${r}`);
  }
  const pre = record.preFilter.status;
  if (pre && pre.code !== 'Success') out.push(`PreFilter ${pre.plugin}: ${pre.reasons.join(', ')}`);

  if (preemption) {
    if (!preemption.eligible) out.push(preemption.message);
    else if (preemption.nominatedNodeName) {
      const vs = (preemption.victims ?? []).map((v) => `${v.pod} (priority ${v.priority})`).join(', ');
      out.push(`preemption would nominate ${preemption.nominatedNodeName} and evict ${vs}`);
    } else out.push(preemption.message);
  }
  return out;
}
