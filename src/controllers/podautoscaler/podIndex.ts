/**
 * Pods by namespace and label set, so an HPA's selector is matched once per
 * distinct label set (one per ReplicaSet and pod-template-hash, typically)
 * rather than once per pod: upstream's podLister.Pods(ns).List(selector)
 * without a scan of the namespace at every sync. Fed from the controller's
 * Pod watch (the informer cache's events), in delivery order.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Selector } from '../../api/labels.ts';
import type { KObject, Stored, WatchEvent } from '../../sim/types.ts';

type PodObj = Pod & KObject;

interface Group {
  labels: Readonly<Record<string, string>>;
  pods: Map<string, Stored<PodObj>>;
}

function signature(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  let s = '';
  for (const k of keys) s += `${k}\u0000${labels[k]}\u0001`;
  return s;
}

export class PodLabelIndex {
  /** namespace -> label signature -> group. */
  private readonly byNamespace = new Map<string, Map<string, Group>>();
  /** pod uid -> where it is filed: its label signature and the labels object that gave it. */
  private readonly sigOf = new Map<string, { sig: string; labels: Readonly<Record<string, string>> | undefined }>();
  /** With a `source`: the namespaces indexed so far (the first select() of a namespace fills it from the source). */
  private readonly indexed: Set<string> | undefined;

  /**
   * `source` (optional): the pods of a namespace as the informer cache holds
   * them, to index a namespace only from the first select() in it on. Why: a
   * cluster's pods mostly live in namespaces no HPA ever looks at (a batch
   * queue's 12,500 finished pods), and filing each of their watch events
   * costs more than the HPA's work. Same answers: events reach the index as
   * the cache applies them, so a namespace filled from the cache at its first
   * select() holds what every event since the start would have filed, and
   * select() sorts by name, so filing order does not show.
   */
  constructor(private readonly source?: (namespace: string) => readonly Stored<PodObj>[]) {
    this.indexed = source ? new Set() : undefined;
  }

  /** Apply one watch event. */
  observe(ev: WatchEvent): void {
    const o = ev.object as Stored<PodObj>;
    const ns = o.metadata.namespace ?? '';
    if (this.indexed !== undefined && !this.indexed.has(ns)) return;
    const name = o.metadata.name ?? '';
    // Keyed by uid (a string the store already holds) rather than a "namespace/name" built per event.
    const key = o.metadata.uid ?? `${ns}/${name}`;
    const old = this.sigOf.get(key);
    const groups = this.byNamespace.get(ns);
    // Most events are status writes, which share the stored labels object: the pod stays in its group.
    if (old !== undefined && ev.type !== 'DELETED' && old.labels === o.metadata.labels) {
      const g = groups?.get(old.sig);
      if (g) {
        g.pods.set(name, o);
        return;
      }
    }
    if (old !== undefined && groups) {
      const g = groups.get(old.sig);
      g?.pods.delete(name);
      if (g && g.pods.size === 0) groups.delete(old.sig);
      this.sigOf.delete(key);
    }
    if (ev.type === 'DELETED') return;
    const sig = signature(o.metadata.labels);
    let gs = groups;
    if (!gs) this.byNamespace.set(ns, (gs = new Map()));
    let g = gs.get(sig);
    if (!g) gs.set(sig, (g = { labels: o.metadata.labels ?? {}, pods: new Map() }));
    g.pods.set(name, o);
    this.sigOf.set(key, { sig, labels: o.metadata.labels });
  }

  /** The pods of a namespace that the selector matches, sorted by name (as a lister lists them). */
  select(namespace: string, selector: Selector): Array<Stored<PodObj>> {
    if (this.indexed !== undefined && !this.indexed.has(namespace)) {
      this.indexed.add(namespace);
      for (const p of this.source!(namespace)) this.observe({ type: 'ADDED', object: p });
    }
    const out: Array<Stored<PodObj>> = [];
    for (const g of this.byNamespace.get(namespace)?.values() ?? []) {
      if (selector.matches(g.labels)) for (const p of g.pods.values()) out.push(p);
    }
    out.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
    return out;
  }

  /** Whether the selector matches any pod of the namespace whose label set is one of `labelSets`. */
  static anyMatches(selector: Selector, labelSets: ReadonlyArray<Readonly<Record<string, string>>>): boolean {
    return labelSets.some((l) => selector.matches(l));
  }

  /** The distinct label sets of some pods. */
  static labelSets(pods: ReadonlyArray<Stored<PodObj>>): Array<Readonly<Record<string, string>>> {
    const seen = new Map<string, Readonly<Record<string, string>>>();
    for (const p of pods) {
      const sig = signature(p.metadata.labels);
      if (!seen.has(sig)) seen.set(sig, p.metadata.labels ?? {});
    }
    return [...seen.values()];
  }
}
