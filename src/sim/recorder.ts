/**
 * Event recording with Kubernetes Event semantics, following client-go
 * tools/record (EventRecorder + EventCorrelator's EventLogger, v1.31):
 * events with the same (source.component, source.host, involvedObject
 * kind/namespace/name/fieldPath/uid/apiVersion, type, reason, message) are one Event
 * whose count grows and lastTimestamp moves; the Event keeps the name it got
 * when first recorded (`<involved name>.<hex unix nanos>`, as makeEvent).
 *
 * Events expire as kube-apiserver expires them: each write (create or count
 * update) gives the Event a lease of `--event-ttl` (default 1 h), so an Event
 * is gone one TTL after it was last recorded. `events()` shows what the API
 * server would still hold; the run log keeps every record. Without this a long
 * run kept every Event forever (a 24-hour churn run grew ~85 MB per hour).
 *
 * Not modelled: the correlator's similar-event aggregation ("(combined from
 * similar events)") and its token-bucket spam filter, which drop or merge
 * events under load; ksim keeps every distinct message.
 */
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { EventSource, KObject, ObjectRef, RecordedEvent, Recorder, RunLogRecord, Time } from './types.ts';
import { formatRFC3339 } from './time.ts';

type Involved = KObject | (ObjectRef & { uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string });

function isKObject(x: Involved): x is KObject {
  return typeof (x as KObject).metadata === 'object' && (x as KObject).metadata !== null;
}

/** The clock and log the recorder needs; the Simulation provides them. */
export interface RecorderHost {
  readonly now: Time;
  /** Unix milliseconds of virtual time 0. */
  readonly epochMs: number;
  /** Called with each new or updated event; undefined when there is no run log. */
  readonly log?: ((record: RunLogRecord) => void) | undefined;
  /** kube-apiserver's --event-ttl in ms (default 1 h); Infinity keeps every Event. */
  readonly eventTTL?: Time;
}

/** kube-apiserver's --event-ttl default. */
export const DEFAULT_EVENT_TTL: Time = 60 * 60 * 1000;


/**
 * FNV-1a over one part of an Event's de-duplication key, then a separator.
 * Events are filed by this hash and told apart by comparing their fields
 * (sameKey): keeping the joined key string itself cost ~200 bytes per Event,
 * a quarter of an Event's memory (750,000 Events in a 150,000-pod run).
 */
function mix(h: number, part: string): number {
  for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 16777619);
  return Math.imul(h ^ 0xffff, 16777619);
}

type Ref = RecordedEvent['involvedObject'];

/**
 * The bucket of an Event's de-duplication key (upstream getEventKey's 11
 * fields): a hash of the fields that tell Events apart in practice, the
 * involved object's uid (its namespace and name when it has none), the
 * reason and the message. Keys that differ only in the other fields (source,
 * kind, fieldPath, apiVersion, type) share a bucket and are told apart by
 * sameKey, which compares all 11. Why not hash all of them: the hash ran over
 * ~250 characters per Event, a few percent of a 150,000-pod run.
 */
export function hashKey(ref: Ref, reason: string, message: string): number {
  let h = 2166136261;
  const uid = ref.uid;
  if (uid !== undefined && uid !== '') h = mix(h, uid);
  else {
    h = mix(h, ref.namespace);
    h = mix(h, ref.name);
  }
  h = mix(h, reason);
  return mix(h, message);
}

/** Whether an Event has this de-duplication key (all of upstream getEventKey's fields equal). */
function sameKey(e: RecordedEvent, source: EventSource, ref: Ref, type: string, reason: string, message: string): boolean {
  const o = e.involvedObject;
  return (
    e.message === message &&
    e.reason === reason &&
    e.type === type &&
    o.name === ref.name &&
    o.namespace === ref.namespace &&
    o.kind === ref.kind &&
    (o.uid ?? '') === (ref.uid ?? '') &&
    (o.fieldPath ?? '') === (ref.fieldPath ?? '') &&
    (o.apiVersion ?? '') === (ref.apiVersion ?? '') &&
    e.source.component === source.component &&
    (e.source.host ?? '') === (source.host ?? '')
  );
}
/**
 * A recorded Event: its public fields as own enumerable properties, in
 * RecordedEvent's order (so copies, JSON and comparisons see only those),
 * and what the recorder keeps beside them — the hash of its de-duplication
 * key, its metadata.name and whether it has expired — in private fields,
 * which no copy, JSON or comparison sees. Why private fields: WeakMap/WeakSet
 * side tables made every major GC walk ~80,000 ephemerons an hour of Events,
 * and a hidden record under a symbol cost an object and a property store per
 * Event (~70 bytes of ~500; a 150,000-pod run keeps 750,000 Events).
 */
class TrackedEvent {
  declare type: RecordedEvent['type'];
  declare reason: string;
  declare message: string;
  declare involvedObject: RecordedEvent['involvedObject'];
  declare source: EventSource;
  declare count: number;
  declare firstTimestamp: Time;
  declare lastTimestamp: Time;
  declare annotations?: Record<string, string>;
  /** hashKey of its de-duplication key (the bucket it is filed in). */
  #hash: number;
  #name: string;
  #expired = false;

  constructor(type: RecordedEvent['type'], reason: string, message: string, ref: RecordedEvent['involvedObject'], source: EventSource, now: Time, hash: number, name: string) {
    this.type = type;
    this.reason = reason;
    this.message = message;
    this.involvedObject = ref;
    this.source = source;
    this.count = 1;
    this.firstTimestamp = now;
    this.lastTimestamp = now;
    this.#hash = hash;
    this.#name = name;
  }

  static hashOf(e: TrackedEvent): number {
    return e.#hash;
  }

  /** The name it was given, or undefined for an event this recorder did not make. */
  static nameOf(e: RecordedEvent): string | undefined {
    return #name in e ? (e as TrackedEvent).#name : undefined;
  }

  static expired(e: TrackedEvent): boolean {
    return e.#expired;
  }

  static expire(e: TrackedEvent): void {
    e.#expired = true;
  }
}

export class EventRecorder implements Recorder {
  /** Live events in order of first recording; expired ones are dropped in batches. */
  private all: TrackedEvent[] = [];
  /** Live Events by hashKey; a bucket is an array only when keys collide. */
  private readonly byHash = new Map<number, TrackedEvent | TrackedEvent[]>();
  /** One frozen source object per component without a host, and per (component, host): shared by their Events. */
  private readonly sources = new Map<string, EventSource>();
  private readonly hostSources = new Map<string, Map<string, EventSource>>();
  /** The frozen stored object of the latest event and its ref: a component often records several events about one object version. */
  private lastInvolved: KObject | undefined;
  private lastRef: Ref | undefined;
  /**
   * Messages seen lately, each kept once: most messages repeat word for word
   * ("Started container app" for every pod) but are built anew by each call.
   * Bounded: emptied when full, so unique messages pass through.
   */
  private readonly messages = new Map<string, string>();
  /**
   * One lease per write, in time order (virtual time never goes back), so
   * expiry reads from the head: the event written and when that write's
   * lease ends. Two parallel arrays rather than an object per write.
   */
  private leaseEvents: TrackedEvent[] = [];
  private leaseEnds: Time[] = [];
  private leaseHead = 0;
  private expiredSinceCompaction = 0;
  private readonly ttl: Time;
  /** The largest nanosecond value used in an Event name, per involved object name. */
  private readonly lastNanos = new Map<string, bigint>();
  private static readonly MESSAGES = 4096;
  /** The unix ms whose nanosecond hex is cached in hexNanos. */
  private hexMs = Number.NaN;
  private hexNanos = '';
  private baseNanos = 0n;

  constructor(private readonly host: RecorderHost) {
    this.ttl = host.eventTTL ?? DEFAULT_EVENT_TTL;
  }

  event(involved: Involved, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, annotations?: Record<string, string>): void {
    const ref = this.refOf(involved);
    const hash = hashKey(ref, reason, message);
    const now = this.host.now;
    this.expire(now);
    const existing = this.find(hash, source, ref, type, reason, message);
    let ev: TrackedEvent;
    if (existing) {
      existing.count++;
      existing.lastTimestamp = now;
      ev = existing;
    } else {
      ev = new TrackedEvent(type, reason, this.sharedMessage(message), ref, this.sharedSource(source), now, hash, this.uniqueName(ref.name, now));
      if (annotations) ev.annotations = { ...annotations };
      const bucket = this.byHash.get(hash);
      if (bucket === undefined) this.byHash.set(hash, ev);
      else if (Array.isArray(bucket)) bucket.push(ev);
      else this.byHash.set(hash, [bucket, ev]);
      this.all.push(ev);
    }
    if (this.ttl !== Infinity) {
      this.leaseEvents.push(ev);
      this.leaseEnds.push(now + this.ttl);
    }
    const log = this.host.log;
    if (log) log({ t: now, type: 'event', event: { ...ev, involvedObject: { ...ev.involvedObject }, source: { ...ev.source } } });
  }

  /** The Events the API server still holds now. */
  events(): readonly RecordedEvent[] {
    this.expire(this.host.now);
    if (this.expiredSinceCompaction > 0) {
      this.all = this.all.filter((e) => !TrackedEvent.expired(e));
      this.expiredSinceCompaction = 0;
    }
    return this.all;
  }

  /** Drop every Event whose last write is one TTL old by `now`. */
  private expire(now: Time): void {
    const events = this.leaseEvents;
    const ends = this.leaseEnds;
    let head = this.leaseHead;
    // This instant in nanoseconds, made once per call and only when some Event expires (BigInt is slow).
    let nowNanos: bigint | undefined;
    while (head < ends.length && ends[head]! <= now) {
      const ev = events[head]!;
      head++;
      // A later write renewed it: that write has its own lease further on.
      if (ev.lastTimestamp + this.ttl > now || TrackedEvent.expired(ev)) continue;
      this.unfile(ev, TrackedEvent.hashOf(ev));
      TrackedEvent.expire(ev);
      this.expiredSinceCompaction++;
      // lastNanos only guards names at or after the current instant; an entry
      // older than this event's first instant can no longer collide.
      const name = ev.involvedObject.name;
      const last = this.lastNanos.get(name);
      if (last !== undefined && last < (nowNanos ??= BigInt(this.host.epochMs + now) * 1_000_000n)) this.lastNanos.delete(name);
    }
    if (head > 4096 && head * 2 > ends.length) {
      this.leaseEvents = events.slice(head);
      this.leaseEnds = ends.slice(head);
      head = 0;
    }
    this.leaseHead = head;
    if (this.expiredSinceCompaction > 4096 && this.expiredSinceCompaction * 2 > this.all.length) {
      this.all = this.all.filter((e) => !TrackedEvent.expired(e));
      this.expiredSinceCompaction = 0;
    }
  }

  /** The live Event with this de-duplication key, if any. */
  private find(hash: number, source: EventSource, ref: Ref, type: string, reason: string, message: string): TrackedEvent | undefined {
    const bucket = this.byHash.get(hash);
    if (bucket === undefined) return undefined;
    if (!Array.isArray(bucket)) return sameKey(bucket, source, ref, type, reason, message) ? bucket : undefined;
    for (const e of bucket) if (sameKey(e, source, ref, type, reason, message)) return e;
    return undefined;
  }

  /** Take an expired Event out of its bucket. */
  private unfile(ev: TrackedEvent, hash: number): void {
    const bucket = this.byHash.get(hash);
    if (bucket === ev) this.byHash.delete(hash);
    else if (Array.isArray(bucket)) {
      const rest = bucket.filter((e) => e !== ev);
      if (rest.length === 1) this.byHash.set(hash, rest[0]!);
      else this.byHash.set(hash, rest);
    }
  }

  private sharedSource(source: EventSource): EventSource {
    const { component, host } = source;
    // Two levels of maps rather than a joined key: no string is built per Event.
    if (host === undefined) {
      let s = this.sources.get(component);
      if (s === undefined) this.sources.set(component, (s = Object.freeze({ component })));
      return s;
    }
    let byHost = this.hostSources.get(component);
    if (byHost === undefined) this.hostSources.set(component, (byHost = new Map()));
    let s = byHost.get(host);
    if (s === undefined) byHost.set(host, (s = Object.freeze({ component, host })));
    return s;
  }

  private sharedMessage(message: string): string {
    const kept = this.messages.get(message);
    if (kept !== undefined) return kept;
    if (this.messages.size >= EventRecorder.MESSAGES) this.messages.clear();
    this.messages.set(message, message);
    return message;
  }

  /** toRef, shared by consecutive events about one stored (frozen, so unchanging) object version. */
  private refOf(involved: Involved): Ref {
    if (involved === this.lastInvolved) return this.lastRef!;
    const ref = toRef(involved);
    if (isKObject(involved) && Object.isFrozen(involved)) {
      this.lastInvolved = involved;
      this.lastRef = Object.freeze(ref);
    }
    return ref;
  }

  /** The metadata.name the Event object has (fixed when it was first recorded). */
  nameOf(e: RecordedEvent): string {
    return TrackedEvent.nameOf(e) ?? eventName(e.involvedObject.name, this.host.epochMs + e.firstTimestamp, 0);
  }

  /** Render a recorded event as the core/v1 Event the API server would hold. */
  toEventObject(e: RecordedEvent): CoreEvent {
    const io = e.involvedObject;
    const involvedObject: CoreEvent['involvedObject'] = { kind: io.kind, name: io.name };
    if (io.namespace) involvedObject.namespace = io.namespace;
    if (io.uid) involvedObject.uid = io.uid;
    if (io.apiVersion) involvedObject.apiVersion = io.apiVersion;
    if (io.resourceVersion) involvedObject.resourceVersion = io.resourceVersion;
    if (io.fieldPath) involvedObject.fieldPath = io.fieldPath;
    const source: CoreEvent['source'] = { component: e.source.component };
    if (e.source.host) source.host = e.source.host;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.nameOf(e),
        namespace: io.namespace || 'default',
        creationTimestamp: formatRFC3339(this.host.epochMs + e.firstTimestamp),
        ...(e.annotations ? { annotations: { ...e.annotations } } : {}),
      },
      involvedObject,
      reason: e.reason,
      message: e.message,
      source,
      firstTimestamp: formatRFC3339(this.host.epochMs + e.firstTimestamp),
      lastTimestamp: formatRFC3339(this.host.epochMs + e.lastTimestamp),
      count: e.count,
      type: e.type,
      reportingComponent: e.source.component,
      reportingInstance: e.source.host ?? '',
    };
  }

  /**
   * makeEvent's name, bumping the nanosecond part on collisions so names stay
   * unique and deterministic: the smallest free `<name>.<hex nanos>` at or
   * after this instant. Virtual time never goes back, so the taken values of a
   * name at or after any new instant are one run ending at its last value:
   * remembering that last value per name is enough (no set of every name).
   */
  private uniqueName(involvedName: string, t: Time): string {
    const unixMs = this.host.epochMs + t;
    // Events cluster at one instant: the hex of that instant's nanoseconds is computed once (BigInt is slow).
    if (unixMs !== this.hexMs) {
      this.hexMs = unixMs;
      this.baseNanos = BigInt(unixMs) * 1_000_000n;
      this.hexNanos = this.baseNanos.toString(16);
    }
    const last = this.lastNanos.get(involvedName);
    if (last === undefined || last < this.baseNanos) {
      this.lastNanos.set(involvedName, this.baseNanos);
      return [involvedName, this.hexNanos].join('.');
    }
    const next = last + 1n;
    this.lastNanos.set(involvedName, next);
    // join, not a template: one flat string (a template made a rope of two cons nodes kept with every Event).
    return [involvedName, next.toString(16)].join('.');
  }
}

/** `<name>.<%x of UnixNano>` as client-go's makeEvent. */
export function eventName(involvedName: string, unixMs: number, extraNanos = 0): string {
  const nanos = BigInt(unixMs) * 1_000_000n + BigInt(extraNanos);
  return `${involvedName}.${nanos.toString(16)}`;
}

function toRef(x: Involved): RecordedEvent['involvedObject'] {
  if (isKObject(x)) {
    const ref: RecordedEvent['involvedObject'] = {
      kind: x.kind,
      namespace: x.metadata.namespace ?? '',
      name: x.metadata.name ?? '',
    };
    if (x.metadata.uid) ref.uid = x.metadata.uid;
    if (x.apiVersion) ref.apiVersion = x.apiVersion;
    if (x.metadata.resourceVersion) ref.resourceVersion = x.metadata.resourceVersion;
    return ref;
  }
  const ref: RecordedEvent['involvedObject'] = { kind: x.kind, namespace: x.namespace, name: x.name };
  if (x.uid) ref.uid = x.uid;
  if (x.apiVersion) ref.apiVersion = x.apiVersion;
  if (x.resourceVersion) ref.resourceVersion = x.resourceVersion;
  if (x.fieldPath) ref.fieldPath = x.fieldPath;
  return ref;
}
