/**
 * Pure pieces of the kubelet's pod status, following v1.31
 * (pkg/kubelet/status/generate.go, kubelet_pods.go generateAPIPodStatus):
 * the condition set and order the kubelet reports, container states, and the
 * phase a pod reaches when its containers exit under its restartPolicy.
 *
 * ksim does not run containers; how long a container runs and how it exits
 * come from the pod's ksim annotations (a stand-in for the load models that a
 * later issue adds), see {@link containerBehaviour}.
 */
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { parseDuration } from '../api/duration.ts';
import { getPodQOS } from '../api/qos.ts';

/** How long the pod's containers run before exiting; absent means "until deleted". */
export const AnnotationRunDuration = 'ksim.dev/run-duration';
/** Exit code of the containers when they finish (default 0). */
export const AnnotationExitCode = 'ksim.dev/exit-code';
/** How long the containers take to stop after SIGTERM (capped by the grace period; default 0). */
export const AnnotationShutdownDuration = 'ksim.dev/shutdown-duration';

export interface ContainerBehaviour {
  /** Virtual ms a container runs before exiting, or undefined to run until deleted. */
  runFor: number | undefined;
  exitCode: number;
  shutdownFor: number;
}

/** Parsed duration annotations by text (pods of one workload repeat the same few values). */
const durations = new Map<string, number | undefined>();
const DURATIONS_MAX = 1024;

function durationAnnotation(pod: Pod, key: string): number | undefined {
  const raw = pod.metadata?.annotations?.[key];
  if (raw === undefined) return undefined;
  if (durations.has(raw)) return durations.get(raw);
  let ms: number | undefined;
  try {
    const v = parseDuration(raw);
    ms = v >= 0 ? v : undefined;
  } catch {
    // A bad annotation is reported by the scenario loader; at run time it means "not set".
    ms = undefined;
  }
  if (durations.size >= DURATIONS_MAX) durations.clear();
  durations.set(raw, ms);
  return ms;
}

/**
 * Stored objects are frozen and their untouched parts shared between
 * versions, so a pod's annotations object identifies its behaviour: parse it
 * once per object, not on every kubelet action.
 */
const behaviourOf = new WeakMap<object, ContainerBehaviour>();

export function containerBehaviour(pod: Pod): ContainerBehaviour {
  const annotations = pod.metadata?.annotations;
  const frozen = annotations !== undefined && Object.isFrozen(annotations);
  if (frozen) {
    const memo = behaviourOf.get(annotations);
    if (memo !== undefined) return memo;
  }
  const code = Number.parseInt(annotations?.[AnnotationExitCode] ?? '0', 10);
  const b: ContainerBehaviour = Object.freeze({
    runFor: durationAnnotation(pod, AnnotationRunDuration),
    exitCode: Number.isFinite(code) ? code : 0,
    shutdownFor: durationAnnotation(pod, AnnotationShutdownDuration) ?? 0,
  });
  if (frozen) behaviourOf.set(annotations, b);
  return b;
}

/** Upstream's container restart back-off: 10s doubling to 5m (kubelet's backOffPeriod / MaxContainerBackOff). */
export const InitialContainerBackOff = 10_000;
export const MaxContainerBackOff = 300_000;

export function restartBackOff(restartCount: number): number {
  let d = InitialContainerBackOff;
  for (let i = 1; i < restartCount && d < MaxContainerBackOff; i++) d *= 2;
  return Math.min(d, MaxContainerBackOff);
}

/** Whether a container that exited with `exitCode` is restarted under the pod's restartPolicy. */
export function shouldRestart(restartPolicy: string | undefined, exitCode: number): boolean {
  if (restartPolicy === 'Never') return false;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return true;
}

function condition(type: string, status: 'True' | 'False', time: string, reason?: string): PodCondition {
  const c: PodCondition = { type, status, lastTransitionTime: time };
  if (reason) c.reason = reason;
  return c;
}

/** Keep an existing condition's transition time when its status does not change, as the status manager does. */
function mergeConditions(old: readonly PodCondition[] | undefined, next: PodCondition[]): PodCondition[] {
  return next.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    if (prev && prev.status === c.status && prev.reason === c.reason) return { ...c, lastTransitionTime: prev.lastTransitionTime };
    return c;
  });
}

/** The kubelet's condition order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. */
export function podConditions(pod: Pod, time: string, ready: boolean, notReadyReason: string | undefined, sandboxReady: boolean): PodCondition[] {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', 'True', time);
  const next = [
    condition('PodReadyToStartContainers', sandboxReady ? 'True' : 'False', time),
    condition('Initialized', 'True', time),
    condition('Ready', ready ? 'True' : 'False', time, ready ? undefined : notReadyReason),
    condition('ContainersReady', ready ? 'True' : 'False', time, ready ? undefined : notReadyReason),
  ];
  return [...mergeConditions(pod.status?.conditions, next), scheduled];
}

function imageID(image: string): string {
  // The runtime reports a digest; a stable fake one keeps runs byte-identical.
  return `docker.io/library/${image.includes(':') ? image : `${image}:latest`}`;
}

export function runningContainerStatus(c: Container, index: number, podUid: string, startedAt: string, restartCount: number, last?: ContainerStatus['lastState']): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    image: c.image ?? '',
    imageID: imageID(c.image ?? ''),
    containerID: `containerd://${podUid.replace(/-/g, '')}${index.toString(16).padStart(2, '0')}${restartCount.toString(16)}`,
    ready: true,
    started: true,
    restartCount,
    state: { running: { startedAt } },
  };
  if (last) s.lastState = last;
  return s;
}

export function terminatedState(exitCode: number, startedAt: string, finishedAt: string): NonNullable<ContainerStatus['state']> {
  return { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt } };
}

/** Status of a pod whose containers have all started. */
export function runningStatus(pod: Pod, ids: { hostIP: string; podIP: string }, time: string, restartCount: number, last?: ContainerStatus['lastState']): PodStatus {
  const uid = pod.metadata?.uid ?? '';
  const containers = pod.spec?.containers ?? [];
  return {
    ...pod.status,
    phase: 'Running',
    conditions: podConditions(pod, time, true, undefined, true),
    hostIP: ids.hostIP,
    hostIPs: [{ ip: ids.hostIP }],
    podIP: ids.podIP,
    podIPs: [{ ip: ids.podIP }],
    startTime: pod.status?.startTime ?? time,
    containerStatuses: containers.map((c, i) => runningContainerStatus(c, i, uid, time, restartCount, last)),
    qosClass: getPodQOS(pod),
  };
}

/** Status of a pod whose containers exited and will not be restarted (Succeeded or Failed). */
export function terminalStatus(pod: Pod, exitCode: number, time: string): PodStatus {
  const phase = exitCode === 0 ? 'Succeeded' : 'Failed';
  const reason = 'PodCompleted';
  const statuses = (pod.status?.containerStatuses ?? []).map((cs) => {
    const startedAt = cs.state?.running?.startedAt ?? time;
    return { ...cs, ready: false, started: false, state: terminatedState(exitCode, startedAt, time) };
  });
  return {
    ...pod.status,
    phase,
    conditions: podConditions(pod, time, false, reason, false),
    containerStatuses: statuses,
  };
}

/** Status while a container waits out its restart back-off. */
export function crashLoopStatus(pod: Pod, exitCode: number, time: string, restartCount: number, backOff: number): PodStatus {
  const statuses = (pod.status?.containerStatuses ?? []).map((cs) => {
    const startedAt = cs.state?.running?.startedAt ?? time;
    return {
      ...cs,
      ready: false,
      started: false,
      restartCount,
      lastState: terminatedState(exitCode, startedAt, time),
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${formatBackOff(backOff)} restarting failed container=${cs.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`,
        },
      },
    };
  });
  return {
    ...pod.status,
    phase: 'Running',
    conditions: podConditions(pod, time, false, 'ContainersNotReady', true),
    containerStatuses: statuses,
  };
}

function formatBackOff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
