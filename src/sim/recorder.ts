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


type Ref = RecordedEvent['involvedObject'];

/** Whether an Event has this de-duplication key (all of upstream getEventKey's fields equal). */
function sameKey(e: RecordedEvent, source: EventSource, ref: Ref, type: string, reason: string, message: string): boolean {
  const o = e.involvedObject;
  // reason first: reasons are mostly literals, so unequal ones differ at once.
  return (
    e.reason === reason &&
    e.message === message &&
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
 * and what the recorder keeps beside them in private fields, which no copy,
 * JSON or comparison sees: the nanoseconds its name was bumped by, and the
 * next live Event about the same involved object. Why private fields:
 * WeakMap/WeakSet side tables made every major GC walk ~80,000 ephemerons an
 * hour of Events, and a hidden record under a symbol cost an object and a
 * property store per Event.
 *
 * Events are filed by their involved object — its uid, or for a ref without
 * one its namespace and name — in a chain through #next, and told apart in
 * the chain by comparing every field of the de-duplication key (sameKey).
 * Why not a hash of the whole key: hashing ~100 characters per Event, then
 * probing a Map of every live Event (~80,000 an hour of churn, a cache miss
 * or more per probe), was most of the recorder's own time, and the Map's
 * entries and boxed hashes ~70 bytes an Event; a uid's hash is computed once
 * and kept by V8, and the Map holds one entry per object.
 *
 * Why the name is not kept: it is `<involved name>.<hex unix nanos>` of the
 * first recording plus the bump (0 unless names collided), all of which the
 * Event holds; building and keeping the string cost ~50 bytes an Event.
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
  /** Nanoseconds added to the first recording's instant to make its name unique. */
  #bump: number;
  /** The next live Event in its involved object's chain; the Event itself once it has expired (it is in no chain then). */
  #next: TrackedEvent | undefined;

  constructor(type: RecordedEvent['type'], reason: string, message: string, ref: RecordedEvent['involvedObject'], source: EventSource, now: Time, bump: number) {
    this.type = type;
    this.reason = reason;
    this.message = message;
    this.involvedObject = ref;
    this.source = source;
    this.count = 1;
    this.firstTimestamp = now;
    this.lastTimestamp = now;
    this.#bump = bump;
    this.#next = undefined;
  }

  /** Its name's nanosecond bump, or undefined for an event this recorder did not make. */
  static bumpOf(e: RecordedEvent): number | undefined {
    return #bump in e ? (e as TrackedEvent).#bump : undefined;
  }

  static expired(e: TrackedEvent): boolean {
    return e.#next === e;
  }

  /** The chain's last Event and its length, as the last find() that missed left them (no result object per Event). */
  static tail: TrackedEvent | undefined;
  static walked = 0;

  /** The Event in the chain from `head` with this de-duplication key (there is at most one); on a miss, `tail` and `walked` tell the chain's end and length. */
  static find(head: TrackedEvent, source: EventSource, ref: Ref, type: string, reason: string, message: string): TrackedEvent | undefined {
    let e = head;
    let n = 1;
    for (;;) {
      if (sameKey(e, source, ref, type, reason, message)) return e;
      const next = e.#next;
      if (next === undefined) {
        TrackedEvent.tail = e;
        TrackedEvent.walked = n;
        return undefined;
      }
      e = next;
      n++;
    }
  }

  /** The chain from `head` regrouped into one chain per message, each in the order it had. */
  static byMessage(head: TrackedEvent): Map<string, TrackedEvent> {
    const heads = new Map<string, TrackedEvent>();
    const tails = new Map<string, TrackedEvent>();
    for (let e: TrackedEvent | undefined = head; e !== undefined; ) {
      const next: TrackedEvent | undefined = e.#next;
      e.#next = undefined;
      const t = tails.get(e.message);
      if (t === undefined) heads.set(e.message, e);
      else t.#next = e;
      tails.set(e.message, e);
      e = next;
    }
    return heads;
  }

  static append(last: TrackedEvent, e: TrackedEvent): void {
    last.#next = e;
  }

  /** Take `e` out of the chain from `head`, mark it expired, and return the chain's new head (undefined when it is empty). */
  static unlink(head: TrackedEvent, e: TrackedEvent): TrackedEvent | undefined {
    const next = e.#next;
    e.#next = e;
    if (head === e) return next;
    for (let p = head; p.#next !== undefined; p = p.#next) {
      if (p.#next === e) {
        p.#next = next;
        break;
      }
    }
    return head;
  }
}

/**
 * A reason's message sharing: the message kept last, how many messages in a
 * row were new to `messages`, and how many more are to be taken as they are
 * without probing it. After NEW_IN_A_ROW new messages in a row the next
 * UNPROBED are not probed; then probing resumes, so a reason whose messages
 * start repeating is shared again within UNPROBED + NEW_IN_A_ROW Events.
 */
class ReasonMessages {
  static readonly NEW_IN_A_ROW = 64;
  static readonly UNPROBED = 4096;
  newInARow = 0;
  unprobed = 0;
  constructor(public last: string) {}
}

/**
 * The live Events about one involved object: one chain while it is short,
 * then one chain per message. Why: an object can gather thousands of Events
 * with distinct messages within a TTL (a Job's or ReplicaSet's "Created pod:
 * <name>"), and walking one chain for each new Event and each expiry was
 * quadratic in them (20,000 on one Job: ~80 µs an Event and growing).
 */
type Filed = TrackedEvent | Map<string, TrackedEvent>;

/**
 * Switches for the recorder's shortcuts, on by default; a test turns one off to compare runs against the
 * general path it replaces (recorder.lastFiled.property.test.ts).
 */
export const recorderTuning = {
  /** Answer a lookup of the involved object's Events from the last lookup or change of the same key. */
  lastFiled: true,
  /** Freeze a stored object version's ref when a second Event may share it, not when the first is recorded. */
  freezeWhenShared: true,
};

/** The length past which an object's chain is split by message. */
const CHAIN_MAX = 16;

export class EventRecorder implements Recorder {
  /** Live events in order of first recording; expired ones are dropped in batches. */
  private all: TrackedEvent[] = [];
  /** The live Events about each involved object, by its uid. */
  private readonly byUid = new Map<string, Filed>();
  /** The same for refs without a uid, by `<namespace>/<name>`. */
  private readonly byName = new Map<string, Filed>();
  /** One frozen source object per component without a host, and per (component, host): shared by their Events. */
  private readonly sources = new Map<string, EventSource>();
  private readonly hostSources = new Map<string, Map<string, EventSource>>();
  /**
   * The frozen stored object of the latest event and its ref: a component often records several events about
   * one object version. The ref is frozen once a second Event may hold it (lastRefShared): Object.freeze is a
   * runtime call (~550 instructions), and most refs (a pod's Pulled, a Job's SuccessfulCreate) are never
   * shared, so every ref held by two Events is frozen, as before, without freezing the others.
   */
  private lastInvolved: KObject | undefined;
  private lastRef: Ref | undefined;
  private lastRefShared = false;
  /**
   * Messages seen lately, each kept once: most messages repeat word for word
   * ("Started container app" for every pod) but are built anew by each call.
   * Bounded: emptied when full, so unique messages pass through.
   */
  private readonly messages = new Map<string, string>();
  /**
   * Per reason, the message kept last and how lately its messages were new.
   * Most Events repeat their reason's last message ("Started container
   * task"); comparing with it spares hashing the new string (which V8 first
   * flattens, a copy) and probing `messages`. Some reasons never repeat a
   * message (the scheduler's "Successfully assigned <pod> to <node>", a Job's
   * "Created pod: <name>"): sharing gains nothing there, and hashing and
   * filing each one was a third of the recorder's time in churn, so a reason
   * whose messages keep being new is not probed for a while (see
   * ReasonMessages). Only which string object an Event holds depends on this,
   * never its text.
   */
  private readonly reasonMessages = new Map<string, ReasonMessages>();
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
  /**
   * Per involved object name (but the instant's first: firstName), the last nanoseconds past the current naming
   * instant (nameMs) used in an Event name: 0 for the instant itself. Only
   * names given at or after the current instant can collide (virtual time
   * never goes back), so the map is emptied as the instant moves on and holds
   * only this instant's names — not one BigInt per name of the last hour in a
   * Map probed for every new Event.
   */
  private readonly namesAtInstant = new Map<string, number>();
  /**
   * The first name given at the naming instant and its last bump, kept out of
   * namesAtInstant (which holds the instant's other names): most instants
   * name Events about one object only (a binding's Scheduled, a kubelet's
   * Pulled, Created and Started about one pod), and probing, filling and
   * emptying a Map for each was most of the naming time.
   */
  private firstName: string | undefined = undefined;
  private firstBump = 0;
  private static readonly MESSAGES = 4096;
  /** The unix ms Event names are being given at, and the largest bump given at it. */
  private nameMs = Number.NaN;
  private maxBump = 0;

  constructor(private readonly host: RecorderHost) {
    this.ttl = host.eventTTL ?? DEFAULT_EVENT_TTL;
  }

  event(involved: Involved, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, annotations?: Record<string, string>): void {
    const ref = this.refOf(involved);
    const now = this.host.now;
    this.expire(now);
    const byUid = ref.uid !== undefined && ref.uid !== '';
    const map = byUid ? this.byUid : this.byName;
    const key = byUid ? ref.uid! : `${ref.namespace}/${ref.name}`;
    const filed = this.filedOf(map, key);
    const byMessage = filed instanceof Map ? filed : undefined;
    const head = byMessage !== undefined ? byMessage.get(message) : (filed as TrackedEvent | undefined);
    const found = head === undefined ? undefined : TrackedEvent.find(head, source, ref, type, reason, message);
    let ev: TrackedEvent;
    if (found !== undefined) {
      ev = found;
      ev.count++;
      ev.lastTimestamp = now;
    } else {
      ev = new TrackedEvent(type, reason, this.sharedMessage(reason, message), ref, this.sharedSource(source), now, this.nameBump(ref.name, now));
      if (annotations) ev.annotations = { ...annotations };
      if (head === undefined) {
        if (byMessage !== undefined) byMessage.set(ev.message, ev);
        else this.refile(map, key, ev);
      } else {
        TrackedEvent.append(TrackedEvent.tail!, ev);
        if (byMessage === undefined && TrackedEvent.walked >= CHAIN_MAX) this.refile(map, key, TrackedEvent.byMessage(head));
      }
      TrackedEvent.tail = undefined;
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
    while (head < ends.length && ends[head]! <= now) {
      const ev = events[head]!;
      head++;
      // A later write renewed it: that write has its own lease further on.
      if (ev.lastTimestamp + this.ttl > now || TrackedEvent.expired(ev)) continue;
      this.unfile(ev);
      this.expiredSinceCompaction++;
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

  /** Take an expiring Event out of its involved object's chain (which marks it expired). */
  private unfile(ev: TrackedEvent): void {
    const ref = ev.involvedObject;
    const byUid = ref.uid !== undefined && ref.uid !== '';
    const map = byUid ? this.byUid : this.byName;
    const key = byUid ? ref.uid! : `${ref.namespace}/${ref.name}`;
    const filed = this.filedOf(map, key)!;
    if (filed instanceof Map) {
      const head = filed.get(ev.message)!;
      const rest = TrackedEvent.unlink(head, ev);
      if (rest === undefined) {
        filed.delete(ev.message);
        if (filed.size === 0) this.refile(map, key, undefined);
      } else if (rest !== head) filed.set(ev.message, rest);
      return;
    }
    const rest = TrackedEvent.unlink(filed, ev);
    if (rest !== filed) this.refile(map, key, rest);
  }

  /**
   * The last involved object's key looked up or filed, in which map, and what it holds there (undefined: none):
   * consecutive Events are mostly about one object (a kubelet's Pulled, Created and Started about a pod), and
   * Events recorded at one instant expire together, but each probe of byUid (every live Event's object, ~70,000
   * an hour of churn) was a cache miss or two. Every change of either map goes through refile, which keeps this
   * entry true.
   */
  private lastMap: Map<string, Filed> | undefined = undefined;
  private lastKey = '';
  private lastFiled: Filed | undefined = undefined;

  /** map.get(key), answered by the last lookup when it was of the same key in the same map. */
  private filedOf(map: Map<string, Filed>, key: string): Filed | undefined {
    if (key === this.lastKey && map === this.lastMap && recorderTuning.lastFiled) return this.lastFiled;
    const filed = map.get(key);
    this.lastMap = map;
    this.lastKey = key;
    this.lastFiled = filed;
    return filed;
  }

  /** File `filed` as what the object of `key` holds (undefined: remove its entry), and remember it. */
  private refile(map: Map<string, Filed>, key: string, filed: Filed | undefined): void {
    if (filed === undefined) map.delete(key);
    else map.set(key, filed);
    this.lastMap = map;
    this.lastKey = key;
    this.lastFiled = filed;
  }

  /**
   * The source object passed last and the shared one it gave: a component passes one source object per
   * host (a kubelet's per node) for all its Events, often several in a row (a pod's Pulled, Created,
   * Started), and at 5,000 nodes the per-host map's probe was a cache miss each time. The shared object
   * holds the same component and host, so comparing them keeps the answer right if the caller's object changed.
   */
  private lastSourceIn: EventSource | undefined = undefined;
  private lastSourceOut: EventSource | undefined = undefined;

  private sharedSource(source: EventSource): EventSource {
    const last = this.lastSourceOut;
    if (source === this.lastSourceIn && last !== undefined && last.component === source.component && last.host === source.host) return last;
    const shared = this.findSharedSource(source);
    this.lastSourceIn = source;
    this.lastSourceOut = shared;
    return shared;
  }

  private findSharedSource(source: EventSource): EventSource {
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

  private sharedMessage(reason: string, message: string): string {
    let r = this.reasonMessages.get(reason);
    if (r === undefined) {
      // Reasons are few (mostly literals); the bound only guards against callers that make them up.
      if (this.reasonMessages.size >= EventRecorder.MESSAGES) this.reasonMessages.clear();
      this.reasonMessages.set(reason, (r = new ReasonMessages(message)));
    } else if (r.last === message) return r.last;
    if (r.unprobed > 0) {
      r.unprobed--;
      return message;
    }
    let kept = this.messages.get(message);
    if (kept === undefined) {
      if (this.messages.size >= EventRecorder.MESSAGES) this.messages.clear();
      this.messages.set(message, message);
      kept = message;
      if (++r.newInARow >= ReasonMessages.NEW_IN_A_ROW) {
        r.newInARow = 0;
        r.unprobed = ReasonMessages.UNPROBED;
      }
    } else r.newInARow = 0;
    r.last = kept;
    return kept;
  }

  /** toRef, shared by consecutive events about one stored (frozen, so unchanging) object version. */
  private refOf(involved: Involved): Ref {
    if (involved === this.lastInvolved) {
      if (!this.lastRefShared && recorderTuning.freezeWhenShared) {
        Object.freeze(this.lastRef);
        this.lastRefShared = true;
      }
      return this.lastRef!;
    }
    const ref = toRef(involved);
    if (isKObject(involved) && Object.isFrozen(involved)) {
      this.lastInvolved = involved;
      this.lastRef = recorderTuning.freezeWhenShared ? ref : Object.freeze(ref);
      this.lastRefShared = false;
    }
    return ref;
  }

  /** The metadata.name the Event object has (fixed when it was first recorded). */
  nameOf(e: RecordedEvent): string {
    return eventName(e.involvedObject.name, this.host.epochMs + e.firstTimestamp, TrackedEvent.bumpOf(e) ?? 0);
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
   * after this instant. Returns the bump (nanoseconds past the instant).
   */
  private nameBump(involvedName: string, t: Time): number {
    const unixMs = this.host.epochMs + t;
    if (unixMs !== this.nameMs) this.nameAt(unixMs);
    let bump: number;
    if (this.firstName === undefined) {
      this.firstName = involvedName;
      bump = this.firstBump = 0;
    } else if (this.firstName === involvedName) bump = ++this.firstBump;
    else {
      const last = this.namesAtInstant.get(involvedName);
      bump = last === undefined ? 0 : last + 1;
      this.namesAtInstant.set(involvedName, bump);
    }
    if (bump > this.maxBump) this.maxBump = bump;
    return bump;
  }

  /** Give `name` the bump `bump` at the naming instant (which has none for it yet). */
  private keepName(name: string, bump: number): void {
    if (this.firstName === undefined) {
      this.firstName = name;
      this.firstBump = bump;
    } else this.namesAtInstant.set(name, bump);
    if (bump > this.maxBump) this.maxBump = bump;
  }

  /**
   * Move the naming instant on to `unixMs`. A name bumped past the new
   * instant's nanoseconds (a million Events about one name within a
   * millisecond) still holds those values, so it is kept, counted from the
   * new instant; every other name is free again.
   */
  private nameAt(unixMs: number): void {
    const names = this.namesAtInstant;
    const shift = (unixMs - this.nameMs) * 1_000_000;
    let kept: Array<[string, number]> | undefined;
    if (this.maxBump >= shift) {
      if (this.firstName !== undefined && this.firstBump >= shift) (kept ??= []).push([this.firstName, this.firstBump - shift]);
      for (const [name, bump] of names) if (bump >= shift) (kept ??= []).push([name, bump - shift]);
    }
    // Emptied only when it holds something: Map.clear makes a new table each time.
    if (names.size > 0) names.clear();
    this.firstName = undefined;
    this.firstBump = 0;
    this.maxBump = 0;
    if (kept) for (const [name, bump] of kept) this.keepName(name, bump);
    this.nameMs = unixMs;
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
