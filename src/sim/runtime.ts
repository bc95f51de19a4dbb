/**
 * The controller runtime, modelled on client-go (shared informers, listers,
 * workqueue with the default controller rate limiter's per-item exponential
 * part) and controller-runtime (Reconcile results: Requeue, RequeueAfter).
 *
 * Timing model (all virtual):
 *  - Watch delivery: a store commit at time T reaches informer caches and
 *    handlers at T + timing.watchLatency (default 1 ms), in commit order, at
 *    Priority.WatchDelivery. Listers read those caches, so they lag the store:
 *    races between controllers are part of the model, as in a real cluster.
 *  - Reconcile: a controller has one worker. When it is idle and a key is
 *    queued, it takes the key in an event at the same instant
 *    (Priority.Controller, so after that instant's watch deliveries: a burst
 *    of changes to one key collapses into one reconcile) and is busy for
 *    timing.reconcileLatency (default 1 ms); reconcile() runs at the end of
 *    that interval, reading listers and writing the store at that time.
 *  - Work queue: client-go semantics: a key already queued is not added twice;
 *    a key added while it is being processed is queued again after done().
 *  - Requeue: requeueAfter > 0 forgets the key's failures and adds it after
 *    that delay; requeue: true (or an ApiError thrown by reconcile) adds it
 *    after the rate limiter's delay, 5 ms * 2^failures capped at 1000 s
 *    (ItemExponentialFailureRateLimiter(5ms, 1000s)); success forgets.
 *  - Resync: every resyncPeriod, each cached object of the first watched kind
 *    is mapped to keys again (a periodic event: it does not keep a run alive).
 * Informers are shared per kind: one cache, many handlers. A cache created
 * after objects exist starts from the store's current contents (as if it had
 * listed); a handler registered later receives onAdd for the cache contents at
 * its first delivery, then every change after.
 */
import type {
  Controller,
  InformerHandlers,
  KObject,
  Lister,
  ReconcileContext,
  ReconcileResult,
  Recorder,
  Rng,
  RngStreams,
  RunLogRecord,
  Runtime,
  RuntimeTiming,
  Store,
  Stored,
  Time,
  WatchEvent,
} from './types.ts';
import { Priority } from './types.ts';
import { ApiError } from './errors.ts';
import { KindIndex } from './objectIndex.ts';
import { NEVER_A_KEY } from './neverEmpty.ts';
import { isClusterScoped } from './store.ts';
import type { EventEngine } from './engine.ts';

export const DEFAULT_TIMING: RuntimeTiming = { watchLatency: 1, reconcileLatency: 1 };

/** ItemExponentialFailureRateLimiter(5ms, 1000s), as workqueue.DefaultControllerRateLimiter's per-item part. */
export const RATE_LIMIT_BASE_MS = 5;
export const RATE_LIMIT_MAX_MS = 1_000_000;

export interface RuntimeHost {
  /** The engine itself, not the Engine interface: the runtime's fast path asks it what is due next (nextAfter). */
  readonly engine: EventEngine;
  readonly store: Store;
  readonly recorder: Recorder;
  readonly rng: RngStreams;
  readonly log?: ((record: RunLogRecord) => void) | undefined;
}

/**
 * A watch's "no keys" answer, shared (toKeys runs for every watched change of every controller;
 * those that only observe, or filter most changes out, made a new empty list each time).
 */
export const NO_KEYS: readonly string[] = Object.freeze([]);

/** client-go's MetaNamespaceKeyFunc: "namespace/name", or "name" when cluster-scoped. */
export function keyOf(o: KObject): string {
  const ns = o.metadata.namespace;
  return ns ? `${ns}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '');
}

/** Split a key back into namespace and name (SplitMetaNamespaceKey). */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

type Watch = Controller['watches'][number];

/**
 * What a cache delivers to: an informer's handlers, or a controller's watch and worker, both handled by the
 * delivery loop itself (dispatch). Why not a wrapper closure per subscriber: every delivery then made two
 * megamorphic calls per subscriber (the wrapper, then the handler or toKeys), ~20 ns each, on ~1.8 million
 * deliveries a churn hour (a Lease renewal's to one informer, a pod write's to six informers and ten
 * controllers).
 */
class Subscriber {
  constructor(
    readonly informer: InformerHandlers | undefined,
    readonly worker: ControllerWorker | undefined,
    readonly toKeys: Watch['toKeys'],
    readonly delayOf: Watch['delay'],
  ) {}
}

/** One change to one subscriber: `old` is what the cache held before it (undefined for an insert). */
function dispatch(s: Subscriber, ev: WatchEvent, old: Stored | undefined): void {
  const h = s.informer;
  if (h === undefined) {
    watchDelivered(s.worker!, s.toKeys, s.delayOf, ev);
    return;
  }
  // As the handlers' own methods (this = the handlers object), read at each call.
  const o = ev.object;
  if (ev.type === 'ADDED') h.onAdd?.(o);
  else if (ev.type === 'MODIFIED') h.onUpdate?.(old ?? ev.oldObject ?? o, o);
  else h.onDelete?.(o);
}

/**
 * A watched change's keys to a controller's queue, now or after the watch's delay. toKeys and delayOf are
 * called as plain functions (no `this`), as the watch gave them. Indexed loops, no key array for the plain
 * key: this runs for every watched change of every controller, and its for-of loops allocated an iterator
 * and a result object per key (a tenth of the garbage of a 150,000-pod rollout) where V8 left them unoptimised.
 */
function watchDelivered(worker: ControllerWorker, toKeys: Watch['toKeys'], delayOf: Watch['delay'], ev: WatchEvent): void {
  const delay = delayOf ? delayOf(ev) : 0;
  if (toKeys) {
    const keys = toKeys(ev);
    for (let i = 0; i < keys.length; i++) {
      if (delay > 0) worker.addDelayed(keys[i]!, delay);
      else worker.queue.add(keys[i]!);
    }
  } else if (delay > 0) worker.addDelayed(keyOf(ev.object), delay);
  else worker.queue.add(keyOf(ev.object));
}

class SharedCache {
  readonly index = new KindIndex<Stored>();
  readonly handlers: Subscriber[] = [];

  /** Made once: controllers ask for a lister in every reconcile, and a new one cost two closures each time. */
  private made: Lister<Stored> | undefined;

  constructor(readonly kind: string) {}

  lister<T extends KObject>(): Lister<T> {
    if (this.made === undefined) {
      const idx = this.index;
      const clusterScoped = isClusterScoped(this.kind);
      this.made = Object.freeze({
        get: (namespace: string, name: string) => idx.get(clusterScoped ? '' : namespace, name),
        list: (namespace?: string) => idx.list(namespace === undefined ? undefined : clusterScoped ? '' : namespace),
      });
    }
    return this.made as unknown as Lister<T>;
  }
}

/** A handler registered on a cache: it is shown the cache's contents (as ADDED) at its first delivery. */
class Replay {
  constructor(
    readonly cache: SharedCache,
    readonly handler: Subscriber,
  ) {}
}

/** A key's bits in a work queue's state map: dirty (queued, or to be queued again after done), processing. */
const DIRTY = 1;
const PROCESSING = 2;

/**
 * client-go workqueue.Type: dirty set + processing set + FIFO. The two sets are one map of a key's bits:
 * a key's add, get and done probed the sets seven times per reconcile (has, add, has; add, delete; delete,
 * has), the map five (get, set; set; get, delete). A key absent from the map is in neither set.
 */
export class WorkQueue {
  private readonly items: string[] = [];
  private head = 0;
  private readonly state = new Map<string | typeof NEVER_A_KEY, number>([[NEVER_A_KEY, 0]]);

  constructor(private readonly onReady: () => void) {}

  get length(): number {
    return this.items.length - this.head;
  }

  add(key: string): void {
    const s = this.state.get(key);
    if (s === undefined) {
      this.state.set(key, DIRTY);
      this.items.push(key);
      this.onReady();
      return;
    }
    if ((s & DIRTY) !== 0) return;
    this.state.set(key, s | DIRTY);
    // Being processed: queued again by done().
    if ((s & PROCESSING) !== 0) return;
    this.items.push(key);
    this.onReady();
  }

  /** Take the next key; undefined when empty. */
  get(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    // Processing, no longer dirty (whatever it was: the sets' add and delete).
    this.state.set(key, PROCESSING);
    return key;
  }

  done(key: string): void {
    const s = this.state.get(key);
    if (s === undefined) return;
    if ((s & DIRTY) !== 0) {
      this.state.set(key, DIRTY);
      this.items.push(key);
      this.onReady();
    } else this.state.delete(key);
  }

  isQueued(key: string): boolean {
    return ((this.state.get(key) ?? 0) & DIRTY) !== 0;
  }

  isProcessing(key: string): boolean {
    return ((this.state.get(key) ?? 0) & PROCESSING) !== 0;
  }
}

/**
 * Switches for the runtime's fast paths, on by default; tests turn one off to compare a run against the
 * general path it replaces (runtime.fastPaths.property.test.ts).
 */
export const runtimeTuning = {
  /** A worker takes its next key inside the event that frees it or queues the key, when its take event would run next. */
  takeAtEventEnd: true,
};

class ControllerWorker {
  readonly queue: WorkQueue;
  private busy = false;
  private takeScheduled = false;
  /** The key taken and being reconciled (one worker: one at a time). */
  private current = '';
  private readonly failures = new Map<string, number>();
  readonly source: string;
  /** The two steps of a reconcile as functions made once (not a closure per key: a reconcile is the runtime's commonest event). */
  private readonly takeFn = (): void => this.take();
  private readonly runFn = (): void => this.run(this.current);
  private readonly scheduleOpts: { priority: number; source: string };

  constructor(
    readonly controller: Controller,
    private readonly rt: ControllerRuntime,
  ) {
    this.source = `controller/${controller.name}`;
    this.scheduleOpts = { priority: Priority.Controller, source: this.source };
    this.queue = new WorkQueue(() => this.kick());
  }

  /**
   * Set while the worker's own event is ending (a reconcile's last step, a delayed add's timer): nothing of
   * that event is left to run after the kick.
   */
  private atEventEnd = false;

  /**
   * Wake the worker: it takes the next key in its own event, after this instant's watch deliveries.
   * At the end of an event, when nothing is queued at this instant at Priority.Controller or below, that
   * take event would be the very next one to run, and nothing can happen between the two: the key is taken
   * at once instead (the same key, dirty and processing sets and run event as the take event gives), one
   * engine event fewer per reconcile. Events queued later in the instant (the scheduler's, kubelets',
   * periodic ones) would run after the take event anyway. With anything queued before it (a burst of
   * timers, another controller's reconcile, deliveries at watchLatency 0) the take keeps its event, behind
   * them.
   */
  kick(): void {
    if (this.busy || this.takeScheduled || this.queue.length === 0) return;
    if (this.atEventEnd && runtimeTuning.takeAtEventEnd && this.rt.engine.nextAfter(Priority.Controller)) {
      this.take();
      return;
    }
    this.takeScheduled = true;
    this.rt.engine.after(0, this.takeFn, this.scheduleOpts);
  }

  /** The queue's add as the last step of an event (a delayed add's timer). */
  private addAtEventEnd(key: string): void {
    this.atEventEnd = true;
    this.queue.add(key);
    this.atEventEnd = false;
  }

  private take(): void {
    this.takeScheduled = false;
    const key = this.queue.get();
    if (key === undefined) return;
    this.busy = true;
    this.current = key;
    this.rt.engine.after(this.rt.timing.reconcileLatency, this.runFn, this.scheduleOpts);
  }

  private run(key: string): void {
    let result: ReconcileResult | void = undefined;
    let failed = false;
    this.rt.noteReconcile(this.controller.name, key);
    try {
      result = this.controller.reconcile(key, this.rt.context);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      failed = true;
      this.rt.note(`reconcile error`, { controller: this.controller.name, key, reason: e.reason, error: e.message });
    }
    if (failed || (result && result.requeue && !(result.requeueAfter !== undefined && result.requeueAfter > 0))) {
      this.addRateLimited(key);
    } else if (result && result.requeueAfter !== undefined && result.requeueAfter > 0) {
      this.failures.delete(key);
      this.addAfter(key, result.requeueAfter);
    } else {
      this.failures.delete(key);
    }
    this.queue.done(key);
    this.busy = false;
    this.atEventEnd = true;
    this.kick();
    this.atEventEnd = false;
  }

  /** Failures so far for a key (NumRequeues). */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  private addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min(RATE_LIMIT_BASE_MS * 2 ** n, RATE_LIMIT_MAX_MS);
    this.addAfter(key, delay);
  }

  private addAfter(key: string, delay: Time): void {
    this.rt.engine.after(Math.ceil(delay), () => this.addAtEventEnd(key), this.scheduleOpts);
  }

  /** Keys waiting for a watch's delay, and when they are due (and the sentinel, so that it never empties: see neverEmpty.ts). */
  private readonly waiting = new Map<string | typeof NEVER_A_KEY, Time>([[NEVER_A_KEY, -1]]);

  /** AddAfter through the delaying queue's waiting set: one pending add per key, at the earliest time asked. */
  addDelayed(key: string, delay: Time): void {
    const at = this.rt.engine.now + Math.ceil(delay);
    const due = this.waiting.get(key);
    if (due !== undefined && due <= at) return;
    this.waiting.set(key, at);
    this.rt.engine.at(
      at,
      () => {
        if (this.waiting.get(key) !== at) return;
        this.waiting.delete(key);
        this.addAtEventEnd(key);
      },
      // The worker's options object (the same priority and source), not one per timer: the engine reads it at once, keeps none of it.
      this.scheduleOpts,
    );
  }
}

/** The watch queue's first capacity (a power of two; see ControllerRuntime.fifo). */
const FifoInitialCapacity = 1024;

export class ControllerRuntime implements Runtime {
  readonly timing: RuntimeTiming;
  private readonly caches = new Map<string, SharedCache>();
  /**
   * Changes waiting for delivery, in commit order: the event (or a handler's
   * replay) and when it is due, in parallel arrays rather than a wrapper
   * object per change (a burst of 150,000 pod creations keeps every entry alive
   * until its instant's delivery, so the wrappers were old-generation garbage).
   * The arrays are a ring (capacity a power of two, doubled when full): a
   * queue compacted by splice and regrown by push allocated ~6% of a churn
   * hour's garbage, every 10 s Lease burst growing it again.
   */
  private fifo: (WatchEvent | Replay | undefined)[] = new Array<WatchEvent | Replay | undefined>(FifoInitialCapacity).fill(undefined);
  private fifoAt: Float64Array = new Float64Array(FifoInitialCapacity);
  /** The cache each queued change goes to (found once, at commit: not looked up again by kind at delivery). */
  private fifoCache: (SharedCache | undefined)[] = new Array<SharedCache | undefined>(FifoInitialCapacity).fill(undefined);
  /** Ring position of the oldest queued change, and how many are queued. */
  private fifoHead = 0;
  private fifoSize = 0;
  private lastScheduled = -1;
  private readonly deliverFn = (): void => this.deliver();
  private static readonly deliveryOpts = { priority: Priority.WatchDelivery, source: 'watch' };
  private readonly workers = new Map<string, ControllerWorker>();
  readonly context: ReconcileContext;
  /**
   * The controller and key of the latest reconcile (for `ksim step`: which object a controller event worked on).
   * Kept as two fields, the object made only when read: a reconcile made one each (~2 MiB a churn hour).
   */
  private lastController: string | undefined = undefined;
  private lastKey = '';

  get lastReconcile(): { controller: string; key: string } | undefined {
    return this.lastController === undefined ? undefined : { controller: this.lastController, key: this.lastKey };
  }

  set lastReconcile(r: { controller: string; key: string } | undefined) {
    this.lastController = r?.controller;
    this.lastKey = r?.key ?? '';
  }

  /** A reconcile is starting (lastReconcile). */
  noteReconcile(controller: string, key: string): void {
    this.lastController = controller;
    this.lastKey = key;
  }

  constructor(
    private readonly host: RuntimeHost,
    timing: Partial<RuntimeTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    for (const [k, v] of Object.entries(this.timing)) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`timing.${k} must be a non-negative integer number of milliseconds, got ${v}`);
    }
    host.store.watch('*', (ev) => this.onCommit(ev));
    const rt = this;
    this.context = {
      get now() {
        return rt.host.engine.now;
      },
      store: host.store,
      lister: <T extends KObject = KObject>(kind: string) => rt.lister<T>(kind),
      recorder: host.recorder,
      rng: (stream: string): Rng => host.rng.stream(stream),
    };
  }

  get engine(): EventEngine {
    return this.host.engine;
  }

  /** A lister over the shared cache of `kind` (created, from the store's contents, if none exists yet). */
  lister<T extends KObject = KObject>(kind: string): Lister<T> {
    return this.cache(kind).lister<T>();
  }

  informer<T extends KObject = KObject>(kind: string, handlers: InformerHandlers<T>, _name: string): Lister<T> {
    const cache = this.cache(kind);
    // Stored<T> is a KObject: the handlers are only ever called with objects of the kind the cache holds.
    const sub = new Subscriber(handlers as InformerHandlers, undefined, undefined, undefined);
    this.enqueue(this.host.engine.now + this.timing.watchLatency, new Replay(cache, sub), cache);
    return cache.lister<T>();
  }

  register(controller: Controller): void {
    if (this.workers.has(controller.name)) throw new Error(`a controller named ${JSON.stringify(controller.name)} is already registered`);
    if (controller.watches.length === 0) throw new Error(`controller ${JSON.stringify(controller.name)} watches no kinds`);
    const worker = new ControllerWorker(controller, this);
    this.workers.set(controller.name, worker);
    for (const w of controller.watches) {
      const cache = this.cache(w.kind);
      // The watch's functions as registered (read once, as the closure that delivered them did).
      const sub = new Subscriber(undefined, worker, w.toKeys, w.delay);
      this.enqueue(this.host.engine.now + this.timing.watchLatency, new Replay(cache, sub), cache);
    }
    const period = controller.resyncPeriod;
    if (period !== undefined && period > 0) {
      const first = controller.watches[0]!;
      const cache = this.cache(first.kind);
      const source = `resync/${controller.name}`;
      const tick = (): void => {
        cache.index.forEach((o) => {
          if (first.toKeys) for (const k of first.toKeys({ type: 'MODIFIED', object: o, oldObject: o })) worker.queue.add(k);
          else worker.queue.add(keyOf(o));
        });
        this.host.engine.after(period, tick, { priority: Priority.Periodic, source, periodic: true });
      };
      this.host.engine.after(period, tick, { priority: Priority.Periodic, source, periodic: true });
    }
  }

  /** The work queue of a registered controller (tests, diagnostics). */
  queueOf(name: string): WorkQueue | undefined {
    return this.workers.get(name)?.queue;
  }

  note(message: string, detail: unknown): void {
    const log = this.host.log;
    if (log) log({ t: this.host.engine.now, type: 'note', message, detail });
  }

  // ---- delivery ----

  private cache(kind: string): SharedCache {
    let c = this.caches.get(kind);
    if (!c) {
      c = new SharedCache(kind);
      for (const o of this.host.store.list(kind)) c.index.set(o.metadata.namespace ?? '', o.metadata.name ?? '', o);
      this.caches.set(kind, c);
    }
    return c;
  }

  private onCommit(ev: WatchEvent): void {
    const cache = this.caches.get(ev.object.kind);
    if (cache === undefined) return;
    this.enqueue(this.host.engine.now + this.timing.watchLatency, ev, cache);
  }

  private enqueue(at: Time, d: WatchEvent | Replay, cache: SharedCache): void {
    if (this.fifoSize === this.fifo.length) this.growFifo();
    const i = (this.fifoHead + this.fifoSize++) & (this.fifo.length - 1);
    this.fifo[i] = d;
    this.fifoAt[i] = at;
    this.fifoCache[i] = cache;
    if (at > this.lastScheduled) {
      this.lastScheduled = at;
      this.host.engine.at(at, this.deliverFn, ControllerRuntime.deliveryOpts);
    }
  }

  /** The ring at twice its capacity, its changes from the oldest at position 0. */
  private growFifo(): void {
    const cap = this.fifo.length;
    const fifo = new Array<WatchEvent | Replay | undefined>(cap * 2).fill(undefined);
    const fifoAt = new Float64Array(cap * 2);
    const fifoCache = new Array<SharedCache | undefined>(cap * 2).fill(undefined);
    for (let k = 0; k < this.fifoSize; k++) {
      const i = (this.fifoHead + k) & (cap - 1);
      fifo[k] = this.fifo[i];
      fifoAt[k] = this.fifoAt[i]!;
      fifoCache[k] = this.fifoCache[i];
    }
    this.fifo = fifo;
    this.fifoAt = fifoAt;
    this.fifoCache = fifoCache;
    this.fifoHead = 0;
  }

  /** Deliver every queued change that is due, in commit order. */
  private deliver(): void {
    const now = this.host.engine.now;
    // Handlers may commit (and so enqueue, and grow the ring): the ring is read through `this` after each.
    while (this.fifoSize > 0 && this.fifoAt[this.fifoHead]! <= now) {
      const at = this.fifoHead;
      const ev = this.fifo[at]!;
      const cache = this.fifoCache[at]!;
      // The delivered entry is let go at once: a burst's events are not kept alive by the queue.
      this.fifo[at] = undefined;
      this.fifoCache[at] = undefined;
      this.fifoHead = (at + 1) & (this.fifo.length - 1);
      this.fifoSize--;
      if (ev instanceof Replay) {
        const { handler } = ev;
        cache.handlers.push(handler);
        cache.index.forEach((o) => dispatch(handler, { type: 'ADDED', object: o }, undefined));
        continue;
      }
      const o = ev.object;
      const ns = o.metadata.namespace ?? '';
      const name = o.metadata.name ?? '';
      const old = ev.type === 'DELETED' ? cache.index.delete(ns, name) : cache.index.put(ns, name, o);
      // An ADDED for an object the cache already holds (it was created from a store listing) is an update.
      const type = ev.type === 'ADDED' && old !== undefined ? 'MODIFIED' : ev.type;
      const delivered: WatchEvent = type === ev.type ? ev : { type, object: o, oldObject: old };
      const handlers = cache.handlers;
      // One loop per event type, the type tested and an update's old object found once per change rather
      // than once per subscriber (dispatch's work, spread over a Pod write's sixteen subscribers).
      if (type === 'MODIFIED') {
        const prev = old ?? delivered.oldObject ?? o;
        for (let i = 0; i < handlers.length; i++) {
          const s = handlers[i]!;
          const h = s.informer;
          if (h === undefined) watchDelivered(s.worker!, s.toKeys, s.delayOf, delivered);
          else h.onUpdate?.(prev, o);
        }
      } else if (type === 'ADDED') {
        for (let i = 0; i < handlers.length; i++) {
          const s = handlers[i]!;
          const h = s.informer;
          if (h === undefined) watchDelivered(s.worker!, s.toKeys, s.delayOf, delivered);
          else h.onAdd?.(o);
        }
      } else for (let i = 0; i < handlers.length; i++) dispatch(handlers[i]!, delivered, old);
    }
    // This instant's delivery has run: with watchLatency 0, a change committed later
    // at this instant (by an actor that runs after watch delivery) needs a delivery of
    // its own, not the next instant's (it used to wait for some later commit).
    if (this.lastScheduled === now) this.lastScheduled = now - 1;
  }
}
