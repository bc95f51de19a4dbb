/**
 * The pod garbage collector (`pod-garbage-collector`), following the newest
 * kube-controller-manager's pkg/controller/podgc/gc_controller.go. Every
 * gcCheckPeriod (20 s) it force-deletes (grace 0):
 *
 *  - terminated pods (phase neither Pending, Running nor Unknown) beyond
 *    terminatedPodGCThreshold (12500; 0 turns this off), evicted pods first,
 *    then oldest first (creationTimestamp, then name);
 *  - terminating pods on a node that is not Ready and carries the
 *    node.kubernetes.io/out-of-service taint (non-graceful node shutdown);
 *  - orphaned pods: bound to a node that is neither in the informer nor, after
 *    a 40 s quarantine, in the API server; these get DisruptionTarget=True
 *    `DeletionByPodGC` "PodGC: node no longer exists";
 *  - terminating pods never scheduled to a node.
 *
 * A pod not yet terminal is first set Failed (with the condition, when there
 * is one) so that it does not stay Running forever with no kubelet to say
 * otherwise. Pods are found through indexes kept from informer events
 * (terminated, terminating, by node), never by scanning every pod.
 */
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KObject, Lister, Stored, Time, Writable } from '../../sim/types.ts';
import { Priority } from '../../sim/types.ts';
import type { Component, Simulation } from '../../sim/simulation.ts';
import { ApiError } from '../../sim/errors.ts';
import { updatePodCondition } from '../../api/podCondition.ts';
import { TaintNodeOutOfService } from '../../api/taints.ts';
import { sharedPodNodeIndex, type PodNodeIndex, type PodObj } from '../podNodeIndex.ts';
import { TerminatedPods } from './terminatedPods.ts';
import { OrphanSuspects } from './orphanSuspects.ts';

export const ControllerName = 'pod-garbage-collector';
/** gcCheckPeriod */
export const GCCheckPeriod: Time = 20_000;
/** quarantineTime: how long a missing node may take to show up in the informer. */
export const QuarantineTime: Time = 40_000;
/** --terminated-pod-gc-threshold default. */
export const DefaultTerminatedPodGCThreshold = 12500;

type NodeObj = Node & KObject;

export interface PodGCConfig {
  terminatedPodGCThreshold: number;
}

/** isPodTerminated: any phase other than Pending, Running and Unknown (an empty phase counts, as upstream). */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase ?? '';
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** eviction.PodIsEvicted */
function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

/** byEvictionAndCreationTimestamp: evicted pods first, then by creationTimestamp, then by name. */
export function byEvictionAndCreationTimestamp(a: Pod, b: Pod): number {
  const ae = isEvicted(a);
  const be = isEvicted(b);
  if (ae !== be) return ae ? -1 : 1;
  const at = a.metadata?.creationTimestamp ?? '';
  const bt = b.metadata?.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/**
 * A terminal pod whose deletion with grace 0 was already accepted and that
 * only its finalizers keep: deleting it again would change nothing, so the
 * newest PodGC leaves it alone (it still counts towards the threshold).
 */
export function isOnlyWaitingForFinalizers(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return (
    (phase === 'Succeeded' || phase === 'Failed') &&
    pod.metadata?.deletionTimestamp !== undefined &&
    pod.metadata?.deletionGracePeriodSeconds === 0 &&
    (pod.metadata?.finalizers?.length ?? 0) > 0
  );
}

/** gcTerminated's choice: beyond the threshold, evicted then oldest first, skipping pods only waiting for finalizers. */
export function terminatedPodsToDelete<P extends Pod>(terminated: readonly P[], threshold: number): P[] {
  const deleteCount = terminated.length - threshold;
  if (threshold <= 0 || deleteCount <= 0) return [];
  const candidates = terminated.filter((p) => !isOnlyWaitingForFinalizers(p));
  return firstInOrder(candidates, deleteCount, byEvictionAndCreationTimestamp);
}

/**
 * `items` stably sorted by `cmp`, first `k` only: the same result as
 * `[...items].sort(cmp).slice(0, k)` (ties keep input order), in O(n log k)
 * with a bounded max-heap. The pod GC deletes a few pods out of the 12,500 it
 * keeps every 20 s, so sorting them all each pass was most of its cost.
 */
export function firstInOrder<T>(items: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (k * 4 >= items.length) return [...items].sort(cmp).slice(0, k);
  // Total order: cmp, then input position (the stable sort's tie-break).
  const before = (i: number, j: number): boolean => {
    const c = cmp(items[i]!, items[j]!);
    return c < 0 || (c === 0 && i < j);
  };
  // Max-heap of item indexes: the root is the last of the k kept so far.
  const heap: number[] = [];
  const up = (n: number): void => {
    while (n > 0) {
      const parent = (n - 1) >> 1;
      if (!before(heap[parent]!, heap[n]!)) break;
      [heap[parent], heap[n]] = [heap[n]!, heap[parent]!];
      n = parent;
    }
  };
  const down = (n: number): void => {
    for (;;) {
      const l = 2 * n + 1;
      const r = l + 1;
      let top = n;
      if (l < heap.length && before(heap[top]!, heap[l]!)) top = l;
      if (r < heap.length && before(heap[top]!, heap[r]!)) top = r;
      if (top === n) return;
      [heap[top], heap[n]] = [heap[n]!, heap[top]!];
      n = top;
    }
  };
  for (let i = 0; i < items.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (before(i, heap[0]!)) {
      heap[0] = i;
      down(0);
    }
  }
  heap.sort((i, j) => (before(i, j) ? -1 : 1));
  return heap.map((i) => items[i]!);
}

function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function keyOf(p: Stored<PodObj>): string {
  return `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
}

/** The indexes' key of a pod: its uid, a string the store already holds (no "namespace/name" built per watch event). */
function uidOf(p: Stored<PodObj>): string {
  return p.metadata.uid ?? keyOf(p);
}

/**
 * The pod GC's indexes, kept from the Pod informer's events: terminated pods in deletion order, and
 * terminating pods (being deleted), both by uid.
 */
export class PodGCIndexes {
  /** Terminated pods in deletion order (terminatedPods.ts), rather than a listing sorted every pass. */
  readonly terminated = new TerminatedPods<Stored<PodObj>>();
  readonly terminating = new Map<string, Stored<PodObj>>();

  /** `skipUnindexed` off: every update deletes from the indexes it does not belong in (tests compare the two). */
  constructor(private readonly skipUnindexed = true) {}

  /**
   * A pod added or updated; `old` is the version of the same pod this informer delivered last. Most updates
   * are of a pod neither terminated nor being deleted that was neither before: `old` shows it is in neither
   * index, and the two deletes (a probe each of a 12,500-pod map, for every update of every running pod)
   * would find nothing.
   */
  track(old: Stored<PodObj> | undefined, p: Stored<PodObj>): void {
    const key = uidOf(p);
    const known = this.skipUnindexed && old !== undefined && uidOf(old) === key;
    if (isPodTerminated(p)) {
      // A pod that has just become terminated (`old` was not) has no entry yet: filed without first looking
      // for one (a missed probe of the 12,500-pod map per finished pod).
      if (known && !isPodTerminated(old)) this.terminated.add(key, p);
      else this.terminated.set(key, p);
    } else if (!known || isPodTerminated(old)) this.terminated.delete(key);
    if (p.metadata.deletionTimestamp) this.terminating.set(key, p);
    else if (!known || old.metadata.deletionTimestamp) this.terminating.delete(key);
  }

  /**
   * The pod is gone; `p` is its last version, never behind the last one delivered to track. A pod is never
   * terminated or being deleted again once it was, so a last version that is not terminated (not being
   * deleted) shows that no version was, and the index holds no entry to delete (the delete would be a missed
   * probe of a cold 12,500-pod map per deleted pod).
   */
  untrack(p: Stored<PodObj>): void {
    const key = uidOf(p);
    if (!this.skipUnindexed || isPodTerminated(p)) this.terminated.delete(key);
    if (!this.skipUnindexed || p.metadata.deletionTimestamp) this.terminating.delete(key);
  }
}

class PodGCController {
  private nodes!: Lister<NodeObj>;
  /** The Pod informer's spec.nodeName index, shared with the other controllers that read it. */
  private podIndex!: PodNodeIndex;
  private readonly indexes = new PodGCIndexes();
  private readonly terminated = this.indexes.terminated;
  private readonly terminating = this.indexes.terminating;
  /** The delaying queue of node names not seen in the informer: name -> when it becomes ready. */
  private readonly nodeQueue = new Map<string, Time>();
  /** The nodes that may hold pods and be missing from the Node informer (orphanSuspects.ts). */
  private readonly suspects = new OrphanSuspects();
  /** gcOrphaned's steps, made once (not three closures per pass). */
  private readonly indexed = (name: string): boolean => this.podIndex.hasNode(name);
  private readonly present = (name: string): boolean => this.nodes.get('', name) !== undefined;
  private readonly quarantine = (name: string): void => {
    const cur = this.nodeQueue.get(name);
    const due = this.sim.now + QuarantineTime;
    if (cur === undefined || due < cur) this.nodeQueue.set(name, due);
  };

  constructor(
    private readonly sim: Simulation,
    private readonly cfg: PodGCConfig,
  ) {}

  start(): void {
    const rt = this.sim.runtime;
    this.podIndex = sharedPodNodeIndex(rt);
    this.podIndex.forEachNode((name) => this.suspects.add(name));
    this.podIndex.onNodeAdded((name) => this.suspects.add(name));
    this.nodes = rt.informer<NodeObj>('Node', { onDelete: (n) => this.suspects.add(n.metadata.name ?? '') }, ControllerName);
    rt.informer<PodObj>(
      'Pod',
      {
        onAdd: (p) => this.indexes.track(undefined, p),
        onUpdate: (o, p) => this.indexes.track(o, p),
        onDelete: (p) => this.indexes.untrack(p),
      },
      ControllerName,
    );
    const tick = (): void => {
      this.gc();
      this.sim.engine.after(GCCheckPeriod, tick, { priority: Priority.Controller, source: `controller/${ControllerName}`, periodic: true });
    };
    this.sim.engine.after(GCCheckPeriod, tick, { priority: Priority.Controller, source: `controller/${ControllerName}`, periodic: true });
  }

  private gc(): void {
    const terminating = [...this.terminating.values()]
      .map((p) => ({ key: keyOf(p), p }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((x) => x.p);
    if (this.cfg.terminatedPodGCThreshold > 0) this.gcTerminated();
    this.gcTerminating(terminating);
    this.gcOrphaned();
    this.gcUnscheduledTerminating(terminating);
  }

  private gcTerminated(): void {
    // The same choice as terminatedPodsToDelete over a listing of the terminated pods.
    for (const pod of this.terminated.toDelete(this.cfg.terminatedPodGCThreshold, isOnlyWaitingForFinalizers)) this.markFailedAndDeletePod(pod, undefined);
  }

  private gcTerminating(terminating: Stored<PodObj>[]): void {
    const outOfService: Stored<PodObj>[] = [];
    for (const pod of terminating) {
      const node = this.nodes.get('', pod.spec?.nodeName ?? '');
      if (!node) continue;
      if (!isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === TaintNodeOutOfService)) outOfService.push(pod);
    }
    outOfService.sort(byEvictionAndCreationTimestamp);
    for (const pod of outOfService) this.markFailedAndDeletePod(pod, undefined);
  }

  private gcOrphaned(): void {
    const now = this.sim.now;
    // Newly found unknown nodes go into quarantine (AddAfter keeps the earliest time of an item already waiting).
    // Found among the suspects (orphanSuspects.ts), not sorted and in no set order: what comes out (the deleted
    // nodes) is sorted below, and nothing else reads the queue's order.
    this.suspects.forEachMissing(this.indexed, this.present, this.quarantine);
    if (this.nodeQueue.size === 0) return;
    // discoverDeletedNodes: names out of quarantine, still missing from the informer, and gone from the API server.
    const deleted: string[] = [];
    for (const [name, readyAt] of [...this.nodeQueue]) {
      if (readyAt > now) continue;
      this.nodeQueue.delete(name);
      if (this.nodes.get('', name)) continue;
      if (!this.sim.store.get('Node', '', name)) deleted.push(name);
    }
    const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };
    for (const name of deleted.sort()) {
      for (const pod of this.podIndex.podsOn(name)) this.markFailedAndDeletePod(pod, condition);
    }
  }

  private gcUnscheduledTerminating(terminating: Stored<PodObj>[]): void {
    for (const pod of terminating) {
      if (pod.spec?.nodeName) continue;
      this.markFailedAndDeletePod(pod, undefined);
    }
  }

  /** markFailedAndDeletePodWithCondition: Failed (and the condition) unless already terminal, then delete with grace 0. */
  private markFailedAndDeletePod(pod: Stored<PodObj>, condition: PodCondition | undefined): void {
    const store = this.sim.store;
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    if (isOnlyWaitingForFinalizers(pod)) return;
    try {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const conditions = (pod.status?.conditions ?? []).map((c) => ({ ...c }));
        if (condition) updatePodCondition({ conditions }, condition, this.sim.timestamp());
        store.patch<Writable<PodObj>>(
          'Pod',
          namespace,
          name,
          (d) => {
            const status = (d.status ??= {});
            status.phase = 'Failed';
            if (condition) status.conditions = conditions;
          },
          { subresource: 'status', actor: ControllerName },
        );
      }
      store.delete('Pod', namespace, name, { gracePeriodSeconds: 0, actor: ControllerName, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      // Not found (already gone) and conflicts are left to the next pass, as upstream logs and moves on.
      if (!(err instanceof ApiError)) throw err;
    }
  }
}

/** Read spec.config.controllers.podGC. */
export function parsePodGCConfig(raw: unknown, path = 'spec.config.controllers.podGC'): { config: PodGCConfig; errors: Array<{ path: string; type: 'Invalid' | 'FieldValueUnknown'; value?: unknown; detail: string }> } {
  const config: PodGCConfig = { terminatedPodGCThreshold: DefaultTerminatedPodGCThreshold };
  const errors: Array<{ path: string; type: 'Invalid' | 'FieldValueUnknown'; value?: unknown; detail: string }> = [];
  if (raw === undefined || raw === null) return { config, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({ path, type: 'Invalid', value: raw, detail: 'must be a mapping' });
    return { config, errors };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (key !== 'terminatedPodGCThreshold') {
      errors.push({ path: `${path}.${key}`, type: 'FieldValueUnknown', detail: `unknown field ${JSON.stringify(key)}; supported: terminatedPodGCThreshold` });
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      errors.push({ path: `${path}.${key}`, type: 'Invalid', value, detail: 'must be a non-negative integer (0 turns the terminated-pod collection off)' });
    } else {
      config.terminatedPodGCThreshold = value;
    }
  }
  return { config, errors };
}

/** The pod garbage collector as a component of the simulated kube-controller-manager. */
export function createPodGCController(config: Partial<PodGCConfig> = {}): Component {
  return {
    name: ControllerName,
    start(sim: Simulation) {
      new PodGCController(sim, { terminatedPodGCThreshold: DefaultTerminatedPodGCThreshold, ...config }).start();
    },
  };
}
