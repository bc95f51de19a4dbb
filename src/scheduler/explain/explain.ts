/**
 * explainPod: run the scheduling framework for one pod against the current
 * scheduler cache, evaluating ALL nodes (no sampling), with no side effects
 * (no assume, no binding, no events, no randomness consumed, no PostFilter /
 * preemption). The basis of `ksim explain` and --trace-scheduling.
 *
 * Without a running scheduler in the simulation, a cache is built from the
 * store (nodes, and assigned non-terminal pods) and the given configuration.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored, StoreReader } from '../../sim/types.ts';
import { loadSchedulerConfig } from '../config.ts';
import { buildProfiles } from '../profile.ts';
import { inTreeRegistry } from '../registry.ts';
import { SchedulerCache } from '../cache/cache.ts';
import { Nominator } from '../queue/nominator.ts';
import { newCycleState } from '../framework/cycleState.ts';
import { newPodInfo } from '../framework/podInfo.ts';
import { schedulePod } from '../framework/algorithm.ts';
import type { Framework } from '../framework/runtime.ts';
import type { PluginFactory, PodNominator } from '../framework/types.ts';
import { schedulerOf } from '../scheduler.ts';
import { newAttemptRecord, type AttemptRecord } from './record.ts';

export interface ExplainOptions {
  /** Used only when no scheduler runs in the simulation. */
  config?: unknown;
  registry?: ReadonlyMap<string, PluginFactory>;
}

export class ExplainError extends Error {}

interface SimLike {
  readonly store: StoreReader;
  readonly now: number;
}

function standalone(sim: SimLike, opts: ExplainOptions): { cache: SchedulerCache; profiles: Map<string, Framework>; nominator: PodNominator; pct: number } {
  const cache = new SchedulerCache();
  for (const n of sim.store.list<Node & KObject>('Node')) cache.addNode(n as Stored<Node & KObject>);
  for (const p of sim.store.list<Pod & KObject>('Pod')) {
    const ph = p.status?.phase;
    if (p.spec?.nodeName && ph !== 'Succeeded' && ph !== 'Failed') cache.addPod(p as Stored<Pod & KObject>);
  }
  const nominator = new Nominator();
  const cfg = loadSchedulerConfig(opts.config);
  const profiles = buildProfiles(cfg, opts.registry ?? inTreeRegistry, {
    snapshot: () => cache,
    store: () => sim.store,
    nominator: () => nominator,
    now: () => sim.now,
  });
  return { cache, profiles, nominator, pct: cfg.percentageOfNodesToScore };
}

export function explainPod(sim: SimLike, key: string, opts: ExplainOptions = {}): AttemptRecord {
  const slash = key.indexOf('/');
  const ns = slash >= 0 ? key.slice(0, slash) : 'default';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const pod = sim.store.get<Pod & KObject>('Pod', ns, name);
  if (!pod) throw new ExplainError(`pod "${ns}/${name}" not found`);
  const running = schedulerOf(sim);
  const env = running
    ? { cache: running.cache, profiles: running.profiles, pct: running.config.percentageOfNodesToScore }
    : standalone(sim, opts);
  const schedulerName = pod.spec?.schedulerName ?? 'default-scheduler';
  const fw = env.profiles.get(schedulerName);
  if (!fw) throw new ExplainError(`no profile serves schedulerName "${schedulerName}"`);
  const record: AttemptRecord = newAttemptRecord(sim.now, `${ns}/${name}`, pod.metadata?.uid ?? '', fw.profileName, 0);
  const state = newCycleState();
  state.recordPluginMetrics = true;
  const out = schedulePod({
    fw,
    lister: env.cache,
    state,
    pod: newPodInfo(pod as Stored<Pod & KObject>),
    percentageOfNodesToScore: env.pct,
    sample: false,
    nextStartNodeIndex: 0,
    record,
  });
  if (out.ok) record.chosen = out.host;
  else record.error = out.fitError ? out.fitError.message : out.status.message();
  return record;
}
