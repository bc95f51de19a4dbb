/**
 * The load models of a Scenario's `spec.load`: how much CPU, memory,
 * ephemeral storage and how many processes a workload's pods use as functions
 * of virtual time, and named series that an autoscaler reads as custom or
 * external metrics. ksim runs no containers, so these models ARE the
 * containers' behaviour; the kubelet samples them for its stats, OOM killer
 * and eviction manager, and metrics-server publishes what the kubelet reports.
 *
 * Every value is a plain number in the resource's base unit: CPU in cores
 * (0.25 for "250m"), memory and storage in bytes, processes as a count,
 * series in whatever unit the user chose. Times are virtual milliseconds.
 */
import type { Time } from '../sim/types.ts';
import type { Selector } from '../api/labels.ts';

/** Which clock a model reads: the scenario's (diurnal load) or the container's since it (re)started (a leak). */
export type LoadClock = 'scenario' | 'container';

export type LoadModelBody =
  | { type: 'constant'; value: number }
  /** `from` until `at`, then `to`. */
  | { type: 'step'; from: number; to: number; at: Time }
  /** Linear from `from` at `start` to `to` at `start + duration`, flat outside. */
  | { type: 'ramp'; from: number; to: number; start: Time; duration: Time }
  /** base + amplitude × sin(2π (t − phase) / period): a diurnal cycle with period 24h. */
  | { type: 'sine'; base: number; amplitude: number; period: Time; phase: Time }
  /** start, then every `interval` a uniform step in [−step, +step], clamped to [min, max]. */
  | { type: 'randomWalk'; start: number; step: number; interval: Time; min: number; max: number }
  /** base, and in each window of `every` (with `probability`) one spike to `peak` for `duration`, at a seeded offset. */
  | { type: 'spikes'; base: number; peak: number; every: Time; duration: Time; probability: number }
  /** start + rate × elapsed, capped at max: a memory leak (container clock by default, so a restart resets it). */
  | { type: 'leak'; start: number; ratePerMs: number; max: number }
  /** time/value points; between points `step` holds the last value, `linear` interpolates; `repeat` loops the trace. */
  | { type: 'trace'; points: ReadonlyArray<readonly [Time, number]>; interpolation: 'step' | 'linear'; repeat: boolean };

export type LoadModel = LoadModelBody & { clock: LoadClock };

/** The usage a load entry gives each selected container. */
export type LoadResource = 'cpu' | 'memory' | 'ephemeralStorage' | 'pids';
export const LOAD_RESOURCES: readonly LoadResource[] = ['cpu', 'memory', 'ephemeralStorage', 'pids'];

/** A workload named by kind and name: its pods are the ones its spec.selector selects in its namespace. */
export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Requests per second shared among the workload's Ready pods, as behind a
 * Service: each pod uses base + (rps / readyPods) × perRequest.
 */
export interface Demand {
  requests: LoadModel;
  cpuPerRequest: number;
  memoryPerRequest: number;
  baseCpu: number;
  baseMemory: number;
}

export interface PodLoadEntry {
  /** Position in spec.load (for messages). */
  index: number;
  name: string;
  /** Namespace the pods must be in (undefined: any). */
  namespace: string | undefined;
  /** Pod label selector (undefined: no label restriction). */
  selector: Selector | undefined;
  workload: WorkloadRef | undefined;
  /** Containers the models apply to; undefined means the pod's first container. */
  containers: string[] | undefined;
  models: Partial<Record<LoadResource, LoadModel>>;
  demand: Demand | undefined;
}

export interface SeriesEntry {
  index: number;
  name: string;
  model: LoadModel;
}

export interface LoadSpec {
  /** In spec.load order: the first entry that selects a pod and models a resource wins for that resource. */
  pods: PodLoadEntry[];
  series: SeriesEntry[];
}

export const EMPTY_LOAD_SPEC: LoadSpec = Object.freeze({ pods: [], series: [] }) as LoadSpec;
