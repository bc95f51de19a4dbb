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
 * holds GROUPS, one per pending (time, priority) pair, each a FIFO of events
 * in scheduling order — which is sequence order, because a newly scheduled
 * event always has the highest sequence number so far. A binary heap orders
 * the groups by (time, priority); as no two pending groups share that pair,
 * the heap never compares sequence numbers. Scheduling into an open group is
 * an append and running an event takes the front of the top group, so the
 * heap moves only when a group opens or empties. A group is a chain of event
 * slots (next[]): the heap holds its first slot; its last slot, where the
 * next event is appended, is found by (time, priority) in a hash table while
 * more than a handful of groups are open (TABLE_ON), or by a scan of the
 * heap below that (tailOf[first slot]), which is cheaper for a few groups.
 *
 * Everything lives in typed arrays (struct of arrays; callbacks and sources
 * in plain arrays indexed by slot), slots are recycled through a free list,
 * so scheduling allocates nothing. An EventId is slot + generation·2^22, so a
 * stale id never cancels a newer event in a recycled slot. Cancellation is
 * lazy: the callback is cleared and the entry dropped when it reaches the
 * front (or when a compaction runs because more than half of the queued
 * entries are dead).
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
const MAX_PRIORITY = 4095;
/** How many recent event sources the guard rails remember (a power of two). */
const RECENT = 8192;
const INITIAL = 1024;
/** Open-group counts at which the (time, priority) table is built and dropped (hysteresis). */
const TABLE_ON = 16;
const TABLE_OFF = 8;

const LIVE = 1;
const PERIODIC = 2;

type Callback = () => void;

export class EventEngine implements Engine {
  private _now: Time = 0;

  // Slots: one per queued event (live, or cancelled and not yet dropped).
  private fns: Array<Callback | null> = [];
  private srcOf: string[] = [];
  private gen: Uint32Array;
  private flags: Uint8Array;
  /** The next slot of the same group, or -1. */
  private next: Int32Array;
  /** The last slot of the group a slot heads (kept while the table is off). */
  private tailOf: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private slotCount = 0;

  // Heap of groups by (time, priority), struct of arrays; hHead is the group's first slot.
  private hTime: Float64Array;
  private hPrio: Int32Array;
  private hHead: Int32Array;
  private size = 0;

  // Open-addressing table (time, priority) -> the group's last slot; linear probing, -1 is empty.
  private tTime: Float64Array;
  private tPrio: Int32Array;
  private tTail: Int32Array;
  private tShift: number;
  private tUsed = 0;
  private tableOn = false;

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
    this.tailOf = new Int32Array(cap);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap; i++) {
      this.fns.push(null);
      this.srcOf.push('');
    }
    this.hTime = new Float64Array(cap);
    this.hPrio = new Int32Array(cap);
    this.hHead = new Int32Array(cap);
    const tcap = 2 * cap;
    this.tTime = new Float64Array(tcap);
    this.tPrio = new Int32Array(tcap);
    this.tTail = new Int32Array(tcap).fill(-1);
    this.tShift = 32 - Math.log2(tcap);
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
    // Groups differ in (time, priority) and a group's chain is in sequence order, so (time, priority,
    // rank in the chain) is the execution order. Keep the best `limit` in a short sorted list; a group's
    // walk stops at its first event that does not make the list (the rest of the group comes later).
    type Pick = { time: Time; prio: number; rank: number; s: number };
    const later = (a: Pick, b: Pick): boolean => a.time > b.time || (a.time === b.time && (a.prio > b.prio || (a.prio === b.prio && a.rank > b.rank)));
    const picked: Pick[] = [];
    for (let i = 0; i < this.size; i++) {
      let rank = 0;
      for (let s = this.hHead[i]!; s >= 0; s = this.next[s]!) {
        if ((this.flags[s]! & LIVE) === 0) continue;
        const c: Pick = { time: this.hTime[i]!, prio: this.hPrio[i]!, rank: rank++, s };
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

  /** Free a slot; its generation moves on, so its old EventId no longer matches (cancel() checks that first). */
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

  /** Append slot s to the group of (t, p), opening the group if there is none. */
  private enqueue(t: number, p: number, s: number): void {
    if (this.size === 0) {
      // The queue is empty (so is the table): the new group is the heap.
      this.hTime[0] = t;
      this.hPrio[0] = p;
      this.hHead[0] = s;
      this.tailOf[s] = s;
      this.size = 1;
      return;
    }
    let i = -1;
    if (this.tableOn) {
      const tT = this.tTime;
      const tP = this.tPrio;
      const tL = this.tTail;
      const mask = tL.length - 1;
      i = hashSlot(t, p, this.tShift);
      for (;;) {
        const last = tL[i]!;
        if (last < 0) break;
        if (tT[i] === t && tP[i] === p) {
          this.next[last] = s;
          tL[i] = s;
          return;
        }
        i = (i + 1) & mask;
      }
    } else {
      // A few open groups: a scan of the heap beats hashing.
      const hT = this.hTime;
      const hP = this.hPrio;
      for (let k = 0; k < this.size; k++) {
        if (hT[k] === t && hP[k] === p) {
          const head = this.hHead[k]!;
          this.next[this.tailOf[head]!] = s;
          this.tailOf[head] = s;
          return;
        }
      }
    }
    // A new group.
    const h = this.size++;
    if (h >= this.hTime.length) this.growHeap();
    this.siftUp(h, t, p, s);
    if (i >= 0) {
      this.tTime[i] = t;
      this.tPrio[i] = p;
      this.tTail[i] = s;
      if (++this.tUsed * 2 > this.tTail.length) this.rehash(this.tTail.length * 2);
    } else {
      this.tailOf[s] = s;
      if (this.size >= TABLE_ON) this.setTable(true);
    }
  }

  /** Remove and return the first slot of the top group, closing the group when it empties. */
  private shiftTop(): number {
    const s = this.hHead[0]!;
    const nx = this.next[s]!;
    if (nx >= 0) {
      this.hHead[0] = nx;
      if (!this.tableOn) this.tailOf[nx] = this.tailOf[s]!;
      return s;
    }
    if (this.tableOn) {
      this.tableDelete(this.hTime[0]!, this.hPrio[0]!);
      this.popTop();
      if (this.size < TABLE_OFF) this.setTable(false);
    } else this.popTop();
    return s;
  }

  /**
   * Build the table from the open groups (their last slots from tailOf) or
   * drop it (writing each group's last slot back to tailOf).
   */
  private setTable(on: boolean): void {
    if (on) {
      for (let k = 0; k < this.size; k++) this.tableInsert(this.hTime[k]!, this.hPrio[k]!, this.tailOf[this.hHead[k]!]!);
    } else {
      // At most TABLE_OFF groups remain: look each one's last slot up, then clear its entry.
      for (let k = 0; k < this.size; k++) this.tailOf[this.hHead[k]!] = this.tableFind(this.hTime[k]!, this.hPrio[k]!);
      for (let k = 0; k < this.size; k++) this.tableDelete(this.hTime[k]!, this.hPrio[k]!);
    }
    this.tableOn = on;
  }

  private siftUp(i: number, t: number, p: number, head: number): void {
    const hT = this.hTime;
    const hP = this.hPrio;
    const hH = this.hHead;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hT[parent]!;
      if (pt < t || (pt === t && hP[parent]! < p)) break;
      hT[i] = pt;
      hP[i] = hP[parent]!;
      hH[i] = hH[parent]!;
      i = parent;
    }
    hT[i] = t;
    hP[i] = p;
    hH[i] = head;
  }

  /** Remove the root, sifting the last entry down from the top. */
  private popTop(): void {
    const n = --this.size;
    if (n > 0) this.siftDown(0, n, this.hTime[n]!, this.hPrio[n]!, this.hHead[n]!);
  }

  /** Place (t, p, head) at position i of a heap of n entries, moving it down past earlier ones. */
  private siftDown(i: number, n: number, t: number, p: number, head: number): void {
    const hT = this.hTime;
    const hP = this.hPrio;
    const hH = this.hHead;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = hT[c]!;
      let cp = hP[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = hT[r]!;
        const rp = hP[r]!;
        if (rt < ct || (rt === ct && rp < cp)) {
          c = r;
          ct = rt;
          cp = rp;
        }
      }
      if (t < ct || (t === ct && p < cp)) break;
      hT[i] = ct;
      hP[i] = cp;
      hH[i] = hH[c]!;
      i = c;
    }
    hT[i] = t;
    hP[i] = p;
    hH[i] = head;
  }

  private tableInsert(t: number, p: number, last: number): void {
    if ((this.tUsed + 1) * 2 > this.tTail.length) this.rehash(this.tTail.length * 2);
    this.tUsed++;
    const mask = this.tTail.length - 1;
    let i = hashSlot(t, p, this.tShift);
    while (this.tTail[i]! >= 0) i = (i + 1) & mask;
    this.tTime[i] = t;
    this.tPrio[i] = p;
    this.tTail[i] = last;
  }

  /** The last slot of the open group (t, p), from the table. */
  private tableFind(t: number, p: number): number {
    const mask = this.tTail.length - 1;
    let i = hashSlot(t, p, this.tShift);
    while (this.tTime[i] !== t || this.tPrio[i] !== p || this.tTail[i]! < 0) i = (i + 1) & mask;
    return this.tTail[i]!;
  }

  /** Remove (t, p) from the table (backward-shift deletion keeps probe chains intact). */
  private tableDelete(t: number, p: number): void {
    const tT = this.tTime;
    const tP = this.tPrio;
    const tL = this.tTail;
    const mask = tL.length - 1;
    const shift = this.tShift;
    let i = hashSlot(t, p, shift);
    while (tT[i] !== t || tP[i] !== p || tL[i]! < 0) i = (i + 1) & mask;
    this.tUsed--;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (tL[j]! < 0) break;
      const home = hashSlot(tT[j]!, tP[j]!, shift);
      // Entry j may fill the gap at i unless its home lies cyclically in (i, j].
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      tT[i] = tT[j]!;
      tP[i] = tP[j]!;
      tL[i] = tL[j]!;
      i = j;
    }
    tL[i] = -1;
  }

  private rehash(cap: number): void {
    const oT = this.tTime;
    const oP = this.tPrio;
    const oL = this.tTail;
    this.tTime = new Float64Array(cap);
    this.tPrio = new Int32Array(cap);
    this.tTail = new Int32Array(cap).fill(-1);
    this.tShift = 32 - Math.log2(cap);
    this.tUsed = 0;
    for (let k = 0; k < oL.length; k++) if (oL[k]! >= 0) this.tableInsert(oT[k]!, oP[k]!, oL[k]!);
  }

  /**
   * Drop every cancelled entry: each group keeps its live events in order,
   * emptied groups close, the heap is rebuilt bottom-up and the table anew (O(queued)).
   */
  private compact(): void {
    const hT = this.hTime;
    const hP = this.hPrio;
    const hH = this.hHead;
    const wasOn = this.tableOn;
    if (wasOn) {
      this.tTail.fill(-1);
      this.tUsed = 0;
      this.tableOn = false;
    }
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
      this.tailOf[head] = tail;
      hT[w] = hT[r]!;
      hP[w] = hP[r]!;
      hH[w] = head;
      w++;
    }
    this.size = w;
    this.dead = 0;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, w, hT[i]!, hP[i]!, hH[i]!);
    if (w >= TABLE_ON || (wasOn && w >= TABLE_OFF)) this.setTable(true);
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    this.hTime = grow(this.hTime, cap);
    this.hPrio = grow(this.hPrio, cap);
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
    this.tailOf = grow(this.tailOf, cap);
    this.free = grow(this.free, cap);
    for (let i = old; i < cap; i++) {
      this.fns.push(null);
      this.srcOf.push('');
    }
  }
}

/**
 * The home position of (time, priority) in a table of 2^(32 - shift) entries:
 * the low 32 bits of the time (times 2^32 ms = 49.7 days apart merely share a
 * probe chain) mixed with the priority, multiplied by an odd constant, top bits kept.
 */
function hashSlot(t: number, p: number, shift: number): number {
  return Math.imul((t | 0) ^ Math.imul(p, 0x9e3779b1), 0x85ebca6b) >>> shift;
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, cap: number): T {
  const ctor = a.constructor as new (n: number) => T;
  const b = new ctor(cap);
  b.set(a);
  return b;
}
