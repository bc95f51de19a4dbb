/**
 * The Simulation façade: one engine, one API store, one controller runtime,
 * one event recorder and one set of random streams, wired together, plus the
 * components (scheduler, kubelets, controllers) that talk through the store
 * as Kubernetes components talk through kube-apiserver.
 *
 * Defaults: seed 1, startTime "2025-01-01T00:00:00Z", watch and reconcile
 * latency 1 ms, GC latency 1 ms, limits 50M events per run, 1M events per
 * instant, 1M objects. The façade registers no Kubernetes-specific admission
 * itself; `admission` plugins given here (defaulting, validation) are added
 * to the store in order.
 */
import type {
  AdmissionPlugin,
  KObject,
  RecordedEvent,
  RunLogRecord,
  RunLogSink,
  RuntimeTiming,
  Stored,
  Time,
} from './types.ts';
import { EventEngine } from './engine.ts';
import { ApiStore, CLUSTER_SCOPED_KINDS, copyUnfrozen } from './store.ts';
import { GarbageCollector } from './gc.ts';
import { ControllerRuntime } from './runtime.ts';
import { EventRecorder } from './recorder.ts';
import { SeededRngStreams } from './rng.ts';
import { NULL_RUN_LOG } from './runLog.ts';
import { SimulationLimitError } from './errors.ts';
import { formatRFC3339, parseRFC3339 } from './time.ts';

export { SimulationLimitError };

export interface SimulationLimits {
  /** Events executed in one run. */
  maxEvents: number;
  /** Events executed at one virtual instant (catches zero-delay loops). */
  maxEventsPerInstant: number;
  /** Objects stored at once. */
  maxObjects: number;
}

export const DEFAULT_LIMITS: SimulationLimits = {
  maxEvents: 50_000_000,
  maxEventsPerInstant: 1_000_000,
  maxObjects: 1_000_000,
};

export const DEFAULT_SEED = 1;
export const DEFAULT_START_TIME = '2025-01-01T00:00:00Z';
/** runUntilQuiet()'s default bound: one virtual day after the call. */
export const DEFAULT_QUIET_HORIZON: Time = 24 * 60 * 60 * 1000;

export interface SimulationOptions {
  seed?: number;
  startTime?: string;
  timing?: Partial<RuntimeTiming>;
  limits?: Partial<SimulationLimits>;
  log?: RunLogSink;
  /** Admission plugins, added to the store in order (mutating ones run in this order, then validating ones). */
  admission?: AdmissionPlugin[];
  /** Delay between a change and the garbage collector's / namespace controller's reaction (ms, default 1). */
  gcLatency?: Time;
  /** kube-apiserver's --event-ttl (ms, default 1 h): how long an Event outlives its last update. Infinity keeps all. */
  eventTTL?: Time;
}

export interface Component {
  name: string;
  start(sim: Simulation): void;
}

export class Simulation {
  readonly engine: EventEngine;
  readonly store: ApiStore;
  readonly runtime: ControllerRuntime;
  readonly recorder: EventRecorder;
  readonly rng: SeededRngStreams;
  readonly gc: GarbageCollector;
  readonly seed: number;
  readonly startTime: string;
  /** Unix milliseconds of virtual time 0. */
  readonly epochMs: number;
  readonly limits: SimulationLimits;
  /** The last whole second (Unix) timestamp() formatted, and its text. */
  private stampedAt = Number.NaN;
  private stamp = '';
  private readonly sink: RunLogSink | undefined;
  private readonly writeLog: ((record: RunLogRecord) => void) | undefined;
  private readonly _components: Component[] = [];

  static create(opts: SimulationOptions = {}): Simulation {
    return new Simulation(opts);
  }

  private constructor(opts: SimulationOptions) {
    const seed = opts.seed ?? DEFAULT_SEED;
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.seed = seed;
    this.startTime = opts.startTime ?? DEFAULT_START_TIME;
    this.epochMs = parseRFC3339(this.startTime);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.sink = opts.log && opts.log !== NULL_RUN_LOG ? opts.log : undefined;
    const sink = this.sink;
    // `t` and `time` lead every record (key order is part of the NDJSON bytes).
    this.writeLog = sink ? (r: RunLogRecord) => sink.write(Object.assign({ t: r.t, time: this.timestamp(r.t) }, r)) : undefined;

    this.engine = new EventEngine({
      limits: { maxEvents: this.limits.maxEvents, maxEventsPerInstant: this.limits.maxEventsPerInstant },
      formatTime: (t) => `t=${t}ms (${this.timestamp(t)})`,
    });
    this.rng = new SeededRngStreams(seed);
    const sim = this;
    this.store = new ApiStore({
      get now() {
        return sim.engine.now;
      },
      timestamp: (t) => this.timestamp(t),
      epochMs: this.epochMs,
      rng: this.rng,
      log: this.writeLog,
      maxObjects: this.limits.maxObjects,
    });
    for (const p of opts.admission ?? []) this.store.addAdmission(p);
    this.gc = new GarbageCollector(this.store, this.engine, opts.gcLatency ?? 1);
    this.recorder = new EventRecorder({
      get now() {
        return sim.engine.now;
      },
      epochMs: this.epochMs,
      log: this.writeLog,
      ...(opts.eventTTL !== undefined ? { eventTTL: opts.eventTTL } : {}),
    });
    this.runtime = new ControllerRuntime(
      { engine: this.engine, store: this.store, recorder: this.recorder, rng: this.rng, log: this.writeLog },
      opts.timing,
    );
  }

  get now(): Time {
    return this.engine.now;
  }

  /** RFC3339 (UTC, whole seconds, as metav1.Time) of a virtual time; default now. */
  timestamp(t: Time = this.engine.now): string {
    // Components stamp many writes in one second: format each whole second once (the text is
    // of whole seconds), so the objects written in it share one string.
    const secs = Math.floor((this.epochMs + t) / 1000);
    if (secs !== this.stampedAt) {
      this.stampedAt = secs;
      this.stamp = formatRFC3339(this.epochMs + t);
    }
    return this.stamp;
  }

  /** Virtual time of an RFC3339 timestamp (may be negative for times before the start). */
  virtualTime(rfc3339: string): Time {
    return parseRFC3339(rfc3339) - this.epochMs;
  }

  get components(): readonly Component[] {
    return this._components;
  }

  /** Register and start a component; names must be unique. */
  use(c: Component): void {
    if (this._components.some((x) => x.name === c.name)) throw new Error(`a component named ${JSON.stringify(c.name)} is already in use`);
    this._components.push(c);
    c.start(this);
  }

  /**
   * Create each object, or update it if it exists: the stored object keeps
   * uid, creationTimestamp, status and anything not given; every top-level
   * field other than metadata and status is replaced (last writer wins), as
   * are labels and annotations when the applied object has them.
   */
  apply(obj: KObject | KObject[], actor = 'apply'): Stored[] {
    const objs = Array.isArray(obj) ? obj : [obj];
    const out: Stored[] = [];
    for (const o of objs) {
      const name = o.metadata?.name;
      const ns = CLUSTER_SCOPED_KINDS.has(o.kind) ? '' : o.metadata?.namespace || 'default';
      const existing = name ? this.store.get(o.kind, ns, name) : undefined;
      if (!existing) {
        out.push(this.store.create(o, { actor }));
        continue;
      }
      out.push(
        this.store.patch(o.kind, ns, name!, (d: KObject) => {
          const draft = d as Record<string, unknown>;
          for (const k of Object.keys(draft)) {
            if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind' && !(k in o)) delete draft[k];
          }
          for (const k of Object.keys(o)) {
            if (k === 'metadata' || k === 'status' || k === 'kind') continue;
            draft[k] = copyUnfrozen(o[k]);
          }
          if (o.metadata.labels !== undefined) d.metadata.labels = copyUnfrozen(o.metadata.labels);
          if (o.metadata.annotations !== undefined) d.metadata.annotations = copyUnfrozen(o.metadata.annotations);
        }, { actor }),
      );
    }
    return out;
  }

  /** Run the next event; false when nothing is pending. */
  step(): boolean {
    return this.engine.step();
  }

  /** Run every event up to and including virtual time t, then set the clock to t. */
  runUntil(t: Time): void {
    this.engine.runUntil(t);
  }

  /**
   * Run until only periodic events (resyncs, housekeeping) remain, or until
   * maxTime (default: now + 1 virtual day). Returns true when the run went
   * quiet, false when it stopped at maxTime (the clock is then at maxTime).
   */
  runUntilQuiet(maxTime: Time = this.engine.now + DEFAULT_QUIET_HORIZON): boolean {
    const quiet = this.engine.runUntilQuiet(maxTime);
    if (!quiet) this.engine.advanceTo(maxTime);
    return quiet;
  }

  get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Stored<T> | undefined {
    return this.store.get<T>(kind, namespace, name);
  }

  list<T extends KObject = KObject>(kind: string, namespace?: string): Stored<T>[] {
    return this.store.list<T>(kind, namespace);
  }

  events(): readonly RecordedEvent[] {
    return this.recorder.events();
  }

  /** Write a record to the run log, if there is one (`time` is filled in). */
  log(record: RunLogRecord): void {
    if (this.writeLog) this.writeLog(record);
  }

  /** True when a run log is attached (so callers can skip building records). */
  get logging(): boolean {
    return this.writeLog !== undefined;
  }

  /** Every stored object keyed "kind/namespace/name"; cheap, since stored objects are immutable. */
  snapshot(): Map<string, Stored> {
    return this.store.snapshot();
  }
}
