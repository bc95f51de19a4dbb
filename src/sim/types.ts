/**
 * The engine's public contract: virtual time, events, the API store, watches,
 * the controller runtime and the event recorder. Everything else in ksim
 * (scheduler, controllers, kubelet, scenario timeline) talks to the cluster
 * only through these interfaces, as Kubernetes components talk only through
 * the API server.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Virtual time: integer milliseconds since the simulation's epoch (spec.startTime). */
export type Time = number;

/** Any Kubernetes object as stored: apiVersion, kind, metadata, and whatever else it has. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * kubernetes-types marks `status` readonly (clients do not own it); writers of
 * the status subresource (kubelet, controllers) mutate drafts through this view.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A stored object is deeply frozen; writers produce a new one (immer). */
export type Stored<T extends KObject = KObject> = Readonly<T>;

export interface ObjectRef {
  kind: string;
  /** Empty string for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/**
 * Simultaneous events run in ascending priority, then in the order they were
 * scheduled (sequence number). Lower runs first. The bands leave room between
 * them so later parts can slot in without renumbering.
 */
export const Priority = {
  /** Scenario timeline actions: the outside world acts first at an instant. */
  Timeline: 0,
  /** API-server side effects: garbage collection, finalizer completion. */
  ApiServer: 10,
  /** Watch delivery into informer caches. */
  WatchDelivery: 20,
  /** Controller work-queue processing (workloads/, controllers/). */
  Controller: 30,
  /** Scheduler queue moves (backoff expiry, flushes) and scheduling cycles. */
  Scheduler: 40,
  /** Binding completion (scheduler's bind latency). */
  Binding: 45,
  /** Kubelet pod lifecycle and node status. */
  Kubelet: 50,
  /** Periodic loops (resyncs, housekeeping): run last at an instant. */
  Periodic: 90,
} as const;

export type EventId = number;

export interface ScheduleOptions {
  /** Ordering band at one instant; see {@link Priority}. */
  priority: number;
  /** Who scheduled it, for guard-rail reports ("kubelet/node-3", "controller/replicaset"). */
  source: string;
  /**
   * A periodic (background) event does not keep a run alive: a run without
   * `until` ends when only periodic events remain.
   */
  periodic?: boolean;
}

/** The discrete-event core: a clock and a queue ordered by (time, priority, sequence). */
export interface Engine {
  readonly now: Time;
  /** Schedule `fn` at absolute time `at` (>= now). Returns an id usable with cancel(). */
  at(at: Time, fn: () => void, opts: ScheduleOptions): EventId;
  /** Schedule `fn` after `delay` (>= 0) from now. */
  after(delay: Time, fn: () => void, opts: ScheduleOptions): EventId;
  /** Cancel a pending event; a no-op if it already ran or was cancelled. */
  cancel(id: EventId): void;
  /** Number of pending events, and how many of them are not periodic. */
  readonly pending: number;
  readonly pendingNonPeriodic: number;
  /** Time of the next pending event, or undefined when the queue is empty. */
  peekTime(): Time | undefined;
  /** Run the next event. Returns false when the queue is empty. */
  step(): boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T extends KObject = KObject> {
  type: WatchEventType;
  object: Stored<T>;
  /** The object before the change (MODIFIED and DELETED). */
  oldObject?: Stored<T>;
}

export type Unsubscribe = () => void;

export interface DeleteOptions {
  /** Pods: overrides spec.terminationGracePeriodSeconds; 0 deletes at once. */
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WriteOptions {
  /** Who wrote it: recorded in the run log ("scheduler", "kubelet/node-1", "timeline"). */
  actor?: string;
  /**
   * Write to a subresource. `status`: only status changes are kept, generation
   * unchanged. `binding` (Pods): the Binding subresource's write of
   * spec.nodeName and the PodScheduled condition, which upstream makes
   * without re-defaulting or re-validating the pod and without a new generation.
   */
  subresource?: Subresource;
  /** Validate and admit, but store nothing. */
  dryRun?: boolean;
  /**
   * The caller hands the object over and never reads or changes it again, so the
   * store may change it in place and keep its parts (no copy): on create, and on
   * an update no mutating admission looks at (the Binding subresource); other
   * writes copy as without it.
   */
  adopt?: boolean;
}

export interface PatchOptions extends WriteOptions {
  /** Conflict unless the stored object has this resourceVersion. */
  resourceVersion?: string;
  /**
   * The change sets or deletes only top-level fields and metadata fields, always placing
   * new values (it never edits a nested object in place, and never puts one object in two
   * places): it is then given a private copy of just the top level and metadata, the rest
   * being the stored frozen parts, instead of a copy of the whole object (finalizer and
   * owner-reference patches). Editing a frozen part in place throws a TypeError.
   */
  metadataOnly?: boolean;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export type Subresource = 'status' | 'binding';

/** One request is shown to every plugin of a chain in turn: its fields are read-only (the object itself is the draft to edit). */
export interface AdmissionRequest {
  readonly operation: AdmissionOperation;
  readonly kind: string;
  /** The incoming object (a mutable draft for mutate(), frozen for validate()). */
  readonly object: KObject;
  readonly oldObject?: Stored;
  readonly subresource?: Subresource;
  readonly store: StoreReader;
  readonly now: Time;
}

/**
 * An admission plugin, as kube-apiserver's: mutating plugins run first (in
 * registration order), then validating ones. Rejecting means throwing ApiError.
 */
export interface AdmissionPlugin {
  name: string;
  /** Kinds it looks at; empty or undefined means all. */
  kinds?: string[];
  /**
   * Subresource writes it looks at. Like most upstream plugins, which return
   * early when a request names a subresource, a plugin sees only writes to the
   * main resource unless it lists the subresources here.
   */
  subresources?: Subresource[];
  mutate?(req: AdmissionRequest): void;
  /**
   * The registry strategy's create-time preparation that needs the system
   * fields (uid, name): runs once per create, after mutating admission and
   * rest.BeforeCreate's system fields, before validation (e.g. the Job
   * strategy's generated selector, which names the Job's uid).
   */
  prepareForCreate?(obj: KObject): void;
  validate?(req: AdmissionRequest): void;
}

export interface StoreReader {
  get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Stored<T> | undefined;
  /** Sorted by namespace, then name. Namespace undefined lists all namespaces. */
  list<T extends KObject = KObject>(kind: string, namespace?: string): Stored<T>[];
  /** Kinds that have at least one object, sorted. */
  kinds(): string[];
  /**
   * Writes committed to objects of `kind` so far (ApiStore.writesOf): while it stays, every object of the kind
   * is as it was, so a reader may keep an answer derived from them. A reader without it keeps none.
   */
  writesOf?(kind: string): number;
}

/** The in-memory API server. */
export interface Store extends StoreReader {
  create<T extends KObject>(obj: T, opts?: WriteOptions): Stored<T>;
  /** Replace. A set metadata.resourceVersion that is not current is a Conflict. */
  update<T extends KObject>(obj: T, opts?: WriteOptions): Stored<T>;
  /**
   * Read-modify-write of the current object through an immer draft.
   * With `resourceVersion`, a stale version is a Conflict (optimistic concurrency).
   */
  patch<T extends KObject>(
    kind: string,
    namespace: string,
    name: string,
    mutate: (draft: T) => void,
    opts?: PatchOptions,
  ): Stored<T>;
  /** Returns the object as it stands after the call (with deletionTimestamp) or undefined if it is gone. */
  delete(kind: string, namespace: string, name: string, opts?: DeleteOptions & WriteOptions): Stored | undefined;
  /** Synchronous notification of every change, in commit order. The runtime adds latency on top. */
  watch(kind: string | '*', handler: (ev: WatchEvent) => void): Unsubscribe;
  addAdmission(plugin: AdmissionPlugin): void;
}

/** Kubernetes-style API errors, with upstream's reasons and message wording. */
export type ApiErrorReason =
  | 'AlreadyExists'
  | 'NotFound'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'BadRequest'
  | 'TooManyRequests'
  | 'InternalError';

export interface EventSource {
  component: string;
  host?: string;
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  involvedObject: ObjectRef & { uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };
  source: EventSource;
  count: number;
  firstTimestamp: Time;
  lastTimestamp: Time;
  /** metadata.annotations of the Event (record.AnnotatedEventf, e.g. the kubelet's eviction details). */
  annotations?: Record<string, string>;
}

/** Kubernetes Event semantics: identical (source, object, type, reason, message) events are counted, not repeated. */
export interface Recorder {
  event(
    involved: KObject | (ObjectRef & { uid?: string; apiVersion?: string }),
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    annotations?: Record<string, string>,
  ): void;
  /** All events in first-recorded order. */
  events(): readonly RecordedEvent[];
}

export interface ReconcileResult {
  /** Requeue the key after this much virtual time. */
  requeueAfter?: Time;
  /** Requeue with the work queue's rate limiter (exponential per-key backoff). */
  requeue?: boolean;
}

/** A read-only, possibly stale view of one kind, as a client-go lister. */
export interface Lister<T extends KObject = KObject> {
  get(namespace: string, name: string): Stored<T> | undefined;
  list(namespace?: string): Stored<T>[];
}

export interface ReconcileContext {
  readonly now: Time;
  /** Writes go to the API server. */
  readonly store: Store;
  /** Reads should come from informer caches, which lag the store by the watch latency. */
  lister<T extends KObject = KObject>(kind: string): Lister<T>;
  readonly recorder: Recorder;
  rng(stream: string): Rng;
}

/**
 * A level-triggered controller, as controller-runtime's: it watches kinds,
 * gets de-duplicated keys ("namespace/name"), reconciles, may requeue.
 */
export interface Controller {
  name: string;
  watches: Array<{
    kind: string;
    /** Map a changed object to the keys to reconcile; default: the object's own key. Read only (NO_KEYS is a shared empty list). */
    toKeys?: (ev: WatchEvent) => readonly string[];
    /**
     * How long to wait before adding this change's keys (client-go's
     * queue.AddAfter, e.g. the Job controller's one-second batching of pod
     * events); 0 or unset adds them at once. As client-go's delaying queue, a
     * key already waiting is not added again for a later time.
     */
    delay?: (ev: WatchEvent) => Time;
  }>;
  reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void;
  /** Periodic resync of every cached object of the first watched kind. */
  resyncPeriod?: Time;
}

export interface InformerHandlers<T extends KObject = KObject> {
  onAdd?(obj: Stored<T>): void;
  onUpdate?(oldObj: Stored<T>, newObj: Stored<T>): void;
  onDelete?(obj: Stored<T>): void;
}

export interface RuntimeTiming {
  /** Delay between a store commit and its delivery to an informer. */
  watchLatency: Time;
  /** Virtual time one reconcile takes (the worker is busy meanwhile). */
  reconcileLatency: Time;
}

export interface Runtime {
  readonly timing: RuntimeTiming;
  register(controller: Controller): void;
  /**
   * A shared informer for one kind, with its own handlers; delivery lags the
   * store by timing.watchLatency. Returns the lister over its cache.
   */
  informer<T extends KObject = KObject>(kind: string, handlers: InformerHandlers<T>, name: string): Lister<T>;
}

/** A named random stream, from one seed (seedrandom). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A string of `length` chars from Kubernetes' generateName alphabet "bcdfghjklmnpqrstvwxz2456789". */
  alphanumeric(length: number): string;
}

export interface RngStreams {
  readonly seed: number;
  stream(name: string): Rng;
}

/**
 * One NDJSON record of the run log. `time` is the RFC3339 rendering of `t`;
 * the Simulation fills it in when it writes a record (writers may omit it).
 */
export type RunLogRecord =
  | { t: Time; time?: string; type: 'create' | 'update' | 'delete'; kind: string; namespace: string; name: string; resourceVersion: string; actor?: string; object?: unknown; patch?: unknown }
  | { t: Time; time?: string; type: 'event'; event: RecordedEvent }
  | { t: Time; time?: string; type: 'action'; action: string; detail?: unknown }
  | { t: Time; time?: string; type: 'note'; message: string; detail?: unknown };

export interface RunLogSink {
  write(record: RunLogRecord): void;
}

/** Owner references are how garbage collection finds dependants. */
export type { ObjectMeta, OwnerReference };
