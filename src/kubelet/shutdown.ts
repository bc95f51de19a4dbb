/**
 * Graceful node shutdown (pkg/kubelet/nodeshutdown/nodeshutdown_manager_linux.go,
 * GracefulNodeShutdown, beta and on by default since v1.21), run when the
 * scenario's nodeDown stops a kubelet whose configuration sets
 * shutdownGracePeriod:
 *
 *   - pods are killed by priority group: first every pod below
 *     system-critical priority (2000000000) with a grace period of
 *     shutdownGracePeriod - shutdownGracePeriodCriticalPods, then, once they
 *     have stopped (or that period is over), the critical pods with
 *     shutdownGracePeriodCriticalPods; a pod's own terminationGracePeriodSeconds
 *     caps its grace;
 *   - each killed pod goes Failed (unless it already Succeeded) with reason
 *     "Terminated", message "Pod was terminated in response to imminent node
 *     shutdown." and the DisruptionTarget condition (TerminationByKubelet);
 *   - while shutting down, new pods are rejected: "NodeShutdown", "Pod was
 *     rejected as the node is shutting down." (admission.ts).
 *
 * ksim's nodeDown stops the kubelet's heartbeats at once, so the node
 * lifecycle controller's clock starts then; the shutdown's pod updates are
 * written by this shutdown manager during the grace period, as the kubelet
 * writes them before it exits. Containers end as terminated by SIGTERM
 * (exit code 143). Without shutdownGracePeriod the stop stays abrupt.
 */
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored, Time, Writable } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { ApiError } from '../sim/errors.ts';
import { parseDuration } from '../api/duration.ts';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';
import { containerBehaviour } from './podLifecycle.ts';

export const NodeShutdownReason = 'Terminated';
export const NodeShutdownMessage = 'Pod was terminated in response to imminent node shutdown.';
/** scheduling.SystemCriticalPriority. */
export const SystemCriticalPriority = 2_000_000_000;
const ExitCodeSIGTERM = 143;

type PodObj = Pod & KObject;

function ms(d: string | undefined): Time {
  if (!d) return 0;
  try {
    return Math.max(0, parseDuration(d));
  } catch {
    return 0;
  }
}

/** The two priority groups and their grace periods (ms), as shutdownGracePeriodByPodPriority is derived. */
export function shutdownGroups(cfg: KubeletConfiguration): { nonCritical: Time; critical: Time } | undefined {
  const total = ms(cfg.shutdownGracePeriod);
  if (total <= 0) return undefined;
  const critical = Math.min(ms(cfg.shutdownGracePeriodCriticalPods), total);
  return { nonCritical: total - critical, critical };
}

function isActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Start the graceful shutdown of `nodeName`'s pods now. Returns false (and does
 * nothing) when the configuration asks for none.
 */
export function startGracefulShutdown(sim: Simulation, nodeName: string, cfg: KubeletConfiguration): boolean {
  const groups = shutdownGroups(cfg);
  if (!groups) return false;
  const pods = (sim.store.list<PodObj>('Pod') as Stored<PodObj>[]).filter((p) => p.spec?.nodeName === nodeName && isActive(p));
  const critical = pods.filter((p) => (p.spec?.priority ?? 0) >= SystemCriticalPriority);
  const rest = pods.filter((p) => (p.spec?.priority ?? 0) < SystemCriticalPriority);
  const killGroup = (group: Stored<PodObj>[], period: Time): Time => {
    let longest = 0;
    for (const p of group) {
      const grace = Math.min(period, (p.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
      longest = Math.max(longest, Math.min(containerBehaviour(p).shutdownFor, grace));
      terminate(sim, nodeName, p);
    }
    return longest;
  };
  const first = killGroup(rest, groups.nonCritical);
  if (critical.length > 0) {
    sim.engine.after(
      Math.min(first, groups.nonCritical),
      () => void killGroup(critical.map((p) => (sim.store.get<PodObj>('Pod', p.metadata.namespace ?? '', p.metadata.name ?? '') ?? p) as Stored<PodObj>).filter(isActive), groups.critical),
      { priority: Priority.Kubelet, source: `kubelet/${nodeName}` },
    );
  }
  return true;
}

function terminate(sim: Simulation, nodeName: string, pod: Stored<PodObj>): void {
  const now = sim.timestamp();
  sim.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${pod.spec?.containers?.[0]?.name ?? ''}`, { component: 'kubelet', host: nodeName });
  try {
    sim.store.patch<Writable<PodObj>>(
      'Pod',
      pod.metadata.namespace ?? '',
      pod.metadata.name ?? '',
      (draft) => {
        const status = (draft.status ??= {});
        if (status.phase !== 'Succeeded') status.phase = 'Failed';
        status.reason = NodeShutdownReason;
        status.message = NodeShutdownMessage;
        const conds = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget' && c.type !== 'Ready' && c.type !== 'ContainersReady');
        const old = status.conditions ?? [];
        for (const type of ['Ready', 'ContainersReady']) {
          const prev = old.find((c) => c.type === type);
          if (prev) conds.push({ ...prev, status: 'False', reason: 'PodFailed', lastTransitionTime: prev.status === 'False' ? prev.lastTransitionTime : now });
        }
        conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: NodeShutdownMessage, lastTransitionTime: now });
        status.conditions = conds;
        status.containerStatuses = (status.containerStatuses ?? []).map((cs): ContainerStatus => {
          const startedAt = cs.state?.running?.startedAt;
          if (!startedAt) return { ...cs, ready: false, started: false };
          return { ...cs, ready: false, started: false, state: { terminated: { exitCode: ExitCodeSIGTERM, reason: 'Error', startedAt, finishedAt: now } } };
        });
      },
      { subresource: 'status', actor: `kubelet/${nodeName}` },
    );
  } catch (err) {
    if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
  }
}
