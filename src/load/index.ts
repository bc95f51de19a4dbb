/**
 * Load models: the public surface. The kubelet samples pods' usage with
 * LoadEvaluator; an autoscaler reads named series the same way
 * (`evaluator.series(name, now)`), or any model directly with
 * `evaluate(model, t, noise(seed, key))`.
 */
export type { LoadClock, LoadModel, LoadModelBody, LoadResource, LoadSpec, PodLoadEntry, SeriesEntry, WorkloadRef, Demand } from './types.ts';
export { EMPTY_LOAD_SPEC, LOAD_RESOURCES } from './types.ts';
export { evaluate, modelTime, noise, NO_NOISE, type Noise, type WalkMemo } from './models.ts';
export { parseLoadSpec, LOAD_MODEL_TYPES, LOAD_WORKLOAD_KINDS, type ParseLoadOptions } from './parse.ts';
export { parseTraceCSV } from './csv.ts';
export { bindPod, entrySelects, LoadEvaluator, type ContainerUsage, type PodLoadBinding, type WorkloadSelectorLookup } from './usage.ts';

/**
 * The seed of the load noise for a simulation: its own seed, so every reader
 * (kubelet, metrics-server, an autoscaler) that builds a LoadEvaluator over
 * the same spec sees the same numbers without drawing from a shared stream.
 */
export function loadSeed(sim: { readonly seed: number }): number {
  return sim.seed;
}
