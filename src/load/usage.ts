/**
 * Which load entries drive a pod, and the usage of its containers at a time.
 *
 * An entry selects a pod when the pod is in the entry's namespace (if given),
 * its labels match the entry's selector (if given) and the entry's workload
 * (if given) selects it (same namespace, workload spec.selector). Entries are
 * taken in spec.load order: the first that selects the pod and models a
 * resource decides that resource. A demand entry shares its requests per
 * second among the Ready pods it selects, so scaling out lowers each pod's
 * share, as behind a Service.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Selector } from '../api/labels.ts';
import type { Time } from '../sim/types.ts';
import { evaluate, modelTime, noise, type Noise, type WalkMemo } from './models.ts';
import type { LoadModel, LoadResource, LoadSpec, PodLoadEntry, WorkloadRef } from './types.ts';
import { LOAD_RESOURCES } from './types.ts';

export interface ContainerUsage {
  name: string;
  /** Cores (before throttling at the limit). */
  cpu: number;
  /** Working-set bytes. */
  memory: number;
  /** Writable layer plus logs, bytes. */
  ephemeralStorage: number;
  pids: number;
}

/** The entries that drive one pod: per resource the deciding entry, and the demand entry if any. */
export interface PodLoadBinding {
  byResource: Partial<Record<LoadResource, PodLoadEntry>>;
  demand: PodLoadEntry | undefined;
  /** Containers the models apply to (names). */
  containers: string[];
  /** Noise and random-walk memo per (container, resource), made on first use: sampling builds no keys. */
  slots?: Array<ModelSlot | undefined>;
}

interface ModelSlot {
  noise: Noise;
  memo: WalkMemo | undefined;
}

/** Looks up a workload's pod selector (spec.selector of the named object), or undefined if it does not exist. */
export type WorkloadSelectorLookup = (ref: WorkloadRef) => Selector | undefined;

export function entrySelects(entry: PodLoadEntry, pod: Pod, workloadSelector: WorkloadSelectorLookup): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  if (entry.namespace !== undefined && entry.namespace !== ns) return false;
  const labels = pod.metadata?.labels;
  if (entry.selector && !entry.selector.matches(labels)) return false;
  if (entry.workload) {
    if (entry.workload.namespace !== ns) return false;
    const sel = workloadSelector(entry.workload);
    if (!sel || !sel.matches(labels)) return false;
  }
  return true;
}

/** The binding of a pod to the load spec, or undefined when no entry selects it (the pod uses nothing). */
export function bindPod(spec: LoadSpec, pod: Pod, workloadSelector: WorkloadSelectorLookup): PodLoadBinding | undefined {
  if (spec.pods.length === 0) return undefined;
  const byResource: PodLoadBinding['byResource'] = {};
  let demand: PodLoadEntry | undefined;
  let containers: string[] | undefined;
  let any = false;
  for (const entry of spec.pods) {
    if (!entrySelects(entry, pod, workloadSelector)) continue;
    for (const r of LOAD_RESOURCES) {
      if (entry.models[r] && !byResource[r]) {
        byResource[r] = entry;
        any = true;
        containers ??= entry.containers;
      }
    }
    if (entry.demand && !demand) {
      demand = entry;
      any = true;
      containers ??= entry.containers;
    }
  }
  if (!any) return undefined;
  const podContainers = pod.spec?.containers ?? [];
  const names = containers ?? (podContainers[0] ? [podContainers[0].name] : []);
  return { byResource, demand, containers: names.filter((n) => podContainers.some((c) => c.name === n)) };
}

/**
 * Evaluates bindings: owns the seeded noise and the random walks' memos.
 * One per simulation (the kubelet's); pure given its inputs.
 */
export class LoadEvaluator {
  private readonly noises = new Map<string, Noise>();
  private readonly memos = new Map<string, WalkMemo>();
  /** Demand noise per entry index: one request rate per workload, shared by its pods. */
  private readonly demandSlots: Array<ModelSlot | undefined> = [];

  constructor(
    readonly spec: LoadSpec,
    /** Drawn once from the simulation's "load" stream. */
    readonly seed: number,
  ) {}

  private slotValue(slot: ModelSlot, model: LoadModel, t: Time): number {
    if (model.type === 'randomWalk' && (!slot.memo || slot.memo.step * model.interval > t)) slot.memo = { step: 0, value: model.start };
    return evaluate(model, t, slot.noise, model.type === 'randomWalk' ? slot.memo : undefined);
  }

  private model(key: string, model: LoadModel, t: Time): number {
    let n = this.noises.get(key);
    if (!n) this.noises.set(key, (n = noise(this.seed, key)));
    let memo: WalkMemo | undefined;
    if (model.type === 'randomWalk') {
      memo = this.memos.get(key);
      if (!memo || memo.step * model.interval > t) this.memos.set(key, (memo = { step: 0, value: model.start }));
    }
    return evaluate(model, t, n, memo);
  }

  /** A named series at scenario time t (for autoscalers' Object/External metrics). */
  series(name: string, now: Time): number | undefined {
    const s = this.spec.series.find((x) => x.name === name);
    if (!s) return undefined;
    return this.model(`series/${name}`, s.model, modelTime(s.model, now, 0));
  }

  /**
   * Usage of each modelled container of a pod at `now`. `startedAt(name)` is
   * when the container last started (for container-clock models);
   * `readyPods(entry)` the number of Ready pods sharing the entry's demand;
   * a pod that is not Ready gets no share of it (a Service sends it no
   * requests), only the base usage.
   */
  containerUsage(
    pod: Pod,
    binding: PodLoadBinding,
    now: Time,
    startedAt: (container: string) => Time | undefined,
    readyPods: (entry: PodLoadEntry) => number,
    podReady = true,
  ): ContainerUsage[] {
    const slots = (binding.slots ??= []);
    const out: ContainerUsage[] = [];
    for (let ci = 0; ci < binding.containers.length; ci++) {
      const name = binding.containers[ci]!;
      const u: ContainerUsage = { name, cpu: 0, memory: 0, ephemeralStorage: 0, pids: 0 };
      const started = startedAt(name);
      for (let ri = 0; ri < LOAD_RESOURCES.length; ri++) {
        const r = LOAD_RESOURCES[ri]!;
        const entry = binding.byResource[r];
        const m = entry?.models[r];
        if (!m) continue;
        const si = ci * LOAD_RESOURCES.length + ri;
        let slot = slots[si];
        if (!slot) {
          // The key names the pod, container, resource and entry: the same draws whoever evaluates it.
          const key = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}/${name}/${r}/${entry.index}`;
          slots[si] = slot = { noise: noise(this.seed, key), memo: undefined };
        }
        u[r] = this.slotValue(slot, m, modelTime(m, now, started));
      }
      const d = binding.demand?.demand;
      if (d && binding.demand) {
        const entry = binding.demand;
        let slot = this.demandSlots[entry.index];
        if (!slot) this.demandSlots[entry.index] = slot = { noise: noise(this.seed, `demand/${entry.index}`), memo: undefined };
        const rps = this.slotValue(slot, d.requests, modelTime(d.requests, now, started));
        const share = podReady ? rps / Math.max(1, readyPods(entry)) / binding.containers.length : 0;
        if (d.cpuPerRequest > 0 || d.baseCpu > 0) u.cpu = d.baseCpu + share * d.cpuPerRequest;
        if (d.memoryPerRequest > 0 || d.baseMemory > 0) u.memory = d.baseMemory + share * d.memoryPerRequest;
      }
      out.push(u);
    }
    return out;
  }
}
