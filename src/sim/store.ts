/**
 * The in-memory API server: objects by kind/namespace/name, resourceVersion
 * from one global counter, admission chain, optimistic concurrency, and the
 * registry semantics of k8s.io/apiserver/pkg/registry/generic/registry
 * (Store.Create/Update/Delete, rest.BeforeCreate/BeforeUpdate/BeforeDelete,
 * v1.31):
 *  - create: generateName (prefix truncated to 58 chars + 5 random chars,
 *    retried on collision as the RetryGenerateName feature does), uid,
 *    creationTimestamp, generation 1; deletionTimestamp cleared; namespaced
 *    kinds default to namespace "default", cluster-scoped kinds drop it;
 *    creating in a terminating namespace is Forbidden (NamespaceLifecycle).
 *  - update: Conflict on a stale resourceVersion (an empty one is an
 *    unconditional update); uid/creationTimestamp/deletionTimestamp are kept
 *    from the stored object; generation bumps when anything outside metadata
 *    and status changes; the status subresource only takes status; a write
 *    that changes nothing but resourceVersion is a no-op (no new version, no
 *    watch event), as etcd3's GuaranteedUpdate; removing the last finalizer of
 *    an object being deleted with grace 0 deletes it (ShouldDeleteDuringUpdate).
 *  - delete: pods get graceful deletion (pod strategy CheckGracefulDeletion:
 *    grace = option, else spec.terminationGracePeriodSeconds, else 30; 0 when
 *    unbound or terminated; negative -> 1); objects with finalizers get
 *    deletionTimestamp + grace 0 and stay; orphan / foregroundDeletion
 *    finalizers come from the propagation policy (Background default; Orphan
 *    for batch/v1 Job and v1 ReplicationController, as their strategies).
 *    Namespaces go Terminating and are finalized by the namespace controller
 *    (gc.ts).
 * Every write is committed as a deeply frozen object (immer) and fanned out
 * synchronously to watchers in commit order.
 */
import { Immer, isDraft, type Draft } from 'immer';
import { cloneJson } from '../api/jsonClone.ts';
import type {
  AdmissionOperation,
  AdmissionPlugin,
  AdmissionRequest,
  DeleteOptions,
  KObject,
  ObjectMeta,
  PatchOptions,
  RngStreams,
  RunLogRecord,
  Store,
  Stored,
  Subresource,
  Time,
  Unsubscribe,
  WatchEvent,
  WriteOptions,
} from './types.ts';
import { ApiError, SimulationLimitError, qualifiedKind, qualifiedResource } from './errors.ts';
import { FieldErrorList, type FieldError } from '../api/errors.ts';
import { KindIndex, type IndexEntry } from './objectIndex.ts';
import { FrozenIntern, sameTree } from './specIntern.ts';
import { uuidFrom } from './rng.ts';
import { jsonEqual, mergePatch } from './runLog.ts';
import { parseRFC3339 } from './time.ts';
import { CLUSTER_SCOPED_KINDS, isClusterScoped } from '../api/discovery.ts';

/**
 * A private immer instance without auto-freeze: the store freezes results
 * itself with deepFreeze, which stops at the (already frozen) shared
 * subtrees; this leaves the global immer settings of other modules alone.
 */
const immer = new Immer({ autoFreeze: false });

function produce<T>(base: T, recipe: (d: Draft<T>) => void): T {
  return deepFreeze(immer.produce(base, recipe) as T);
}

/** Whether an admission plugin looks at this write (kind filter; subresources only when it opts in). */
function applies(p: AdmissionPlugin, kind: string, subresource: Subresource | undefined): boolean {
  if (p.kinds && p.kinds.length > 0 && !p.kinds.includes(kind)) return false;
  return subresource === undefined || (p.subresources?.includes(subresource) ?? false);
}

// Scope comes from the one discovery table; re-exported for the engine's other modules.
export { CLUSTER_SCOPED_KINDS, isClusterScoped };

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';
/** The namespace lifecycle finalizer in Namespace spec.finalizers. */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** Upstream's maximum generated-name prefix: 63 - 5 random characters. */
const MAX_GENERATED_NAME_PREFIX = 58;
const GENERATE_NAME_ATTEMPTS = 8;

/** What the store needs from its simulation: the clock, randomness, the log and limits. */
export interface StoreHost {
  readonly now: Time;
  /** RFC3339 of a virtual time. */
  timestamp(t?: Time): string;
  /** Unix milliseconds of virtual time 0 (to read deletionTimestamps back). */
  readonly epochMs: number;
  readonly rng: RngStreams;
  /** Undefined when there is no run log: then no records are built. */
  readonly log?: ((record: RunLogRecord) => void) | undefined;
  readonly maxObjects: number;
}

interface Watcher {
  kind: string;
  fn: (ev: WatchEvent) => void;
  active: boolean;
}

/** The admission plugins of one kind and subresource, by hook, in registration order. */
interface AdmissionChain {
  readonly mutators: readonly AdmissionPlugin[];
  readonly validators: readonly AdmissionPlugin[];
  readonly preparers: readonly AdmissionPlugin[];
}

/** ObjectMeta with writable fields (kubernetes-types marks system fields readonly). */
type Meta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };
type Mutable = Draft<KObject>;

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Copy the parts of a JSON-like value that are not frozen; frozen subtrees are shared (they are immutable). */
export function copyUnfrozen<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) return v.map(copyUnfrozen) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copyUnfrozen((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * A stored object's place in the store, as a heartbeat writer keeps it
 * (ApiStore.heartbeatTarget): the object's index entry, seen through this.
 */
export interface HeartbeatTarget {
  /** Still the place of an object: false once that object is deleted. */
  readonly live: boolean;
  /** The object stored there now (the last one, once not live). */
  readonly obj: Stored;
}

/** '000' to '999': the last three digits of a resourceVersion (VersionStrings). */
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * String(rv) for the store's resourceVersions, made from the decimal string of rv / 1000 (kept while it lasts, a
 * thousand writes) and the last three digits from a table: String() of a number is a runtime call, ~90 ns, and
 * every write makes one (it was ~0.5% of churn in updatedObject and createRecipe, after the Lease renewals had
 * been moved to this). rv is a non-negative safe integer.
 */
export class VersionStrings {
  private high = -1;
  private highString = '';

  of(rv: number): string {
    if (rv < 1000) return String(rv);
    const high = Math.floor(rv / 1000);
    if (high !== this.high) {
      this.high = high;
      this.highString = String(high);
    }
    return this.highString + THREE_DIGITS[rv - high * 1000]!;
  }
}

/**
 * deepFreeze(copyUnfrozen(v)) in one walk: each unfrozen part is copied and its copy frozen as it is
 * made, not walked a second time to freeze it (a status write copies and freezes the new status).
 */
export function frozenCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) return Object.freeze(v.map(frozenCopy)) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = frozenCopy((v as Record<string, unknown>)[k]);
  return Object.freeze(out) as T;
}

/** Deep-freeze a JSON-like value; frozen subtrees are skipped (they are already deeply frozen). */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  return freezeTree(v);
}

/**
 * deepFreeze of an object its caller has found not frozen: the walk tests each child once, here, and not
 * again on entering it (Object.isFrozen is a call into the runtime; the second test was ~8% of deepFreeze's
 * time, a pod's creation freezing a dozen new objects).
 */
function freezeTree<T extends object>(v: T): T {
  // Children are tested here rather than in a call: most are scalars or frozen shared subtrees.
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i];
      if (typeof c === 'object' && c !== null && !Object.isFrozen(c)) freezeTree(c);
    }
  } else {
    for (const k in v) {
      const c = (v as Record<string, unknown>)[k];
      if (typeof c === 'object' && c !== null && !Object.isFrozen(c)) freezeTree(c);
    }
  }
  return Object.freeze(v);
}

/** A private deep copy of a JSON-like value, frozen parts included (nothing in the copy is frozen). */
export const thaw: <T>(v: T) => T = cloneJson;

/**
 * `next`, a private tree edited in place, frozen, with every subtree equal to
 * the one at the same place in the frozen `base` (same keys in the same
 * order, leaves equal by Object.is) replaced by base's: the result shares
 * what did not change, as a copy-on-write draft's result does (and also what
 * an edit set back to an equal value). Nothing changed at all gives `base`.
 */
export function reshare(next: unknown, base: unknown): unknown {
  if (Object.is(next, base)) return base;
  if (typeof next !== 'object' || next === null) return next;
  // A frozen part (left in place by a draft or set by an edit) stays as it is, or is base's when equal to it.
  if (Object.isFrozen(next)) return typeof base === 'object' && base !== null && sameTree(next, base) ? base : next;
  if (typeof base !== 'object' || base === null || Array.isArray(next) !== Array.isArray(base)) return deepFreeze(next);
  let same = true;
  if (Array.isArray(next)) {
    const b = base as unknown[];
    if (next.length !== b.length) same = false;
    for (let i = 0; i < next.length; i++) {
      const c = i < b.length ? reshare(next[i], b[i]) : deepFreeze(next[i]);
      next[i] = c;
      if (i >= b.length || c !== b[i]) same = false;
    }
  } else {
    const n = next as Record<string, unknown>;
    const b = base as Record<string, unknown>;
    // base's keys go on the shared stack (no key arrays per object: a main-resource patch reshares the whole object).
    const from = reshareTop;
    for (const k in b) reshareKeys[reshareTop++] = k;
    const end = reshareTop;
    let i = from;
    for (const k in n) {
      const has = Object.prototype.hasOwnProperty.call(b, k);
      const c = has ? reshare(n[k], b[k]) : deepFreeze(n[k]);
      n[k] = c;
      if (!has || c !== b[k] || i >= end || reshareKeys[i] !== k) same = false;
      i++;
    }
    if (i !== end) same = false;
    reshareTop = from;
  }
  return same ? base : Object.freeze(next);
}

/** reshare's key stack: the base object's keys of each level being compared (the array never shrinks). */
const reshareKeys: string[] = [];
let reshareTop = 0;

/** A private deep copy, or undefined when some subtree is frozen (then a copy-on-write draft must be used to change it safely). */
function privateCopy<T>(v: T): T | undefined {
  if (typeof v !== 'object' || v === null) return v;
  if (Object.isFrozen(v)) return undefined;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = privateCopy(v[i]);
      if (c === undefined && v[i] !== undefined) return undefined;
      out[i] = c;
    }
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const c = privateCopy(x);
    if (c === undefined && x !== undefined) return undefined;
    out[k] = c;
  }
  return out as T;
}

/** Whether some object or array inside `v` (or `v` itself) is frozen. */
function hasFrozenPart(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (Object.isFrozen(v)) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasFrozenPart(v[i])) return true;
    return false;
  }
  for (const k in v) if (hasFrozenPart((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * Apply `recipe` to a copy of `base` and return the result deeply frozen,
 * never touching the caller's object: a fresh (unfrozen) input is copied and
 * changed in place, anything sharing frozen parts goes through a copy-on-write draft.
 */
function rewrite<T extends KObject>(base: T, recipe: ((d: T) => void) | undefined, adopt = false): T {
  if (!recipe) return frozenCopy(base);
  if (!Object.isFrozen(base)) {
    // WriteOptions.adopt: the caller hands the object over, so it is changed in place (no copy).
    const copy = adopt && !hasFrozenPart(base) ? base : privateCopy(base);
    if (copy !== undefined) {
      recipe(copy);
      return deepFreeze(copy);
    }
    base = frozenCopy(base);
  }
  return produce(base, (d) => {
    recipe(d as T);
  }) as T;
}

/**
 * A new frozen object equal to `o` with its metadata edited: a shallow copy
 * of the object and of metadata (everything else is shared, already frozen).
 * Far cheaper than a draft for the system fields the store owns.
 */
function withMeta<T extends KObject>(o: T, edit: (m: Meta) => void, top?: (o: Record<string, unknown>) => void, own = false): T {
  const meta = { ...o.metadata } as Meta;
  edit(meta);
  return finishMeta(o, meta, top, own);
}

/**
 * `{ ...o, [key]: value }`, a new top level with one member replaced (or, for status, added last when absent), built
 * member by member when `o` has the layout of nearly every stored object (apiVersion, kind, metadata, spec[, status]).
 * Why: a spread of a frozen object, or at a site that sees more than four layouts (every kind's writes pass
 * here), is a runtime call copying member by member (~35 ns each), where named stores are a few instructions; a
 * status write and every metadata edit copy a stored object's top level. Any other layout is spread.
 */
export function withTop(o: KObject, key: 'metadata' | 'status', value: unknown): Record<string, unknown> {
  let n = 0;
  for (const k in o) {
    if (n >= TOP_LAYOUT.length || k !== TOP_LAYOUT[n]) return spreadWith(o, key, value);
    n++;
  }
  if (n < TOP_LAYOUT.length - 1) return spreadWith(o, key, value);
  // Member by member from an empty literal, as the spread adds them, so that the result has the layout (map)
  // the spread gives: readers of stored objects then see one layout per kind, not two.
  const r = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  out['apiVersion'] = r['apiVersion'];
  out['kind'] = r['kind'];
  out['metadata'] = key === 'metadata' ? value : r['metadata'];
  out['spec'] = r['spec'];
  if (n === TOP_LAYOUT.length || key === 'status') out['status'] = key === 'status' ? value : r['status'];
  return out;
}

/** The stored objects' usual top-level layout, in order (withTop). */
const TOP_LAYOUT: readonly string[] = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** withTop's general way: the spread. */
function spreadWith(o: KObject, key: 'metadata' | 'status', value: unknown): Record<string, unknown> {
  const out = { ...o } as Record<string, unknown>;
  out[key] = value;
  return out;
}

/** withMeta's second half: `o` with `meta` (edited) as its metadata, frozen. */
function finishMeta<T extends KObject>(o: T, meta: Meta, top: ((o: Record<string, unknown>) => void) | undefined, own: boolean): T {
  if (own && !top) {
    // `o` is the caller's own new top level (every part deeply frozen but itself): no second copy of it.
    // Setting the metadata key it has keeps the key where the spread would put it.
    (o as Record<string, unknown>)['metadata'] = deepFreeze(meta);
    return Object.freeze(o);
  }
  const out = withTop(o, 'metadata', meta);
  if (top) top(out);
  deepFreeze(meta);
  // A frozen input is deeply frozen (the store's invariant), so only the new metadata and what `top` set need a walk.
  if (top || !Object.isFrozen(o)) return deepFreeze(out) as T;
  return Object.freeze(out) as T;
}

/** A copy of `meta` with rest.BeforeUpdate's system fields from the stored object's metadata and the new resourceVersion. */
export function updatedMeta(
  meta: ObjectMeta | undefined,
  name: string,
  ns: string,
  oldMeta: ObjectMeta,
  bump: boolean,
  rv: string,
): Meta {
  const m = { ...meta } as Meta;
  m.name = name;
  // Deletes only of keys there (hasOwn): deleting an absent key changes nothing but is a runtime call (~0.3% of
  // churn here and in createRecipe, most metadata having no deletion fields).
  if (ns === '') deleteOwn(m, 'namespace');
  else m.namespace = ns;
  m.uid = oldMeta.uid;
  m.creationTimestamp = oldMeta.creationTimestamp;
  m.generation = bump ? (oldMeta.generation ?? 0) + 1 : oldMeta.generation;
  if (m.generation === undefined) delete m.generation;
  if (oldMeta.deletionTimestamp) m.deletionTimestamp = oldMeta.deletionTimestamp;
  else deleteOwn(m, 'deletionTimestamp');
  if (oldMeta.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds === undefined) {
    m.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  }
  if (!oldMeta.deletionTimestamp) deleteOwn(m, 'deletionGracePeriodSeconds');
  m.resourceVersion = rv;
  return m;
}

/**
 * updatedMeta's result when nothing moves but resourceVersion, or undefined: `meta` is the
 * stored metadata itself (a status or binding write, a patch leaving metadata alone), no
 * generation bump, and every system field updatedMeta sets already as it would set it, so
 * its sets and deletes would leave the copy as it is. Then the copy is the stored metadata
 * with the new resourceVersion, already frozen (its parts are the stored, frozen ones).
 * Why: every status write rebuilt the metadata field by field (a pod status write a second).
 */
export function keptMeta(
  meta: ObjectMeta | undefined,
  name: string,
  ns: string,
  oldMeta: ObjectMeta,
  bump: boolean,
  rv: string,
): Meta | undefined {
  if (meta !== oldMeta || bump || !Object.isFrozen(oldMeta) || oldMeta.name !== name) return undefined;
  if (ns === '' ? hasOwn(oldMeta, 'namespace') : oldMeta.namespace !== ns) return undefined;
  // updatedMeta sets uid and creationTimestamp even when absent (an own key, undefined); sets
  // generation, or deletes it when undefined; and deletes the deletion fields when not being deleted.
  if (!hasOwn(oldMeta, 'uid') || !hasOwn(oldMeta, 'creationTimestamp')) return undefined;
  if (oldMeta.generation === undefined && hasOwn(oldMeta, 'generation')) return undefined;
  if (!oldMeta.deletionTimestamp && (hasOwn(oldMeta, 'deletionTimestamp') || hasOwn(oldMeta, 'deletionGracePeriodSeconds'))) return undefined;
  const m = { ...oldMeta } as Meta;
  m.resourceVersion = rv;
  return Object.freeze(m);
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** `delete o[k]`, skipped when o has no own k (then it would change nothing, but still be a call into the runtime). */
function deleteOwn(o: Meta, k: 'namespace' | 'deletionTimestamp' | 'deletionGracePeriodSeconds' | 'selfLink'): void {
  if (hasOwn(o, k)) delete o[k];
}

/** Deep-freeze every part of `o` but `o` itself (the caller finishes the top level). */
function freezeChildren<T>(o: T): T {
  const r = o as Record<string, unknown>;
  for (const k in r) {
    const c = r[k];
    if (typeof c === 'object' && c !== null && !Object.isFrozen(c)) freezeTree(c);
  }
  return o;
}

/** Everything outside metadata and status (plus apiVersion/kind) is "spec" for generation purposes. */
function specChanged(a: KObject, b: KObject): boolean {
  for (const k in a) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (a[k] !== b[k] && !jsonEqual(a[k], b[k])) return true;
  }
  for (const k in b) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!(k in a) && b[k] !== undefined) return true;
  }
  return false;
}

/**
 * Equal apart from metadata.resourceVersion (a no-op write). `metaKept`: b's metadata is keptMeta's copy of a's,
 * equal to it but for resourceVersion by construction, so only the rest is compared (a status write's metadata
 * was compared key by key, ~11 keys).
 */
export function sameApartFromVersion(a: KObject, b: KObject, metaKept = false): boolean {
  if (a === b) return true;
  for (const k in a) if (k !== 'metadata' && a[k] !== b[k] && !jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (k !== 'metadata' && !(k in a) && b[k] !== undefined) return false;
  if (metaKept) return true;
  const am = a.metadata as Record<string, unknown>;
  const bm = b.metadata as Record<string, unknown>;
  for (const k in am) if (k !== 'resourceVersion' && am[k] !== bm[k] && !jsonEqual(am[k], bm[k])) return false;
  for (const k in bm) if (k !== 'resourceVersion' && !(k in am) && bm[k] !== undefined) return false;
  return true;
}

/** No finalizers (shared: read only). */
const NO_FINALIZERS: readonly string[] = Object.freeze([]);

function finalizersOf(o: KObject): readonly string[] {
  return o.metadata.finalizers ?? NO_FINALIZERS;
}

function specFinalizersOf(o: KObject): readonly string[] {
  const spec = o['spec'] as { finalizers?: string[] } | undefined;
  return spec?.finalizers ?? [];
}

function immutable(path: string, value: unknown): FieldError {
  return { path, type: 'Invalid', value, detail: 'field is immutable' };
}

/**
 * A JSON object that is neither an array nor a copy-on-write draft (may be replaced or edited in place). `inDraft`:
 * whether `v` was read from a draft; a private copy holds no drafts, so isDraft (a symbol lookup that misses on
 * every plain object, ~0.15% of churn in a pod's creation) is asked only then.
 */
function isPlainRecord(v: unknown, inDraft: boolean): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (!inDraft || !isDraft(v));
}

/** Kinds whose API default propagation policy orphans dependants (batch/v1 Job, v1 ReplicationController). */
function defaultOrphans(o: KObject): boolean {
  return (o.kind === 'Job' && o.apiVersion === 'batch/v1') || (o.kind === 'ReplicationController' && o.apiVersion === 'v1');
}

export class ApiStore implements Store {
  private readonly byKind = new Map<string, KindIndex<Stored>>();
  private readonly admission: AdmissionPlugin[] = [];
  /** chainFor's answers: by subresource ('' for the main resource), then kind. */
  private readonly chains = new Map<string, Map<string, AdmissionChain>>();
  /** Replaced, never mutated, on (un)subscribe: delivery iterates a stable array. */
  private watchers: readonly Watcher[] = [];
  private readonly queue: WatchEvent[] = [];
  private delivering = false;
  private rv = 0;
  private count = 0;
  private readonly podSpecs = new FrozenIntern<object>(deepFreeze);
  /** Job pod template specs, interned as pod specs are (createRecipe). */
  private readonly jobTemplateSpecs = new FrozenIntern<object>(deepFreeze);

  constructor(private readonly host: StoreHost) {}

  /** The newest resourceVersion committed, as a number. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** Number of stored objects. */
  get size(): number {
    return this.count;
  }

  // ---- reads ----

  get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Stored<T> | undefined {
    const idx = this.byKind.get(kind);
    if (!idx) return undefined;
    return idx.get(CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace, name) as Stored<T> | undefined;
  }

  list<T extends KObject = KObject>(kind: string, namespace?: string): Stored<T>[] {
    const idx = this.byKind.get(kind);
    if (!idx) return [];
    return idx.list(namespace === undefined ? undefined : CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace) as Stored<T>[];
  }

  /**
   * Writes committed to objects of `kind` so far (creates, updates, deletes: each new resourceVersion of the kind;
   * no-op and dry-run writes are none). It moves whenever any object of the kind may have changed, so a reader
   * may keep an answer derived from the kind's objects (a list, a default found among them) until it moves.
   */
  writesOf(kind: string): number {
    return this.byKind.get(kind)?.writes ?? 0;
  }

  kinds(): string[] {
    const out: string[] = [];
    for (const [k, idx] of this.byKind) if (idx.size > 0) out.push(k);
    return out.sort();
  }

  /** Every object keyed "kind/namespace/name", in (kind, namespace, name) order. */
  snapshot(): Map<string, Stored> {
    const out = new Map<string, Stored>();
    for (const kind of this.kinds()) {
      this.byKind.get(kind)!.forEach((obj, ns, name) => out.set(objectKey(kind, ns, name), obj));
    }
    return out;
  }

  // ---- watch & admission ----

  watch(kind: string, handler: (ev: WatchEvent) => void): Unsubscribe {
    const w: Watcher = { kind, fn: handler, active: true };
    this.watchers = [...this.watchers, w];
    return () => {
      if (!w.active) return;
      w.active = false;
      this.watchers = this.watchers.filter((x) => x !== w);
    };
  }

  addAdmission(plugin: AdmissionPlugin): void {
    this.admission.push(plugin);
    this.chains.clear();
  }

  // ---- writes ----

  create<T extends KObject>(obj: T, opts: WriteOptions = {}): Stored<T> {
    if (typeof obj !== 'object' || obj === null) throw ApiError.badRequest('the object to create must be a JSON object');
    const kind = obj.kind;
    if (typeof kind !== 'string' || kind === '') throw ApiError.badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
    const meta: Partial<Meta> = (obj.metadata ?? {}) as Meta;
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
    const namespace = clusterScoped ? '' : meta.namespace || 'default';
    const givenName = meta.name ?? '';
    if (givenName === '' && !meta.generateName) {
      throw ApiError.invalid(kind, '', [{ path: 'metadata.name', type: 'Required', detail: 'name or generateName is required' }], obj.apiVersion);
    }
    if (!clusterScoped) this.checkNamespaceLifecycle(kind, namespace, givenName, obj.apiVersion);
    const idx = this.byKind.get(kind);
    if (givenName !== '' && idx?.has(namespace, givenName)) throw ApiError.alreadyExists(kind, givenName, obj.apiVersion);
    if (!opts.dryRun && this.count >= this.host.maxObjects) {
      throw new SimulationLimitError(
        `object limit reached: ${this.host.maxObjects} objects stored (limits.maxObjects); cannot create ${qualifiedResource(kind, obj.apiVersion)} ${JSON.stringify(givenName || `${meta.generateName ?? ''}*`)}`,
      );
    }

    // No closures over this call's variables (a context and four closures per create): the admission is methods.
    let created: Stored<T>;
    try {
      created = this.admitCreate(kind, obj, clusterScoped, namespace, opts.adopt === true) as Stored<T>;
    } catch (e) {
      // Admission plugins may throw FieldErrorList (pure api/ validation): reported as upstream's Invalid.
      if (e instanceof FieldErrorList) throw ApiError.invalid(kind, obj.metadata?.name ?? '', e.errors, obj.apiVersion);
      throw e;
    }

    if (opts.dryRun) return created;
    const name = created.metadata.name!;
    // Admission may have made an object of this name: the insert tests that (one lookup, then commitPut's none).
    if (!this.indexOf(kind).insert(namespace, name, created)) throw ApiError.alreadyExists(kind, name, obj.apiVersion);
    this.commitPut(kind, namespace, name, created, undefined, opts.actor);
    return created;
  }

  update<T extends KObject>(obj: T, opts: WriteOptions = {}): Stored<T> {
    if (typeof obj !== 'object' || obj === null || typeof obj.kind !== 'string') throw ApiError.badRequest('the object to update must be a JSON object with a kind');
    const kind = obj.kind;
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
    const namespace = clusterScoped ? '' : obj.metadata?.namespace || 'default';
    const name = obj.metadata?.name ?? '';
    if (name === '') throw ApiError.invalid(kind, '', [{ path: 'metadata.name', type: 'Required', detail: 'name or generateName is required' }], obj.apiVersion);
    // The entry serves the read and the commit's replacement (writeUpdate): one lookup, not a get and a set.
    const entry = this.byKind.get(kind)?.entry(namespace, name);
    if (!entry) throw ApiError.notFound(kind, name, obj.apiVersion);
    const old = entry.obj;
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw ApiError.conflict(kind, name, undefined, obj.apiVersion);
    return this.writeUpdate(kind, namespace, name, entry, old, obj, undefined, opts) as Stored<T>;
  }

  patch<T extends KObject>(
    kind: string,
    namespace: string,
    name: string,
    mutate: (draft: T) => void,
    opts: PatchOptions = {},
  ): Stored<T> {
    const ns = CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace;
    const entry = this.byKind.get(kind)?.entry(ns, name);
    if (!entry) throw ApiError.notFound(kind, name);
    const old = entry.obj as Stored<T>;
    if (opts.resourceVersion !== undefined && opts.resourceVersion !== '' && opts.resourceVersion !== old.metadata.resourceVersion) {
      throw ApiError.conflict(kind, name, undefined, old.apiVersion);
    }
    return this.writeUpdate(kind, ns, name, entry, old, old, mutate as (d: KObject) => void, opts) as Stored<T>;
  }

  /**
   * A heartbeat write (node Lease renewals): `change` returns a new top-level
   * object built from the stored one by shallow copies (shared parts stay frozen);
   * no admission, validation or draft, only a new resourceVersion, the log
   * record and the watch event. Only for writers that change fields no
   * admission plugin or validation looks at, as the renewal of spec.renewTime
   * is. NotFound when the object is gone.
   *
   * `change` gets the new resourceVersion too. It may keep `old.metadata` (the
   * store then copies it with that resourceVersion) or return a fresh copy of
   * it, every field kept and resourceVersion set (a new object it returns
   * frozen must be deeply frozen, the returned object itself included, which
   * is then stored as it is; unfrozen ones are frozen here): a writer that made the
   * stored object itself knows its exact layout and can build both with
   * literals, about three times cheaper than spreading frozen objects (5,000
   * nodes renew 500 Leases a second).
   */
  updateHeartbeat<T extends KObject>(
    kind: string,
    namespace: string,
    name: string,
    change: (old: Stored<T>, resourceVersion: string) => T,
    actor?: string,
    target?: HeartbeatTarget,
    /**
     * The caller's word that `change` returns its object deeply frozen, the object itself included (it knows
     * `old`, target.obj, to be its own last write, rebuilt with frozen literals): stored unchecked (perf:
     * Object.isFrozen is a runtime call, ~60 ns, on each of 500 renewals a second).
     */
    frozen = false,
  ): Stored<T> {
    // The index entry serves the read and the replacement: one lookup per renewal, not a get and a set, and
    // none with a live target the writer kept (heartbeatTarget). `change` writes nothing (a heartbeat is
    // one write), so the entry is still the name's when it is replaced. The kind's scope is looked up only
    // for a lookup by name or a log record (commitHeartbeat).
    const idx = this.byKind.get(kind);
    const entry =
      target !== undefined && target.live ? (target as IndexEntry<Stored>) : idx?.entry(CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace, name);
    if (idx === undefined || entry === undefined) throw ApiError.notFound(kind, name);
    const old = entry.obj as Stored<T>;
    const rv = this.nextVersion();
    const next = change(old, rv) as Record<string, unknown>;
    const meta = next['metadata'] as KObject['metadata'] | undefined;
    // Frozen by the writer, so deeply frozen (the contract): nothing to walk (perf: the walk re-checked the
    // parts a literal rebuild had just frozen, 10-15% of a renewal), and its metadata must be its own, at `rv`.
    const fresh = !frozen && !Object.isFrozen(next);
    // A fresh top-level object may keep the stored metadata: it gets a copy at `rv`.
    if (fresh && meta === old.metadata) next['metadata'] = Object.freeze({ ...old.metadata, resourceVersion: rv });
    else if (meta === undefined || meta.resourceVersion !== rv) {
      throw new Error(`updateHeartbeat(${kind} ${name}): the change must keep the stored metadata or return a fresh copy with resourceVersion ${rv}`);
    }
    // Only a fresh object's unfrozen children (the changed fields and the new metadata) need freezing; the
    // rest is shared with `old`.
    if (fresh) Object.freeze(freezeChildren(next));
    const stored = next as Stored<T>;
    this.commitHeartbeat(idx, entry, kind, namespace, name, stored, old, actor);
    return stored;
  }

  /** The next write's resourceVersion, String(this.rv + 1) through VersionStrings. */
  private nextVersion(): string {
    return this.versions.of(this.rv + 1);
  }

  private readonly versions = new VersionStrings();

  /**
   * The place of a stored object, for a heartbeat writer to keep and hand to
   * updateHeartbeat (undefined: no such object): its renewals then look
   * nothing up by name (perf: the lookup was ~5% of an idle 5,000-node hour,
   * a hash-table miss per renewal). It stays valid, `live`, until the object
   * is deleted; with a dead one updateHeartbeat looks the name up, as without.
   */
  heartbeatTarget(kind: string, namespace: string, name: string): HeartbeatTarget | undefined {
    return this.byKind.get(kind)?.entry(CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace, name);
  }

  /**
   * commitPut for updateHeartbeat's replacement of an existing object, through the entry it read (no second
   * lookup): the same new resourceVersion, log record and watch event, in the same order.
   */
  private commitHeartbeat(idx: KindIndex<Stored>, entry: IndexEntry<Stored>, kind: string, namespace: string, name: string, obj: Stored, old: Stored, actor: string | undefined): void {
    this.rv++;
    idx.writes++;
    idx.replaceEntry(entry, obj);
    const log = this.host.log;
    if (log) {
      const ns = CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace;
      const rec: RunLogRecord = { t: this.host.now, type: 'update', kind, namespace: ns, name, resourceVersion: obj.metadata.resourceVersion!, patch: mergePatch(old, obj) ?? {} };
      if (actor) rec.actor = actor;
      log(rec);
    }
    this.emit({ type: 'MODIFIED', object: obj, oldObject: old });
  }

  delete(kind: string, namespace: string, name: string, opts: DeleteOptions & WriteOptions = {}): Stored | undefined {
    const ns = CLUSTER_SCOPED_KINDS.has(kind) ? '' : namespace;
    // The entry serves the read and the removal (commitDelete): one lookup of the name, not three.
    const entry = this.byKind.get(kind)?.entry(ns, name);
    if (!entry) throw ApiError.notFound(kind, name);
    const old = entry.obj;
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== old.metadata.uid) {
      throw preconditionConflict(
        kind,
        name,
        old.apiVersion,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw preconditionConflict(
        kind,
        name,
        old.apiVersion,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion ?? ''}). The object might have been modified`,
      );
    }
    if (kind === 'Namespace') return this.deleteNamespace(old, opts);

    const now = this.host.now;
    const oldMeta = old.metadata;
    let grace = opts.gracePeriodSeconds;
    if (grace !== undefined && grace < 0) grace = 1;
    let graceful = false;
    let newDeletionMs: number | undefined;
    let newGrace: number | undefined;
    let bumpGeneration = false;

    if (kind === 'Pod') {
      if (oldMeta.deletionTimestamp) {
        const oldGrace = oldMeta.deletionGracePeriodSeconds;
        if (oldGrace !== undefined && oldGrace !== 0) {
          // Already terminating: only a shorter grace period changes anything.
          if (grace === undefined || grace >= oldGrace) return old;
          const oldTs = this.virtualTime(oldMeta.deletionTimestamp);
          newDeletionMs = oldTs - oldGrace * 1000 + grace * 1000;
          newGrace = grace;
          graceful = true;
        }
      } else {
        const pod = old as KObject & { spec?: { nodeName?: string; terminationGracePeriodSeconds?: number }; status?: { phase?: string } };
        let period = grace ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
        if (!pod.spec?.nodeName) period = 0;
        if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') period = 0;
        if (period < 0) period = 1;
        newDeletionMs = now + period * 1000;
        newGrace = period;
        graceful = true;
        bumpGeneration = (oldMeta.generation ?? 0) > 0;
      }
    }

    const finalizers = this.finalizersForDelete(old, opts);
    const pendingFinalizers = finalizers.length > 0;
    if (!graceful && !pendingFinalizers) return this.commitDelete(kind, ns, name, old, opts.actor, opts.dryRun, undefined, entry);
    if (graceful && newGrace === 0 && !pendingFinalizers) {
      // Graceless delete: upstream writes the deletion metadata and deletes at once; ksim skips the intermediate version.
      // The deletion metadata is set in the same copy as the final resourceVersion (one copy, not two).
      return this.commitDelete(kind, ns, name, old, opts.actor, opts.dryRun, (m) => {
        m.deletionTimestamp = this.host.timestamp(newDeletionMs!);
        m.deletionGracePeriodSeconds = 0;
        if (bumpGeneration) m.generation = (m.generation ?? 0) + 1;
      }, entry);
    }
    const next = withMeta(old, (m) => {
      if (graceful) {
        m.deletionTimestamp = this.host.timestamp(newDeletionMs!);
        m.deletionGracePeriodSeconds = newGrace!;
        if (bumpGeneration) m.generation = (m.generation ?? 0) + 1;
      } else {
        // markAsDeleting: generation bump on first deletion, timestamp now (never later), grace 0.
        if (!m.deletionTimestamp && (m.generation ?? 0) > 0) m.generation = (m.generation ?? 0) + 1;
        if (!m.deletionTimestamp || this.virtualTime(m.deletionTimestamp) > now) m.deletionTimestamp = this.host.timestamp(now);
        m.deletionGracePeriodSeconds = 0;
      }
      if (!sameList(finalizersOf(old), finalizers)) {
        if (finalizers.length === 0) delete m.finalizers;
        else m.finalizers = [...finalizers];
      }
      m.resourceVersion = this.nextVersion();
    });
    if (sameApartFromVersion(old, next)) return old;
    if (opts.dryRun) return next;
    this.commitPut(kind, ns, name, next, old, opts.actor, entry);
    return next;
  }

  // ---- internals ----

  /** Virtual ms of an RFC3339 timestamp written by this store. */
  private virtualTime(ts: string): Time {
    return parseRFC3339(ts) - this.host.epochMs;
  }

  private checkNamespaceLifecycle(kind: string, namespace: string, name: string, apiVersion?: string): void {
    const ns = this.get('Namespace', '', namespace);
    if (!ns) return; // ksim does not require namespaces to be created first
    const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
    if (ns.metadata.deletionTimestamp || phase === 'Terminating') {
      throw ApiError.forbidden(kind, name, `unable to create new content in namespace ${namespace} because it is being terminated`, apiVersion);
    }
  }

  private generateName(kind: string, namespace: string, prefix: string, apiVersion?: string): string {
    const base = prefix.length > MAX_GENERATED_NAME_PREFIX ? prefix.slice(0, MAX_GENERATED_NAME_PREFIX) : prefix;
    const rng = this.host.rng.stream('names');
    const idx = this.byKind.get(kind);
    let candidate = '';
    for (let i = 0; i < GENERATE_NAME_ATTEMPTS; i++) {
      // join: one flat string; `base + suffix` made a cons rope (a ReplicaSet's pod names are 22 characters)
      // that every index flattens into a second string when it first hashes the name, and both were kept.
      candidate = [base, rng.alphanumeric(5)].join('');
      if (!idx?.has(namespace, candidate)) return candidate;
    }
    throw ApiError.alreadyExists(kind, candidate, apiVersion);
  }

  /**
   * The plugins that look at writes of a kind (and subresource), in
   * registration order, split by hook: the same plugins the loops over every
   * registered plugin with applies() picked, found once per kind instead of on
   * every write (each create and update asked ~15 plugins three times). A
   * plugin's kinds, subresources and hooks are read when its kind's chain is
   * first needed; registering a plugin starts the chains again.
   */
  private chainFor(kind: string, subresource: Subresource | undefined): AdmissionChain {
    const sub = subresource ?? '';
    let bySub = this.chains.get(sub);
    if (bySub === undefined) this.chains.set(sub, (bySub = new Map()));
    let chain = bySub.get(kind);
    if (chain === undefined) {
      const on = this.admission.filter((p) => applies(p, kind, subresource));
      chain = { mutators: on.filter((p) => p.mutate), validators: on.filter((p) => p.validate), preparers: on.filter((p) => p.prepareForCreate) };
      bySub.set(kind, chain);
    }
    return chain;
  }

  /**
   * Mutating admission on a draft (registration order; `kinds` filters). One request for
   * the whole chain (its fields are the same for every plugin and read-only to them),
   * not one per plugin: every write of the kind runs the chain.
   */
  private runMutators(operation: AdmissionOperation, kind: string, d: KObject, old: Stored | undefined, subresource: Subresource | undefined): void {
    const ps = this.chainFor(kind, subresource).mutators;
    if (ps.length === 0) return;
    const req = this.request(operation, kind, d, old, subresource);
    for (let i = 0; i < ps.length; i++) ps[i]!.mutate!(req);
  }

  /** Validating admission on the frozen result (one request for the chain, as runMutators). */
  private runValidators(
    operation: AdmissionOperation,
    kind: string,
    obj: Stored,
    old: Stored | undefined,
    subresource: Subresource | undefined,
    ps: readonly AdmissionPlugin[] = this.chainFor(kind, subresource).validators,
  ): void {
    if (ps.length === 0) return;
    const req = this.request(operation, kind, obj, old, subresource);
    for (let i = 0; i < ps.length; i++) ps[i]!.validate!(req);
  }

  /**
   * The request, its optional fields present only when set, in the order (operation, kind, object, store, now,
   * oldObject, subresource): one literal per case, as adding a field to a made literal grows it into a second
   * allocation (an out-of-object property array) on every update's validation.
   */
  private request(operation: AdmissionOperation, kind: string, object: KObject, old: Stored | undefined, subresource: Subresource | undefined): AdmissionRequest {
    const now = this.host.now;
    if (old) {
      return subresource ? { operation, kind, object, store: this, now, oldObject: old, subresource } : { operation, kind, object, store: this, now, oldObject: old };
    }
    return subresource ? { operation, kind, object, store: this, now, subresource } : { operation, kind, object, store: this, now };
  }

  /**
   * The create admission chain over `input`: the registry's normalisation, mutating plugins, the
   * fields the registry owns (createRecipe), all on one private copy (or `input` itself when
   * adopted, or a draft when it shares frozen parts); then validating plugins on the frozen result.
   */
  private admitCreate(kind: string, input: KObject, clusterScoped: boolean, namespace: string, adopt: boolean): Stored {
    let result: KObject;
    if (Object.isFrozen(input)) result = this.createOnDraft(input, kind, clusterScoped, namespace);
    else {
      // WriteOptions.adopt: the caller hands the object over, so it is changed in place (no copy).
      const copy = adopt && !hasFrozenPart(input) ? input : privateCopy(input);
      if (copy !== undefined) {
        this.createRecipe(copy, input, kind, clusterScoped, namespace, false);
        result = deepFreeze(copy);
      } else result = this.createOnDraft(frozenCopy(input), kind, clusterScoped, namespace);
    }
    this.runValidators('CREATE', kind, result, undefined, undefined);
    return result;
  }

  /** admitCreate on a copy-on-write draft of `base` (frozen parts are shared). */
  private createOnDraft(base: KObject, kind: string, clusterScoped: boolean, namespace: string): KObject {
    return produce(base, (d) => this.createRecipe(d as KObject, base, kind, clusterScoped, namespace, true));
  }

  /**
   * What a create does to the object admitted: `input` is the caller's object (its apiVersion names the kind in
   * errors); `draft`: whether `d` is a copy-on-write draft (else a private copy).
   */
  private createRecipe(d: KObject, input: KObject, kind: string, clusterScoped: boolean, namespace: string, draft: boolean): void {
    const m0 = (d.metadata ??= {}) as Meta;
    if (clusterScoped) delete m0.namespace;
    else m0.namespace = namespace;
    if (kind === 'Namespace') prepareNamespace(d as Mutable);
    this.runMutators('CREATE', kind, d, undefined, undefined);
    // rest.BeforeCreate: system fields after mutating admission, before validation.
    const m = d.metadata as Meta;
    if (!m.name) m.name = this.generateName(kind, namespace, m.generateName ?? '', input.apiVersion);
    m.uid = uuidFrom(this.host.rng.stream('uids'));
    m.resourceVersion = this.nextVersion();
    m.generation = 1;
    m.creationTimestamp = this.host.timestamp(this.host.now);
    deleteOwn(m, 'deletionTimestamp');
    deleteOwn(m, 'deletionGracePeriodSeconds');
    deleteOwn(m, 'selfLink');
    const preparers = this.chainFor(kind, undefined).preparers;
    for (let i = 0; i < preparers.length; i++) preparers[i]!.prepareForCreate!(d);
    // Pods from one template leave admission with equal specs: they share one frozen copy (specIntern.ts).
    const spec = (d as Record<string, unknown>)['spec'];
    if (kind === 'Pod' && isPlainRecord(spec, draft)) (d as Record<string, unknown>)['spec'] = this.podSpecs.intern(spec);
    // So do the templates of Jobs from one source (a CronJob, a batch submitter): one frozen template spec,
    // whose validation and defaulting results are then found by identity (validatePodSpec's memo; applyDefaults').
    else if (kind === 'Job') this.internJobTemplateSpec(spec, draft);
  }

  /** spec.template.spec of a Job being created (a private copy, not a draft) replaced by the interned equal one. */
  private internJobTemplateSpec(spec: unknown, draft: boolean): void {
    if (!isPlainRecord(spec, draft)) return;
    const template = spec['template'];
    if (!isPlainRecord(template, draft)) return;
    const podSpec = template['spec'];
    if (isPlainRecord(podSpec, draft)) template['spec'] = this.jobTemplateSpecs.intern(podSpec);
  }

  /**
   * An update: `incoming` is the replacement object (update) or the stored
   * object itself with `change` applied to a copy-on-write draft of it (patch).
   * System fields are then set on a shallow copy (no second draft).
   */
  private writeUpdate(
    kind: string,
    ns: string,
    name: string,
    entry: IndexEntry<Stored>,
    old: Stored,
    incoming: KObject,
    change: ((d: KObject) => void) | undefined,
    opts: PatchOptions,
  ): Stored {
    const oldMeta = old.metadata;
    const status = opts.subresource === 'status';
    if (!status && !change) {
      const m = incoming.metadata ?? {};
      if (m.uid && m.uid !== oldMeta.uid) throw ApiError.invalid(kind, name, [immutable('metadata.uid', m.uid)], old.apiVersion);
    }
    // No closure over this call's variables (a context per write): the body is a method, the error mapping inline.
    let next: Stored;
    try {
      next = this.updatedObject(kind, ns, name, old, incoming, change, opts);
    } catch (e) {
      if (e instanceof FieldErrorList) throw ApiError.invalid(kind, incoming.metadata?.name ?? '', e.errors, incoming.apiVersion);
      throw e;
    }
    if (sameApartFromVersion(old, next, this.metaKept)) return old;
    if (opts.dryRun) return next;
    // ShouldDeleteDuringUpdate: the last finalizer went away from an object being deleted with no grace left.
    // The grace is read only for an object being deleted (an absent field's read was ~0.2% of churn here).
    if (
      oldMeta.deletionTimestamp &&
      (oldMeta.deletionGracePeriodSeconds === undefined || oldMeta.deletionGracePeriodSeconds === 0) &&
      finalizersOf(next).length === 0 &&
      (kind !== 'Namespace' || specFinalizersOf(next).length === 0)
    ) {
      this.commitDelete(kind, ns, name, next, opts.actor, false, undefined, entry);
      return next;
    }
    this.commitPut(kind, ns, name, next, old, opts.actor, entry);
    return next;
  }

  /** writeUpdate's new object: the change or replacement, admission, the system fields of rest.BeforeUpdate, validation. */
  private updatedObject(
    kind: string,
    ns: string,
    name: string,
    old: Stored,
    incoming: KObject,
    change: ((d: KObject) => void) | undefined,
    opts: PatchOptions,
  ): Stored {
    const oldMeta = old.metadata;
    const status = opts.subresource === 'status';
    const sub = opts.subresource;
    // The chain once for the write (mutators here, validators below): two lookups by subresource and kind each.
    const chain = this.chainFor(kind, sub);
    const mutators = chain.mutators.length > 0;
    let r: KObject;
    /** r is a top-level object this write made (not frozen; everything in it deeply frozen): withMeta may finish it in place. */
    let own = false;
    if (change && mutators && !status) {
      r = this.patchThroughMutators(kind, old, change, sub, opts.metadataOnly === true);
    } else if (change) {
      r = this.patchOnDraft(kind, old, change, status, mutators, sub);
    } else if (status) {
      const st = incoming['status'];
      let base: Record<string, unknown>;
      if (st === undefined) {
        base = { ...old } as Record<string, unknown>;
        delete base['status'];
      } else base = withTop(old, 'status', frozenCopy(st));
      if (mutators) r = this.rewriteThroughMutators(Object.freeze(base) as KObject, kind, old, sub);
      else {
        r = base as KObject;
        own = true;
      }
    } else if (!mutators && !Object.isFrozen(incoming)) {
      // An update with no mutating admission (the Binding subresource): a private copy of what is not frozen,
      // or (WriteOptions.adopt) the caller's own new parts, frozen where they are.
      r = freezeChildren(opts.adopt === true ? incoming : copyUnfrozen(incoming));
      own = true;
    } else {
      r = mutators ? this.rewriteThroughMutators(incoming, kind, old, sub) : rewrite(incoming, undefined);
    }
    // Only writes to the main resource move generation; status and binding never do.
    const bump = sub === undefined && specChanged(old, r);
    // rest.BeforeUpdate: system fields come from the stored object.
    const rv = this.nextVersion();
    const kept = keptMeta(r.metadata, name, ns, oldMeta, bump, rv);
    const result = finishMeta(r, kept ?? updatedMeta(r.metadata, name, ns, oldMeta, bump, rv), undefined, own);
    this.runValidators('UPDATE', kind, result, old, sub, chain.validators);
    // Set last, after anything that might write (a nested write sets it for its own result): writeUpdate reads it next.
    this.metaKept = kept !== undefined;
    return result;
  }

  /** Whether the last updatedObject's result has keptMeta's metadata (read by writeUpdate right after the call). */
  private metaKept = false;

  /** A patch of a subresource or of a kind without mutating admission: the change on a copy-on-write draft. */
  private patchOnDraft(kind: string, old: Stored, change: (d: KObject) => void, status: boolean, mutators: boolean, sub: Subresource | undefined): KObject {
    let r = produce(old, (d) => {
      change(d as KObject);
    }) as KObject;
    if (status && r !== old) {
      // The status subresource keeps everything but status as stored.
      const st = r['status'];
      let base: Record<string, unknown>;
      if (st === undefined) {
        base = { ...old } as Record<string, unknown>;
        delete base['status'];
      } else base = withTop(old, 'status', st);
      r = Object.freeze(base) as KObject;
    }
    if (mutators) r = produce(r, (d) => this.runMutators('UPDATE', kind, d as KObject, old, sub));
    return r;
  }

  /** An update's replacement object through mutating admission (rewrite: a private copy, or a draft where frozen parts are shared). */
  private rewriteThroughMutators(o: KObject, kind: string, old: Stored, sub: Subresource | undefined): KObject {
    return rewrite(o, (d) => this.runMutators('UPDATE', kind, d, old, sub));
  }

  /**
   * A main-resource patch: `change`, then mutating admission (defaulting walks the whole object),
   * frozen sharing every part that came out equal to the stored object's.
   *
   * The plain way edits one private copy of the whole object, not a copy-on-write draft, whose
   * proxies cost more than copying when the mutators read everything.
   *
   * With `metadataOnly` (PatchOptions) the change gets a copy of only the top level and metadata,
   * everything else being the stored (frozen) parts, and the mutators run on that first. Module
   * code is strict, so a mutator writing into a frozen part throws a TypeError; then (or on any
   * other error) they run again the plain way on a private copy of the edited object. Mutators are
   * functions of the request (their memos are pure caches), so when none of them writes into a
   * frozen part they do on this object exactly what they would do on the copy; stored objects are
   * already defaulted, and defaulting writes only what is missing, so a finalizer or owner
   * reference patch passes without a copy. The result has the same content, key order included,
   * and shares at least what the plain way shares (test/sim/metadataPatch.test.ts).
   */
  private patchThroughMutators(kind: string, old: Stored, change: (d: KObject) => void, sub: Subresource | undefined, metadataOnly: boolean): KObject {
    if (!metadataOnly) {
      const copy = thaw(old as KObject);
      change(copy);
      this.runMutators('UPDATE', kind, copy, old, sub);
      return reshare(copy, old) as KObject;
    }
    const edited = { ...old, metadata: { ...old.metadata } } as KObject;
    change(edited);
    // What the change made is copied again so that `edited` stays as the change left it, for the plain way.
    const probe = copyUnfrozen(edited);
    try {
      this.runMutators('UPDATE', kind, probe, old, sub);
      return reshare(probe, old) as KObject;
    } catch {
      const copy = thaw(edited);
      this.runMutators('UPDATE', kind, copy, old, sub);
      return reshare(copy, old) as KObject;
    }
  }

  /** The finalizers an object has after a delete request, per the propagation policy (deletionFinalizersForGarbageCollection). */
  private finalizersForDelete(old: Stored, opts: DeleteOptions): readonly string[] {
    const current = finalizersOf(old);
    let orphan: boolean;
    let foreground: boolean;
    if (opts.propagationPolicy !== undefined) {
      orphan = opts.propagationPolicy === 'Orphan';
      foreground = opts.propagationPolicy === 'Foreground';
    } else {
      const hasOrphan = current.includes(FINALIZER_ORPHAN);
      const hasForeground = current.includes(FINALIZER_FOREGROUND);
      if (hasOrphan || hasForeground) {
        // An existing finalizer overrides the default; the first one listed wins, as upstream's loop.
        const first = current.find((f) => f === FINALIZER_ORPHAN || f === FINALIZER_FOREGROUND);
        orphan = first === FINALIZER_ORPHAN;
        foreground = first === FINALIZER_FOREGROUND;
      } else {
        orphan = defaultOrphans(old);
        foreground = false;
      }
    }
    // The common case, the GC finalizers already as the policy wants them (none, for most deletes): the same set, so
    // the current list, without building the new one and two sets to compare them.
    let keepsOrphan = false;
    let keepsForeground = false;
    for (let i = 0; i < current.length; i++) {
      if (current[i] === FINALIZER_ORPHAN) keepsOrphan = true;
      else if (current[i] === FINALIZER_FOREGROUND) keepsForeground = true;
    }
    if (keepsOrphan === orphan && keepsForeground === foreground) return current;
    // Past the test above the two sets differ in orphan or foreground, so the new list is never the same set as
    // the current one (it was compared as sets here, two Sets built per foreground or orphan delete).
    const next = current.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
    if (orphan) next.push(FINALIZER_ORPHAN);
    if (foreground) next.push(FINALIZER_FOREGROUND);
    return next;
  }

  /** Namespace REST Delete: Terminating phase + deletionTimestamp; gone only once spec and metadata finalizers are empty. */
  private deleteNamespace(old: Stored, opts: DeleteOptions & WriteOptions): Stored | undefined {
    const name = old.metadata.name!;
    const finalizers = this.finalizersForDelete(old, opts);
    if (specFinalizersOf(old).length === 0 && finalizers.length === 0) {
      return this.commitDelete('Namespace', '', name, old, opts.actor, opts.dryRun);
    }
    if (old.metadata.deletionTimestamp && sameList(finalizersOf(old), finalizers)) return old;
    const now = this.host.now;
    const next = withMeta(old, (m) => {
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = this.host.timestamp(now);
        if ((m.generation ?? 0) > 0) m.generation = (m.generation ?? 0) + 1;
      }
      if (!sameList(finalizersOf(old), finalizers)) {
        if (finalizers.length === 0) delete m.finalizers;
        else m.finalizers = [...finalizers];
      }
      m.resourceVersion = this.nextVersion();
    }, (o) => {
      o['status'] = { ...(o['status'] as object | undefined), phase: 'Terminating' };
    });
    if (opts.dryRun) return next;
    this.commitPut('Namespace', '', name, next, old, opts.actor);
    return next;
  }

  /** The index of a kind, made on its first object. */
  private indexOf(kind: string): KindIndex<Stored> {
    let idx = this.byKind.get(kind);
    if (!idx) {
      idx = new KindIndex<Stored>();
      this.byKind.set(kind, idx);
    }
    return idx;
  }

  /**
   * Stores `obj` at the next resourceVersion, logs the write and emits its watch event; a create's object
   * (`old` undefined) the caller has inserted already (KindIndex.insert). commitHeartbeat
   * does the same for a heartbeat's replacement through an index entry it already holds: a change to the
   * record, event or their order here must be made there too.
   */
  private commitPut(kind: string, ns: string, name: string, obj: Stored, old: Stored | undefined, actor: string | undefined, entry?: IndexEntry<Stored>): void {
    const idx = this.indexOf(kind);
    this.rv++;
    idx.writes++;
    // An update's entry (read before admission) replaces in place, as set() would while it is the name's (live:
    // admission may write, but a delete of this name in between would make set() insert again).
    if (old === undefined) this.count++;
    else if (entry !== undefined && entry.live) idx.replaceEntry(entry, obj);
    else if (idx.set(ns, name, obj)) this.count++;
    const log = this.host.log;
    if (log) {
      const t = this.host.now;
      const rv = obj.metadata.resourceVersion!;
      if (old === undefined) {
        const rec: RunLogRecord = { t, type: 'create', kind, namespace: ns, name, resourceVersion: rv, object: obj };
        if (actor) rec.actor = actor;
        log(rec);
      } else {
        const rec: RunLogRecord = { t, type: 'update', kind, namespace: ns, name, resourceVersion: rv, patch: mergePatch(old, obj) ?? {} };
        if (actor) rec.actor = actor;
        log(rec);
      }
    }
    this.emit(old === undefined ? { type: 'ADDED', object: obj } : { type: 'MODIFIED', object: obj, oldObject: old });
  }

  /**
   * Remove an object; watchers get DELETED with its last state at a new resourceVersion. `entry`: the name's
   * index entry as the caller read it; while still the name's (live) it is removed with no lookup.
   */
  private commitDelete(
    kind: string,
    ns: string,
    name: string,
    last: Stored,
    actor: string | undefined,
    dryRun: boolean | undefined,
    edit?: (m: Meta) => void,
    entry?: IndexEntry<Stored>,
  ): undefined {
    if (dryRun) return undefined;
    const idx = this.byKind.get(kind)!;
    const live = entry !== undefined && entry.live;
    const old = live ? entry.obj : idx.get(ns, name)!;
    const rv = this.nextVersion();
    const final = withMeta(last, (m) => {
      if (edit) edit(m);
      m.resourceVersion = rv;
    });
    this.rv++;
    idx.writes++;
    if (live) idx.deleteEntry(entry);
    else idx.delete(ns, name);
    this.count--;
    const log = this.host.log;
    if (log) {
      const rec: RunLogRecord = { t: this.host.now, type: 'delete', kind, namespace: ns, name, resourceVersion: rv };
      if (actor) rec.actor = actor;
      log(rec);
    }
    this.emit({ type: 'DELETED', object: final, oldObject: old });
    return undefined;
  }

  /**
   * Synchronous fan-out; writes made by a watcher are delivered after the current event, so every watcher sees
   * commit order. The event that starts a delivery goes out directly, not through the queue: nearly always
   * no watcher writes, and the queue's push and pop were ~0.3% of churn.
   */
  private emit(ev: WatchEvent): void {
    if (this.delivering) {
      this.queue.push(ev);
      return;
    }
    this.delivering = true;
    try {
      this.deliver(ev);
      for (let i = 0; i < this.queue.length; i++) this.deliver(this.queue[i]!);
    } finally {
      if (this.queue.length !== 0) this.queue.length = 0;
      this.delivering = false;
    }
  }

  /** One event to every active watcher of its kind, in subscription order. */
  private deliver(e: WatchEvent): void {
    const kind = e.object.kind;
    const ws = this.watchers;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      if (w.active && (w.kind === kind || w.kind === '*')) w.fn(e);
    }
  }
}

/** The namespace registry's PrepareForCreate: the "kubernetes" finalizer and phase Active. */
function prepareNamespace(d: Mutable): void {
  const o = d as Record<string, unknown>;
  const spec = (o['spec'] ??= {}) as { finalizers?: string[] };
  const fin = spec.finalizers ?? [];
  if (!fin.includes(FINALIZER_KUBERNETES)) spec.finalizers = [...fin, FINALIZER_KUBERNETES];
  const status = (o['status'] ??= {}) as { phase?: string };
  status.phase = 'Active';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * rest.BeforeDelete's precondition failure. Upstream builds the GroupResource
 * from the Kind, so the message reads `Operation cannot be fulfilled on Pod "x": ...`.
 */
function preconditionConflict(kind: string, name: string, apiVersion: string | undefined, cause: string): ApiError {
  return new ApiError('Conflict', 409, `Operation cannot be fulfilled on ${qualifiedKind(kind, apiVersion)} ${JSON.stringify(name)}: ${cause}`, {
    kind,
    name,
  });
}

