/**
 * framework.PodInfo construction, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/types.go (NewPodInfo, newAffinityTerm,
 * getNamespacesFromPodAffinityTerm, calculateResource) and
 * pkg/scheduler/util/pod_resources.go (DefaultMilliCPURequest,
 * DefaultMemoryRequest).
 *
 * Requests come from the api layer's podRequests (component-helpers'
 * PodRequests); the non-zero variant re-runs it with upstream's
 * NonMissingContainerRequests (a container that does not mention cpu/memory
 * counts the scheduler's defaults; an explicit 0 stays 0).
 */
import type { ContainerPort, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { podRequests, type ResourceMap } from '../../api/resources.ts';
import { Quantity } from '../../api/quantity.ts';
import { labelSelectorAsSelector } from '../../api/labels.ts';
import { resourceFromQuantities } from './resource.ts';
import { hostPortsOf } from './hostPorts.ts';
import type { AffinityTerm, LabelMatcher, PodInfo, Resource, WeightedAffinityTerm } from './types.ts';

/** upstream schedutil.DefaultMilliCPURequest: 0.1 core. */
export const DefaultMilliCPURequest = 100;
/** upstream schedutil.DefaultMemoryRequest: 200 MiB. */
export const DefaultMemoryRequest = 200 * 1024 * 1024;

let nonMissing: ResourceMap | undefined;

/** Non-zero cpu (milli) and memory requests, as upstream calculateResource (NonMissingContainerRequests). */
export function nonZeroRequests(pod: Pod): { milliCPU: number; memory: number } {
  nonMissing ??= new Map([
    ['cpu', Quantity.fromMilli(DefaultMilliCPURequest, 'DecimalSI')],
    ['memory', Quantity.fromValue(DefaultMemoryRequest, 'DecimalSI')],
  ]);
  const m = podRequests(pod, { nonMissingContainerRequests: nonMissing });
  return { milliCPU: m.get('cpu')?.milliValue() ?? 0, memory: m.get('memory')?.value() ?? 0 };
}

/** A label matcher that matches nothing: upstream's labels.Nothing(), used for a nil selector or on parse errors. */
const nothing: LabelMatcher = { matches: () => false, empty: false };

/**
 * upstream getNamespacesFromPodAffinityTerm: with neither namespaces nor a
 * namespaceSelector, the term applies to the pod's own namespace.
 */
function termNamespaces(pod: Pod, term: PodAffinityTerm): Set<string> {
  if ((term.namespaces?.length ?? 0) === 0 && !term.namespaceSelector) return new Set([pod.metadata?.namespace ?? '']);
  return new Set(term.namespaces ?? []);
}

function compileTerm(pod: Pod, term: PodAffinityTerm, errs: string[]): AffinityTerm {
  let selector: LabelMatcher = nothing;
  let namespaceSelector: LabelMatcher | null = null;
  try {
    selector = labelSelectorAsSelector(term.labelSelector);
    if (term.namespaceSelector) namespaceSelector = labelSelectorAsSelector(term.namespaceSelector);
  } catch (e) {
    errs.push(e instanceof Error ? e.message : String(e));
  }
  const out: AffinityTerm = { namespaces: termNamespaces(pod, term), selector, topologyKey: term.topologyKey, namespaceSelector };
  if (errs.length === 0) out.selectorKey = JSON.stringify([selectorKey(term.labelSelector), selectorKey(term.namespaceSelector)]);
  return out;
}

function sortedPairs(set: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(set).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A canonical string for a metav1.LabelSelector: null for nil (matches nothing), equal strings match equally. */
function selectorKey(ls: LabelSelector | null | undefined): unknown {
  if (ls === null || ls === undefined) return null;
  const exprs = (ls.matchExpressions ?? []).map((e) => JSON.stringify([e.key, e.operator, [...(e.values ?? [])].sort()])).sort();
  return [sortedPairs(ls.matchLabels ?? {}), exprs];
}

/** What a PodInfo derives from the pod's spec alone, with the spec parts it was derived from. */
interface SpecDerived {
  readonly initContainers: unknown;
  readonly overhead: unknown;
  readonly resources: unknown;
  readonly requests: Resource;
  readonly nonZero: { milliCPU: number; memory: number };
  readonly hostPorts: readonly ContainerPort[];
}

/**
 * By frozen containers list: requests and host ports come from
 * spec.containers, spec.initContainers, spec.overhead and spec.resources
 * alone. Stored specs are deeply frozen, pods with equal specs share one
 * (sim/specIntern.ts), and a binding copies the spec shallowly (nodeName), so
 * the pods of one template compute their requests once, bound or not (perf:
 * Quantity arithmetic per pod was a steady share of creating PodInfos).
 * Nothing mutates a PodInfo's requests (NodeInfo only adds them into its own sums).
 */
const byContainers = new WeakMap<object, SpecDerived>();

function specDerived(pod: Pod): SpecDerived {
  const spec = pod.spec;
  const key = spec !== undefined && Object.isFrozen(spec) && Object.isFrozen(spec.containers) ? spec.containers : undefined;
  const specResources = (spec as { resources?: unknown } | undefined)?.resources;
  let d = key !== undefined ? byContainers.get(key) : undefined;
  if (d !== undefined && (d.initContainers !== spec!.initContainers || d.overhead !== spec!.overhead || d.resources !== specResources)) d = undefined;
  if (d === undefined) {
    d = {
      initContainers: spec?.initContainers,
      overhead: spec?.overhead,
      resources: specResources,
      requests: resourceFromQuantities(podRequests(pod)),
      nonZero: nonZeroRequests(pod),
      hostPorts: hostPortsOf(pod),
    };
    if (key !== undefined) byContainers.set(key, d);
  }
  return d;
}

export function newPodInfo(pod: Pod): PodInfo {
  const stored = pod as Stored<Pod & KObject>;
  const derived = specDerived(pod);
  const requests = derived.requests;
  const nz = derived.nonZero;
  const errs: string[] = [];
  const aff = pod.spec?.affinity;
  const requiredAffinityTerms: AffinityTerm[] = [];
  const requiredAntiAffinityTerms: AffinityTerm[] = [];
  const preferredAffinityTerms: WeightedAffinityTerm[] = [];
  const preferredAntiAffinityTerms: WeightedAffinityTerm[] = [];
  if (aff?.podAffinity) {
    for (const t of aff.podAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []) requiredAffinityTerms.push(compileTerm(pod, t, errs));
    for (const w of aff.podAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      preferredAffinityTerms.push({ ...compileTerm(pod, w.podAffinityTerm, errs), weight: w.weight });
    }
  }
  if (aff?.podAntiAffinity) {
    for (const t of aff.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []) requiredAntiAffinityTerms.push(compileTerm(pod, t, errs));
    for (const w of aff.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      preferredAntiAffinityTerms.push({ ...compileTerm(pod, w.podAffinityTerm, errs), weight: w.weight });
    }
  }
  const info: PodInfo = {
    pod: stored,
    requests,
    nonZeroMilliCPU: nz.milliCPU,
    nonZeroMemory: nz.memory,
    requiredAffinityTerms,
    requiredAntiAffinityTerms,
    preferredAffinityTerms,
    preferredAntiAffinityTerms,
    hostPorts: derived.hostPorts,
  };
  if (errs.length > 0) info.parseError = errs.join(', ');
  return info;
}

/** Pod key used by the cache and NodeInfo (upstream GetPodKey: the UID, falling back to namespace/name). */
export function podKey(pod: Pod): string {
  return pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** upstream podWithAffinity / podWithRequiredAntiAffinity (on the spec, not on parsed terms). */
export function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return !!a && (!!a.podAffinity || !!a.podAntiAffinity);
}

export function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}
