/**
 * The pod status the kubelet reports, following generateAPIPodStatus
 * (pkg/kubelet/kubelet_pods.go) and pkg/kubelet/status (generate.go,
 * status_manager.go mergePodStatus):
 *
 *  - the kubelet owns PodReadyToStartContainers, Initialized, Ready,
 *    ContainersReady and PodScheduled; every other condition (DisruptionTarget,
 *    readiness-gate conditions, ...) belongs to someone else and is kept as it
 *    stands in the API server, after the kubelet's;
 *  - Initialized=False `ContainersNotInitialized` `containers with incomplete
 *    status: [init]`; ContainersReady/Ready=False `ContainersNotReady`
 *    `containers with unready status: [app]`, or `PodCompleted` once the pod
 *    Succeeded; Ready also waits for readinessGates
 *    (`ReadinessGatesNotReady`);
 *  - a condition keeps its lastTransitionTime while its status is unchanged.
 */
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { getPodQOS } from '../api/qos.ts';

export const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The kubelet's view of a pod, from which its API status is generated. */
export interface KubeletPodView {
  phase: PodPhase;
  /** Pod-level reason and message (Evicted, a rejection). */
  reason?: string;
  message?: string;
  hostIP?: string;
  podIP?: string;
  startTime?: string;
  sandboxReady: boolean;
  initContainers: ContainerStatus[];
  containers: ContainerStatus[];
}

function cond(type: string, ok: boolean, time: string, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False', lastTransitionTime: time };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

function isRestartable(pod: Pod, name: string): boolean {
  return pod.spec?.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';
}

/** GeneratePodInitializedCondition. */
function initializedCondition(pod: Pod, view: KubeletPodView, time: string): PodCondition {
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = view.initContainers.find((x) => x.name === c.name);
    const done = c.restartPolicy === 'Always' ? s?.started === true : s?.state?.terminated?.exitCode === 0;
    if (!done) incomplete.push(c.name);
  }
  // A pod that ran its containers stays Initialized even after they exit.
  if (incomplete.length === 0 || view.containers.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return cond('Initialized', true, time);
  return cond('Initialized', false, time, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
}

function unready(pod: Pod, view: KubeletPodView): string[] {
  const names: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    if (!view.initContainers.find((x) => x.name === c.name)?.ready) names.push(c.name);
  }
  for (const c of pod.spec?.containers ?? []) {
    if (!view.containers.find((x) => x.name === c.name)?.ready) names.push(c.name);
  }
  return names;
}

/** GenerateContainersReadyCondition. */
function containersReadyCondition(pod: Pod, view: KubeletPodView, time: string): PodCondition {
  if (view.phase === 'Succeeded') return cond('ContainersReady', false, time, 'PodCompleted');
  const names = unready(pod, view);
  if (names.length === 0) return cond('ContainersReady', true, time);
  return cond('ContainersReady', false, time, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`);
}

/** GeneratePodReadyCondition: ContainersReady plus every readiness gate's condition True. */
function readyCondition(pod: Pod, view: KubeletPodView, containersReady: PodCondition, current: readonly PodCondition[], time: string): PodCondition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const missing: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = current.find((x) => x.type === g.conditionType);
    if (!c) missing.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') missing.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (missing.length > 0) return cond('Ready', false, time, 'ReadinessGatesNotReady', missing.join(', '));
  return cond('Ready', true, time);
}

const NoConditions: readonly PodCondition[] = Object.freeze([]);

/** A kubelet-owned condition keeps its lastTransitionTime while its status is unchanged; observedGeneration last. */
function finish(c: PodCondition, prev: PodCondition | undefined, time: string, gen: number | undefined): PodCondition {
  if (prev && prev.status === c.status) c.lastTransitionTime = prev.lastTransitionTime ?? time;
  if (gen !== undefined) (c as PodCondition & { observedGeneration?: number }).observedGeneration = gen;
  return c;
}

/**
 * The status to write, given what the API server holds now (`current`, so
 * conditions other writers set since the kubelet last looked are kept).
 */
export function generateAPIPodStatus(
  pod: Pod,
  view: KubeletPodView,
  current: PodStatus | undefined,
  time: string,
  /** PodObservedGenerationTracking (beta, on since v1.34): record the generation the kubelet acted on. */
  observedGeneration = true,
): PodStatus {
  const old = current?.conditions ?? NoConditions;
  // One pass over what the API server holds: the first of each kubelet-owned type (as find would pick) and,
  // in order, every condition someone else owns (a find per type and a filter allocated and walked it six times).
  let prevSandbox: PodCondition | undefined;
  let prevInitialized: PodCondition | undefined;
  let prevReady: PodCondition | undefined;
  let prevContainersReady: PodCondition | undefined;
  let prevScheduled: PodCondition | undefined;
  let others: PodCondition[] | undefined;
  for (let i = 0; i < old.length; i++) {
    const c = old[i]!;
    switch (c.type) {
      case 'PodReadyToStartContainers':
        prevSandbox ??= c;
        break;
      case 'Initialized':
        prevInitialized ??= c;
        break;
      case 'Ready':
        prevReady ??= c;
        break;
      case 'ContainersReady':
        prevContainersReady ??= c;
        break;
      case 'PodScheduled':
        prevScheduled ??= c;
        break;
      default:
        (others ??= []).push(c);
    }
  }
  const scheduled = prevScheduled ?? cond('PodScheduled', true, time);
  const containersReady = containersReadyCondition(pod, view, time);
  // Each is a fresh object made here (Ready copies ContainersReady first), so it is finished in place:
  // lastTransitionTime keeps its key position, observedGeneration comes last.
  const gen = observedGeneration ? pod.metadata?.generation : undefined;
  const conditions = [
    finish(cond('PodReadyToStartContainers', view.sandboxReady, time), prevSandbox, time, gen),
    finish(initializedCondition(pod, view, time), prevInitialized, time, gen),
    finish(readyCondition(pod, view, containersReady, old, time), prevReady, time, gen),
    finish(containersReady, prevContainersReady, time, gen),
    scheduled,
  ];
  if (others !== undefined) for (let i = 0; i < others.length; i++) conditions.push(others[i]!);
  const s: PodStatus = {
    ...current,
    phase: view.phase,
    conditions,
    qosClass: getPodQOS(pod),
  };
  if (observedGeneration && pod.metadata?.generation !== undefined) (s as { observedGeneration?: number }).observedGeneration = pod.metadata.generation;
  if (view.hostIP) {
    s.hostIP = view.hostIP;
    s.hostIPs = [{ ip: view.hostIP }];
  }
  if (view.podIP) {
    s.podIP = view.podIP;
    s.podIPs = [{ ip: view.podIP }];
  }
  if (view.startTime) s.startTime = current?.startTime ?? view.startTime;
  if (view.reason) s.reason = view.reason;
  if (view.message) s.message = view.message;
  if (view.initContainers.length > 0) s.initContainerStatuses = view.initContainers;
  s.containerStatuses = view.containers;
  return s;
}

export { isRestartable };
