/**
 * The discrete-event core: an integer virtual clock (milliseconds) and a
 * binary-heap event queue, in the style of SimPy's Environment but without
 * coroutines (callbacks only, so a run is a plain loop).
 *
 * TOTAL ORDER. Events run in ascending (time, priority, sequence):
 *   1. time      — the absolute virtual time the event was scheduled for;
 *   2. priority  — the band at one instant (see Priority in types.ts; lower first);
 *   3. sequence  — a counter incremented on every at()/after() call, so events
 *                  with equal time and priority run in the order they were scheduled.
 * No two events share a sequence number, so the order is total and a run is a
 * pure function of the schedule: no ties are ever broken by the heap's layout.
 *
 * STORAGE. The heap is struct-of-arrays: Float64Array for time and for the
 * packed key priority·2^40 + sequence (exact in a double up to priority 4095
 * and 2^40 sequence numbers), an Int32Array of slot indexes. Callbacks live in
 * a parallel array indexed by slot; slots are recycled through a free list, and
 * an EventId is slot + generation·2^22, so a stale id never cancels a newer
 * event in a recycled slot. Cancellation is lazy: the callback is cleared and
 * the entry dropped when it reaches the top (or when a compaction runs because
 * more than half of the heap is dead).
 *
 * GUARD RAILS. A bound on the events of one run and on the events at one
 * virtual instant (a zero-delay loop). Counting per source on every event
 * would cost a hash lookup per schedule; instead the engine keeps the source
 * strings of the last 8192 events in a ring (two pointer writes per event) and
 * counts them only when a bound is hit: a runaway loop fills the ring, so the
 * error names the busiest source instead of hanging.
 */
import { SimulationLimitError } from './errors.ts';
import type { Engine, EventId, ScheduleOptions, Time } from './types.ts';

export interface EngineLimits {
  /** Maximum number of events executed in one run. */
  maxEvents: number;
  /** Maximum number of events executed at one virtual instant. */
  maxEventsPerInstant: number;
}

export interface EngineOptions {
  limits?: Partial<EngineLimits>;
  /** Renders a virtual time in guard-rail messages (the Simulation passes RFC3339). */
  formatTime?: (t: Time) => string;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxEvents: 50_000_000,
  maxEventsPerInstant: 1_000_000,
};

const SLOT_SPACE = 4_194_304; // 2^22 concurrent pending events
const GEN_MASK = 0x7fffffff; // generation < 2^31 keeps ids below 2^53
const SEQ_SPACE = 1_099_511_627_776; // 2^40
const MAX_PRIORITY = 4095;
/** How many recent event sources the guard rails remember (a power of two). */
const RECENT = 8192;

const LIVE = 1;
const PERIODIC = 2;

type Callback = () => void;

export class EventEngine implements Engine {
  private _now: Time = 0;
  private seq = 0;

  // Heap (struct of arrays).
  private hTime: Float64Array;
  private hKey: Float64Array;
  private hSlot: Int32Array;
  private size = 0;
  /** Cancelled entries still sitting in the heap. */
  private dead = 0;

  // Slots.
  private fns: Array<Callback | null> = [];
  private gen: Uint32Array;
  private flags: Uint8Array;
  private srcOf: string[] = [];
  private free: Int32Array;
  private freeTop = 0;
  private slotCount = 0;

  private _pending = 0;
  private _pendingNonPeriodic = 0;

  // Guard rails: the sources of the most recent events, in a ring.
  private readonly recent: string[] = new Array<string>(RECENT).fill('');
  private recentPos = 0;
  private instantTime = -1;
  private instantCount = 0;
  private _executed = 0;

  readonly limits: EngineLimits;
  private readonly formatTime: (t: Time) => string;

  constructor(opts: EngineOptions = {}) {
    this.limits = { ...DEFAULT_ENGINE_LIMITS, ...opts.limits };
    this.formatTime = opts.formatTime ?? ((t) => `t=${t}ms`);
    const cap = 1024;
    this.hTime = new Float64Array(cap);
    this.hKey = new Float64Array(cap);
    this.hSlot = new Int32Array(cap);
    this.gen = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) {
      this.fns.push(null);
      this.srcOf.push('');
    }
  }

  get now(): Time {
    return this._now;
  }

  get pending(): number {
    return this._pending;
  }

  get pendingNonPeriodic(): number {
    return this._pendingNonPeriodic;
  }

  /** Events executed so far in this run. */
  get executed(): number {
    return this._executed;
  }

  after(delay: Time, fn: Callback, opts: ScheduleOptions): EventId {
    return this.at(this._now + delay, fn, opts);
  }

  at(at: Time, fn: Callback, opts: ScheduleOptions): EventId {
    if (!(at >= this._now) || !Number.isSafeInteger(at)) {
      throw new RangeError(
        `cannot schedule an event at ${at} from ${JSON.stringify(opts.source)}: virtual time is an integer number of milliseconds >= now (${this._now})`,
      );
    }
    const p = opts.priority;
    if ((p | 0) !== p || p < 0 || p > MAX_PRIORITY) {
      throw new RangeError(`event priority must be an integer in [0, ${MAX_PRIORITY}], got ${p} from ${JSON.stringify(opts.source)}`);
    }
    let s: number;
    if (this.freeTop > 0) {
      s = this.free[--this.freeTop]!;
    } else {
      s = this.slotCount++;
      if (s >= this.gen.length) this.growSlots();
    }
    const periodic = opts.periodic === true;
    this.fns[s] = fn;
    this.flags[s] = periodic ? LIVE | PERIODIC : LIVE;
    this.srcOf[s] = opts.source;
    this._pending++;
    if (!periodic) this._pendingNonPeriodic++;
    this.push(at, p * SEQ_SPACE + this.seq++, s);
    return this.gen[s]! * SLOT_SPACE + s;
  }

  cancel(id: EventId): void {
    if (!Number.isSafeInteger(id) || id < 0) return;
    const s = id % SLOT_SPACE;
    const g = (id - s) / SLOT_SPACE;
    if (s >= this.slotCount || this.gen[s] !== g) return;
    const fl = this.flags[s]!;
    if ((fl & LIVE) === 0) return;
    this.flags[s] = 0;
    this.fns[s] = null;
    this._pending--;
    if ((fl & PERIODIC) === 0) this._pendingNonPeriodic--;
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.size) this.compact();
  }

  peekTime(): Time | undefined {
    this.dropCancelledTop();
    return this.size > 0 ? this.hTime[0] : undefined;
  }

  step(): boolean {
    for (;;) {
      if (this.size === 0) return false;
      const s = this.hSlot[0]!;
      const t = this.hTime[0]!;
      this.popTop();
      const fn = this.fns[s];
      const fl = this.flags[s]!;
      this.releaseSlot(s);
      if (fn === null) {
        this.dead--;
        continue;
      }
      this._pending--;
      if ((fl & PERIODIC) === 0) this._pendingNonPeriodic--;
      this._now = t;
      this.account(this.srcOf[s]!, t);
      fn();
      return true;
    }
  }

  /** The source of the event step() ran last (for `ksim step`), or undefined before the first. */
  get lastSource(): string | undefined {
    return this._executed === 0 ? undefined : this.recent[(this.recentPos + RECENT - 1) & (RECENT - 1)];
  }

  /**
   * The next `limit` live events in execution order (time and source), without
   * running them: a scan of the heap, O(pending · limit), for interactive use only.
   */
  upcoming(limit: number): Array<{ time: Time; source: string; periodic: boolean }> {
    const picked: number[] = [];
    // The next event alone is the heap's top once cancelled ones are dropped: O(1), for stepping.
    if (limit === 1) {
      if (this.peekTime() !== undefined) picked.push(0);
    } else for (let i = 0; i < this.size; i++) {
      const s = this.hSlot[i]!;
      if ((this.flags[s]! & LIVE) === 0) continue;
      // Insertion into a short sorted list of heap positions by (time, key).
      let j = picked.length;
      while (j > 0 && this.before(i, picked[j - 1]!)) j--;
      if (j < limit) {
        picked.splice(j, 0, i);
        if (picked.length > limit) picked.pop();
      }
    }
    return picked.map((i) => {
      const s = this.hSlot[i]!;
      return { time: this.hTime[i]!, source: this.srcOf[s]!, periodic: (this.flags[s]! & PERIODIC) !== 0 };
    });
  }

  private before(i: number, j: number): boolean {
    return this.hTime[i]! < this.hTime[j]! || (this.hTime[i] === this.hTime[j] && this.hKey[i]! < this.hKey[j]!);
  }

  /** Run every event with time <= t, then move the clock to t. */
  runUntil(t: Time): void {
    for (;;) {
      this.dropCancelledTop();
      if (this.size === 0 || this.hTime[0]! > t) break;
      this.step();
    }
    if (t > this._now) this._now = t;
  }

  /**
   * Run while non-periodic events are pending and the next event is at or
   * before maxTime. Returns true when the run went quiet (only periodic
   * events, or nothing, remain), false when it stopped at maxTime.
   */
  runUntilQuiet(maxTime: Time = Number.MAX_SAFE_INTEGER): boolean {
    for (;;) {
      if (this._pendingNonPeriodic === 0) return true;
      this.dropCancelledTop();
      if (this.size === 0) return true;
      if (this.hTime[0]! > maxTime) return false;
      this.step();
    }
  }

  /** Run until the queue is empty (periodic events included: use with care). */
  runAll(): void {
    while (this.step());
  }

  /** Move the clock forward without running anything (no event may be skipped). */
  advanceTo(t: Time): void {
    const next = this.peekTime();
    if (next !== undefined && next < t) throw new RangeError(`advanceTo(${t}) would skip the event at ${next}`);
    if (t > this._now) this._now = t;
  }

  // ---- internals ----

  private account(source: string, t: Time): void {
    this.recent[this.recentPos] = source;
    this.recentPos = (this.recentPos + 1) & (RECENT - 1);
    if (++this._executed > this.limits.maxEvents) {
      throw new SimulationLimitError(
        `event limit reached: more than ${this.limits.maxEvents} events in this run (limits.maxEvents) at ${this.formatTime(t)}; ` +
          `busiest source of the last ${Math.min(RECENT, this._executed)} events: ${this.busiestRecent(Math.min(RECENT, this._executed))}`,
      );
    }
    if (t !== this.instantTime) {
      this.instantTime = t;
      this.instantCount = 0;
    }
    if (++this.instantCount > this.limits.maxEventsPerInstant) {
      const window = Math.min(RECENT, this.instantCount);
      throw new SimulationLimitError(
        `event limit reached: more than ${this.limits.maxEventsPerInstant} events at one virtual instant (${this.formatTime(t)}, limits.maxEventsPerInstant); ` +
          `virtual time is not advancing, likely a zero-delay loop; busiest source of the last ${window} events at this instant: ${this.busiestRecent(window)}`,
      );
    }
  }

  /** The most frequent source among the last `window` events (ties: the name first in sort order). */
  private busiestRecent(window: number): string {
    const counts = new Map<string, number>();
    for (let i = 1; i <= window; i++) {
      const src = this.recent[(this.recentPos - i) & (RECENT - 1)]!;
      counts.set(src, (counts.get(src) ?? 0) + 1);
    }
    let best = '';
    let bestCount = 0;
    for (const [src, c] of counts) {
      if (c > bestCount || (c === bestCount && src < best)) {
        best = src;
        bestCount = c;
      }
    }
    return bestCount === 0 ? '(none)' : `${JSON.stringify(best)} (${bestCount} of them)`;
  }

  private releaseSlot(s: number): void {
    this.fns[s] = null;
    this.flags[s] = 0;
    this.gen[s] = (this.gen[s]! + 1) & GEN_MASK;
    this.free[this.freeTop++] = s;
  }

  private dropCancelledTop(): void {
    while (this.size > 0) {
      const s = this.hSlot[0]!;
      if (this.fns[s] !== null) return;
      this.popTop();
      this.releaseSlot(s);
      this.dead--;
    }
  }

  private push(t: number, key: number, s: number): void {
    let i = this.size++;
    if (i >= this.hTime.length) this.growHeap();
    const hT = this.hTime;
    const hK = this.hKey;
    const hS = this.hSlot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hT[parent]!;
      if (pt < t || (pt === t && hK[parent]! < key)) break;
      hT[i] = pt;
      hK[i] = hK[parent]!;
      hS[i] = hS[parent]!;
      i = parent;
    }
    hT[i] = t;
    hK[i] = key;
    hS[i] = s;
  }

  /** Remove the root, sifting the last element down from the top ("hole" technique). */
  private popTop(): void {
    const n = --this.size;
    if (n === 0) return;
    const hT = this.hTime;
    const hK = this.hKey;
    const hS = this.hSlot;
    const lt = hT[n]!;
    const lk = hK[n]!;
    const ls = hS[n]!;
    const half = n >> 1;
    let i = 0;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = hT[c]!;
      let ck = hK[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = hT[r]!;
        const rk = hK[r]!;
        if (rt < ct || (rt === ct && rk < ck)) {
          c = r;
          ct = rt;
          ck = rk;
        }
      }
      if (lt < ct || (lt === ct && lk < ck)) break;
      hT[i] = ct;
      hK[i] = ck;
      hS[i] = hS[c]!;
      i = c;
    }
    hT[i] = lt;
    hK[i] = lk;
    hS[i] = ls;
  }

  /** Drop every cancelled entry and rebuild the heap bottom-up (O(n)). */
  private compact(): void {
    const hT = this.hTime;
    const hK = this.hKey;
    const hS = this.hSlot;
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      const s = hS[r]!;
      if (this.fns[s] === null) {
        this.releaseSlot(s);
        continue;
      }
      hT[w] = hT[r]!;
      hK[w] = hK[r]!;
      hS[w] = s;
      w++;
    }
    this.size = w;
    this.dead = 0;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const hT = this.hTime;
    const hK = this.hKey;
    const hS = this.hSlot;
    const n = this.size;
    const t = hT[start]!;
    const k = hK[start]!;
    const s = hS[start]!;
    let i = start;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < n && (hT[r]! < hT[c]! || (hT[r] === hT[c] && hK[r]! < hK[c]!))) c = r;
      if (t < hT[c]! || (t === hT[c] && k < hK[c]!)) break;
      hT[i] = hT[c]!;
      hK[i] = hK[c]!;
      hS[i] = hS[c]!;
      i = c;
    }
    hT[i] = t;
    hK[i] = k;
    hS[i] = s;
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    this.hTime = grow(this.hTime, cap);
    this.hKey = grow(this.hKey, cap);
    this.hSlot = grow(this.hSlot, cap);
  }

  private growSlots(): void {
    const old = this.gen.length;
    if (old >= SLOT_SPACE) {
      throw new SimulationLimitError(`event limit reached: more than ${SLOT_SPACE} events pending at once`);
    }
    const cap = Math.min(old * 2, SLOT_SPACE);
    this.gen = grow(this.gen, cap);
    this.flags = grow(this.flags, cap);
    this.free = grow(this.free, cap);
    for (let i = old; i < cap; i++) {
      this.fns.push(null);
      this.srcOf.push('');
    }
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, cap: number): T {
  const ctor = a.constructor as new (n: number) => T;
  const b = new ctor(cap);
  b.set(a);
  return b;
}
