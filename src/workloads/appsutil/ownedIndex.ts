/**
 * Objects indexed by the UID of their controller (ownerReferences with
 * controller: true), kept up to date from watch events: what the informer
 * indexers give upstream controllers, so a reconcile reads its own pods
 * without scanning every pod of the namespace.
 */
import type { KObject, Stored, WatchEvent } from '../../sim/types.ts';
import { controllerOf } from './controllerHistory.ts';

/** An index of objects by the UID of their controller, kept from the watch (what the informer's indexer gives upstream). */
export class OwnedIndex<T extends KObject> {
  private readonly byOwner = new Map<string, Map<string, Stored<T>>>();

  constructor(private readonly ownerKind: string) {}

  /** Update from a watch event; returns the owner's key ("ns/name") to enqueue, if any. */
  observe(ev: WatchEvent): string[] {
    const keys: string[] = [];
    const old = ev.oldObject;
    const cur = ev.object as Stored<T>;
    const name = cur.metadata.name ?? '';
    if (old) {
      const r = controllerOf(old);
      if (r && r.kind === this.ownerKind) {
        this.byOwner.get(r.uid)?.delete(name);
        if (r.uid !== controllerOf(cur)?.uid) keys.push(`${old.metadata.namespace ?? ''}/${r.name}`);
      }
    }
    const r = controllerOf(cur);
    if (r && r.kind === this.ownerKind) {
      if (ev.type === 'DELETED') this.byOwner.get(r.uid)?.delete(name);
      else {
        let m = this.byOwner.get(r.uid);
        if (!m) this.byOwner.set(r.uid, (m = new Map()));
        m.set(name, cur);
      }
      keys.push(`${cur.metadata.namespace ?? ''}/${r.name}`);
    }
    return keys;
  }

  of(uid: string): Stored<T>[] {
    const m = this.byOwner.get(uid);
    if (!m) return [];
    return [...m.keys()].sort().map((k) => m.get(k)!);
  }

  forget(uid: string): void {
    this.byOwner.delete(uid);
  }
}
