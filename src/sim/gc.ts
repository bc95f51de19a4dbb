/**
 * Garbage collection and namespace deletion, following
 * pkg/controller/garbagecollector (attemptToDeleteItem,
 * processDeletingDependentsItem, orphanDependents) and
 * pkg/controller/namespace/deletion (v1.31), reduced to what the store can
 * see directly (no discovery, no informer graph):
 *  - Background: once an owner is gone, every dependant whose owners are all
 *    gone is deleted (with its own orphan/foreground finalizer honoured);
 *    dependants that still have a live owner just lose the dangling reference.
 *  - Foreground: an owner carrying the foregroundDeletion finalizer has its
 *    dependants deleted (those that have dependants of their own, in the
 *    foreground too); the finalizer is removed once no dependant with
 *    blockOwnerDeletion=true is left, and the store then removes the owner.
 *  - Orphan: an owner carrying the orphan finalizer has its references
 *    removed from every dependant, then the finalizer is removed.
 *  - Namespace: a Terminating namespace has all its content deleted
 *    (Background); when nothing is left, the "kubernetes" spec finalizer is
 *    removed and the namespace disappears.
 * Each reaction runs as an engine event at Priority.ApiServer, `latency`
 * after the change that caused it.
 */
import type { Engine, KObject, OwnerReference, Stored, Time, WatchEvent } from './types.ts';
import { Priority } from './types.ts';
import { ApiError } from './errors.ts';
import { NEVER_A_KEY } from './neverEmpty.ts';
import { FINALIZER_FOREGROUND, FINALIZER_KUBERNETES, FINALIZER_ORPHAN, isClusterScoped, objectKey, type ApiStore } from './store.ts';

const ACTOR_GC = 'garbage-collector';
const ACTOR_NS = 'namespace-controller';

const NO_REFS: readonly OwnerReference[] = Object.freeze([]);

function refsOf(o: KObject): readonly OwnerReference[] {
  return o.metadata.ownerReferences ?? NO_REFS;
}

function hasFinalizer(o: KObject, f: string): boolean {
  // No empty list made for an object without finalizers (most of them: this runs for every deleting write).
  const fs = o.metadata.finalizers;
  return fs ? fs.includes(f) : false;
}

/** What a scheduled GC item does with its key: attemptToDelete, processForeground, processOrphan, or the namespace's content. */
type Work = 0 | 1 | 2 | 3;
const WORK_DELETE: Work = 0;
const WORK_FOREGROUND: Work = 1;
const WORK_ORPHAN: Work = 2;
const WORK_NAMESPACE: Work = 3;

function splitKey(key: string): [string, string, string] {
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  return [key.slice(0, a), key.slice(a + 1, b), key.slice(b + 1)];
}

export class GarbageCollector {
  /**
   * owner uid -> keys of objects that list it in ownerReferences: the key itself while there is one (most
   * owners, a Job or a Node's Lease, have one dependant), a set in insertion order once there are more.
   * Why: a set made and dropped for each one-pod Job was most of the index's cost in churn.
   */
  private readonly dependants = new Map<string, string | Set<string>>();
  /** uid -> key of every stored object. */
  private readonly keyByUid = new Map<string, string>();
  /**
   * Work already scheduled and not yet run (one engine event per item): per kind of work (indexed by Work),
   * the keys (namespace names for WORK_NAMESPACE) it was scheduled for. Why not one set of `del:<key>`-style
   * ids: each schedule call concatenated an id that the set then had to flatten and hash, while the key
   * itself mostly is a string already hashed (kept in keyByUid or the dependants index). Each set also holds a
   * member no key equals: a set mostly holds one item at a time, and V8 makes a new table each time a delete
   * empties a small set (neverEmpty.ts); with the member it never empties.
   */
  private readonly scheduled: readonly Set<string | typeof NEVER_A_KEY>[] = [
    new Set([NEVER_A_KEY]),
    new Set([NEVER_A_KEY]),
    new Set([NEVER_A_KEY]),
    new Set([NEVER_A_KEY]),
  ];

  constructor(
    private readonly store: ApiStore,
    private readonly engine: Engine,
    readonly latency: Time = 1,
  ) {
    store.watch('*', (ev) => this.observe(ev));
  }

  /**
   * Every write of every kind comes here. The common case (an update that
   * keeps the owner references of an object not being deleted) returns before
   * observeChange, whose closures capture its locals: V8 would otherwise make
   * their context on every call, the early return included.
   */
  private observe(ev: WatchEvent): void {
    const o = ev.object;
    const refs = refsOf(o);
    const oldRefs = ev.oldObject ? refsOf(ev.oldObject) : NO_REFS;
    if (ev.type === 'MODIFIED' && refs === oldRefs && !o.metadata.deletionTimestamp) return; // nothing for GC
    this.observeChange(ev, o, refs, oldRefs);
  }

  private observeChange(ev: WatchEvent, o: KObject, refs: readonly OwnerReference[], oldRefs: readonly OwnerReference[]): void {
    const ns = o.metadata.namespace ?? '';
    const uid = o.metadata.uid ?? '';
    // Indexed loops over the reference lists, no [] per call: V8 left this unoptimised often enough that its
    // for-of loops allocated an iterator and a result object per reference (~6 MiB a churn hour).
    switch (ev.type) {
      case 'ADDED': {
        const key = objectKey(o.kind, ns, o.metadata.name ?? '');
        if (uid) this.keyByUid.set(uid, key);
        this.index(key, NO_REFS, refs);
        // A dependant created after its owner is gone is collected too.
        for (let i = 0; i < refs.length; i++) if (!this.keyByUid.has(refs[i]!.uid)) this.schedule(WORK_DELETE, key);
        break;
      }
      case 'MODIFIED': {
        // The key only when something uses it: a deleting pod's status writes (most of what comes here) need none.
        const deleting = o.metadata.deletionTimestamp ? true : false;
        const foreground = deleting && hasFinalizer(o, FINALIZER_FOREGROUND);
        const orphan = deleting && hasFinalizer(o, FINALIZER_ORPHAN);
        if (refs === oldRefs && !foreground && !orphan) {
          if (deleting && o.kind === 'Namespace') this.schedule(WORK_NAMESPACE, o.metadata.name ?? '');
          break;
        }
        const key = objectKey(o.kind, ns, o.metadata.name ?? '');
        if (refs !== oldRefs) {
          this.index(key, oldRefs, refs);
          for (let i = 0; i < oldRefs.length; i++) this.ownerChanged(oldRefs[i]!.uid);
        }
        if (deleting) {
          if (foreground) this.schedule(WORK_FOREGROUND, key);
          if (orphan) this.schedule(WORK_ORPHAN, key);
          if (o.kind === 'Namespace') this.schedule(WORK_NAMESPACE, o.metadata.name ?? '');
        }
        break;
      }
      case 'DELETED': {
        // The key kept at ADDED (uids are unique, and kind, namespace and name never change): the same string the
        // index holds, so no new one is concatenated and then flattened and compared char by char to find it.
        const kept = uid ? this.keyByUid.get(uid) : undefined;
        const key = kept ?? objectKey(o.kind, ns, o.metadata.name ?? '');
        if (kept !== undefined) this.keyByUid.delete(uid);
        this.index(key, oldRefs.length > 0 ? oldRefs : refs, NO_REFS);
        const deps = uid ? this.dependants.get(uid) : undefined;
        if (typeof deps === 'string') this.schedule(WORK_DELETE, deps);
        else if (deps) for (const d of deps) this.schedule(WORK_DELETE, d);
        for (let i = 0; i < refs.length; i++) this.ownerChanged(refs[i]!.uid);
        if (ns !== '') {
          const nsObj = this.store.get('Namespace', '', ns);
          if (nsObj?.metadata.deletionTimestamp) this.schedule(WORK_NAMESPACE, ns);
        }
        break;
      }
    }
  }

  /** A dependant of `ownerUid` changed or went away: a foreground-deleting owner may now be unblocked. */
  private ownerChanged(ownerUid: string): void {
    const ownerKey = this.keyByUid.get(ownerUid);
    if (ownerKey === undefined) return;
    const [kind, ns, name] = splitKey(ownerKey);
    const owner = this.store.get(kind, ns, name);
    if (owner?.metadata.deletionTimestamp && hasFinalizer(owner, FINALIZER_FOREGROUND)) {
      this.schedule(WORK_FOREGROUND, ownerKey);
    }
  }

  private index(key: string, oldRefs: readonly OwnerReference[], newRefs: readonly OwnerReference[]): void {
    for (let i = 0; i < oldRefs.length; i++) {
      const r = oldRefs[i]!;
      const deps = this.dependants.get(r.uid);
      if (deps === undefined) continue;
      if (typeof deps === 'string') {
        if (deps === key) this.dependants.delete(r.uid);
        continue;
      }
      deps.delete(key);
      if (deps.size === 0) this.dependants.delete(r.uid);
    }
    for (let i = 0; i < newRefs.length; i++) {
      const r = newRefs[i]!;
      const deps = this.dependants.get(r.uid);
      if (deps === undefined) this.dependants.set(r.uid, key);
      else if (typeof deps === 'string') {
        if (deps !== key) this.dependants.set(r.uid, new Set([deps, key]));
      } else deps.add(key);
    }
  }

  /** The keys of the dependants of `uid`, a copy in insertion order (the work below changes the index). */
  private dependantsOf(uid: string): string[] {
    const deps = this.dependants.get(uid);
    return deps === undefined ? [] : typeof deps === 'string' ? [deps] : [...deps];
  }

  private dependantCount(uid: string): number {
    const deps = this.dependants.get(uid);
    return deps === undefined ? 0 : typeof deps === 'string' ? 1 : deps.size;
  }

  /**
   * One engine event per (work, arg) not yet run, running `work` on `arg` after the latency. The work is named
   * by a number, not passed as a closure: observeChange runs for every creation and deletion, and its closures
   * made V8 allocate a context for their captured locals on every call, scheduling or not.
   */
  private schedule(work: Work, arg: string): void {
    const scheduled = this.scheduled[work]!;
    if (scheduled.has(arg)) return;
    scheduled.add(arg);
    this.engine.after(
      this.latency,
      () => {
        scheduled.delete(arg);
        this.run(work, arg);
      },
      { priority: Priority.ApiServer, source: work === WORK_NAMESPACE ? ACTOR_NS : ACTOR_GC },
    );
  }

  private run(work: Work, arg: string): void {
    if (work === WORK_DELETE) this.attemptToDelete(arg);
    else if (work === WORK_FOREGROUND) this.processForeground(arg);
    else if (work === WORK_ORPHAN) this.processOrphan(arg);
    else this.deleteNamespaceContent(arg);
  }

  private owner(ref: OwnerReference, dependantNs: string): Stored | undefined {
    const o = this.store.get(ref.kind, isClusterScoped(ref.kind) ? '' : dependantNs, ref.name);
    return o && o.metadata.uid === ref.uid ? o : undefined;
  }

  /** attemptToDeleteItem: classify owners as solid, dangling or waiting for dependants' deletion. */
  private attemptToDelete(key: string): void {
    const [kind, ns, name] = splitKey(key);
    const dep = this.store.get(kind, ns, name);
    if (!dep) return;
    if (dep.metadata.deletionTimestamp) {
      if (hasFinalizer(dep, FINALIZER_FOREGROUND)) this.processForeground(key);
      return;
    }
    const refs = refsOf(dep);
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const r of refs) {
      const o = this.owner(r, ns);
      if (!o) dangling.push(r);
      else if (o.metadata.deletionTimestamp && hasFinalizer(o, FINALIZER_FOREGROUND)) waiting.push(r);
      else solid.push(r);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.tryWrite(() =>
        this.store.patch(kind, ns, name, (d: KObject) => {
          d.metadata.ownerReferences = refsOf(d).filter((r) => !drop.has(r.uid));
        }, { actor: ACTOR_GC, metadataOnly: true }),
      );
      return;
    }
    let policy: 'Background' | 'Foreground' | 'Orphan';
    const uid = dep.metadata.uid ?? '';
    if (waiting.length > 0 && this.dependantCount(uid) > 0) policy = 'Foreground';
    else if (hasFinalizer(dep, FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(dep, FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.tryWrite(() => this.store.delete(kind, ns, name, { propagationPolicy: policy, preconditions: { uid }, actor: ACTOR_GC }));
  }

  /** processDeletingDependentsItem: delete dependants; drop the finalizer once no blocking dependant is left. */
  private processForeground(ownerKey: string): void {
    const [kind, ns, name] = splitKey(ownerKey);
    const owner = this.store.get(kind, ns, name);
    if (!owner || !owner.metadata.deletionTimestamp || !hasFinalizer(owner, FINALIZER_FOREGROUND)) return;
    const uid = owner.metadata.uid ?? '';
    for (const d of this.dependantsOf(uid)) this.attemptToDelete(d);
    let blocking = 0;
    for (const d of this.dependantsOf(uid)) {
      const [dk, dns, dn] = splitKey(d);
      const dep = this.store.get(dk, dns, dn);
      if (dep && refsOf(dep).some((r) => r.uid === uid && r.blockOwnerDeletion === true)) blocking++;
    }
    if (blocking > 0) return;
    this.removeFinalizer(kind, ns, name, FINALIZER_FOREGROUND);
  }

  /** orphanDependents: remove the owner's references from every dependant, then the orphan finalizer. */
  private processOrphan(ownerKey: string): void {
    const [kind, ns, name] = splitKey(ownerKey);
    const owner = this.store.get(kind, ns, name);
    if (!owner || !owner.metadata.deletionTimestamp || !hasFinalizer(owner, FINALIZER_ORPHAN)) return;
    const uid = owner.metadata.uid ?? '';
    for (const d of this.dependantsOf(uid)) {
      const [dk, dns, dn] = splitKey(d);
      if (!this.store.get(dk, dns, dn)) continue;
      this.tryWrite(() =>
        this.store.patch(dk, dns, dn, (draft: KObject) => {
          const left = refsOf(draft).filter((r) => r.uid !== uid);
          if (left.length === 0) delete draft.metadata.ownerReferences;
          else draft.metadata.ownerReferences = left;
        }, { actor: ACTOR_GC, metadataOnly: true }),
      );
    }
    this.removeFinalizer(kind, ns, name, FINALIZER_ORPHAN);
  }

  private removeFinalizer(kind: string, ns: string, name: string, finalizer: string): void {
    this.tryWrite(() =>
      this.store.patch(kind, ns, name, (d: KObject) => {
        const left = (d.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        if (left.length === 0) delete d.metadata.finalizers;
        else d.metadata.finalizers = left;
      }, { actor: ACTOR_GC, metadataOnly: true }),
    );
  }

  /** The namespace controller: delete all content, then finalize when the namespace is empty. */
  private deleteNamespaceContent(namespace: string): void {
    const nsObj = this.store.get('Namespace', '', namespace);
    if (!nsObj || !nsObj.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const kind of this.store.kinds()) {
      if (isClusterScoped(kind)) continue;
      for (const o of this.store.list(kind, namespace)) {
        if (!o.metadata.deletionTimestamp) {
          this.tryWrite(() => this.store.delete(kind, namespace, o.metadata.name ?? '', { propagationPolicy: 'Background', actor: ACTOR_NS }));
        }
        if (this.store.get(kind, namespace, o.metadata.name ?? '')) remaining++;
      }
    }
    if (remaining > 0) return;
    const spec = nsObj['spec'] as { finalizers?: string[] } | undefined;
    if (!(spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;
    this.tryWrite(() =>
      this.store.patch('Namespace', '', namespace, (d: KObject) => {
        const s = d['spec'] as { finalizers?: string[] };
        s.finalizers = (s.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
      }, { actor: ACTOR_NS }),
    );
  }

  /** NotFound / Conflict mean someone else got there first: the next event will retry if needed. */
  private tryWrite(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ApiError && (e.reason === 'NotFound' || e.reason === 'Conflict')) return;
      throw e;
    }
  }
}
