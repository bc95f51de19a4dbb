/**
 * ksim as a library.
 *
 *   import { loadScenario, runScenario, renderJson } from 'ksim';
 *   const result = runScenario(loadScenario('scenarios/quickstart.yaml'), { seed: 7 });
 *   console.log(result.passed, result.endTime);
 *
 * or build a cluster from objects and drive it step by step:
 *
 *   const sim = Simulation.create({ seed: 1 });
 *   startComponents(sim, {});
 *   sim.apply([node, pod]);
 *   sim.runUntilQuiet();
 *   sim.get('Pod', 'default', 'web');
 *
 * See examples/library.ts.
 */
export { Simulation, type SimulationOptions, type SimulationLimits, type Component } from './sim/simulation.ts';
export { SimulationLimitError, ApiError } from './sim/errors.ts';
export { MemoryRunLogSink, FileRunLogSink } from './sim/runLog.ts';
export { startComponents, type ClusterConfig, type ComponentOptions } from './components.ts';
// The Eviction subresource: evictPod(sim, 'default', 'web-1') evicts as POST pods/web-1/eviction does.
export { evictPod, EvictionError, type EvictionHost, type EvictionOptions, type EvictionResult } from './admission/eviction.ts';
export { loadScenario, loadScenarioFromText, type LoadInput, type LoadOptions } from './scenario/load.ts';
export { buildSimulation, runScenario, type RunOptions, type RunResult, type ExpectationResult } from './scenario/run.ts';
export { renderJson, resultDocument } from './scenario/output.ts';
export { ScenarioError, formatProblem, type Problem } from './scenario/problems.ts';
export type { LoadedScenario, LoadedObject, TimelineAction, Expectation, ScenarioConfig } from './scenario/types.ts';
export type * from './sim/types.ts';
// Load models (spec.load): parse, evaluate a model or a named series at a virtual time.
export { parseLoadSpec, evaluate, noise, LoadEvaluator, loadSeed, type LoadSpec, type LoadModel } from './load/index.ts';
// metrics.k8s.io/v1beta1 objects as metrics-server serves them through the store.
export type { PodMetrics, NodeMetrics } from './metrics/metricsServer.ts';
