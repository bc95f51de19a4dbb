/**
 * kube-scheduler as a ksim component, following v1.35
 * pkg/scheduler/scheduler.go, eventhandlers.go (informer wiring and event
 * routing), schedule_one.go (ScheduleOne, schedulingCycle, bindingCycle,
 * handleBindingCycleError, handleSchedulingFailure, updatePod) and
 * pkg/registry/core/pod/storage (the Binding subresource: spec.nodeName plus
 * condition PodScheduled=True in one write; since v1.35 by default also the
 * node's zone/region labels and a cleared nominatedNodeName, see
 * src/api/podBinding.ts). Per-release: PodScheduled's observedGeneration
 * (v1.34+); popping from backoffQ when activeQ is empty (SchedulerPopFromBackoffQ,
 * v1.33+, see queue/schedulingQueue.ts). Not yet per-release
 * (docs/release-audit-1.32-1.35.md): PreBind/Bind failures retried after
 * backoff regardless of events (v1.33+), NominatedNodeNameForExpectation.
 *
 * Virtual time and ordering:
 *  - scheduling cycles run one pod at a time as engine events at
 *    Priority.Scheduler; a cycle costs `timing.cycle` ms (default 0: cycles
 *    at one instant run back to back, in queue order);
 *  - the binding cycle runs `timing.bind` ms (default 1) after its scheduling
 *    cycle ends, at Priority.Binding;
 *  - backoffQ flushes happen on upstream's 1s grid (from the scheduler's
 *    start) but an event is only scheduled when a pod is backing off;
 *    the unschedulable-pods flush runs on the 30s grid as a periodic
 *    (background) event while pods wait there.
 * Tie-breaks use the rng stream "scheduler"; everything else is ordered.
 */
import { FeatureGates } from '../api/featureGates.ts';
import type { Pod, Node, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Engine, KObject, Lister, Recorder, RngStreams, Runtime, Stored, Store, Time, Rng } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import { ApiError } from '../sim/errors.ts';
import { loadSchedulerConfig, type SchedulerConfiguration } from './config.ts';
import { buildProfiles } from './profile.ts';
import { inTreeRegistry } from './registry.ts';
import { SchedulerCache, assumedPodInfo } from './cache/cache.ts';
import { PriorityQueue, type QueuedPod } from './queue/schedulingQueue.ts';
import { Events, nodeSchedulingPropertiesChange, podSchedulingPropertiesChange, type LabeledEvent } from './queue/events.ts';
import type { NominatingInfo } from './queue/nominator.ts';
import { Framework, type FrameworkDeps } from './framework/runtime.ts';
import { newCycleState } from './framework/cycleState.ts';
import { newPodInfo, podKey } from './framework/podInfo.ts';
import { Code, Status, type PluginFactory, type PodInfo, type Result } from './framework/types.ts';
import { schedulePod, fullNodeToStatus, statusRecord, type ScheduleContext } from './framework/algorithm.ts';
import { FitError, addPluginStatus, newDiagnosis, truncateMessage } from './framework/fitError.ts';
import { newAttemptRecord, type AttemptRecord, type AttemptRecorder } from './explain/record.ts';
import { preemptPod } from './preemption/executor.ts';
import { podConditionWouldChange, updatePodCondition } from '../api/podCondition.ts';
import { boundPod } from '../api/podBinding.ts';

type PodObj = Stored<Pod & KObject>;
type NodeObj = Stored<Node & KObject>;
/** A pod as a patch draft (kubernetes-types marks status read-only). */
type PodDraft = Omit<Pod, 'status'> & { status?: PodStatus } & KObject;

/** How often a waiting PreBind is polled (VolumeBinding's checkBindings runs every second upstream). */
export const PreBindPollInterval = 1000;

/** What the scheduler needs of a Simulation (structurally satisfied by src/sim/simulation.ts). */
export interface SimHost {
  readonly engine: Engine;
  readonly store: Store;
  readonly runtime: Runtime;
  readonly recorder: Recorder;
  readonly rng: RngStreams;
  readonly now: Time;
  timestamp(t?: Time): string;
}

export interface SchedulerTiming {
  /** Virtual ms one scheduling cycle takes (default 0). */
  cycle?: Time;
  /** Virtual ms from the end of the scheduling cycle to the Binding write (default 1). */
  bind?: Time;
}

export interface SchedulerOptions {
  /** A KubeSchedulerConfiguration object (kubescheduler.config.k8s.io/v1); undefined = defaults. */
  config?: unknown;
  registry?: ReadonlyMap<string, PluginFactory>;
  timing?: SchedulerTiming;
  recorder?: AttemptRecorder;
  /** Component name (default "scheduler"). */
  name?: string;
  /** Feature gates and emulated version (default: the newest release's defaults). */
  featureGates?: FeatureGates;
  /**
   * false: evaluate without the hot-path shortcuts (compact per-node arrays,
   * skipped plugins): the reference test/scheduler/equivalence.test.ts
   * compares decisions against. Default true.
   */
  fastPath?: boolean;
}

const BackoffFlushPeriod: Time = 1000;
const UnschedulableFlushPeriod: Time = 30 * 1000;
const Actor = 'scheduler';
export const SchedulingGatedMessage = 'Scheduling is blocked due to non-empty scheduling gates';

const running = new WeakMap<object, Scheduler>();

/** The scheduler started in a simulation, if any (used by explainPod). */
export function schedulerOf(sim: object): Scheduler | undefined {
  return running.get(sim);
}

function isTerminal(p: Pod): boolean {
  const ph = p.status?.phase;
  return ph === 'Succeeded' || ph === 'Failed';
}

function nsName(p: Pod): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

export class Scheduler {
  readonly name: string;
  config!: SchedulerConfiguration;
  profiles!: Map<string, Framework>;
  readonly cache: SchedulerCache;
  queue!: PriorityQueue;
  private sim!: SimHost;
  private podLister!: Lister<PodObj & KObject>;
  private rng!: Rng;
  private nextStartNodeIndex = 0;
  private startTime: Time = 0;
  private cyclePending = false;
  private busyUntil: Time = 0;
  private readonly backoffTicks = new Set<Time>();
  private unschedTickPending = false;
  private readonly timing: Required<SchedulerTiming>;
  /** Engine options of the cycle and binding events, made once (perf: one object and one source string per pod otherwise). */
  private readonly cycleEvent: { priority: number; source: string };
  private readonly bindEvent: { priority: number; source: string };
  private readonly runCycleFn = (): void => this.runCycle();

  constructor(private readonly opts: SchedulerOptions = {}) {
    this.cache = new SchedulerCache(opts.fastPath ?? true);
    this.name = opts.name ?? 'scheduler';
    this.cycleEvent = { priority: Priority.Scheduler, source: this.name };
    this.bindEvent = { priority: Priority.Binding, source: `${this.name}/bind` };
    this.timing = { cycle: opts.timing?.cycle ?? 0, bind: opts.timing?.bind ?? 1 };
    // Validate configuration eagerly so a bad config fails before the run starts.
    this.config = loadSchedulerConfig(opts.config);
  }

  get recorder(): AttemptRecorder | undefined {
    return this.opts.recorder;
  }

  start(sim: SimHost): void {
    this.sim = sim;
    this.startTime = sim.now;
    this.rng = sim.rng.stream('scheduler');
    const featureGates = this.opts.featureGates ?? FeatureGates.defaults();
    const deps: FrameworkDeps = {
      featureGates,
      fastPath: this.opts.fastPath ?? true,
      snapshot: () => this.cache,
      store: () => sim.store,
      nominator: () => this.queue.nominator,
      now: () => sim.engine.now,
      bindPod: (p, node) => this.bindPod(p, node),
      // Preemption (DefaultPreemption via the evaluator): evict a victim, clear nominations, random offset.
      evictPod: (victim, preemptor, node) =>
        preemptPod(
          { store: sim.store, recorder: sim.recorder, timestamp: () => sim.timestamp(), waitingPod: (uid) => this.waitingPod(uid) },
          victim.pod,
          preemptor.pod,
          node,
          'DefaultPreemption',
        ),
      writeObject: <T extends KObject>(kind: string, ns: string, name: string, mutate: (d: T) => void) => sim.store.patch<T>(kind, ns, name, mutate, { actor: Actor }),
      rng: (stream) => sim.rng.stream(stream),
      after: (delay, fn) => {
        const id = sim.engine.after(delay, () => this.guard(fn), { priority: Priority.Scheduler, source: `${this.name}/permit` });
        return () => sim.engine.cancel(id);
      },
    };
    this.profiles = buildProfiles(this.config, this.opts.registry ?? inTreeRegistry, deps);
    this.queue = new PriorityQueue({
      profiles: this.profiles,
      now: () => sim.engine.now,
      podInitialBackoff: this.config.podInitialBackoffSeconds * 1000,
      podMaxBackoff: this.config.podMaxBackoffSeconds * 1000,
      podLister: (ns, name) => this.podLister.get(ns, name),
      queueingHints: featureGates.enabled('SchedulerQueueingHints'),
      popFromBackoffQ: featureGates.enabled('SchedulerPopFromBackoffQ'),
      fastPath: this.opts.fastPath ?? true,
    });
    this.queue.onActivated = () => this.ensureCycle();
    running.set(sim, this);

    // Informers (upstream addAllEventHandlers). Nodes first so pods find their nodes.
    sim.runtime.informer<NodeObj & KObject>(
      'Node',
      {
        onAdd: (n) => this.guard(() => this.onNodeAdd(n)),
        onUpdate: (o, n) => this.guard(() => this.onNodeUpdate(o, n)),
        onDelete: (n) => this.guard(() => this.cache.removeNode(n)),
      },
      this.name,
    );
    this.podLister = sim.runtime.informer<PodObj & KObject>(
      'Pod',
      {
        // guard() inlined: a pod event made two closures otherwise.
        onAdd: (p) => {
          this.onPodAdd(p);
          this.ensureTimers();
        },
        onUpdate: (o, n) => {
          this.onPodUpdate(o, n);
          this.ensureTimers();
        },
        onDelete: (p) => {
          this.onPodDelete(p);
          this.ensureTimers();
        },
      },
      this.name,
    );
    for (const kind of ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'CSINode', 'Namespace'] as const) {
      sim.runtime.informer(
        kind,
        {
          onAdd: (o) => this.guard(() => this.queue.moveAllToActiveOrBackoffQueue(Events.of(kind, 'Add'), undefined, o)),
          onUpdate: (o, n) => this.guard(() => this.queue.moveAllToActiveOrBackoffQueue(Events.of(kind, 'Update'), o, n)),
        },
        this.name,
      );
    }
  }

  /** A pod held at Permit in any profile (preemption rejects such victims instead of deleting them). */
  private waitingPod(uid: string): { reject(pluginName: string, msg: string): void } | undefined {
    for (const fw of this.profiles.values()) {
      const wp = fw.waitingPods.get(uid);
      if (wp) return wp;
    }
    return undefined;
  }

  /** Run an entry point, then make sure the timers the queue needs exist. */
  private guard(fn: () => void): void {
    fn();
    this.ensureTimers();
  }

  // ---------------------------------------------------------------- events

  private responsibleFor(p: Pod): boolean {
    return this.profiles.has(p.spec?.schedulerName ?? 'default-scheduler');
  }

  private isAssigned(p: Pod): boolean {
    return !!p.spec?.nodeName && !isTerminal(p);
  }

  private isQueueable(p: Pod): boolean {
    return !p.spec?.nodeName && !isTerminal(p) && this.responsibleFor(p);
  }

  private onNodeAdd(n: NodeObj): void {
    this.cache.addNode(n);
    this.queue.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, n);
  }

  private onNodeUpdate(o: NodeObj, n: NodeObj): void {
    this.cache.updateNode(o, n);
    for (const ev of nodeSchedulingPropertiesChange(n, o)) this.queue.moveAllToActiveOrBackoffQueue(ev, o, n);
  }

  private onPodAdd(p: PodObj): void {
    if (this.isAssigned(p)) this.addAssigned(p);
    else if (this.isQueueable(p)) this.addUnscheduled(p);
  }

  private onPodUpdate(o: PodObj, n: PodObj): void {
    // Two filtered handlers as upstream: assigned pods (cache) and unscheduled pods of our profiles (queue).
    const oa = this.isAssigned(o);
    const na = this.isAssigned(n);
    if (oa && na) {
      this.cache.updatePod(o, n);
      for (const ev of podSchedulingPropertiesChange(n, o)) this.queue.moveAllToActiveOrBackoffQueue(ev, o, n);
    } else if (oa && !na) {
      this.deleteAssigned(o);
    } else if (!oa && na) {
      this.addAssigned(n);
    }
    const oq = this.isQueueable(o);
    const nq = this.isQueueable(n);
    if (oq && nq) {
      if (o.metadata?.resourceVersion === n.metadata?.resourceVersion) return;
      if (this.cache.isAssumedPod(n)) return;
      this.queue.update(o, n);
      this.markGated(n);
    } else if (oq && !nq) {
      this.deleteUnscheduled(o);
    } else if (!oq && nq) {
      this.addUnscheduled(n);
    }
  }

  private onPodDelete(p: PodObj): void {
    if (this.isAssigned(p)) this.deleteAssigned(p);
    else if (this.isQueueable(p)) this.deleteUnscheduled(p);
  }

  private addAssigned(p: PodObj): void {
    this.cache.addPod(p);
    this.queue.moveAllToActiveOrBackoffQueue(Events.assignedPodAdd, undefined, p);
  }

  private deleteAssigned(p: PodObj): void {
    this.cache.removePodIfPresent(p);
    this.queue.moveAllToActiveOrBackoffQueue(Events.assignedPodDelete, p, undefined);
  }

  private addUnscheduled(p: PodObj): void {
    this.queue.add(p);
    this.markGated(p);
  }

  private deleteUnscheduled(p: PodObj): void {
    this.queue.delete(p);
    const fw = this.profiles.get(p.spec?.schedulerName ?? 'default-scheduler');
    // A pod waiting at Permit was assumed: releasing it frees room for others.
    if (fw && fw.rejectWaitingPod(p.metadata?.uid ?? '')) this.queue.moveAllToActiveOrBackoffQueue(Events.assignedPodDelete, p, undefined);
  }

  /**
   * A pod held by SchedulingGates gets PodScheduled=False/SchedulingGated
   * (kube-apiserver sets this on create; ksim's scheduler writes it when it
   * sees the gated pod, only if not already there).
   */
  private markGated(p: PodObj): void {
    const q = this.queue.get(p);
    if (!q || !q.gated || q.gatingPlugin !== 'SchedulingGates') return;
    this.writeCondition(p, { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: SchedulingGatedMessage }, null);
  }

  // ---------------------------------------------------------------- timers

  private ensureCycle(): void {
    if (this.cyclePending || !this.queue.hasPoppable()) return;
    this.cyclePending = true;
    const at = Math.max(this.sim.engine.now, this.busyUntil);
    this.sim.engine.at(at, this.runCycleFn, this.cycleEvent);
  }

  private ensureTimers(): void {
    const exp = this.queue.nextBackoffExpiry();
    if (exp !== undefined) {
      // The first 1s-grid tick at or after the expiry (upstream flushBackoffQCompleted
      // runs every second; with SchedulerPopFromBackoffQ, v1.33+, on whole seconds,
      // the ordering windows' edges, rather than from the scheduler's start).
      const now = this.sim.engine.now;
      const origin = (this.opts.featureGates ?? FeatureGates.defaults()).enabled('SchedulerPopFromBackoffQ') ? 0 : this.startTime;
      const k = Math.max(Math.ceil((exp - origin) / BackoffFlushPeriod), Math.floor((now - origin) / BackoffFlushPeriod) + 1);
      const tick = origin + k * BackoffFlushPeriod;
      if (!this.backoffTicks.has(tick)) {
        this.backoffTicks.add(tick);
        this.sim.engine.at(
          tick,
          () => {
            this.backoffTicks.delete(tick);
            this.guard(() => this.queue.flushBackoffQCompleted());
          },
          // Pods retrying only because of errors (no rejecting plugin) must not keep a run alive forever.
          { priority: Priority.Scheduler, source: `${this.name}/backoff`, periodic: !this.queue.hasEventDrivenBackoff() },
        );
      }
    }
    if (!this.unschedTickPending && this.queue.hasUnschedulableOrGated()) {
      this.unschedTickPending = true;
      const now = this.sim.engine.now;
      const k = Math.floor((now - this.startTime) / UnschedulableFlushPeriod) + 1;
      this.sim.engine.at(
        this.startTime + k * UnschedulableFlushPeriod,
        () => {
          this.unschedTickPending = false;
          this.guard(() => this.queue.flushUnschedulablePodsLeftover());
        },
        { priority: Priority.Scheduler, source: `${this.name}/flush`, periodic: true },
      );
    }
    this.ensureCycle();
  }

  // ---------------------------------------------------------------- scheduling cycle

  private runCycle(): void {
    this.cyclePending = false;
    const q = this.queue.pop();
    if (q) {
      const end = this.sim.engine.now + this.timing.cycle;
      this.busyUntil = end;
      this.scheduleOne(q, end);
    }
    this.ensureTimers();
  }

  /** upstream ScheduleOne + schedulingCycle. */
  private scheduleOne(q: QueuedPod, cycleEnd: Time): void {
    const pod = q.podInfo.pod;
    const fw = this.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!fw) {
      this.queue.done(q.key);
      return;
    }
    if (pod.metadata?.deletionTimestamp) {
      this.sim.recorder.event(pod, 'Warning', 'FailedScheduling', `skip schedule deleting pod: ${nsName(pod)}`, fw.eventSource);
      this.queue.done(q.key);
      return;
    }
    if (this.cache.isAssumedPod(pod)) {
      this.queue.done(q.key);
      return;
    }
    const state = newCycleState();
    const recorder = this.opts.recorder;
    const rec = recorder && (!recorder.wants || recorder.wants(nsName(pod))) ? this.newRecord(q, fw) : undefined;
    if (rec) state.recordPluginMetrics = true;
    const ctx: ScheduleContext = {
      fw,
      lister: this.cache,
      state,
      pod: q.podInfo,
      percentageOfNodesToScore: this.config.percentageOfNodesToScore,
      sample: true,
      nextStartNodeIndex: this.nextStartNodeIndex,
      rng: this.rng,
    };
    // Set only when recording (perf: a spread of a conditional literal made an empty object and a copy per cycle).
    if (rec) ctx.record = rec;
    const out = schedulePod(ctx);
    this.nextStartNodeIndex = out.nextStartNodeIndex;

    if (!out.ok) {
      let status = out.status;
      let nominating: NominatingInfo = { mode: 'Override', nominatedNodeName: '' };
      if (out.fitError) {
        // upstream schedulingCycle: without PostFilter plugins the result is an
        // empty ScheduleResult, whose nil NominatingInfo means ModeNoop (the
        // pod's nominatedNodeName is left as is); only ErrNoNodesAvailable and
        // non-fit errors return clearNominatedNode.
        nominating = { mode: 'Noop', nominatedNodeName: '' };
        if (fw.hasPostFilterPlugins()) {
          const pf = fw.runPostFilterPlugins(state, q.podInfo, fullNodeToStatus(this.cache.list(), out.diagnosis));
          out.diagnosis.postFilterMsg = pf.status.message();
          nominating = pf.result ? { mode: 'Override', nominatedNodeName: pf.result.nominatedNodeName } : { mode: 'Noop', nominatedNodeName: '' };
          if (rec) {
            rec.postFilter = { status: statusRecord(pf.status) };
            if (pf.result) {
              rec.postFilter.nominatedNodeName = pf.result.nominatedNodeName;
              if (pf.result.victims) rec.postFilter.victims = [...pf.result.victims];
              if (pf.result.candidates) rec.postFilter.candidates = pf.result.candidates.map((c) => ({ ...c, victims: [...c.victims] }));
            }
          }
        }
        status = new Status(Code.Unschedulable, [out.fitError.message]);
      }
      if (rec) {
        rec.error = status.message();
        this.opts.recorder!.record(rec);
      }
      this.handleFailure(fw, q, status, out.fitError, nominating);
      return;
    }

    const host = out.host;
    if (rec) {
      rec.chosen = host;
      this.opts.recorder!.record(rec);
    }
    // assume: the pod counts on the node from now on.
    const assumed = assumedPodInfo(q.podInfo, host);
    this.cache.assumePod(assumed);
    this.queue.nominator.delete(pod);

    const rs = fw.runReservePluginsReserve(state, assumed, host);
    if (rs) {
      fw.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed.pod);
      this.handleFailure(fw, q, ...this.singleNodeFailure(rs, host));
      return;
    }
    // Without Permit plugins the answer is null with nothing done (perf: the callback closure was made for every cycle).
    const ps =
      fw.plugins.permit.length === 0
        ? null
        : fw.runPermitPlugins(state, assumed, host, (waitStatus) => {
            // The waiting pod was allowed or rejected: the binding cycle continues.
            this.sim.engine.after(this.timing.bind, () => this.guard(() => this.bindingCycle(fw, q, assumed, host, state, waitStatus)), this.bindEvent);
          });
    if (ps && ps.code !== Code.Wait) {
      fw.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed.pod);
      this.handleFailure(fw, q, ...this.singleNodeFailure(ps, host));
      return;
    }
    if (ps === null) {
      this.sim.engine.at(
        cycleEnd + this.timing.bind,
        () => {
          this.bindingCycle(fw, q, assumed, host, state, null);
          this.ensureTimers();
        },
        this.bindEvent,
      );
    }
  }

  /** A rejection at Reserve/Permit becomes a FitError over the one chosen node (upstream NumAllNodes: 1). */
  private singleNodeFailure(s: Status, host: string): [Status, FitError | undefined, NominatingInfo] {
    const clear: NominatingInfo = { mode: 'Override', nominatedNodeName: '' };
    if (!s.isRejected()) return [s, undefined, clear];
    const d = newDiagnosis();
    d.nodeToStatus.set(host, s);
    addPluginStatus(d, s);
    const fe = new FitError(1, d);
    return [new Status(s.code, [fe.message]), fe, clear];
  }

  private newRecord(q: QueuedPod, fw: Framework): AttemptRecord {
    const pod = q.podInfo.pod;
    return newAttemptRecord(this.sim.engine.now, nsName(pod), pod.metadata?.uid ?? '', fw.profileName, q.attempts);
  }

  // ---------------------------------------------------------------- binding cycle

  /** upstream bindingCycle; `permitOutcome` is the result of waiting at Permit (null = allowed / no wait). */
  private bindingCycle(fw: Framework, q: QueuedPod, assumed: PodInfo, host: string, state: ReturnType<typeof newCycleState>, permitOutcome: Result): void {
    if (permitOutcome && !permitOutcome.isSuccess()) {
      let s = permitOutcome;
      let fe: FitError | undefined;
      if (s.isRejected()) {
        const d = newDiagnosis();
        d.nodeToStatus.set(host, s);
        d.unschedulablePlugins.add(s.plugin);
        fe = new FitError(1, d);
        s = new Status(s.code, [fe.message]);
      }
      this.handleBindingCycleError(fw, q, assumed, host, state, s, fe);
      return;
    }
    this.queue.done(q.key);
    this.preBindAndBind(fw, q, assumed, host, state);
  }

  /**
   * PreBind, then Bind. A PreBind plugin that answers Wait (VolumeBinding while
   * its claims are not bound yet, upstream's wait.PollUntilContextTimeout) is
   * asked again after PreBindPollInterval; the binding cycle holds until then.
   */
  private preBindAndBind(fw: Framework, q: QueuedPod, assumed: PodInfo, host: string, state: ReturnType<typeof newCycleState>): void {
    const pb = fw.runPreBindPlugins(state, assumed, host);
    if (pb && pb.code === Code.Wait) {
      this.sim.engine.after(PreBindPollInterval, () => this.guard(() => this.preBindAndBind(fw, q, assumed, host, state)), this.bindEvent);
      return;
    }
    if (pb) {
      this.handleBindingCycleError(fw, q, assumed, host, state, pb, undefined);
      return;
    }
    const bs = fw.runBindPlugins(state, assumed, host);
    this.cache.finishBinding(assumed.pod);
    if (bs && !bs.isSuccess()) {
      this.handleBindingCycleError(fw, q, assumed, host, state, bs, undefined);
      return;
    }
    const pod = assumed.pod;
    this.sim.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${nsName(pod)} to ${host}`, fw.eventSource);
    fw.runPostBindPlugins(state, assumed, host);
  }

  /** upstream handleBindingCycleError. */
  private handleBindingCycleError(fw: Framework, q: QueuedPod, assumed: PodInfo, host: string, state: ReturnType<typeof newCycleState>, status: Status, fe: FitError | undefined): void {
    fw.runReservePluginsUnreserve(state, assumed, host);
    let forgot = false;
    if (this.cache.isAssumedPod(assumed.pod)) {
      this.cache.forgetPod(assumed.pod);
      forgot = true;
    }
    const uid = assumed.pod.metadata?.uid;
    if (forgot && !status.isRejected()) this.queue.moveAllToActiveOrBackoffQueue(Events.assignedPodDelete, assumed.pod, undefined);
    this.handleFailure(fw, q, status, fe, { mode: 'Override', nominatedNodeName: '' });
    // Deferred when rejected, so the pod itself is not moved by its own forget.
    if (forgot && status.isRejected()) this.queue.moveAllToActiveOrBackoffQueue(Events.assignedPodDelete, assumed.pod, undefined, (p) => p.metadata?.uid !== uid);
  }

  /** upstream handleSchedulingFailure. */
  private handleFailure(fw: Framework, q: QueuedPod, status: Status, fe: FitError | undefined, nominating: NominatingInfo): void {
    const reason = status.isRejected() ? 'Unschedulable' : 'SchedulerError';
    if (fe) {
      q.unschedulablePlugins = new Set(fe.diagnosis.unschedulablePlugins);
      q.pendingPlugins = new Set(fe.diagnosis.pendingPlugins);
    }
    const pod = q.podInfo.pod;
    const cached = this.podLister.get(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    if (!cached || cached.spec?.nodeName) {
      this.queue.done(q.key);
    } else {
      // Only the PodInfo is needed (perf: a whole QueuedPod with its two Sets was made per failure).
      q.podInfo = newPodInfo(cached);
      this.queue.addUnschedulableIfNotPresent(q);
    }
    this.queue.addNominatedPod(q.podInfo, nominating);
    const msg = status.message();
    this.sim.recorder.event(pod, 'Warning', 'FailedScheduling', truncateMessage(msg), fw.eventSource);
    this.writeCondition(pod, { type: 'PodScheduled', status: 'False', reason, message: msg }, nominating);
  }

  /**
   * PodObservedGenerationTracking (beta, on since v1.34): the scheduler's
   * PodScheduled condition records the pod generation it acted on; undefined
   * when it records none (gate off, or a pod without a generation).
   */
  private observedGeneration(pod: Pod): number | undefined {
    const gen = pod.metadata?.generation;
    if (gen === undefined || !(this.opts.featureGates ?? FeatureGates.defaults()).enabled('PodObservedGenerationTracking')) return undefined;
    return gen;
  }

  private withObservedGeneration(cond: PodCondition, pod: Pod): PodCondition {
    const gen = this.observedGeneration(pod);
    return gen === undefined ? cond : ({ ...cond, observedGeneration: gen } as PodCondition);
  }

  /**
   * The Binding's PodScheduled=True, as withObservedGeneration would give it,
   * built directly (perf: a literal and its spread copy per binding; the
   * condition is only read, by updatePodCondition).
   */
  private scheduledCondition(pod: Pod): PodCondition {
    const gen = this.observedGeneration(pod);
    return gen === undefined ? PodScheduledTrue : ({ type: 'PodScheduled', status: 'True', observedGeneration: gen } as PodCondition);
  }

  /** upstream updatePod: PodScheduled condition and nominatedNodeName, via the status subresource, only when changed. */
  private writeCondition(pod: Pod, cond: PodCondition, nominating: NominatingInfo | null): void {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const cur = this.sim.store.get<PodObj & KObject>('Pod', ns, name);
    if (!cur || (pod.metadata?.uid && cur.metadata?.uid !== pod.metadata.uid)) return;
    cond = this.withObservedGeneration(cond, cur);
    const now = this.sim.timestamp();
    const condChanged = podConditionWouldChange(cur.status?.conditions, cond, now);
    const nnnChanged = !!nominating && nominating.mode === 'Override' && (cur.status?.nominatedNodeName ?? '') !== nominating.nominatedNodeName;
    if (!condChanged && !nnnChanged) return;
    try {
      this.sim.store.patch<PodDraft>(
        'Pod',
        ns,
        name,
        (d) => {
          const st = (d.status ??= {});
          updatePodCondition(st, cond, now);
          if (nnnChanged) {
            if (nominating!.nominatedNodeName) st.nominatedNodeName = nominating!.nominatedNodeName;
            else delete st.nominatedNodeName;
          }
        },
        { actor: Actor, subresource: 'status' },
      );
    } catch {
      // The pod may be gone; upstream logs and moves on.
    }
  }

  /**
   * The Binding subresource: spec.nodeName and PodScheduled=True in one write,
   * plus the release-dependent side effects of src/api/podBinding.ts (node
   * topology labels copied, nominatedNodeName cleared).
   */
  private bindPod(p: PodInfo, node: string): Result {
    const ns = p.pod.metadata?.namespace ?? '';
    const name = p.pod.metadata?.name ?? '';
    const now = this.sim.timestamp();
    const gates = this.opts.featureGates ?? FeatureGates.defaults();
    const nodeLabels = this.sim.store.get<Node & KObject>('Node', '', node)?.metadata?.labels;
    try {
      const d = this.sim.store.get<PodObj & KObject>('Pod', ns, name);
      if (!d) throw ApiError.notFound('Pod', name);
      if (p.pod.metadata?.uid && d.metadata.uid !== p.pod.metadata.uid) throw new BindError(`Operation cannot be fulfilled on pods/binding "${name}": precondition failed: UID in precondition: ${p.pod.metadata.uid}, UID in object meta: ${d.metadata.uid}`);
      if (d.metadata.deletionTimestamp) throw new BindError(`Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`);
      if (d.spec?.nodeName) throw new BindError(`Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${d.spec.nodeName}"`);
      // The bound pod is built by shallow copies of what changes (no draft): one binding per pod.
      const bound = boundPod(d, node, this.scheduledCondition(d), now, gates, nodeLabels);
      // Handed over (WriteOptions.adopt): bound is this write's own object, never read again here.
      this.sim.store.update(bound, BindingWrite);
      return null;
    } catch (e) {
      return Status.error(e instanceof Error ? e.message : String(e));
    }
  }
}

class BindError extends Error {}

/**
 * The Binding write's options. `adopt`: the bound pod boundPod() builds is new
 * apart from its stored (frozen) parts, and nothing keeps it, so the store
 * freezes it in place instead of copying its new parts first (perf: that copy
 * was a quarter of bindPod's time in the churn profile).
 */
const BindingWrite = Object.freeze({ actor: Actor, subresource: 'binding', adopt: true } as const);

/** PodScheduled=True without observedGeneration (shared: never changed). */
const PodScheduledTrue: PodCondition = Object.freeze({ type: 'PodScheduled', status: 'True' });

/** Create the scheduler component: `sim.use(createScheduler({...}))`. */
export function createScheduler(opts: SchedulerOptions = {}): Scheduler {
  return new Scheduler(opts);
}

export { podKey };
export type { LabeledEvent };
