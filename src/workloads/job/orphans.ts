/**
 * What the Job controller needs for adoption (getPodsForJob's ClaimPods and the pod handlers'
 * getPodJobs) without listing every pod or Job of a namespace on every event, as upstream does from
 * its informer caches and as ksim cannot afford at 150,000 pods:
 *  - each cached Job's parsed selector (spec.selector is immutable), filed by the value its
 *    matchLabels require of batch.kubernetes.io/controller-uid (the generated selector's only key), or
 *    in its namespace's "scanned" set when it requires none (a manualSelector Job);
 *  - the orphan pods (no controller reference) that carry a controller-uid label, by namespace and
 *    value: the only orphans a Job whose selector requires that value can match.
 * A pod matches a selector with matchLabels k=v only if it has the label k=v, so the answers are the
 * sets upstream's scans find; a scanned Job still lists its namespace's pods (as upstream does).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import type { JobObj } from './jobController.ts';
import { ControllerUidLabel } from './jobStrategy.ts';

type StoredPod = Stored<Pod & KObject>;

const NoPods: readonly StoredPod[] = Object.freeze([]);
const NoJobs: readonly JobSelector[] = Object.freeze([]);

/** A cached Job's selector: parsed once, and the controller-uid value it requires (if any). */
export interface JobSelector {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  /** Undefined when spec.selector does not parse (validation keeps such Jobs out; upstream's sync fails on them). */
  readonly selector: Selector | undefined;
  readonly requiredUid: string | undefined;
  /**
   * Where the Job is filed: namespace\0value when its selector requires a controller-uid value (the key of
   * that value's labelled orphans too), else its namespace. Made once: forgetting the Job and each sync's
   * orphan lookup built and hashed this string again (in churn profiles, forget cost more than observe).
   */
  readonly group: string;
}

function groupKey(namespace: string, value: string): string {
  return `${namespace}\u0000${value}`;
}

export class JobSelectors {
  private readonly byUid = new Map<string, JobSelector>();
  /** Jobs by the controller-uid value their selector requires (namespace\0value -> Job uids). */
  private readonly byRequiredUid = new Map<string, Set<string>>();
  /** Jobs whose selector requires no controller-uid value, by namespace: they are matched one by one. */
  private readonly scanned = new Map<string, Set<string>>();

  /** A Job the informer delivered (added or updated): filed the first time its uid is seen. */
  observe(job: Stored<JobObj>): void {
    const uid = job.metadata.uid ?? '';
    if (this.byUid.has(uid)) return;
    const namespace = job.metadata.namespace ?? '';
    let selector: Selector | undefined;
    try {
      selector = labelSelectorAsSelector(job.spec?.selector);
    } catch {
      selector = undefined;
    }
    const requiredUid = job.spec?.selector?.matchLabels?.[ControllerUidLabel];
    const group = requiredUid !== undefined ? groupKey(namespace, requiredUid) : namespace;
    this.byUid.set(uid, { uid, namespace, name: job.metadata.name ?? '', selector, requiredUid, group });
    const m = requiredUid !== undefined ? this.byRequiredUid : this.scanned;
    let set = m.get(group);
    if (!set) m.set(group, (set = new Set()));
    set.add(uid);
  }

  forget(uid: string): void {
    const js = this.byUid.get(uid);
    if (!js) return;
    this.byUid.delete(uid);
    const m = js.requiredUid !== undefined ? this.byRequiredUid : this.scanned;
    const set = m.get(js.group);
    set?.delete(uid);
    if (set && set.size === 0) m.delete(js.group);
  }

  of(uid: string): JobSelector | undefined {
    return this.byUid.get(uid);
  }

  /**
   * Whether jobsMatching(pod) can find any Job: the pod has labels, and a Job requires its controller-uid
   * value or its namespace has a Job that requires none. Two lookups and no list: a bare pod's every write
   * asked whether its labels changed (two key lists and an iterator) before finding that no Job could match.
   */
  mayMatch(pod: Pod): boolean {
    const labels = pod.metadata?.labels;
    if (!labels) return false;
    const namespace = pod.metadata?.namespace ?? '';
    const v = labels[ControllerUidLabel];
    return (v !== undefined && this.byRequiredUid.has(groupKey(namespace, v))) || this.scanned.has(namespace);
  }

  /**
   * getPodJobs: the cached Jobs of the pod's namespace whose selector matches its labels, by name (upstream
   * lists its cache in no set order; the queue runs them in the order they are added). None for a pod
   * without labels (upstream returns an error then, and queues nothing).
   */
  jobsMatching(pod: Pod): readonly JobSelector[] {
    const labels = pod.metadata?.labels;
    if (!labels) return NoJobs;
    const namespace = pod.metadata?.namespace ?? '';
    const v = labels[ControllerUidLabel];
    const required = v === undefined ? undefined : this.byRequiredUid.get(groupKey(namespace, v));
    const scanned = this.scanned.get(namespace);
    // Every new bare pod asks (an orphan with no controller-uid label, no manual-selector Job): the shared empty answer.
    if (required === undefined && scanned === undefined) return NoJobs;
    let any = false;
    for (const _ in labels) {
      any = true;
      break;
    }
    if (!any) return NoJobs;
    const out: JobSelector[] = [];
    this.collectMatching(required, labels, out);
    this.collectMatching(scanned, labels, out);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private collectMatching(uids: ReadonlySet<string> | undefined, labels: Readonly<Record<string, string>>, out: JobSelector[]): void {
    if (uids === undefined) return;
    for (const uid of uids) {
      const js = this.byUid.get(uid)!;
      if (js.selector !== undefined && js.selector.matches(labels)) out.push(js);
    }
  }
}

/** The orphan pods with a controller-uid label, by namespace and value, kept from the pod informer's events. */
export class LabelledOrphans {
  private readonly groups = new Map<string, Map<string, StoredPod>>();
  /** Where each filed pod (by uid) is. */
  private readonly filedAt = new Map<string, string>();

  /** A delivered pod event: `pod` is the cache's view after it (undefined once deleted), `orphan` whether it has no controller. */
  observe(uid: string, pod: StoredPod | undefined, orphan: boolean): void {
    const v = pod !== undefined && orphan ? pod.metadata.labels?.[ControllerUidLabel] : undefined;
    // Most pods are neither orphans with the label nor filed: nothing to look up.
    if (v === undefined && this.filedAt.size === 0) return;
    const at = this.filedAt.get(uid);
    const want = v === undefined ? undefined : groupKey(pod!.metadata.namespace ?? '', v);
    if (at !== undefined && at !== want) {
      const g = this.groups.get(at)!;
      g.delete(uid);
      if (g.size === 0) this.groups.delete(at);
      this.filedAt.delete(uid);
    }
    if (want === undefined) return;
    let g = this.groups.get(want);
    if (!g) this.groups.set(want, (g = new Map()));
    g.set(uid, pod!);
    this.filedAt.set(uid, want);
  }

  /** The orphans labelled controller-uid=value in a namespace, by the Job's `group` (namespace\0value). */
  labelled(group: string): readonly StoredPod[] {
    // Every reconcile of a Job with a generated selector asks, and almost always finds none: no new empty list then.
    const g = this.groups.get(group);
    return g === undefined ? NoPods : [...g.values()];
  }
}
