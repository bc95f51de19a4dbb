/**
 * The READY, STATUS and RESTARTS of `kubectl get pods`, computed as kubectl's
 * printPod does (pkg/printers/internalversion/printers.go, v1.33): the phase
 * or status.reason, SchedulingGated, init container progress ("Init:0/2",
 * "Init:CrashLoopBackOff"), then the last-listed container with a waiting or
 * terminated reason ("ContainerCreating", "CrashLoopBackOff", "OOMKilled",
 * "Completed", "ExitCode:1"), back to "Running" when a container still runs,
 * and "Terminating" for a deleted pod not yet in a terminal phase.
 */
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { Time } from '../../sim/types.ts';

export interface PodStatusColumns {
  ready: string;
  status: string;
  restarts: number;
  /** Latest lastState.terminated.finishedAt of a counted container, RFC 3339. */
  lastRestart?: string;
}

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

export function podStatusColumns(pod: Pod): PodStatusColumns {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = spec?.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;
  const later = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : b > a ? b : a);

  let reason = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initContainers = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    lastRestart = later(lastRestart, finished);
    const restartable = isRestartableInit(initContainers.get(c.name));
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
    }
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleted = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleted && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleted && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, ...(lastRestart !== undefined ? { lastRestart } : {}) };
}

/** RESTARTS: "2 (5m ago)" when a restart time is known, as kubectl prints it. */
export function restartsColumn(p: PodStatusColumns, now: Time, virtualTime: (s: string) => Time | undefined, since: (t: Time | undefined, now: Time) => string): string {
  if (p.restarts !== 0 && p.lastRestart !== undefined) return `${p.restarts} (${since(virtualTime(p.lastRestart), now)} ago)`;
  return String(p.restarts);
}
