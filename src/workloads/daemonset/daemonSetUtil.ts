/**
 * The DaemonSet controller's pure rules, following pkg/controller/daemon
 * (daemon_controller.go NodeShouldRunDaemonPod / predicates, util/daemonset_util.go)
 * of the newest upstream release:
 *  - every daemon pod tolerates not-ready and unreachable NoExecute taints
 *    (without tolerationSeconds, so it is never evicted for them), the
 *    disk-, memory- and pid-pressure and unschedulable NoSchedule taints,
 *    and network-unavailable NoSchedule when it uses the host network;
 *  - a pod is placed by the default scheduler through a required node
 *    affinity term `matchFields: metadata.name In [node]` that replaces the
 *    template's required terms (ReplaceDaemonSetPodNodeNameNodeAffinity);
 *  - a node should run the pod when spec.nodeName (if set) names it, the
 *    node selector and required node affinity match, and every NoSchedule or
 *    NoExecute taint is tolerated; a pod already there may continue running
 *    unless a NoExecute taint is not tolerated.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, NodeSelectorTerm, Pod, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { compileNodeSelector } from '../../api/nodeSelector.ts';
import {
  TaintNodeDiskPressure,
  TaintNodeMemoryPressure,
  TaintNodeNetworkUnavailable,
  TaintNodeNotReady,
  TaintNodePIDPressure,
  TaintNodeUnreachable,
  TaintNodeUnschedulable,
  toleratesTaint,
} from '../../api/taints.ts';
import { scaledValue } from '../appsutil/podReadiness.ts';

export type DSObj = DaemonSet & KObject;
export type PodObj = Pod & KObject;
export type NodeObj = Node & KObject;

/** apps/v1 DefaultDaemonSetUniqueLabelKey and the deprecated template-generation label. */
export const DaemonSetRevisionLabel = 'controller-revision-hash';
export const DaemonSetTemplateGenerationLabel = 'pod-template-generation';

function untolerated(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly string[]): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!effects.includes(taint.effect)) continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

/** v1helper.AddOrUpdateTolerationInPodSpec: replace an equal-keyed toleration, else append. */
function addOrUpdateToleration(spec: PodSpec, tol: Toleration): void {
  const list = (spec.tolerations ??= []);
  const i = list.findIndex((t) => (t.key ?? '') === (tol.key ?? '') && (t.effect ?? '') === (tol.effect ?? '') && (t.operator ?? 'Equal') === (tol.operator ?? 'Equal') && (t.value ?? '') === (tol.value ?? ''));
  if (i >= 0) list[i] = tol;
  else list.push(tol);
}

/** util.AddOrUpdateDaemonPodTolerations, in upstream's order. */
export function addDaemonPodTolerations(spec: PodSpec): void {
  addOrUpdateToleration(spec, { key: TaintNodeNotReady, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TaintNodeUnreachable, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TaintNodeDiskPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TaintNodeMemoryPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TaintNodePIDPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TaintNodeUnschedulable, operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) addOrUpdateToleration(spec, { key: TaintNodeNetworkUnavailable, operator: 'Exists', effect: 'NoSchedule' });
}

/**
 * util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity
 * becomes exactly one term selecting the node by metadata.name; preferred
 * terms are kept.
 */
export function replaceNodeNameAffinity(spec: PodSpec, nodeName: string): void {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const affinity = (spec.affinity ??= {});
  const na = (affinity.nodeAffinity ??= {});
  na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
}

/** util.GetTargetNodeName: spec.nodeName, or the node named by the matchFields term. */
export function getTargetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** NewPod: the template's spec with the daemon tolerations, for the node. */
export function newDaemonPodSpec(ds: DaemonSet, nodeName: string): PodSpec {
  const spec = structuredClone(ds.spec?.template?.spec ?? { containers: [] }) as PodSpec;
  spec.nodeName = nodeName;
  addDaemonPodTolerations(spec);
  return spec;
}

const compiledAffinity = new WeakMap<object, ReturnType<typeof compileNodeSelector> | null>();

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector labels and the required terms. */
export function fitsNodeAffinity(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  let c = compiledAffinity.get(req);
  if (c === undefined) {
    c = compileNodeSelector(req);
    if (Object.isFrozen(req)) compiledAffinity.set(req, c);
  }
  return c !== null && c.matches(node);
}

export interface ShouldRun {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

const tolerationsMemo = new WeakMap<object, Toleration[]>();

function daemonTolerations(ds: DaemonSet): Toleration[] {
  const tspec = ds.spec?.template?.spec;
  if (tspec && Object.isFrozen(tspec)) {
    const m = tolerationsMemo.get(tspec);
    if (m) return m;
  }
  const spec: PodSpec = { containers: [], tolerations: [...(tspec?.tolerations ?? [])], ...(tspec?.hostNetwork ? { hostNetwork: true } : {}) };
  addDaemonPodTolerations(spec);
  if (tspec && Object.isFrozen(tspec)) tolerationsMemo.set(tspec, spec.tolerations!);
  return spec.tolerations!;
}

/** NodeShouldRunDaemonPod. */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): ShouldRun {
  const tspec = ds.spec?.template?.spec;
  const name = node.metadata?.name ?? '';
  if (tspec?.nodeName && tspec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(tspec ?? { containers: [] }, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(ds);
  if (untolerated(node.spec?.taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    // Scheduled daemon pods continue running while they tolerate the NoExecute taints.
    return { shouldRun: false, shouldContinueRunning: untolerated(node.spec?.taints, tolerations, ['NoExecute']) === undefined };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** util.IsPodUpdated: the pod carries the current hash (or the template generation). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[DaemonSetTemplateGenerationLabel] === String(generation);
  const hashMatches = hash.length > 0 && labels[DaemonSetRevisionLabel] === hash;
  return hashMatches || templateMatches;
}

export function allowsSurge(ds: DaemonSet): boolean {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  if (ds.spec?.updateStrategy?.type === 'OnDelete' || !ru) return false;
  const v = ru.maxSurge;
  return v !== undefined && v !== 0 && v !== '0%' && v !== '0';
}

/** updatedDesiredNodeCounts (util.SurgeCount / UnavailableCount): of the desired count, percentages rounded up. */
export function updatedDesiredCounts(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = allowsSurge(ds) ? scaledValue(ru?.maxSurge, desired, true, 0) : 0;
  let maxUnavailable = ds.spec?.updateStrategy?.type === 'OnDelete' || !ru ? 0 : scaledValue(ru.maxUnavailable, desired, true, 1);
  // An impossible configuration (both zero) falls back to accepting one unavailable pod.
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** podByCreationTimestampAndPhase: scheduled first, then oldest, then by name. */
export function byCreationTimestampAndPhase(a: Stored<PodObj>, b: Stored<PodObj>): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return bn - an;
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at === bt) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  return at < bt ? -1 : 1;
}
