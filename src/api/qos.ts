/**
 * Pod QoS class, following pkg/apis/core/v1/helper/qos (GetPodQOS / ComputePodQOS), v1.35
 * (pod-level resources decide the class when set, PodLevelResources, on since v1.34).
 *
 * Only cpu and memory count, and only positive quantities. Requests and limits are
 * summed over all containers (regular and init); the pod is
 *   - BestEffort when no container has any positive cpu/memory request or limit;
 *   - Guaranteed when every container sets positive cpu AND memory limits and the
 *     summed requests equal the summed limits for each of them (after API defaulting
 *     requests copy limits, so this is "requests == limits everywhere");
 *   - Burstable otherwise.
 * GetPodQOS returns status.qosClass when the kubelet has already set it: QoS is
 * fixed for a pod's life, and upstream trusts the recorded value.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from './quantity.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function isQOSResource(name: string): name is (typeof QOS_RESOURCES)[number] {
  return name === 'cpu' || name === 'memory';
}

function addPositive(into: Map<string, Quantity>, list: Record<string, unknown> | undefined, found?: Set<string>): void {
  if (!list) return;
  for (const [name, raw] of Object.entries(list)) {
    if (!isQOSResource(name)) continue;
    const q = Quantity.tryParse(raw);
    // Unparseable values cannot reach a stored pod (validation rejects them); treat as absent.
    if (q === undefined || q.sign() <= 0) continue;
    found?.add(name);
    const cur = into.get(name);
    into.set(name, cur === undefined ? q : cur.add(q));
  }
}

/** ComputePodQOS: the class from the spec alone, ignoring status.qosClass. */
export function computePodQOS(pod: Pod): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const podLevel = (pod.spec as { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } } | undefined)?.resources;
  const set = (l: Record<string, unknown> | undefined): boolean => l !== undefined && Object.keys(l).some((k) => k === 'cpu' || k === 'memory');
  // IsPodLevelResourcesSet: a supported resource requested or limited at pod level.
  if (podLevel && (set(podLevel.requests) || set(podLevel.limits))) {
    // PodLevelResources: pod-level requests and limits decide the class (the API
    // server keeps spec.resources only while the gate is on).
    addPositive(requests, podLevel.requests);
    if (podLevel.limits && Object.keys(podLevel.limits).length > 0) {
      const limitsFound = new Set<string>();
      addPositive(limits, podLevel.limits, limitsFound);
      if (!limitsFound.has('memory') || !limitsFound.has('cpu')) isGuaranteed = false;
    }
  } else {
    const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    for (const c of all) {
      addPositive(requests, c.resources?.requests as Record<string, unknown> | undefined);
      const limitsFound = new Set<string>();
      addPositive(limits, c.resources?.limits as Record<string, unknown> | undefined, limitsFound);
      if (!limitsFound.has('memory') || !limitsFound.has('cpu')) isGuaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim === undefined || lim.cmp(req) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  if (isGuaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

/** GetPodQOS: status.qosClass if set, else computed. */
export function getPodQOS(pod: Pod): QOSClass {
  const recorded = pod.status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return computePodQOS(pod);
}
