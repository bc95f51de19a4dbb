/**
 * The node lifecycle controller's per-zone eviction queue, following
 * pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go and the
 * client-go flowcontrol token bucket it uses (golang.org/x/time/rate
 * underneath), in virtual time:
 *
 *  - TokenBucketRateLimiter(qps, burst): starts full (burst tokens), refills
 *    qps tokens a second up to burst; tryAccept takes one token if there is
 *    one. EvictionRateLimiterBurst is 1. A qps of 0 is the
 *    FakeNeverRateLimiter, which accepts nothing.
 *  - UniqueQueue: a value is queued at most once until removed; ordered by
 *    processAt (ties by insertion, where Go's heap leaves them unspecified).
 *  - RateLimitedTimedQueue.try: take the head while the limiter accepts (a
 *    token is spent even when the head is not yet due, as upstream); a
 *    failed action is retried at now + wait + 1 ns, a done one is removed
 *    from the queue but stays in the set, so it is not queued again until
 *    remove() is called (when the node is healthy again).
 *  - swapLimiter: a new bucket when the qps changes; if the old bucket was
 *    empty the new one starts empty too ("drain", right for burst 1).
 */
import type { Time } from '../../sim/types.ts';

/** EvictionRateLimiterBurst: the burst of every eviction rate limiter. */
export const EvictionRateLimiterBurst = 1;
/** NodeEvictionPeriod: how often the NoExecute tainting pass runs. */
export const NodeEvictionPeriod: Time = 100;

export interface RateLimiter {
  readonly qps: number;
  tryAccept(now: Time): boolean;
}

/** flowcontrol.NewTokenBucketRateLimiter in virtual milliseconds. */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: Time | undefined;

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  tryAccept(now: Time): boolean {
    this.advance(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  private advance(now: Time): void {
    if (this.last !== undefined && now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    }
    if (this.last === undefined || now > this.last) this.last = now;
  }
}

/** flowcontrol.NewFakeNeverRateLimiter: evictions stopped. */
export class NeverRateLimiter implements RateLimiter {
  readonly qps = 0;
  tryAccept(): boolean {
    return false;
  }
}

export interface TimedValue {
  value: string;
  uid: string;
  addedAt: Time;
  processAt: Time;
}

interface Entry extends TimedValue {
  seq: number;
}

export class RateLimitedTimedQueue {
  private queue: Entry[] = [];
  private readonly set = new Set<string>();
  private seq = 0;

  constructor(private limiter: RateLimiter) {}

  get qps(): number {
    return this.limiter.qps;
  }

  get length(): number {
    return this.queue.length;
  }

  /** How many values are in the set (queued, or taken by try() and not yet removed): 0 means remove() does nothing. */
  get size(): number {
    return this.set.size;
  }

  /** Queue a value to be processed now, unless it is already in the set. Returns whether it was added. */
  add(value: string, uid: string, now: Time): boolean {
    if (this.set.has(value)) return false;
    this.insert({ value, uid, addedAt: now, processAt: now, seq: this.seq++ });
    this.set.add(value);
    return true;
  }

  /** Forget a value: out of the queue and the set, so it may be added again. Returns whether it was in the set. */
  remove(value: string): boolean {
    if (!this.set.has(value)) return false;
    this.set.delete(value);
    this.queue = this.queue.filter((e) => e.value !== value);
    return true;
  }

  has(value: string): boolean {
    return this.set.has(value);
  }

  /** Process due values while the limiter lets them through. `fn` returns [done, wait]. */
  try(now: Time, fn: (v: TimedValue) => [boolean, Time]): void {
    while (this.queue.length > 0) {
      if (!this.limiter.tryAccept(now)) break;
      const head = this.queue[0]!;
      if (now < head.processAt) break;
      const [done, wait] = fn(head);
      this.queue.shift();
      if (!done) {
        // Retried at now + wait + 1 ns: in integer milliseconds, the next millisecond after the wait.
        this.insert({ ...head, processAt: now + wait + 1, seq: this.seq++ });
      }
    }
  }

  /** SwapLimiter: a new limiter for a new qps (0 stops evictions); an empty old bucket leaves the new one empty. */
  swapLimiter(qps: number, now: Time): void {
    if (this.limiter.qps === qps) return;
    if (qps <= 0) {
      this.limiter = new NeverRateLimiter();
      return;
    }
    const next = new TokenBucketRateLimiter(qps, EvictionRateLimiterBurst);
    if (!this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }

  private insert(e: Entry): void {
    let i = this.queue.length;
    while (i > 0) {
      const p = this.queue[i - 1]!;
      if (p.processAt < e.processAt || (p.processAt === e.processAt && p.seq < e.seq)) break;
      i--;
    }
    this.queue.splice(i, 0, e);
  }
}
