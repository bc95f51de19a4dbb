/**
 * The scheduling queue, following kube-scheduler v1.35
 * pkg/scheduler/backend/queue/scheduling_queue.go (PriorityQueue),
 * backoff_queue.go and active_queue.go, with queueing hints enabled (the
 * SchedulerQueueingHints behaviour, on since v1.32; off, every hint answers Queue):
 *  - activeQ: a heap ordered by the QueueSort plugin;
 *  - podBackoffQ: a heap ordered by backoff expiry, where backoff is
 *    podInitialBackoff * 2^(attempts-1) capped at podMaxBackoff (no backoff
 *    before the first attempt);
 *  - unschedulablePods: rejected pods waiting for a cluster event, flushed
 *    after podMaxInUnschedulablePodsDuration (5m) by a 30s periodic flush;
 *    PreEnqueue-gated pods also wait here;
 *  - MoveAllToActiveOrBackoffQueue: each rejector plugin's registered events
 *    and queueing hints decide Queue (backoff/active) or QueueSkip;
 *  - events seen while a pod is in flight (popped, not Done) are replayed
 *    when it comes back unschedulable, so it goes to backoff instead of
 *    waiting for another event;
 *  - SchedulerPopFromBackoffQ (beta, on since v1.33): pods that failed with
 *    an error (no rejecting plugin) back off in a separate podErrorBackoffQ;
 *    backoff expiries are truncated to 1 s ordering windows (a pod still
 *    backs off while its window is the current one), podBackoffQ orders one
 *    window's pods as activeQ does, and when activeQ is empty the next pod is
 *    popped from podBackoffQ without waiting for its backoff to end.
 *
 * The queue is passive: the scheduler component drives the periodic flushes
 * and pops from engine events.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored, Time } from '../../sim/types.ts';
import type { PodInfo, QueuedPodInfo, QueueingHintFn } from '../framework/types.ts';
import { newPodInfo, podKey } from '../framework/podInfo.ts';
import type { Framework } from '../framework/runtime.ts';
import { KeyedHeap, type SortKeys } from './heap.ts';
import { Events, isWildCard, matchEvent, podSchedulingPropertiesChange, type LabeledEvent } from './events.ts';
import { Nominator, type NominatingInfo } from './nominator.ts';

export const DefaultPodMaxInUnschedulablePodsDuration: Time = 5 * 60 * 1000;
const SchedulingGatesPlugin = 'SchedulingGates';

/** A queued pod with the queue's bookkeeping. */
export interface QueuedPod extends QueuedPodInfo {
  key: string;
  gated: boolean;
}

type Strategy = 'skip' | 'backoff' | 'immediate';
type Where = 'activeQ' | 'backoffQ' | 'unschedulablePods';

interface HintEntry {
  event: LabeledEvent | { resource: LabeledEvent['resource']; actionType: number };
  pluginName: string;
  hint?: QueueingHintFn;
}

interface InFlightEvent {
  seq: number;
  event: LabeledEvent;
  oldObj: Stored | undefined;
  newObj: Stored | undefined;
}

export interface PriorityQueueOptions {
  profiles: ReadonlyMap<string, Framework>;
  now: () => Time;
  podInitialBackoff?: Time;
  podMaxBackoff?: Time;
  podMaxInUnschedulablePodsDuration?: Time;
  /** The current informer version of a pod (nominator and failure handling checks), if it exists. */
  podLister?: (namespace: string, name: string) => Stored<Pod & KObject> | undefined;
  /**
   * The SchedulerQueueingHints gate (default on since v1.32, locked on since
   * v1.34). Off, every hint answers Queue, as upstream then installs
   * defaultQueueingHintFn: any event a rejecting plugin registered for requeues the pod.
   */
  queueingHints?: boolean;
  /** The SchedulerPopFromBackoffQ gate (beta, on since v1.33). */
  popFromBackoffQ?: boolean;
  /** false: the heaps compare with the sort functions only (the straightforward path, for equivalence tests). Default true. */
  fastPath?: boolean;
}

/** upstream backoffQOrderingWindowDuration. */
export const BackoffQOrderingWindow: Time = 1000;

export class PriorityQueue {
  readonly nominator: Nominator;
  private readonly activeQ: KeyedHeap<QueuedPod>;
  /** podBackoffQ (and, with PopFromBackoffQ off, the error retries too). */
  private readonly backoffQ: KeyedHeap<QueuedPod>;
  /** podErrorBackoffQ: pods that failed without a rejecting plugin (PopFromBackoffQ on). */
  private readonly errorBackoffQ: KeyedHeap<QueuedPod>;
  private readonly popFromBackoffQ: boolean;
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly hintMap = new Map<string, HintEntry[]>();
  private readonly inFlightPods = new Map<string, number>();
  /**
   * In-flight pods in pop order (their sequence numbers increase), with a
   * head that skips the ones already done: the oldest in-flight sequence in
   * amortised O(1). Reading a Map's first entry instead walks the slots of
   * every entry deleted before it, O(n) per call and O(n²) over a burst.
   * Two parallel arrays (key, sequence) rather than an entry object per pop
   * (perf: one object less per scheduling attempt).
   */
  private inFlightOrderKeys: string[] = [];
  private inFlightOrderSeqs: number[] = [];
  private inFlightOrderHead = 0;
  private inFlightEvents: InFlightEvent[] = [];
  /** Events before this index are older than every in-flight pod. */
  private inFlightHead = 0;
  private seq = 0;
  private cycle = 0;
  private readonly initialBackoff: Time;
  private readonly maxBackoff: Time;
  private readonly maxInUnschedulable: Time;
  /** Called when a pod enters activeQ (the scheduler uses it to start a cycle). */
  onActivated: () => void = () => {};

  constructor(private readonly opts: PriorityQueueOptions) {
    this.initialBackoff = opts.podInitialBackoff ?? 1000;
    this.maxBackoff = opts.podMaxBackoff ?? 10000;
    this.maxInUnschedulable = opts.podMaxInUnschedulablePodsDuration ?? DefaultPodMaxInUnschedulablePodsDuration;
    const first = [...opts.profiles.values()][0];
    const less = first ? (a: QueuedPod, b: QueuedPod) => first.queueSortLess(a, b) : (a: QueuedPod, b: QueuedPod) => a.timestamp < b.timestamp;
    const compare = first ? first.queueSortCompare() : null;
    const fast = opts.fastPath !== false;
    const sortKeys = fast && first ? first.queueSortKeys() : null;
    this.activeQ = new KeyedHeap<QueuedPod>((q) => q.key, less, compare, sortKeys);
    this.popFromBackoffQ = opts.popFromBackoffQ ?? false;
    const byExpiry = (a: QueuedPod, b: QueuedPod): boolean => this.backoffExpiry(a) < this.backoffExpiry(b);
    // upstream lessBackoffCompletedWithPriority: one window's pods in activeQ order.
    const byWindowThenPriority = (a: QueuedPod, b: QueuedPod): boolean => {
      const ea = this.backoffExpiry(a);
      const eb = this.backoffExpiry(b);
      return ea !== eb ? ea < eb : less(a, b);
    };
    // The same orders as numbers kept in the heaps' entries (perf: a pod's expiry was worked
    // out twice per comparison; 150,000 pods in backoff made it most of a run). A pod's
    // timestamp and attempts do not change while it is in a backoff heap; an update re-keys it.
    const expiryKeys: SortKeys<QueuedPod> | null = fast ? { first: (q) => this.backoffExpiry(q), second: () => 0 } : null;
    const windowKeys: SortKeys<QueuedPod> | null =
      sortKeys !== null ? { first: (q) => this.backoffExpiry(q), second: (q) => sortKeys.first(q), third: (q) => sortKeys.second(q) } : null;
    this.backoffQ = new KeyedHeap<QueuedPod>((q) => q.key, this.popFromBackoffQ ? byWindowThenPriority : byExpiry, null, this.popFromBackoffQ ? windowKeys : expiryKeys);
    this.errorBackoffQ = new KeyedHeap<QueuedPod>((q) => q.key, byExpiry, null, expiryKeys);
    const lister = opts.podLister;
    this.nominator = new Nominator(
      lister
        ? (p) => {
            const cur = lister(p.metadata?.namespace ?? '', p.metadata?.name ?? '');
            return !!cur && !cur.spec?.nodeName;
          }
        : undefined,
    );
    // upstream buildQueueingHintMap: per profile, every registered event of every rejecting plugin.
    for (const [name, fw] of opts.profiles) {
      const entries: HintEntry[] = [];
      for (const ext of fw.enqueueExtensions) {
        for (const e of ext.events) entries.push({ event: e.event, pluginName: ext.pluginName, ...(e.hint ? { hint: e.hint } : {}) });
      }
      this.hintMap.set(name, entries);
    }
  }

  private now(): Time {
    return this.opts.now();
  }

  private frameworkFor(pod: Pod): Framework | undefined {
    return this.opts.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
  }

  newQueuedPod(pod: Stored<Pod & KObject>): QueuedPod {
    return {
      key: podKey(pod),
      podInfo: newPodInfo(pod),
      timestamp: this.now(),
      attempts: 0,
      unschedulablePlugins: new Set(),
      pendingPlugins: new Set(),
      gated: false,
    };
  }

  // ---- backoff ----

  /** upstream calculateBackoffDuration: initial * 2^(attempts-1), capped; none before the first attempt. */
  backoffDuration(q: QueuedPodInfo): Time {
    if (q.attempts === 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return d;
  }

  /**
   * upstream getBackoffTime: timestamp + backoff, truncated to its ordering
   * window with PopFromBackoffQ; -Infinity (Go's zero time) before the first attempt.
   */
  backoffExpiry(q: QueuedPodInfo): Time {
    if (!this.popFromBackoffQ) return q.timestamp + this.backoffDuration(q);
    if (q.attempts === 0) return -Infinity;
    return alignToWindow(q.timestamp + this.backoffDuration(q));
  }

  isPodBackingOff(q: QueuedPodInfo): boolean {
    // upstream isPodBackingoff: a gated pod is never backing off (it waits in unschedulablePods).
    if ((q as Partial<QueuedPod>).gated) return false;
    // With ordering windows a pod whose window is the current one still backs off.
    if (this.popFromBackoffQ) return this.backoffExpiry(q) >= alignToWindow(this.now());
    return this.backoffExpiry(q) > this.now();
  }

  // ---- the two backoff heaps ----

  private inBackoff(key: string): boolean {
    return this.backoffQ.has(key) || this.errorBackoffQ.has(key);
  }

  private getBackoff(key: string): QueuedPod | undefined {
    return this.backoffQ.get(key) ?? this.errorBackoffQ.get(key);
  }

  private deleteBackoff(key: string): void {
    this.backoffQ.delete(key);
    this.errorBackoffQ.delete(key);
  }

  /** upstream backoffQueue.add: error retries (no rejecting plugin) go to podErrorBackoffQ when PopFromBackoffQ is on. */
  private addBackoff(q: QueuedPod): void {
    const isError = q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0;
    if (this.popFromBackoffQ && isError) {
      this.errorBackoffQ.addOrUpdate(q);
      this.backoffQ.delete(q.key);
      return;
    }
    this.backoffQ.addOrUpdate(q);
    this.errorBackoffQ.delete(q.key);
    // A pod in podBackoffQ can be popped at once when activeQ is empty.
    if (this.popFromBackoffQ) this.onActivated();
  }

  /** Whether pop() would return a pod now. */
  hasPoppable(): boolean {
    return this.activeQ.length > 0 || (this.popFromBackoffQ && this.backoffQ.length > 0);
  }

  // ---- moving pods ----

  /** upstream runPreEnqueuePlugins + moveToActiveQ: gated pods wait in unschedulablePods. */
  private moveToActiveQ(q: QueuedPod, event: string): boolean {
    const gatedBefore = q.gated;
    const fw = this.frameworkFor(q.podInfo.pod);
    const gate = fw ? fw.runPreEnqueuePlugins(q.podInfo.pod) : null;
    q.gated = gate !== null;
    if (gate) {
      q.unschedulablePlugins.add(gate.plugin);
      q.gatingPlugin = gate.plugin;
      if (this.activeQ.has(q.key) || this.inBackoff(q.key)) return false;
      this.unschedulable.set(q.key, q);
      return false;
    }
    delete q.gatingPlugin;
    if (gatedBefore) q.unschedulablePlugins.delete(SchedulingGatesPlugin);
    if (q.initialAttemptTimestamp === undefined) q.initialAttemptTimestamp = this.now();
    this.activeQ.addOrUpdate(q);
    this.unschedulable.delete(q.key);
    this.deleteBackoff(q.key);
    if (event === Events.unscheduledPodAdd.label || event === Events.unscheduledPodUpdate.label) {
      this.nominator.addNominatedPod(q.podInfo, null);
    }
    this.onActivated();
    return true;
  }

  /** A new unscheduled pod (upstream Add). */
  add(pod: Stored<Pod & KObject>): void {
    this.moveToActiveQ(this.newQueuedPod(pod), Events.unscheduledPodAdd.label);
  }

  /** upstream Update for an unscheduled pod. */
  update(oldPod: Stored<Pod & KObject>, newPod: Stored<Pod & KObject>): void {
    const key = podKey(newPod);
    if (this.inFlightPods.has(key)) {
      // The in-flight pod is re-queued from the informer's latest version; remember the update for its hint.
      this.recordInFlightEvent(Events.unscheduledPodUpdate, oldPod, newPod);
      return;
    }
    const inActive = this.activeQ.get(key);
    if (inActive) {
      inActive.podInfo = newPodInfo(newPod);
      this.activeQ.addOrUpdate(inActive);
      this.nominator.updateNominatedPod(oldPod, inActive.podInfo);
      return;
    }
    const inBackoff = this.getBackoff(key);
    if (inBackoff) {
      inBackoff.podInfo = newPodInfo(newPod);
      (this.backoffQ.has(key) ? this.backoffQ : this.errorBackoffQ).addOrUpdate(inBackoff);
      this.nominator.updateNominatedPod(oldPod, inBackoff.podInfo);
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      u.podInfo = newPodInfo(newPod);
      this.nominator.updateNominatedPod(oldPod, u.podInfo);
      for (const evt of podSchedulingPropertiesChange(newPod, oldPod)) {
        const strategy = this.isPodWorthRequeuing(u, evt, oldPod, newPod);
        const where = this.requeueViaHint(u, strategy, Events.unscheduledPodUpdate.label);
        if (where !== 'unschedulablePods') this.unschedulable.delete(key);
        if (where === 'activeQ') break;
      }
      return;
    }
    this.moveToActiveQ(this.newQueuedPod(newPod), Events.unscheduledPodUpdate.label);
  }

  /** upstream Delete: the pod left the queue's responsibility (deleted, or assigned). */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.delete(pod);
    this.activeQ.delete(key);
    this.deleteBackoff(key);
    this.unschedulable.delete(key);
  }

  /**
   * upstream Pop (non-blocking): the next pod, now in flight. With
   * PopFromBackoffQ an empty activeQ yields podBackoffQ's head (never an error retry).
   */
  pop(): QueuedPod | undefined {
    const q = this.activeQ.pop() ?? (this.popFromBackoffQ ? this.backoffQ.pop() : undefined);
    if (!q) return undefined;
    q.attempts++;
    this.cycle++;
    this.inFlightPods.set(q.key, this.seq);
    this.inFlightOrderKeys.push(q.key);
    this.inFlightOrderSeqs.push(this.seq);
    // Only when not empty: Set.prototype.clear allocates a new hash table even for an empty set
    // (perf: two tables and runtime calls per pop, ~0.2 us each; a first attempt's sets are empty).
    if (q.unschedulablePlugins.size !== 0) q.unschedulablePlugins.clear();
    if (q.pendingPlugins.size !== 0) q.pendingPlugins.clear();
    return q;
  }

  /** upstream Done: the pod's scheduling attempt is over. */
  done(key: string): void {
    if (!this.inFlightPods.delete(key)) return;
    if (this.inFlightPods.size === 0) {
      // (Usually already empty: the length setter is a runtime call even then.)
      if (this.inFlightEvents.length !== 0) this.inFlightEvents.length = 0;
      this.inFlightHead = 0;
      // Every entry is stale now: skip them all and keep the arrays (perf: two new arrays and their
      // backing stores per pod otherwise, as in-flight usually drains after each attempt); compacted past 1024.
      if (this.inFlightOrderKeys.length > 1024) {
        this.inFlightOrderKeys = [];
        this.inFlightOrderSeqs = [];
      }
      this.inFlightOrderHead = this.inFlightOrderKeys.length;
      return;
    }
    const min = this.oldestInFlightSeq();
    while (this.inFlightHead < this.inFlightEvents.length && this.inFlightEvents[this.inFlightHead]!.seq <= min) this.inFlightHead++;
    if (this.inFlightHead > 1024 && this.inFlightHead * 2 > this.inFlightEvents.length) {
      this.inFlightEvents = this.inFlightEvents.slice(this.inFlightHead);
      this.inFlightHead = 0;
    }
  }

  /** The smallest sequence number among in-flight pods (there is at least one). */
  private oldestInFlightSeq(): number {
    const keys = this.inFlightOrderKeys;
    const seqs = this.inFlightOrderSeqs;
    let head = this.inFlightOrderHead;
    // An entry is stale once its pod is done (or popped again with a newer sequence).
    while (this.inFlightPods.get(keys[head]!) !== seqs[head]!) head++;
    const seq = seqs[head]!;
    if (head > 1024 && head * 2 > keys.length) {
      this.inFlightOrderKeys = keys.slice(head);
      this.inFlightOrderSeqs = seqs.slice(head);
      head = 0;
    }
    this.inFlightOrderHead = head;
    return seq;
  }

  schedulingCycle(): number {
    return this.cycle;
  }

  private recordInFlightEvent(event: LabeledEvent, oldObj: Stored | undefined, newObj: Stored | undefined): void {
    if (this.inFlightPods.size === 0) return;
    this.inFlightEvents.push({ seq: ++this.seq, event, oldObj, newObj });
  }

  /**
   * upstream AddUnschedulableIfNotPresent: a pod back from a failed attempt.
   * Events seen during its attempt may send it straight to backoff/active.
   */
  addUnschedulableIfNotPresent(q: QueuedPod): Where | undefined {
    const key = q.key;
    const since = this.inFlightPods.get(key);
    try {
      if (this.unschedulable.has(key) || this.activeQ.has(key) || this.inBackoff(key)) return undefined;
      q.timestamp = this.now();
      const strategy = this.hintForInFlightPod(q, since ?? this.seq);
      return this.requeueViaHint(q, strategy, 'ScheduleAttemptFailure');
    } finally {
      this.done(key);
    }
  }

  private hintForInFlightPod(q: QueuedPod, since: number): Strategy {
    if (q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0) return 'backoff';
    let strategy: Strategy = 'skip';
    for (let i = this.inFlightHead; i < this.inFlightEvents.length; i++) {
      const e = this.inFlightEvents[i]!;
      if (e.seq <= since) continue;
      const s = this.isPodWorthRequeuing(q, e.event, e.oldObj, e.newObj);
      if (s === 'immediate') return 'immediate';
      if (s === 'backoff') {
        strategy = 'backoff';
        if (q.pendingPlugins.size === 0) return 'backoff';
      }
    }
    return strategy;
  }

  /** upstream isPodWorthRequeuing. */
  private isPodWorthRequeuing(q: QueuedPod, event: LabeledEvent, oldObj: Stored | undefined, newObj: Stored | undefined): Strategy {
    if (q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0) return 'backoff';
    if (isWildCard(event)) return 'backoff';
    const entries = this.hintMap.get(q.podInfo.pod.spec?.schedulerName ?? 'default-scheduler');
    if (!entries) return 'backoff';
    let strategy: Strategy = 'skip';
    for (const h of entries) {
      if (!q.unschedulablePlugins.has(h.pluginName) && !q.pendingPlugins.has(h.pluginName)) continue;
      if (!matchEvent(h.event, event)) continue;
      let hint: 'Queue' | 'QueueSkip' = 'Queue';
      if (h.hint && this.opts.queueingHints !== false) {
        try {
          hint = h.hint(q.podInfo.pod, oldObj, newObj);
        } catch {
          hint = 'Queue';
        }
      }
      if (hint === 'QueueSkip') continue;
      if (q.pendingPlugins.has(h.pluginName)) return 'immediate';
      if (q.pendingPlugins.size === 0) return 'backoff';
      strategy = 'backoff';
    }
    return strategy;
  }

  /** upstream requeuePodViaQueueingHint. */
  private requeueViaHint(q: QueuedPod, strategy: Strategy, event: string): Where {
    if (strategy === 'skip') {
      this.unschedulable.set(q.key, q);
      return 'unschedulablePods';
    }
    if (strategy === 'backoff' && this.isPodBackingOff(q)) {
      this.addBackoff(q);
      return 'backoffQ';
    }
    if (this.moveToActiveQ(q, event)) return 'activeQ';
    return 'unschedulablePods';
  }

  /** upstream movePodsToActiveOrBackoffQueue. */
  private movePods(list: QueuedPod[], event: LabeledEvent, oldObj: Stored | undefined, newObj: Stored | undefined): void {
    for (const q of list) {
      // Gated pods only become schedulable through their own updates (upstream issue 124384 fast path).
      if (q.gated && q.unschedulablePlugins.has(SchedulingGatesPlugin)) continue;
      const strategy = this.isPodWorthRequeuing(q, event, oldObj, newObj);
      if (strategy === 'skip') continue;
      this.unschedulable.delete(q.key);
      this.requeueViaHint(q, strategy, event.label);
    }
    this.recordInFlightEvent(event, oldObj, newObj);
  }

  /** upstream MoveAllToActiveOrBackoffQueue. */
  moveAllToActiveOrBackoffQueue(event: LabeledEvent, oldObj?: Stored, newObj?: Stored, preCheck?: (pod: Pod) => boolean): void {
    // Nothing waiting: movePods of an empty list only records the event (perf: a list and an
    // iterator per cluster event, most of them with no unschedulable pod).
    if (this.unschedulable.size === 0) {
      this.recordInFlightEvent(event, oldObj, newObj);
      return;
    }
    const list: QueuedPod[] = [];
    for (const q of this.unschedulable.values()) if (!preCheck || preCheck(q.podInfo.pod)) list.push(q);
    this.movePods(list, event, oldObj, newObj);
  }

  /** upstream flushBackoffQCompleted (every 1s): podBackoffQ, then podErrorBackoffQ. */
  flushBackoffQCompleted(): void {
    for (const heap of [this.backoffQ, this.errorBackoffQ]) {
      for (;;) {
        const q = heap.peek();
        if (!q || this.isPodBackingOff(q)) break;
        heap.pop();
        this.moveToActiveQ(q, 'BackoffComplete');
      }
    }
  }

  /** upstream flushUnschedulablePodsLeftover (every 30s): pods waiting longer than the limit. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    const list: QueuedPod[] = [];
    for (const q of this.unschedulable.values()) if (now - q.timestamp > this.maxInUnschedulable) list.push(q);
    if (list.length > 0) this.movePods(list, Events.unschedulableTimeout, undefined, undefined);
  }

  /** upstream Activate: move the given pods (if waiting) to activeQ. */
  activate(pods: Pod[]): void {
    for (const p of pods) {
      const key = podKey(p);
      const q = this.unschedulable.get(key) ?? this.getBackoff(key);
      if (!q) continue;
      this.moveToActiveQ(q, 'ForceActivate');
    }
  }

  /** The nominated-pod bookkeeping after a failure (upstream AddNominatedPod in handleSchedulingFailure). */
  addNominatedPod(pi: PodInfo, ni: NominatingInfo | null): void {
    this.nominator.addNominatedPod(pi, ni);
  }

  /** Where a pod currently waits, if anywhere. */
  whereIs(pod: Pod): Where | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'activeQ';
    if (this.inBackoff(key)) return 'backoffQ';
    if (this.unschedulable.has(key)) return 'unschedulablePods';
    if (this.inFlightPods.has(key)) return 'inFlight';
    return undefined;
  }

  get(pod: Pod): QueuedPod | undefined {
    const key = podKey(pod);
    return this.activeQ.get(key) ?? this.getBackoff(key) ?? this.unschedulable.get(key);
  }

  /** Counts per sub-queue (upstream PendingPods / metrics). */
  stats(): { active: number; backoff: number; unschedulable: number; gated: number; inFlight: number } {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    return { active: this.activeQ.length, backoff: this.backoffQ.length + this.errorBackoffQ.length, unschedulable: this.unschedulable.size - gated, gated, inFlight: this.inFlightPods.size };
  }

  /** Whether unschedulablePods holds any pod, gated or not (stats().unschedulable + stats().gated > 0, without counting). */
  hasUnschedulableOrGated(): boolean {
    return this.unschedulable.size > 0;
  }

  get activeLength(): number {
    return this.activeQ.length;
  }

  /**
   * Whether some pod in backoffQ got there because of a cluster event or a
   * rejection (not just an error retry): such retries keep a run alive.
   */
  hasEventDrivenBackoff(): boolean {
    for (const q of this.backoffQ.list()) if (q.unschedulablePlugins.size > 0 || q.pendingPlugins.size > 0) return true;
    return false;
  }

  /**
   * The earliest time a backing-off pod completes, for scheduling a precise
   * flush (undefined when both backoff heaps are empty). With ordering
   * windows that is the start of the window after the pod's.
   */
  nextBackoffExpiry(): Time | undefined {
    const a = this.backoffQ.peek();
    const b = this.errorBackoffQ.peek();
    if (a === undefined && b === undefined) return undefined;
    const ea = a === undefined ? Infinity : this.backoffExpiry(a);
    const eb = b === undefined ? Infinity : this.backoffExpiry(b);
    const e = Math.min(ea, eb);
    return this.popFromBackoffQ ? e + BackoffQOrderingWindow : e;
  }
}

/** upstream alignToWindow: t truncated to its backoff ordering window (time.Truncate). */
function alignToWindow(t: Time): Time {
  return Math.floor(t / BackoffQOrderingWindow) * BackoffQOrderingWindow;
}
