/**
 * The timeline's `drain`, as `kubectl drain --ignore-daemonsets
 * --delete-emptydir-data [--force] [--timeout]` runs it (k8s.io/kubectl
 * pkg/drain, newest release), as a client of the API server:
 *   - nodes are drained one after another: cordon, then every pod bound to
 *     the node is evicted through the Eviction subresource, skipping mirror
 *     pods and DaemonSet-managed pods; pods that declare no controller stop
 *     the node's drain unless `force` (`cannot delete Pods that declare no
 *     controller (use --force to override): default/a`); finished pods are
 *     always deleted;
 *   - an eviction refused with 429 (a PodDisruptionBudget) is retried every
 *     5 s; NotFound counts as done; any other error fails that pod;
 *   - the node is done when every evicted pod is gone from the API (kubectl
 *     polls every second);
 *   - with `timeout`, pods still not evicted or not gone that long after the
 *     node's drain started fail with `global timeout reached: 2m0s`.
 * What could not be evicted goes into the run's warnings (table and JSON
 * output), as kubectl prints it; so does a drain still waiting when the run
 * ends. Retries are client work on the timeline, not a controller: they are
 * periodic events, so they never keep a run alive on their own.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatDuration } from '../api/duration.ts';
import { evictPod } from '../admission/eviction.ts';
import { isApiError } from '../sim/errors.ts';
import type { Simulation } from '../sim/simulation.ts';
import { Priority, type KObject } from '../sim/types.ts';
import type { DrainOptions } from './types.ts';

/** kubectl's wait between evictions refused with 429. */
export const EvictionRetryInterval = 5_000;
/** kubectl waitForDelete's poll interval. */
export const DeletePollInterval = 1_000;
const ACTOR = 'kubectl-drain';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

interface PodState {
  namespace: string;
  name: string;
  uid: string;
  /** When to try the eviction again; undefined once evicted (then waiting for the pod to go). */
  retryAt?: number;
  lastError?: string;
}

interface DrainRun {
  label: string;
  nodes: string[];
  next: number;
  node?: string;
  started: number;
  pods: PodState[];
  finished: boolean;
}

const running = new WeakMap<Simulation, DrainRun[]>();

function podText(p: { namespace: string; name: string }): string {
  return `pods/${JSON.stringify(p.name)} -n ${JSON.stringify(p.namespace)}`;
}

/** The pods kubectl drain --ignore-daemonsets considers on a node: not mirror pods, not DaemonSet-managed. */
export function drainCandidates(sim: Simulation, node: string): Pod[] {
  return (sim.store.list('Pod') as unknown as Pod[]).filter((p) => {
    if (p.spec?.nodeName !== node) return false;
    if (p.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return false;
    const owner = p.metadata?.ownerReferences?.find((o) => o.controller);
    return owner?.kind !== 'DaemonSet';
  });
}

/** Start a drain now. `warn` receives what kubectl would print as errors. */
export function startDrain(sim: Simulation, label: string, nodes: string[], opts: DrainOptions, warn: (msg: string) => void): void {
  const run: DrainRun = { label, nodes, next: 0, started: sim.now, pods: [], finished: false };
  let runs = running.get(sim);
  if (!runs) running.set(sim, (runs = []));
  runs.push(run);

  const log = (detail: Record<string, unknown>): void => sim.log({ t: sim.now, type: 'action', action: 'drain', detail: { drain: label, node: run.node, ...detail } });

  const tryEvict = (p: PodState): void => {
    try {
      evictPod({ store: sim.store, now: sim.now, timestamp: (t) => sim.timestamp(t) }, p.namespace, p.name, { actor: ACTOR });
      delete p.retryAt;
      log({ evicted: `${p.namespace}/${p.name}` });
    } catch (e) {
      if (!isApiError(e)) throw e;
      if (e.reason === 'NotFound') {
        delete p.retryAt;
        return;
      }
      p.lastError = e.message;
      if (e.reason === 'TooManyRequests') {
        p.retryAt = sim.now + EvictionRetryInterval;
        log({ error: `error when evicting ${podText(p)} (will retry after 5s): ${e.message}` });
        return;
      }
      warn(`drain node ${run.node}: error when evicting ${podText(p)}: ${e.message}`);
      run.pods = run.pods.filter((x) => x !== p);
    }
  };

  const startNode = (): void => {
    while (run.next < run.nodes.length) {
      const node = run.nodes[run.next++]!;
      run.node = node;
      run.started = sim.now;
      run.pods = [];
      try {
        sim.store.patch<KObject>('Node', '', node, (d) => void (((d['spec'] ??= {}) as Record<string, unknown>)['unschedulable'] = true), { actor: ACTOR });
      } catch (e) {
        if (!isApiError(e)) throw e;
        warn(`drain node ${node}: ${e.message}`);
        continue;
      }
      const candidates = drainCandidates(sim, node);
      const unmanaged = candidates.filter((p) => {
        const phase = p.status?.phase;
        if (phase === 'Succeeded' || phase === 'Failed') return false; // finished pods can always go
        return !p.metadata?.ownerReferences?.some((o) => o.controller);
      });
      if (unmanaged.length > 0 && !opts.force) {
        warn(`drain node ${node}: cannot delete Pods that declare no controller (use --force to override): ${unmanaged.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).join(', ')}`);
        continue;
      }
      run.pods = candidates.map((p) => ({ namespace: p.metadata!.namespace ?? 'default', name: p.metadata!.name!, uid: p.metadata!.uid ?? '', retryAt: sim.now }));
      log({ evicting: run.pods.map((p) => `${p.namespace}/${p.name}`) });
      for (const p of run.pods) tryEvict(p);
      if (!nodeDone()) return;
    }
    run.finished = true;
    run.node = undefined;
  };

  /** Drop pods that are gone (or replaced by a new pod of the same name); true when none is left. */
  const nodeDone = (): boolean => {
    run.pods = run.pods.filter((p) => {
      if (p.retryAt !== undefined) return true;
      const cur = sim.store.get('Pod', p.namespace, p.name);
      return cur !== undefined && cur.metadata.uid === p.uid;
    });
    return run.pods.length === 0;
  };

  const tick = (): void => {
    if (run.finished) return;
    if (opts.timeout !== undefined && sim.now - run.started >= opts.timeout) {
      for (const p of run.pods) warn(`drain node ${run.node}: error when evicting ${podText(p)}: global timeout reached: ${formatDuration(opts.timeout)}`);
      run.pods = [];
      startNode();
    } else {
      for (const p of run.pods) if (p.retryAt !== undefined && p.retryAt <= sim.now) tryEvict(p);
      if (nodeDone()) startNode();
    }
    if (!run.finished) sim.engine.after(DeletePollInterval, tick, { priority: Priority.Timeline, source: ACTOR, periodic: true });
  };

  startNode();
  if (!run.finished) sim.engine.after(DeletePollInterval, tick, { priority: Priority.Timeline, source: ACTOR, periodic: true });
}

/** Drains still waiting: what kubectl would still be retrying when the run ended. */
export function unfinishedDrains(sim: Simulation): string[] {
  const out: string[] = [];
  for (const run of running.get(sim) ?? []) {
    if (run.finished) continue;
    for (const p of run.pods) {
      out.push(
        p.retryAt !== undefined
          ? `drain node ${run.node} (${run.label}): not finished when the run ended: ${podText(p)} not evicted: ${p.lastError ?? 'not attempted'}`
          : `drain node ${run.node} (${run.label}): not finished when the run ended: ${podText(p)} evicted but not yet deleted`,
      );
    }
    const rest = run.nodes.slice(run.next);
    if (rest.length > 0) out.push(`drain (${run.label}): not finished when the run ended: nodes not yet drained: ${rest.join(', ')}`);
  }
  return out;
}
