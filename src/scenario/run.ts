/**
 * Turning a loaded scenario into a running simulation: create the
 * Simulation, start the control-plane components, create the time-0
 * objects (dependencies first, as Helm orders an install), schedule the
 * timeline and the expectations, run, and collect the results.
 */
import { FeatureGateError } from '../api/featureGates.ts';
import { formatDuration } from '../api/duration.ts';
import { startComponents, type ComponentOptions } from '../components.ts';
import { Simulation } from '../sim/simulation.ts';
import { isClusterScoped } from '../api/discovery.ts';
import { isApiError } from '../sim/errors.ts';
import { Priority, type RunLogSink, type Time } from '../sim/types.ts';
import { scheduleTimeline } from './actions.ts';
import { unfinishedDrains } from './drain.ts';
import { evaluateExpectation } from './expect.ts';
import { INSTALL_ORDER } from './kinds.ts';
import { ScenarioError, type Problem } from './problems.ts';
import { locate } from './source.ts';
import type { Expectation, LoadedObject, LoadedScenario } from './types.ts';
import { FieldErrorList, formatFieldError, type FieldError } from '../api/errors.ts';

/** Seed when neither the scenario nor the caller gives one. */
export const DEFAULT_SEED = 1;
/** A run without `until` stops when quiet, or at this virtual time at the latest. */
export const DEFAULT_MAX_TIME: Time = 24 * 3600 * 1000;

export interface RunOptions {
  /** Overrides spec.seed. */
  seed?: number;
  /** Overrides spec.until (virtual milliseconds). */
  until?: Time;
  /** NDJSON run log sink. */
  log?: RunLogSink;
  /** Passed to startComponents (scheduler plugin registry, recorders, timing). */
  components?: ComponentOptions;
  /** Overrides spec.config.emulatedVersion (--emulated-version). */
  emulatedVersion?: string;
  /** Merged over spec.config.featureGates (--feature-gates). */
  featureGates?: Record<string, boolean>;
  /**
   * For a caller that will not read loaded.objects again (ksim run, ksim
   * validate): buildSimulation hands each new object to the store, which
   * admits it in place instead of copying it (the loaded object becomes the
   * stored, frozen one), and runScenario empties loaded.objects once they are
   * created, so a large input's memory (about 300 MiB for 150,000 pods) goes
   * back for the run.
   */
  consumeObjects?: boolean;
}

export interface ExpectationResult {
  /** Position in spec.expect. */
  index: number;
  /** As written ("90s"). */
  at: string;
  expectation: string;
  passed: boolean;
  actual: string;
  /** Set when the expectation could not be checked at its own time. */
  note?: string;
}

export interface RunResult {
  name: string;
  seed: number;
  startTime: string;
  /** RFC 3339 of the virtual end time. */
  endTime: string;
  endTimeMs: Time;
  expectations: ExpectationResult[];
  warnings: string[];
  /** True when every expectation passed. */
  passed: boolean;
  sim: Simulation;
}

interface RunState {
  results: Map<number, ExpectationResult>;
  warnings: string[];
}

const states = new WeakMap<Simulation, RunState>();

function installRank(kind: string): number {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
}

/** Time-0 objects in creation order: dependencies first, then input order. */
export function installOrder(objects: readonly LoadedObject[]): LoadedObject[] {
  return objects
    .map((lo, i) => ({ lo, i, r: installRank(lo.object.kind) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.lo);
}

function evaluate(sim: Simulation, e: Expectation, note?: string): ExpectationResult {
  const outcome = evaluateExpectation(e.check, sim.store);
  return { index: e.index, at: e.atText, expectation: e.text, passed: outcome.passed, actual: outcome.actual, ...(note ? { note } : {}) };
}

/**
 * Create the simulation for a loaded scenario: components started, objects
 * created, timeline and expectations scheduled; nothing has run yet.
 * Throws ScenarioError if the API server rejects an object.
 */
export function buildSimulation(loaded: LoadedScenario, opts: RunOptions = {}): Simulation {
  const sim = Simulation.create({
    seed: opts.seed ?? loaded.seed ?? DEFAULT_SEED,
    startTime: loaded.startTime,
    ...(opts.log ? { log: opts.log } : {}),
    ...(loaded.config.apiServer?.eventTTL !== undefined ? { eventTTL: loaded.config.apiServer.eventTTL } : {}),
  });
  const config = {
    ...loaded.config,
    ...(opts.emulatedVersion !== undefined ? { emulatedVersion: opts.emulatedVersion } : {}),
    ...(opts.featureGates !== undefined ? { featureGates: { ...loaded.config.featureGates, ...opts.featureGates } } : {}),
  };
  try {
    startComponents(sim, config, opts.components ?? {});
  } catch (e) {
    // Gates from the command line combined with the scenario's (e.g. a gate locked at its emulated version).
    if (e instanceof FeatureGateError) throw new ScenarioError([{ file: loaded.files[0] ?? '<input>', message: `feature gates: ${e.message}` }]);
    // The scheduler validates its configuration's values (plugin names, weights, args) when it starts.
    if (!(e instanceof FieldErrorList)) throw e;
    throw new ScenarioError(e.errors.map((fe) => configProblem(loaded, fe)));
  }
  const problems: Problem[] = [];
  for (const lo of installOrder(loaded.objects)) {
    try {
      // No copy here: the store copies what it is given and never changes the caller's object,
      // unless the objects are consumed: then a new object is handed over (adopt) and not copied again.
      const o = lo.object;
      const name = o.metadata?.name;
      const fresh = opts.consumeObjects === true && !!name && sim.store.get(o.kind, isClusterScoped(o.kind) ? '' : o.metadata.namespace || 'default', name) === undefined;
      if (fresh) sim.store.create(o, { actor: 'scenario', adopt: true });
      else sim.apply(o, 'scenario');
    } catch (e) {
      if (!isApiError(e)) throw e;
      const pos = locate(lo.origin.source, lo.origin.mapPath ? lo.origin.mapPath('') : lo.origin.basePath);
      problems.push({
        file: lo.origin.file,
        document: lo.origin.document,
        ...(lo.origin.object ? { object: lo.origin.object } : {}),
        ...(pos ? { line: pos.line, column: pos.column } : {}),
        message: e.message,
      });
    }
  }
  if (problems.length) throw new ScenarioError(problems);
  const state: RunState = { results: new Map(), warnings: [...loaded.warnings] };
  states.set(sim, state);
  scheduleTimeline(sim, loaded.timeline, state.warnings);
  for (const e of loaded.expectations) {
    sim.engine.at(e.at, () => void state.results.set(e.index, evaluate(sim, e)), { priority: Priority.Periodic + 1, source: 'expect' });
  }
  return sim;
}

/** A component's configuration error, located in the scenario's spec.config.scheduler. */
function configProblem(loaded: LoadedScenario, fe: FieldError): Problem {
  const origin = loaded.configOrigin;
  // Scheduler errors are relative to its configuration; other components give full paths.
  const path = fe.path.startsWith('spec.') ? fe.path : `spec.config.scheduler.${fe.path}`;
  if (!origin) return { file: loaded.files[0] ?? '<input>', path, message: formatFieldError({ ...fe, path }) };
  const pos = locate(origin.source, path);
  return {
    file: origin.file,
    document: origin.document,
    ...(origin.object ? { object: origin.object } : {}),
    ...(pos ? { line: pos.line, column: pos.column } : {}),
    message: formatFieldError({ ...fe, path }),
  };
}

/** Build and run a scenario to its end; evaluates every expectation. */
export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): RunResult {
  const sim = buildSimulation(loaded, opts);
  if (opts.consumeObjects) loaded.objects = [];
  const state = states.get(sim)!;
  const until = opts.until ?? loaded.until;
  if (until !== undefined) sim.runUntil(until);
  else {
    if (!sim.runUntilQuiet(DEFAULT_MAX_TIME)) {
      state.warnings.push(`the run did not settle within ${formatDuration(DEFAULT_MAX_TIME)} of virtual time; stopped there (use --until to choose the end)`);
    }
  }
  const end = sim.now;
  // kubectl drain would still be retrying: say what was not evicted.
  state.warnings.push(...unfinishedDrains(sim));
  const expectations: ExpectationResult[] = loaded.expectations.map((e) => {
    const done = state.results.get(e.index);
    if (done) return done;
    return evaluate(sim, e, `evaluated at the end of the run (${formatDuration(end)}): ${e.atText} is past the end`);
  });
  return {
    name: loaded.name,
    seed: sim.seed,
    startTime: sim.startTime,
    endTime: sim.timestamp(end),
    endTimeMs: end,
    expectations,
    warnings: state.warnings,
    passed: expectations.every((r) => r.passed),
    sim,
  };
}
