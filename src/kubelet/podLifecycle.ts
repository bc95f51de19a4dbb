/**
 * Pure pieces of the kubelet's pod lifecycle (v1.31+): how a container
 * behaves (ksim's annotations), the restart policy, the container restart
 * back-off (pkg/kubelet/kuberuntime: backOffPeriod 10s, MaxContainerBackOff
 * 5m, flowcontrol.Backoff forgetting an entry after 2 × max without a crash),
 * and container statuses for each state.
 *
 * ksim runs no processes: how long a container runs and how it exits come
 * from the pod's ksim annotations, and how much it uses from the load models
 * (src/load); see {@link containerBehaviour}.
 */
import type { Container, ContainerStatus, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { Time } from '../sim/types.ts';
import { parseDuration } from '../api/duration.ts';

/** How long the pod's containers run before exiting; absent means "until deleted". */
export const AnnotationRunDuration = 'ksim.dev/run-duration';
/** Exit code of the containers when they finish (default 0). */
export const AnnotationExitCode = 'ksim.dev/exit-code';
/** How long the containers take to stop after SIGTERM (capped by the grace period; default 0). */
export const AnnotationShutdownDuration = 'ksim.dev/shutdown-duration';
/** Probability that one readiness probe fails (seeded stream "probes"); default 0. */
export const AnnotationReadinessFailureRate = 'ksim.dev/readiness-failure-rate';
/** Probability that one liveness probe fails; failureThreshold failures in a row restart the container. */
export const AnnotationLivenessFailureRate = 'ksim.dev/liveness-failure-rate';

export interface ContainerBehaviour {
  /** Virtual ms a container runs before exiting, or undefined to run until deleted. */
  runFor: number | undefined;
  exitCode: number;
  shutdownFor: number;
  readinessFailureRate: number;
  livenessFailureRate: number;
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

function rate(pod: Pod, key: string): number {
  const raw = pod.metadata?.annotations?.[key];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.min(1, n) : 0;
}

/**
 * The behaviour is a function of five annotation values, and pods of one
 * workload repeat the same values: the last answer is kept with the values it
 * was computed from and given again while they are equal. (A WeakMap by each
 * pod's annotations object parsed once per pod and kept an ephemeron per
 * live pod for every major GC to walk.)
 */
let lastRaw: readonly (string | undefined)[] = [];
let lastBehaviour: ContainerBehaviour | undefined;

export function containerBehaviour(pod: Pod): ContainerBehaviour {
  const annotations = pod.metadata?.annotations;
  const run = annotations?.[AnnotationRunDuration];
  const exit = annotations?.[AnnotationExitCode];
  const shutdown = annotations?.[AnnotationShutdownDuration];
  const readiness = annotations?.[AnnotationReadinessFailureRate];
  const liveness = annotations?.[AnnotationLivenessFailureRate];
  const raw = lastRaw;
  if (lastBehaviour !== undefined && raw[0] === run && raw[1] === exit && raw[2] === shutdown && raw[3] === readiness && raw[4] === liveness) return lastBehaviour;
  const code = Number.parseInt(exit ?? '0', 10);
  const b: ContainerBehaviour = Object.freeze({
    runFor: durationAnnotation(pod, AnnotationRunDuration),
    exitCode: Number.isFinite(code) ? code : 0,
    shutdownFor: durationAnnotation(pod, AnnotationShutdownDuration) ?? 0,
    readinessFailureRate: rate(pod, AnnotationReadinessFailureRate),
    livenessFailureRate: rate(pod, AnnotationLivenessFailureRate),
  });
  lastRaw = [run, exit, shutdown, readiness, liveness];
  lastBehaviour = b;
  return b;
}

/** Upstream's container restart back-off: 10s doubling to 5m (kubelet's backOffPeriod / MaxContainerBackOff). */
export const InitialContainerBackOff = 10_000;
export const MaxContainerBackOff = 300_000;

/** The back-off before the n-th restart when crashes follow each other closely (no reset). */
export function restartBackOff(restartCount: number): number {
  let d = InitialContainerBackOff;
  for (let i = 1; i < restartCount && d < MaxContainerBackOff; i++) d *= 2;
  return Math.min(d, MaxContainerBackOff);
}

/**
 * One container's back-off entry, as flowcontrol.Backoff: each crash doubles
 * the delay up to the max; an entry not updated for more than 2 × max (10
 * minutes: the container ran that long) starts again from the initial delay.
 */
export class ContainerBackOff {
  private duration = 0;
  private lastUpdate = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly initial = InitialContainerBackOff,
    private readonly max = MaxContainerBackOff,
  ) {}

  next(now: Time): number {
    if (this.duration === 0 || now - this.lastUpdate > 2 * this.max) this.duration = this.initial;
    else this.duration = Math.min(this.duration * 2, this.max);
    this.lastUpdate = now;
    return this.duration;
  }
}

/** Whether a container that exited with `exitCode` is restarted under the pod's restartPolicy. */
export function shouldRestart(restartPolicy: string | undefined, exitCode: number): boolean {
  if (restartPolicy === 'Never') return false;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return true;
}

function imageID(image: string): string {
  // The runtime reports a digest; a stable fake one keeps runs byte-identical.
  // One flat string per image, shared by its containers (a template made a new rope for each).
  let id = imageIDs.get(image);
  if (id === undefined) {
    id = ['docker.io/library/', image.includes(':') ? image : `${image}:latest`].join('');
    if (imageIDs.size >= 4096) imageIDs.clear();
    imageIDs.set(image, id);
  }
  return id;
}

const imageIDs = new Map<string, string>();

export function containerID(podUid: string, index: number, restartCount: number): string {
  // join: one flat string (a template made a rope of cons nodes, kept in every container status). The uid's
  // dashes are dropped by joining the slices between them, the text replaceAll('-', '') gives: replaceAll was
  // ~2 us a call (0.6% of a churn run, once per container start), the slices ~0.5 us.
  const parts = ['containerd://'];
  let from = 0;
  for (let dash = podUid.indexOf('-'); dash >= 0; dash = podUid.indexOf('-', from)) {
    if (dash > from) parts.push(podUid.slice(from, dash));
    from = dash + 1;
  }
  parts.push(podUid.slice(from), containerIDSuffix(index, restartCount));
  return parts.join('');
}

/** The index and restart count part of container IDs, by index then restart count (small ones only: a few dozen strings, made once each). */
const containerIDSuffixes: string[][] = [];

function containerIDSuffix(index: number, restartCount: number): string {
  if (index >= 64 || restartCount >= 64) return index.toString(16).padStart(2, '0') + restartCount.toString(16);
  const row = (containerIDSuffixes[index] ??= []);
  return (row[restartCount] ??= index.toString(16).padStart(2, '0') + restartCount.toString(16));
}

export function waitingContainerStatus(c: Container, restartCount: number, reason: string, message?: string, last?: ContainerStatus['lastState']): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    started: false,
    restartCount,
    state: { waiting: message ? { reason, message } : { reason } },
  };
  if (last) s.lastState = last;
  return s;
}

export function runningContainerStatus(c: Container, index: number, podUid: string, startedAt: string, restartCount: number, ready: boolean, started: boolean, last?: ContainerStatus['lastState']): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    image: c.image ?? '',
    imageID: imageID(c.image ?? ''),
    containerID: containerID(podUid, index, restartCount),
    ready,
    started,
    restartCount,
    state: { running: { startedAt } },
  };
  if (last) s.lastState = last;
  return s;
}

export function terminatedReason(exitCode: number, oomKilled = false): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

export function terminatedState(exitCode: number, startedAt: string, finishedAt: string, reason = terminatedReason(exitCode)): NonNullable<ContainerStatus['state']> {
  return { terminated: { exitCode, reason, startedAt, finishedAt } };
}

/** A running container's status once it has exited. */
export function exitedContainerStatus(cs: ContainerStatus, exitCode: number, reason: string, finishedAt: string): ContainerStatus {
  const startedAt = cs.state?.running?.startedAt ?? finishedAt;
  const out: ContainerStatus = { ...cs, ready: false, started: false, state: terminatedState(exitCode, startedAt, finishedAt, reason) };
  return out;
}

/** The waiting status while a container sits out its restart back-off. */
export function crashLoopContainerStatus(cs: ContainerStatus, pod: Pod, exitCode: number, reason: string, finishedAt: string, restartCount: number, backOff: number): ContainerStatus {
  const startedAt = cs.state?.running?.startedAt ?? finishedAt;
  return {
    ...cs,
    ready: false,
    started: false,
    restartCount,
    lastState: terminatedState(exitCode, startedAt, finishedAt, reason),
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatBackOff(backOff)} restarting failed container=${cs.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`,
      },
    },
  };
}

export function backOffEventMessage(pod: Pod, container: string): string {
  return `Back-off restarting failed container ${container} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}

/** Go's Duration.String() for whole seconds: 10s, 1m20s, 5m0s. */
export function formatBackOff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/** Probe timing with upstream's defaults (periodSeconds 10, thresholds 1 and 3). */
export interface ProbeTiming {
  initialDelay: Time;
  period: Time;
  successThreshold: number;
  failureThreshold: number;
}

export function probeTiming(p: Probe | undefined): ProbeTiming | undefined {
  if (!p) return undefined;
  return {
    initialDelay: (p.initialDelaySeconds ?? 0) * 1000,
    period: (p.periodSeconds || 10) * 1000,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

/**
 * When a freshly started container first reports started and ready, with
 * probes that always succeed: the startup probe succeeds at its first run
 * (initialDelay), readiness probes run only after that, the first at the
 * readiness initialDelay from the container's start (or the next period).
 */
export function probeSchedule(c: Container, startedAt: Time): { startedAt: Time; readyAt: Time } {
  const startup = probeTiming(c.startupProbe);
  const started = startup ? startedAt + startup.initialDelay + (startup.successThreshold - 1) * startup.period : startedAt;
  const readiness = probeTiming(c.readinessProbe);
  if (!readiness) return { startedAt: started, readyAt: started };
  let first = startedAt + readiness.initialDelay;
  if (first < started) first += Math.ceil((started - first) / readiness.period) * readiness.period;
  return { startedAt: started, readyAt: first + (readiness.successThreshold - 1) * readiness.period };
}
