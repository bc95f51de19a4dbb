/**
 * A stepping session over one scenario run: the engine advanced one event at
 * a time with sim.step(), and for each event what it did, read from the run
 * log the event wrote (store writes as merge patches, recorded Events,
 * timeline actions, notes) and from the engine (the event's source).
 *
 * Going back re-runs the scenario from the start to the earlier event: a run
 * is a pure function of its inputs and seed, so the state reached is the one
 * that was there before (cheaper in memory than keeping snapshots).
 */
import { applyMergePatch, MemoryRunLogSink } from '../../sim/runLog.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { RecordedEvent, RunLogRecord, Time } from '../../sim/types.ts';
import { diffObjects, type FieldChange } from './diff.ts';

/** One object written by a step. */
export interface ObjectWrite {
  type: 'create' | 'update' | 'delete';
  kind: string;
  namespace: string;
  name: string;
  actor?: string;
  changes: FieldChange[];
}

/** What one engine event did. */
export interface StepInfo {
  /** 1-based number of the event in the run. */
  n: number;
  time: Time;
  source: string;
  /** Set when the event was a controller's reconcile: which key it worked on. */
  reconcile?: { controller: string; key: string };
  /** Whether the event was a periodic timer (known when step() peeked). */
  periodic?: boolean;
  writes: ObjectWrite[];
  events: RecordedEvent[];
  actions: Array<{ action: string; detail?: unknown }>;
  notes: Array<{ message: string; detail?: unknown }>;
}

/** A fresh simulation, built but not run, with the run log going to `log`; `until` ends the run (undefined: when quiet). */
export interface SessionBuild {
  sim: Simulation;
  until: Time | undefined;
}

export type SessionFactory = (log: MemoryRunLogSink) => SessionBuild;

/** How far a run without spec.until may go (as `ksim run`). */
export const MAX_TIME: Time = 24 * 3600 * 1000;

export class StepSession {
  sim!: Simulation;
  until: Time | undefined;
  private log!: MemoryRunLogSink;
  /** Replayed objects by kind/namespace/name, to diff each write against the version before it. */
  private objects = new Map<string, unknown>();
  private _n = 0;

  constructor(private readonly factory: SessionFactory) {
    this.restart();
  }

  /** Events executed so far. */
  get n(): number {
    return this._n;
  }

  restart(): void {
    this.log = new MemoryRunLogSink();
    const b = this.factory(this.log);
    this.sim = b.sim;
    this.until = b.until;
    this.objects = new Map();
    this._n = 0;
    // Objects the scenario created at time 0 before any event ran.
    this.consume(0);
  }

  /** True when the run is over: past spec.until, or (without one) nothing but periodic work is left. */
  atEnd(): boolean {
    const t = this.sim.engine.peekTime();
    if (t === undefined) return true;
    if (this.until !== undefined) return t > this.until;
    return this.sim.engine.pendingNonPeriodic === 0 || t > MAX_TIME;
  }

  /**
   * Run one event; undefined at the end of the run. With `peek`, first look
   * at the event about to run to say whether it is periodic. `detail`
   * decides from the event's records whether to build the field diffs
   * (skipped steps of `until` need only what was written, not how).
   */
  step(peek = false, detail: (records: readonly RunLogRecord[]) => boolean = () => true): StepInfo | undefined {
    if (this.atEnd()) return undefined;
    const periodic = peek ? this.sim.engine.upcoming(1)[0]?.periodic : undefined;
    const from = this.log.records.length;
    const rt = this.sim.runtime;
    rt.lastReconcile = undefined;
    this.sim.step();
    this._n++;
    const info: StepInfo = { n: this._n, time: this.sim.now, source: this.sim.engine.lastSource ?? '', writes: [], events: [], actions: [], notes: [] };
    if (rt.lastReconcile) info.reconcile = rt.lastReconcile;
    if (periodic !== undefined) info.periodic = periodic;
    this.collect(from, info, detail(this.log.records.slice(from)));
    return info;
  }

  /** Step quietly (no StepInfo kept) until `n` events have run or the run ends. */
  fastForward(n: number): void {
    while (this._n < n && !this.atEnd()) {
      const from = this.log.records.length;
      this.sim.step();
      this._n++;
      this.consume(from);
    }
  }

  /** Replay the records from `from` into the object map, without building diffs. */
  private consume(from: number): void {
    const recs = this.log.records;
    for (let i = from; i < recs.length; i++) this.apply(recs[i]!);
    recs.length = 0;
  }

  private apply(r: RunLogRecord): unknown {
    if (r.type !== 'create' && r.type !== 'update' && r.type !== 'delete') return undefined;
    const key = `${r.kind}/${r.namespace}/${r.name}`;
    const old = this.objects.get(key);
    if (r.type === 'create') this.objects.set(key, r.object);
    else if (r.type === 'update') this.objects.set(key, applyMergePatch(old, r.patch));
    else this.objects.delete(key);
    return old;
  }

  private collect(from: number, info: StepInfo, diffs: boolean): void {
    const recs = this.log.records;
    for (let i = from; i < recs.length; i++) {
      const r = recs[i]!;
      if (r.type === 'event') info.events.push(r.event);
      else if (r.type === 'action') info.actions.push({ action: r.action, ...(r.detail !== undefined ? { detail: r.detail } : {}) });
      else if (r.type === 'note') info.notes.push({ message: r.message, ...(r.detail !== undefined ? { detail: r.detail } : {}) });
      else {
        const old = this.apply(r);
        // Event objects are shown as the Events they record, not as store writes.
        if (r.kind === 'Event') continue;
        const now = this.objects.get(`${r.kind}/${r.namespace}/${r.name}`);
        const w: ObjectWrite = { type: r.type, kind: r.kind, namespace: r.namespace, name: r.name, changes: diffs && r.type === 'update' ? diffObjects(old, now) : [] };
        if (r.actor) w.actor = r.actor;
        info.writes.push(w);
      }
    }
    recs.length = 0;
  }
}
