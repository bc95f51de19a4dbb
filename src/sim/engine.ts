/**
 * The discrete-event core: an integer virtual clock (milliseconds) and an
 * event queue, in the style of SimPy's Environment but without coroutines
 * (callbacks only, so a run is a plain loop).
 *
 * TOTAL ORDER. Events run in ascending (time, priority, sequence):
 *   1. time      — the absolute virtual time the event was scheduled for;
 *   2. priority  — the band at one instant (see Priority in types.ts; lower first);
 *   3. sequence  — the order of the at()/after() calls, so events with equal
 *                  time and priority run in the order they were scheduled.
 * No two events share a sequence number, so the order is total and a run is a
 * pure function of the schedule: no ties are ever broken by the queue's layout.
 *
 * STORAGE. Simulations schedule many events at one (time, priority): every
 * controller, watch and kubelet works in 1 ms steps. The queue therefore
 * holds GROUPS of events of one (time, priority) in scheduling order, and a
 * binary heap orders the groups by (time, priority, sequence number of the
 * group's first event), packed as time and priority·2^40 + sequence (exact
 * below 2^40 events per run). Scheduling into an open group is an append and
 * running an event takes the front of the top group, so the heap moves only
 * when a group opens or empties. A group is a chain of event slots (next[]);
 * the heap holds its first slot, and a direct-mapped cache indexed by a hash
 * of (time, priority) remembers the last slot of the pair's newest group. A
 * cache miss (an evicted entry, or a last slot that ran or was dropped since)
 * opens a new group even if an older one of the pair is still open. That is
 * safe: every event of the older group was scheduled before any of the newer
 * one, and the newer group's key is larger, so it runs after, exactly as the
 * total order requires; a miss costs a heap entry, never the order.
 *
 * Everything lives in typed arrays (struct of arrays; callbacks and sources
 * in plain arrays indexed by slot), slots are recycled through a free list,
 * so scheduling allocates nothing. An EventId is slot + generation·2^22, so a
 * stale id never cancels a newer event in a recycled slot (and a cache entry
 * never names a recycled slot). Cancellation is lazy: the callback is
 * cleared and the entry dropped when it reaches the front (or when a
 * compaction runs because more than half of the queued entries are dead).
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
const INITIAL = 1024;

const LIVE = 1;
const PERIODIC = 2;

type Callback = () => void;

export class EventEngine implements Engine {
  private _now: Time = 0;
  /** Sequence number of the next at()/after() call. */
  private seq = 0;

  // Slots: one per queued event (live, or cancelled and not yet dropped).
  private fns: Array<Callback | null> = [];
  private srcOf: string[] = [];
  private gen: Uint32Array;
  private flags: Uint8Array;
  /** The next slot of the same group, or -1. */
  private next: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private slotCount = 0;

  // Heap of groups by (time, key = priority·2^40 + sequence of the group's first event); hHead is its first slot.
  private hTime: Float64Array;
  private hKey: Float64Array;
  private hHead: Int32Array;
  private size = 0;

  // Direct-mapped cache (time, priority) -> the last slot of the newest group of that pair, with the
  // slot's generation when it was cached (a changed generation means the slot ran or was dropped).
  private cTime: Float64Array;
  private cPrio: Int32Array;
  private cSlot: Int32Array;
  private cGen: Uint32Array;
  private cShift: number;

  private _pending = 0;
  private _pendingNonPeriodic = 0;
  /** Cancelled entries still queued. */
  private dead = 0;

  // Guard rails: the sources of the most recent events, in a ring.
  private readonly recent: string[] = new Array<string>(RECENT).fill('');
  private recentPos = 0;
  private instantTime = -1;
  private instantCount = 0;
  private _executed = 0;

  /** Fixed at construction (frozen): step() reads its own copies of the bounds. */
  readonly limits: Readonly<EngineLimits>;
  private readonly maxEvents: number;
  private readonly maxEventsPerInstant: number;
  private readonly formatTime: (t: Time) => string;

  constructor(opts: EngineOptions = {}) {
    this.limits = Object.freeze({ ...DEFAULT_ENGINE_LIMITS, ...opts.limits });
    this.maxEvents = this.limits.maxEvents;
    this.maxEventsPerInstant = this.limits.maxEventsPerInstant;
    this.formatTime = opts.formatTime ?? ((t) => `t=${t}ms`);
    const cap = INITIAL;
    this.gen = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
    this.next = new Int32Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) {
      this.fns.push(null);
      this.srcOf.push('');
    }
    this.hTime = new Float64Array(cap);
    this.hKey = new Float64Array(cap);
    this.hHead = new Int32Array(cap);
    this.cTime = new Float64Array(cap);
    this.cPrio = new Int32Array(cap);
    this.cSlot = new Int32Array(cap).fill(-1);
    this.cGen = new Uint32Array(cap);
    this.cShift = 32 - Math.log2(cap);
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
    this.next[s] = -1;
    this._pending++;
    if (!periodic) this._pendingNonPeriodic++;
    this.enqueue(at, p, s);
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
    if (this.dead > 1024 && this.dead > this._pending) this.compact();
  }

  /**
   * Whether an event scheduled now at `priority` would be the next to run: no live event is queued at this
   * instant at that priority or below (one at that priority queued earlier runs first). The controller
   * runtime asks it to take a key at once instead of scheduling a take event that would run next anyway.
   */
  nextAfter(priority: number): boolean {
    this.dropCancelledTop();
    // The heap's top is the earliest (time, priority·2^40 + sequence); nothing is queued before now.
    return this.size === 0 || this.hTime[0]! > this._now || this.hKey[0]! >= (priority + 1) * SEQ_SPACE;
  }

  peekTime(): Time | undefined {
    this.dropCancelledTop();
    return this.size > 0 ? this.hTime[0] : undefined;
  }

  step(): boolean {
    for (;;) {
      if (this.size === 0) return false;
      const t = this.hTime[0]!;
      const s = this.shiftTop();
      const fn = this.fns[s];
      const fl = this.flags[s]!;
      this.releaseSlot(s);
      if (!fn) {
        this.dead--;
        continue;
      }
      this._pending--;
      if ((fl & PERIODIC) === 0) this._pendingNonPeriodic--;
      this._now = t;
      // Guard rails; the messages are built in tooMany(), off the hot path.
      this.recent[this.recentPos] = this.srcOf[s]!;
      this.recentPos = (this.recentPos + 1) & (RECENT - 1);
      if (t !== this.instantTime) {
        this.instantTime = t;
        this.instantCount = 0;
      }
      if (++this._executed > this.maxEvents || ++this.instantCount > this.maxEventsPerInstant) this.tooMany(t);
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
   * running them: a scan of the queue, for interactive use only.
   */
  upcoming(limit: number): Array<{ time: Time; source: string; periodic: boolean }> {
    // The next event alone is the front of the top group once cancelled ones are dropped: O(1), for stepping.
    if (limit === 1) {
      if (this.peekTime() === undefined) return [];
      const s = this.hHead[0]!;
      return [{ time: this.hTime[0]!, source: this.srcOf[s]!, periodic: (this.flags[s]! & PERIODIC) !== 0 }];
    }
    if (!(limit > 1)) return [];
    // Groups differ in (time, key) and a group's chain is in sequence order, so (time, key, rank in the
    // chain) is the execution order. Keep the best `limit` in a short sorted list; a group's walk stops
    // at its first event that does not make the list (the rest of the group comes later).
    type Pick = { time: Time; key: number; rank: number; s: number };
    const later = (a: Pick, b: Pick): boolean => a.time > b.time || (a.time === b.time && (a.key > b.key || (a.key === b.key && a.rank > b.rank)));
    const picked: Pick[] = [];
    for (let i = 0; i < this.size; i++) {
      let rank = 0;
      for (let s = this.hHead[i]!; s >= 0; s = this.next[s]!) {
        if ((this.flags[s]! & LIVE) === 0) continue;
        const c: Pick = { time: this.hTime[i]!, key: this.hKey[i]!, rank: rank++, s };
        if (picked.length === limit && !later(picked[limit - 1]!, c)) break;
        let j = picked.length;
        while (j > 0 && later(picked[j - 1]!, c)) j--;
        picked.splice(j, 0, c);
        if (picked.length > limit) picked.pop();
      }
    }
    return picked.map(({ time, s }) => ({ time, source: this.srcOf[s]!, periodic: (this.flags[s]! & PERIODIC) !== 0 }));
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

  /** A guard rail was crossed: name the bound and the busiest recent source. */
  private tooMany(t: Time): never {
    if (this._executed > this.maxEvents) {
      throw new SimulationLimitError(
        `event limit reached: more than ${this.maxEvents} events in this run (limits.maxEvents) at ${this.formatTime(t)}; ` +
          `busiest source of the last ${Math.min(RECENT, this._executed)} events: ${this.busiestRecent(Math.min(RECENT, this._executed))}`,
      );
    }
    const window = Math.min(RECENT, this.instantCount);
    throw new SimulationLimitError(
      `event limit reached: more than ${this.maxEventsPerInstant} events at one virtual instant (${this.formatTime(t)}, limits.maxEventsPerInstant); ` +
        `virtual time is not advancing, likely a zero-delay loop; busiest source of the last ${window} events at this instant: ${this.busiestRecent(window)}`,
    );
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

  /** Free a slot; its generation moves on, so its old EventId and any cache entry naming it no longer match. */
  private releaseSlot(s: number): void {
    this.fns[s] = null;
    this.gen[s] = (this.gen[s]! + 1) & GEN_MASK;
    this.free[this.freeTop++] = s;
  }

  /** Drop cancelled entries from the front of the queue. */
  private dropCancelledTop(): void {
    while (this.size > 0) {
      if (this.fns[this.hHead[0]!] !== null) return;
      this.releaseSlot(this.shiftTop());
      this.dead--;
    }
  }

  /**
   * Append slot s (sequence this.seq) to the newest group of (t, p) if the
   * cache still names that group's last slot, else open a new group. A cache
   * miss for a pair whose group is still open only opens a second group of the
   * pair: all of the first group's events precede the second's, and so do
   * their keys, so the order is the same.
   */
  private enqueue(t: number, p: number, s: number): void {
    const seq = this.seq++;
    if (this.size === 0) {
      // An empty queue (a chain of timers): the new group is the heap, and leaving it out of the cache
      // only means that a second event of the pair would open a second group.
      this.hTime[0] = t;
      this.hKey[0] = p * SEQ_SPACE + seq;
      this.hHead[0] = s;
      this.size = 1;
      return;
    }
    // Index: the time's low 32 bits (times 2^32 ms apart share one) mixed with the priority, multiplied
    // by an odd constant, top bits kept.
    const i = Math.imul((t | 0) ^ Math.imul(p, 0x9e3779b1), 0x85ebca6b) >>> this.cShift;
    const last = this.cSlot[i]!;
    if (last >= 0 && this.cTime[i] === t && this.cPrio[i] === p && this.gen[last] === this.cGen[i]) {
      this.next[last] = s;
    } else {
      const h = this.size++;
      if (h >= this.hTime.length) this.growHeap();
      this.siftUp(h, t, p * SEQ_SPACE + seq, s);
      // A grown cache starts empty: index i means nothing in it.
      if (this.size * 2 > this.cSlot.length) return this.growCache();
      this.cTime[i] = t;
      this.cPrio[i] = p;
    }
    this.cSlot[i] = s;
    this.cGen[i] = this.gen[s]!;
  }

  /** Remove and return the first slot of the top group, closing the group when it empties. */
  private shiftTop(): number {
    const s = this.hHead[0]!;
    const nx = this.next[s]!;
    if (nx >= 0) this.hHead[0] = nx;
    else this.popTop();
    return s;
  }

  private siftUp(i: number, t: number, key: number, head: number): void {
    const hT = this.hTime;
    const hK = this.hKey;
    const hH = this.hHead;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hT[parent]!;
      if (pt < t || (pt === t && hK[parent]! < key)) break;
      hT[i] = pt;
      hK[i] = hK[parent]!;
      hH[i] = hH[parent]!;
      i = parent;
    }
    hT[i] = t;
    hK[i] = key;
    hH[i] = head;
  }

  /** Remove the root, sifting the last entry down from the top. */
  private popTop(): void {
    const n = --this.size;
    if (n > 0) this.siftDown(0, n, this.hTime[n]!, this.hKey[n]!, this.hHead[n]!);
  }

  /** Place (t, key, head) at position i of a heap of n entries, moving it down past earlier ones. */
  private siftDown(i: number, n: number, t: number, key: number, head: number): void {
    const hT = this.hTime;
    const hK = this.hKey;
    const hH = this.hHead;
    const half = n >> 1;
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
      if (t < ct || (t === ct && key < ck)) break;
      hT[i] = ct;
      hK[i] = ck;
      hH[i] = hH[c]!;
      i = c;
    }
    hT[i] = t;
    hK[i] = key;
    hH[i] = head;
  }

  /**
   * Drop every cancelled entry: each group keeps its live events in order,
   * emptied groups close, and the heap is rebuilt bottom-up (O(queued)).
   * Cache entries naming a dropped slot lapse with its generation.
   */
  private compact(): void {
    const hT = this.hTime;
    const hK = this.hKey;
    const hH = this.hHead;
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      let head = -1;
      let tail = -1;
      for (let s = hH[r]!; s >= 0; ) {
        const nx = this.next[s]!;
        if (this.fns[s] === null) this.releaseSlot(s);
        else {
          if (tail < 0) head = s;
          else this.next[tail] = s;
          tail = s;
          this.next[s] = -1;
        }
        s = nx;
      }
      if (head < 0) continue;
      hT[w] = hT[r]!;
      hK[w] = hK[r]!;
      hH[w] = head;
      w++;
    }
    this.size = w;
    this.dead = 0;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, w, hT[i]!, hK[i]!, hH[i]!);
  }

  /** A bigger, empty cache (forgotten pairs just open new groups). */
  private growCache(): void {
    const cap = this.cSlot.length * 2;
    this.cTime = new Float64Array(cap);
    this.cPrio = new Int32Array(cap);
    this.cSlot = new Int32Array(cap).fill(-1);
    this.cGen = new Uint32Array(cap);
    this.cShift = 32 - Math.log2(cap);
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    this.hTime = grow(this.hTime, cap);
    this.hKey = grow(this.hKey, cap);
    this.hHead = grow(this.hHead, cap);
  }

  private growSlots(): void {
    const old = this.gen.length;
    if (old >= SLOT_SPACE) {
      throw new SimulationLimitError(`event limit reached: more than ${SLOT_SPACE} events pending at once`);
    }
    const cap = Math.min(old * 2, SLOT_SPACE);
    this.gen = grow(this.gen, cap);
    this.flags = grow(this.flags, cap);
    this.next = grow(this.next, cap);
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
