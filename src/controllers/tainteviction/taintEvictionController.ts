/**
 * The taint eviction controller (`taint-eviction-controller`), following the
 * newest kube-controller-manager's pkg/controller/tainteviction
 * (taint_eviction.go, timed_workers.go), where the SeparateTaintEvictionController
 * gate (beta and on since v1.29) runs it apart from node lifecycle:
 *
 *  - a pod on a node with NoExecute taints it does not all tolerate is
 *    deleted at once; one that tolerates them all is deleted after the
 *    smallest tolerationSeconds among the tolerations used (never, when none
 *    of them has tolerationSeconds); the default 300 s tolerations of
 *    DefaultTolerationSeconds make that "five minutes after the node went
 *    away";
 *  - a scheduled deletion is kept while the taints stay (a later change
 *    does not restart its clock) and cancelled when they go, the pod goes,
 *    or its tolerations come to tolerate them forever;
 *  - deleting: the event `TaintManagerEviction` "Marking for deletion Pod
 *    <ns>/<name>", the pod condition DisruptionTarget=True
 *    `DeletionByTaintManager` "Taint manager: deleting due to NoExecute
 *    taint", then a delete with the pod's own grace period; cancelling:
 *    `TaintManagerEviction` "Cancelling deletion of Pod <ns>/<name>".
 *
 * Node changes are handled before pod changes, as upstream's workers do.
 */
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { EventId, KObject, Lister, Stored, Time, Writable } from '../../sim/types.ts';
import { Priority } from '../../sim/types.ts';
import type { Component, Simulation } from '../../sim/simulation.ts';
import { ApiError } from '../../sim/errors.ts';
import { updatePodCondition } from '../../api/podCondition.ts';
import { getMatchingTolerations } from '../../api/taints.ts';
import { sharedPodNodeIndex, type PodNodeIndex, type PodObj } from '../podNodeIndex.ts';

export const ControllerName = 'taint-eviction-controller';
/** The options of the controller's events, made once (the work event is scheduled for a few pod events each, ~3 per pod). */
const EventOpts = Object.freeze({ priority: Priority.Controller, source: `controller/${ControllerName}` });
const Retries = 5;

type NodeObj = Node & KObject;

/**
 * getMinTolerationTime: the smallest tolerationSeconds of the tolerations
 * used, in ms; 0 for none used or any non-positive value; -1 (forever) when
 * none of them sets tolerationSeconds.
 */
export function getMinTolerationTime(tolerations: readonly Toleration[]): Time {
  if (tolerations.length === 0) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    if (t.tolerationSeconds < min) min = t.tolerationSeconds;
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min * 1000;
}

/** The NoExecute taints of a node (getNoExecuteTaints). */
export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

interface ScheduledEviction {
  createdAt: Time;
  fireAt: Time;
  /** The timer; undefined once the deletion is under way. */
  timer: EventId | undefined;
}

interface PodItem {
  namespace: string;
  name: string;
  nodeName: string;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * sameJSON(noExecuteTaints(a), noExecuteTaints(b)), which the handler asks on every Node update, without the
 * two arrays and two JSON strings when the answer is plain: the same taint list (a status post shares the spec),
 * or no NoExecute taint on either side (perf: ~5% of an idle 5,000-node hour, every status post).
 */
export function sameNoExecuteTaints(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  if (a === b) return true;
  if (!hasNoExecute(a) && !hasNoExecute(b)) return true;
  return sameJSON(noExecuteTaints(a), noExecuteTaints(b));
}

function hasNoExecute(taints: readonly Taint[] | undefined): boolean {
  if (taints === undefined) return false;
  for (let i = 0; i < taints.length; i++) if (taints[i]!.effect === 'NoExecute') return true;
  return false;
}

class TaintEvictionController {
  private nodes!: Lister<NodeObj>;
  private pods!: Lister<PodObj>;
  /** The Pod informer's spec.nodeName index, shared with the other controllers that read it. */
  private podIndex!: PodNodeIndex;
  /** Nodes with at least one NoExecute taint, and those taints. */
  private readonly taintedNodes = new Map<string, Taint[]>();
  /** Scheduled deletions by "namespace/name" (the TimedWorkerQueue). */
  private readonly evictions = new Map<string, ScheduledEviction>();
  private readonly nodeQueue = new Set<string>();
  /**
   * The pods whose change was queued since the last work event (the deleted one for a delete), in delivery order:
   * work() makes upstream's de-duplicated queue of them (podQueueOf) only when some node is tainted or a deletion
   * is scheduled, since otherwise every item's handling is a no-op (perf: a "namespace/name/node" key and an item
   * per pod change, ~3 a pod, made for nothing in a cluster without NoExecute taints).
   */
  private podChanges: Array<Stored<PodObj>> = [];
  private workScheduled = false;
  /** The work event's callback, made once rather than a closure per kick. */
  private readonly workFn = (): void => this.work();

  constructor(
    private readonly sim: Simulation,
    /** false: work() handles the queued pods even when no node is tainted and no deletion scheduled, for tests that compare the two. */
    private readonly skipQuietPods = true,
  ) {}

  start(): void {
    const rt = this.sim.runtime;
    this.nodes = rt.informer<NodeObj>(
      'Node',
      {
        onAdd: (n) => this.nodeUpdated(undefined, n),
        onUpdate: (o, n) => this.nodeUpdated(o, n),
        onDelete: (n) => this.nodeUpdated(n, undefined),
      },
      ControllerName,
    );
    this.podIndex = sharedPodNodeIndex(rt);
    this.pods = rt.informer<PodObj>(
      'Pod',
      {
        onAdd: (p) => this.podUpdated(undefined, p),
        onUpdate: (o, p) => this.podUpdated(o, p),
        onDelete: (p) => this.podUpdated(p, undefined),
      },
      ControllerName,
    );
  }

  /** Scheduled deletions, for tests: "namespace/name" -> virtual time it fires. */
  scheduled(): Map<string, Time> {
    return new Map([...this.evictions].filter(([, e]) => e.timer !== undefined).map(([k, e]) => [k, e.fireAt]));
  }

  // ---- event handlers ----

  private nodeUpdated(old: Stored<NodeObj> | undefined, node: Stored<NodeObj> | undefined): void {
    const name = (node ?? old)?.metadata.name ?? '';
    if (old && node && sameNoExecuteTaints(old.spec?.taints, node.spec?.taints)) return;
    this.nodeQueue.add(name);
    this.kick();
  }

  private podUpdated(old: Stored<PodObj> | undefined, pod: Stored<PodObj> | undefined): void {
    if (old && pod && old.spec?.nodeName === pod.spec?.nodeName && sameJSON(old.spec?.tolerations, pod.spec?.tolerations)) return;
    // Stored objects are frozen: the item work() makes of it is the one made here before.
    this.podChanges.push((pod ?? old)!);
    this.kick();
  }

  /**
   * The pod work queue of the changes in `changes` (keyed "namespace/name/node", in first-queued order, the last
   * item for a key kept), as queueing each change into it gives.
   */
  private podQueueOf(changes: readonly Stored<PodObj>[]): Map<string, PodItem> {
    const queue = new Map<string, PodItem>();
    for (let i = 0; i < changes.length; i++) {
      const p = changes[i]!;
      const item: PodItem = { namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '', nodeName: p.spec?.nodeName ?? '' };
      queue.set(`${item.namespace}/${item.name}/${item.nodeName}`, item);
    }
    return queue;
  }

  /** The workers take queued items one reconcile latency later, node updates first. */
  private kick(): void {
    if (this.workScheduled) return;
    this.workScheduled = true;
    this.sim.engine.after(this.sim.runtime.timing.reconcileLatency, this.workFn, EventOpts);
  }

  private work(): void {
    this.workScheduled = false;
    if (this.nodeQueue.size > 0) {
      const nodes = [...this.nodeQueue];
      this.nodeQueue.clear();
      for (const n of nodes) this.handleNodeUpdate(n);
    }
    // The queue as it stands now is drained; anything queued meanwhile goes to a new list, for the next work event
    // (a new array, not the drained one emptied: setting its length is a runtime call, ~1 us, that shrinks its store).
    const pods = this.podChanges;
    this.podChanges = [];
    // No tainted node and nothing scheduled: each item's handling would find no taints for its node (or, the pod
    // gone, nothing to cancel), so none would change either, and the queue is not made.
    if (!this.skipQuietPods || this.taintedNodes.size > 0 || this.evictions.size > 0) {
      for (const p of this.podQueueOf(pods).values()) this.handlePodUpdate(p);
    }
  }

  private handleNodeUpdate(name: string): void {
    const node = this.nodes.get('', name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = this.podIndex.podsOn(name);
    if (pods.length === 0) return;
    if (taints.length === 0) {
      for (const p of pods) this.cancelWorkWithEvent(p.metadata.namespace ?? '', p.metadata.name ?? '');
      return;
    }
    for (const p of pods) this.processPodOnNode(p.metadata.namespace ?? '', p.metadata.name ?? '', p.spec?.tolerations, taints);
  }

  private handlePodUpdate(item: PodItem): void {
    const pod = this.pods.get(item.namespace, item.name);
    if (!pod) {
      this.cancelWorkWithEvent(item.namespace, item.name);
      return;
    }
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName !== item.nodeName || nodeName === '') return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return;
    this.processPodOnNode(item.namespace, item.name, pod.spec?.tolerations, taints);
  }

  private processPodOnNode(namespace: string, name: string, tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): void {
    const now = this.sim.now;
    const key = `${namespace}/${name}`;
    if (taints.length === 0) {
      this.cancelWorkWithEvent(namespace, name);
      return;
    }
    const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      // Not tolerated: any scheduled deletion gives way to deleting right away.
      this.cancelWorkWithEvent(namespace, name);
      this.addWork(namespace, name, now, now);
      return;
    }
    const min = getMinTolerationTime(used);
    if (min < 0) {
      this.cancelWorkWithEvent(namespace, name);
      return;
    }
    // A deletion already scheduled keeps its start: upstream compares createdAt + min with now + min,
    // and createdAt is always earlier on a real clock; at one virtual instant the two are equal, and
    // replacing the work then would only emit a spurious cancellation.
    if (this.evictions.has(key)) return;
    this.addWork(namespace, name, now, now + min);
  }

  private addWork(namespace: string, name: string, createdAt: Time, fireAt: Time): void {
    const key = `${namespace}/${name}`;
    if (this.evictions.has(key)) return;
    const entry: ScheduledEviction = { createdAt, fireAt, timer: undefined };
    this.evictions.set(key, entry);
    const delay = fireAt - createdAt;
    if (delay <= 0) {
      this.deletePod(namespace, name);
      return;
    }
    entry.timer = this.sim.engine.after(
      delay,
      () => {
        entry.timer = undefined;
        this.deletePod(namespace, name);
      },
      EventOpts,
    );
  }

  private cancelWorkWithEvent(namespace: string, name: string): void {
    // Nothing scheduled (the usual case, a deleted pod on an untainted node): no key to make and look up.
    if (this.evictions.size === 0) return;
    const key = `${namespace}/${name}`;
    const entry = this.evictions.get(key);
    if (!entry) return;
    this.evictions.delete(key);
    if (entry.timer === undefined) return;
    this.sim.engine.cancel(entry.timer);
    this.event(namespace, name, `Cancelling deletion of Pod ${key}`);
  }

  private event(namespace: string, name: string, message: string): void {
    this.sim.recorder.event({ apiVersion: 'v1', kind: 'Pod', namespace, name }, 'Normal', 'TaintManagerEviction', message, { component: ControllerName });
  }

  /** deletePodHandler: the event, then the DisruptionTarget condition and the delete, retried on conflicts. */
  private deletePod(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    this.event(namespace, name, `Marking for deletion Pod ${key}`);
    for (let i = 0; i < Retries; i++) {
      try {
        this.addConditionAndDeletePod(namespace, name);
        break;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.reason === 'NotFound') break;
      }
    }
    this.evictions.delete(key);
  }

  private addConditionAndDeletePod(namespace: string, name: string): void {
    const store = this.sim.store;
    const pod = store.get<PodObj>('Pod', namespace, name);
    if (!pod) throw ApiError.notFound('Pod', name);
    const status = { conditions: (pod.status?.conditions ?? []).map((c) => ({ ...c })) };
    const updated = updatePodCondition(
      status,
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' },
      this.sim.timestamp(),
    );
    if (updated) {
      store.patch<Writable<PodObj>>(
        'Pod',
        namespace,
        name,
        (d) => {
          (d.status ??= {}).conditions = status.conditions;
        },
        { subresource: 'status', actor: ControllerName, resourceVersion: pod.metadata.resourceVersion },
      );
    }
    store.delete('Pod', namespace, name, { actor: ControllerName, preconditions: { uid: pod.metadata.uid } });
  }
}

/** The taint eviction controller as a component of the simulated kube-controller-manager. */
export function createTaintEvictionController(opts: { skipQuietPods?: boolean } = {}): Component & { scheduled(): Map<string, Time> } {
  let controller: TaintEvictionController | undefined;
  return {
    name: ControllerName,
    start(sim: Simulation) {
      controller = new TaintEvictionController(sim, opts.skipQuietPods ?? true);
      controller.start();
    },
    scheduled() {
      return controller?.scheduled() ?? new Map();
    },
  };
}
