/**
 * The kubelet stand-in: one node agent per Node, all driven by one component.
 * It follows the kubelet's externally visible behaviour for the pod
 * lifecycle — bound pod -> admission -> image pulls -> containers started
 * (Created, Started) -> Ready after the readiness probe's initial delay ->
 * container exit or OOM kill -> restart with CrashLoopBackOff or a terminal
 * phase per restartPolicy; graceful deletion -> containers stopped, then the
 * pod object removed with grace period 0 — and for the node: resource usage
 * from the scenario's load models, the stats summary it serves, the OOM
 * killer, the eviction manager with its node pressure conditions, and image
 * garbage collection. A node whose kubelet is stopped (annotation
 * ksim.dev/kubelet=stopped, set by the scenario's nodeDown) does nothing
 * until it is started again, when it catches up on its pods.
 *
 * Heartbeats (the node Lease and node status posts) live in nodeLease.ts; a
 * stopped kubelet sends none, and the node lifecycle controller sees only the
 * silence.
 *
 * Cost: nodes without pods driven by a load model run no housekeeping at
 * all, so a 5,000-node cluster without `spec.load` pays nothing for stats,
 * eviction or metrics.
 */
import { FeatureGates } from '../api/featureGates.ts';
import type { Container, ContainerStatus, Node, NodeCondition, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { EventId, KObject, Rng, Stored, Time, Writable } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import type { Component, Simulation } from '../sim/simulation.ts';
import { ApiError } from '../sim/errors.ts';
import { deepFreeze } from '../sim/store.ts';
import { endpointsOf } from '../sim/endpoints.ts';
import { defaultKubeletConfiguration, parseEvictionThresholds, type KubeletConfiguration } from '../api/kubeletConfig.ts';
import { Quantity } from '../api/quantity.ts';
import { formatDuration, parseDuration } from '../api/duration.ts';
import { labelSelectorAsSelector, type Selector } from '../api/labels.ts';
import { isPodReady } from '../api/pdb.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { bindPod, entrySelects, LoadEvaluator, loadSeed, type LoadSpec, type PodLoadBinding, type PodLoadEntry, type WorkloadRef } from '../load/index.ts';
import { kubeletRegistrationAdmission } from './registration.ts';
import { podAdmitter, type PodAdmitter } from './podAdmitter.ts';
import type { NodeAdmission } from './admission.ts';
import { allocateHost, releaseHost, type HostNumbers } from './hostNumbers.ts';
import { NodeHeartbeats } from './nodeLease.ts';
import { nodeKubeletConfiguration } from './nodeConfig.ts';
import {
  backOffEventMessage,
  containerBehaviour,
  ContainerBackOff,
  crashLoopContainerStatus,
  exitedContainerStatus,
  probeSchedule,
  probeTiming,
  runningContainerStatus,
  shouldRestart,
  terminatedReason,
  waitingContainerStatus,
} from './podLifecycle.ts';
import { addressList, generateAPIPodStatus, type KubeletPodView } from './status.ts';
import { imageMessages, NodeImages, type ImageConfig } from './images.ts';
import { createdMessages, presentMessages, startedMessages } from './eventMessages.ts';
import { cpuLimit, memoryLimit, oomVictim, type OOMCandidate } from './oom.ts';
import { DEFAULT_PID_MAX, resourceMetrics, summarize, type ContainerStats, type NodeSummary, type PodStats } from './stats.ts';
import { EvictionManager, EvictionMonitoringPeriod, ImmediateEvictionGracePeriodSeconds, type Eviction } from './eviction/manager.ts';
import { localStorageEvictions } from './eviction/localStorage.ts';
import { addAllocatableThresholds, updateContainerFsThresholds, type NodeConditionType } from './eviction/helpers.ts';
import { evictionAdmit, type AdmitResult } from './eviction/admission.ts';

/** Set to "stopped" on a Node while its kubelet posts nothing (scenario nodeDown). */
export const AnnotationKubeletState = 'ksim.dev/kubelet';
/** A node group's KubeletConfiguration overrides (JSON), written by the scenario loader. */
export const AnnotationKubeletConfig = 'ksim.dev/kubelet-config';

export interface KubeletTiming {
  /** From the images being ready to the containers running (sandbox, create, start). */
  podStartup: Time;
}

export const DefaultKubeletTiming: KubeletTiming = { podStartup: 1000 };
/** ImageGCPeriod: how often the image garbage collector checks disk usage. */
export const ImageGCPeriod = 5 * 60_000;
/** Exit code of a container killed with SIGKILL (OOM, or an eviction). */
export const ExitCodeSIGKILL = 137;

type PodPod = Pod & KObject;

/** How many of the kubelet's latest status writes it remembers with their records (KubeletManager.ownWrites). */
const OwnWrites = 8;

/**
 * The init container statuses of a pod without init containers, and the empty lists of a view: one shared
 * frozen array (an empty array per pod record and per start otherwise). Never written to: a push would throw.
 */
const NoStatuses = Object.freeze([]) as unknown as ContainerStatus[];

/** The containers of a pod record before admission: one shared frozen list, replaced (never edited) when the pod is admitted. */
const NoContainers = Object.freeze([]) as unknown as ContainerRec[];

type Action = 'start' | 'exit' | 'restart' | 'finalize' | 'ready' | 'evicted';

interface ContainerRec {
  spec: Container;
  index: number;
  /** Limits in cores and bytes (undefined: unlimited), parsed once. */
  cpuLimit: number | undefined;
  memoryLimit: number | undefined;
  status: ContainerStatus;
  /** Virtual time the container last started. */
  startedAt: Time | undefined;
  /** When its probes first report started and ready. */
  startupAt: Time;
  readyAt: Time;
  /** Made at its first crash (undefined until then: a fresh entry holds nothing, and most containers never crash). */
  backOff: ContainerBackOff | undefined;
  /** A pending per-container restart (after an OOM kill). */
  timer: EventId | undefined;
  /**
   * Writable layer and logs of its last exited instance, still on disk until
   * the container garbage collector (or the eviction manager's reclaim)
   * removes it: the kubelet keeps one dead container per container.
   */
  deadBytes: number;
  /** Consecutive readiness/liveness probe results, for the failure model. */
  readinessFailures: number;
  readinessSuccesses: number;
  livenessFailures: number;
}

interface PodRecord {
  pod: Stored<PodPod>;
  state: 'new' | 'pulling' | 'starting' | 'running' | 'backoff' | 'terminating' | 'evicting' | 'done';
  timer: EventId | undefined;
  /** An action that came due while the kubelet was stopped; run on resume. */
  deferred: Action | undefined;
  podIP: string | undefined;
  /** The host number of podIP (released by number, not parsed back out of the address). */
  podHost: number | undefined;
  /** The node's frozen [{ ip: podIP }] (NodeAgent.podIPs), kept here: the record is at hand at each status write, the node's list is not. */
  podIPs: readonly { ip: string }[] | undefined;
  containers: ContainerRec[];
  initStatuses: ContainerStatus[];
  /** The load entries that drive it (null: none; undefined: not looked up yet). */
  binding: PodLoadBinding | null | undefined;
  eviction: Eviction | undefined;
  /** Whether the eviction sets DisruptionTarget (threshold evictions do; local-storage ones pass no condition). */
  evictionCondition?: boolean;
  /** Probe loop timer (failure models only). */
  probeTimer: EventId | undefined;
  /** The action of the pending `timer` set by schedule() (the only live one: schedule cancels the one before). */
  pending: Action | undefined;
  /** schedule()'s timer callback, made once per pod on its first use rather than a closure per timer. */
  fire: (() => void) | undefined;
  /** Admission ran for it and the admitter still counts it: released once, when the kubelet sees it terminal or gone (settle). */
  held: boolean;
  /**
   * A container's timer may be set (false: every containers[i].timer is undefined). cancel() then walks no
   * container records, which are out of the caches by a pod's end (most pods never set one: an OOM kill or a
   * failed liveness probe does).
   */
  containerTimers: boolean;
}

/** Its host numbers of pod IPs in use are fields of its own (hostNumbers.ts). */
interface NodeAgent extends HostNumbers {
  name: string;
  running: boolean;
  /** The engine options of this kubelet's pod timers, made once (not a source string per timer). */
  timerOpts: { priority: number; source: string };
  /** The writer's name (`kubelet/<node>`), made once: the store keeps it in each write's record. */
  actor: string;
  /** The options of its pod status writes, made once (the store only reads them). */
  statusWrite: { readonly subresource: 'status'; readonly actor: string };
  /** The source of its Events, made once (the recorder reads it and keeps its own). */
  eventSource: { component: string; host: string };
  hostIP: string;
  pods: Map<string, PodRecord>;
  /** Pod IP text by host number, made once: host numbers are reused (the lowest free one), so a node needs only a few. */
  addresses: string[];
  /** The frozen status lists [{ ip }] of hostIP and of each pod IP in `addresses`, made once and shared by the pods' statuses (status.ts KubeletPodView). */
  hostIPs: readonly { ip: string }[];
  podIPs: (readonly { ip: string }[])[];
  index: number;
  config: KubeletConfiguration;
  images: NodeImages;
  eviction: EvictionManager;
  memoryCapacity: number;
  reservedMemory: number;
  fsCapacity: number | undefined;
  reservedFs: number;
  /** Running pods driven by a load model (uids): housekeeping runs while there are any. */
  loadPods: Set<string>;
  housekeeping: EventId | undefined;
  pressure: readonly NodeConditionType[];
  summary: NodeSummary | undefined;
  lastImageGC: Time;
  nextPid: number;
  unregister: () => void;
  /** The node's admission state, kept here by the admitter (podAdmitter.ts AdmitNode). */
  admission: NodeAdmission | undefined;
  /** Removed from the agents' map (its Node deleted): until then the map holds it under its name (see live). */
  gone: boolean;
}

/** A pod admit handler of the kubelet's admission chain (lifecycle.PodAdmitHandler). */
export type PodAdmitHandler = (
  node: { readonly name: string; pressure: readonly NodeConditionType[]; config: KubeletConfiguration; admission?: NodeAdmission | undefined },
  pod: Pod,
) => AdmitResult;

export function isKubeletStopped(node: Node): boolean {
  return node.metadata?.annotations?.[AnnotationKubeletState] === 'stopped';
}

/** The node's KubeletConfiguration: the cluster's, with its node group's deep-merged over it (nodeConfig.ts). */
export function nodeKubeletConfig(cluster: Partial<KubeletConfiguration>, node: Node): KubeletConfiguration {
  return nodeKubeletConfiguration(cluster, node);
}

function quantityValue(list: Record<string, string> | undefined, name: string): number | undefined {
  const raw = list?.[name];
  if (raw === undefined) return undefined;
  return Quantity.tryParse(raw)?.value();
}

export interface KubeletOptions {
  /** The scenario's parsed spec.load; no entries means no usage and no housekeeping. */
  load?: LoadSpec;
  /** The scenario's spec.config.images: pull times and sizes. */
  images?: ImageConfig;
  /** The cluster's feature gates (default: the newest release's). */
  featureGates?: FeatureGates;
  /** false: heartbeats without their shortcuts (nodeLease.ts), for tests that compare the two. */
  heartbeatShortcuts?: boolean;
  /**
   * false: every Pod event's agent and record looked up in the maps (never in the ring of own writes, nor a bound
   * pod's first event taken as new without a look), every timer asking the agents' map whether its node is
   * still there (see live), and every cancel walking the containers (PodRecord.containerTimers), for tests that
   * compare the two.
   */
  lookupShortcuts?: boolean;
}

class KubeletManager {
  /**
   * PodObservedGenerationTracking: status and kubelet conditions carry the pod generation acted on. Read once
   * (resolved gates do not change), not a gate lookup per status write.
   */
  private readonly observedGeneration: boolean;
  private readonly agents = new Map<string, NodeAgent>();
  /** Pods bound to nodes the kubelet has not seen (yet): node name -> pod uid -> pod. */
  private readonly orphans = new Map<string, Map<string, Stored<PodPod>>>();
  private nodeCount = 0;
  private readonly evaluator: LoadEvaluator | undefined;
  /** Demand entries: the Ready pods sharing each one's requests (entry index -> uids). */
  private readonly readyByEntry = new Map<number, Set<string>>();
  /**
   * The demand entries in spec order with their sets of readyByEntry, made once (perf: trackReadiness runs on
   * every event of every bound pod; it walked every entry and looked its set up by index each time).
   */
  private readonly demands: { entry: PodLoadEntry; ready: Set<string> }[] = [];
  private readonly admitHandlers: PodAdmitHandler[] = [];
  /** The resource allocation, predicate and shutdown handlers' state (podAdmitter.ts), told when an admitted pod is done. */
  private admitter: PodAdmitter | undefined;
  private readonly probes: Rng;
  private readonly workloadSelectors = new Map<string, { obj: unknown; sel: Selector | undefined }>();
  /**
   * The pods the kubelet's last OwnWrites status writes stored, with their records (a ring, slot ownNext
   * next). The informer's events of those writes find the record here without a lookup in the node's pod
   * map, which is out of the CPU caches by then (that lookup was most of podChanged's own time). In a
   * churn run each such event came within 8 writes of its write: 35,700 of 57,200 Pod events an hour.
   */
  private readonly ownWrites: (Stored<PodPod> | undefined)[] = new Array<Stored<PodPod> | undefined>(OwnWrites).fill(undefined);
  private readonly ownRecs: (PodRecord | undefined)[] = new Array<PodRecord | undefined>(OwnWrites).fill(undefined);
  /** The agent of each ring entry (the writer's, which is the pod's node's: a deleted node's agent leaves none). */
  private readonly ownAgents: (NodeAgent | undefined)[] = new Array<NodeAgent | undefined>(OwnWrites).fill(undefined);
  private ownNext = 0;
  /** KubeletOptions.lookupShortcuts, read once. */
  private readonly shortcuts: boolean;

  constructor(
    private readonly sim: Simulation,
    private readonly timing: KubeletTiming,
    private readonly heartbeats: NodeHeartbeats,
    private readonly clusterConfig: Partial<KubeletConfiguration>,
    private readonly opts: KubeletOptions,
  ) {
    const spec = opts.load;
    this.evaluator = spec && spec.pods.length > 0 ? new LoadEvaluator(spec, loadSeed(sim)) : undefined;
    for (const entry of this.evaluator?.spec.pods ?? []) {
      if (!entry.demand) continue;
      const ready = new Set<string>();
      this.readyByEntry.set(entry.index, ready);
      this.demands.push({ entry, ready });
    }
    this.probes = sim.rng.stream('probes');
    this.shortcuts = opts.lookupShortcuts ?? true;
    this.observedGeneration = (opts.featureGates ?? FeatureGates.defaults()).enabled('PodObservedGenerationTracking');
    // The eviction manager's admit handler comes first, as upstream registers it first.
    this.admitHandlers.push((node, pod) => evictionAdmit(node.pressure, pod));
  }

  /** Add a handler to the kubelet's admission chain (run in order after the eviction manager's). */
  addPodAdmitHandler(h: PodAdmitHandler): void {
    this.admitHandlers.push(h);
  }

  /** The admitter's handler, last in the chain; the kubelet releases what it admitted (settle). */
  useAdmitter(admitter: PodAdmitter): void {
    this.admitter = admitter;
    this.addPodAdmitHandler((node, pod) => admitter.admit(node, pod));
  }

  start(): void {
    this.sim.runtime.informer<Node & KObject>(
      'Node',
      {
        onAdd: (n) => this.nodeChanged(n),
        onUpdate: (_o, n) => this.nodeChanged(n),
        onDelete: (n) => this.nodeDeleted(n),
      },
      'kubelet',
    );
    this.sim.runtime.informer<PodPod>(
      'Pod',
      {
        // A pod first seen bound (added so, or its previous version unbound) is new to the kubelet: spec.nodeName
        // is set once, and only an event of a bound version files a record (see podChanged).
        onAdd: (p) => this.podChanged(p, this.shortcuts),
        onUpdate: (o, p) => this.podChanged(p, this.shortcuts && o.spec?.nodeName === undefined),
        onDelete: (p) => this.podDeleted(p),
      },
      'kubelet',
    );
  }

  // ---- nodes ----

  private nodeChanged(node: Stored<Node & KObject>): void {
    const name = node.metadata.name ?? '';
    let agent = this.agents.get(name);
    const running = !isKubeletStopped(node);
    if (!agent) {
      agent = this.newAgent(node, running);
      this.agents.set(name, agent);
      this.heartbeats.register(node, running);
      const waiting = this.orphans.get(name);
      if (waiting) {
        this.orphans.delete(name);
        for (const pod of waiting.values()) this.podChanged(pod);
      }
      return;
    }
    if (agent.running === running) return;
    agent.running = running;
    if (running) this.resume(agent);
    else this.heartbeats.stop(name);
  }

  private newAgent(node: Stored<Node & KObject>, running: boolean): NodeAgent {
    const name = node.metadata.name ?? '';
    const index = this.nodeCount++;
    const config = nodeKubeletConfig(this.clusterConfig, node);
    const capacity = node.status?.capacity as Record<string, string> | undefined;
    const reserved = (f: string): number => (quantityValue(config.kubeReserved, f) ?? 0) + (quantityValue(config.systemReserved, f) ?? 0);
    let thresholds: ReturnType<typeof parseEvictionThresholds> = [];
    try {
      thresholds = updateContainerFsThresholds(addAllocatableThresholds(parseEvictionThresholds(config), config.enforceNodeAllocatable));
    } catch {
      // Validated by the scenario loader; a config built in code that does not parse has no thresholds.
    }
    const parallel = config.serializeImagePulls ? 1 : config.maxParallelImagePulls && config.maxParallelImagePulls > 0 ? config.maxParallelImagePulls : Number.POSITIVE_INFINITY;
    const images = new NodeImages(this.opts.images, parallel);
    images.seed(node.status?.images, this.sim.now);
    const actor = `kubelet/${name}`;
    const hostIP = hostIPOf(node, index);
    const agent: NodeAgent = {
      name,
      running,
      timerOpts: { priority: Priority.Kubelet, source: actor },
      actor,
      statusWrite: Object.freeze({ subresource: 'status', actor } as const),
      eventSource: Object.freeze({ component: 'kubelet', host: name }),
      hostIP,
      pods: new Map(),
      usedLow: 0,
      usedHigh: new Set(),
      freeFrom: 1,
      addresses: [],
      hostIPs: addressList(hostIP),
      podIPs: [],
      index,
      config,
      images,
      eviction: new EvictionManager({
        thresholds,
        pressureTransitionPeriod: parseDuration(config.evictionPressureTransitionPeriod),
        maxPodGracePeriodSeconds: config.evictionMaxPodGracePeriod,
      }),
      memoryCapacity: quantityValue(capacity, 'memory') ?? 0,
      reservedMemory: reserved('memory'),
      fsCapacity: quantityValue(capacity, 'ephemeral-storage'),
      reservedFs: reserved('ephemeral-storage'),
      loadPods: new Set(),
      housekeeping: undefined,
      pressure: [],
      summary: undefined,
      lastImageGC: Number.NEGATIVE_INFINITY,
      nextPid: 1000,
      unregister: () => undefined,
      admission: undefined,
      gone: false,
    };
    // The kubelet's /metrics/resource, as metrics-server scrapes it: the last housekeeping's summary.
    agent.unregister = endpointsOf(this.sim).register(`kubelet/${name}/metrics/resource`, () =>
      agent.running && agent.summary ? resourceMetrics(agent.summary) : undefined,
    );
    return agent;
  }

  private nodeDeleted(node: Stored<Node & KObject>): void {
    const agent = this.agents.get(node.metadata.name ?? '');
    if (!agent) return;
    for (const rec of agent.pods.values()) this.cancel(rec);
    if (agent.housekeeping !== undefined) this.sim.engine.cancel(agent.housekeeping);
    agent.unregister();
    this.agents.delete(agent.name);
    agent.gone = true;
    // A node of the same name may come back with a new agent: no record of this one is found again.
    this.forgetOwnWrites(undefined);
    this.heartbeats.remove(agent.name);
  }

  /**
   * agents.has(agent.name): an agent not yet gone is in the map under its name (it is set there when made and
   * deleted only when it goes), so only a gone one needs the lookup - whose answer is then whether a new agent
   * of that name came since. Why: every pod timer asked the 5,000-entry map (~0.5% of a day's run).
   */
  private live(agent: NodeAgent): boolean {
    return (this.shortcuts && !agent.gone) || this.agents.has(agent.name);
  }

  /** The kubelet comes back: catch up on everything that came due while it was away. */
  private resume(agent: NodeAgent): void {
    this.heartbeats.resume(agent.name);
    // The restarted kubelet posts healthy pressure conditions; the next housekeeping re-reports any pressure.
    agent.pressure = [];
    for (const rec of [...agent.pods.values()]) {
      const action = rec.deferred;
      rec.deferred = undefined;
      if (action) this.run(agent, rec, action);
      else this.sync(agent, rec);
      // The status manager's reconcile (syncBatch/needsReconcile): a status others changed while the kubelet
      // was away (the node lifecycle controller's MarkPodsNotReady) is written back as the kubelet sees it.
      if (!action && rec.state === 'running' && !rec.pod.metadata.deletionTimestamp) this.writeView(agent, rec, this.view(agent, rec, 'Running'));
    }
    if (agent.loadPods.size > 0) this.ensureHousekeeping(agent);
  }

  // ---- pods ----

  /** `fresh`: the kubelet has no record of the pod (its first bound version), so none is looked for. */
  private podChanged(pod: Stored<PodPod>, fresh = false): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    // The record of a pod the kubelet has just written, with its agent (still filed under it: its delete event
    // comes after this update, and a deleted node's agent leaves none in the ring; the node name of a bound pod
    // does not change), without a look at the agents' map; else the node's agent and its map's record.
    const own = this.ownSlot(pod);
    const agent = own >= 0 ? this.ownAgents[own] : this.agents.get(nodeName);
    const uid = pod.metadata.uid ?? '';
    if (!agent) {
      let m = this.orphans.get(nodeName);
      if (!m) this.orphans.set(nodeName, (m = new Map()));
      m.set(uid, pod);
      return;
    }
    let rec = own >= 0 ? this.ownRecs[own] : fresh ? undefined : agent.pods.get(uid);
    if (!rec) {
      rec = {
        pod,
        state: 'new',
        timer: undefined,
        deferred: undefined,
        podIP: undefined,
        podHost: undefined,
        podIPs: undefined,
        containers: NoContainers,
        initStatuses: NoStatuses,
        binding: undefined,
        eviction: undefined,
        probeTimer: undefined,
        pending: undefined,
        fire: undefined,
        held: false,
        containerTimers: false,
      };
      agent.pods.set(uid, rec);
    } else {
      rec.pod = pod;
      if (rec.held) this.settle(agent, rec, pod);
    }
    this.trackReadiness(pod);
    if (agent.running) this.sync(agent, rec);
  }

  private podDeleted(pod: Stored<PodPod>): void {
    const nodeName = pod.spec?.nodeName;
    this.untrackReadiness(pod.metadata.uid ?? '');
    if (!nodeName) return;
    // Nearly always empty (pods bound to nodes the kubelet has not seen): no lookup by a node name then.
    if (this.orphans.size > 0) this.orphans.get(nodeName)?.delete(pod.metadata.uid ?? '');
    const agent = this.agents.get(nodeName);
    const rec = agent?.pods.get(pod.metadata.uid ?? '');
    if (!agent || !rec) return;
    if (rec.held) this.settle(agent, rec, undefined);
    this.cancel(rec);
    this.releaseIP(agent, rec);
    this.stopLoad(agent, rec);
    agent.pods.delete(pod.metadata.uid ?? '');
    this.forgetOwnWrites(rec);
  }

  /** The ring slot of `pod` if the kubelet's status write stored it lately (see ownWrites), else -1. */
  private ownSlot(pod: Stored<PodPod>): number {
    if (!this.shortcuts) return -1;
    const writes = this.ownWrites;
    for (let i = 0; i < OwnWrites; i++) if (writes[i] === pod) return i;
    return -1;
  }

  /** Drop the ring's entries of `rec` (every entry when undefined). */
  private forgetOwnWrites(rec: PodRecord | undefined): void {
    for (let i = 0; i < OwnWrites; i++) {
      if (rec !== undefined && this.ownRecs[i] !== rec) continue;
      this.ownWrites[i] = undefined;
      this.ownRecs[i] = undefined;
      this.ownAgents[i] = undefined;
    }
  }

  /** Decide what the pod needs now (the pod worker's syncPod, reduced to what ksim models). */
  private sync(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) {
      if (rec.state === 'terminating') return;
      if (rec.state === 'evicting') {
        rec.state = 'terminating';
        return; // the eviction's stop completes, then the pod is finalized
      }
      this.cancel(rec);
      const wasRunning = rec.state === 'running' || rec.state === 'backoff';
      rec.state = 'terminating';
      this.stopLoad(agent, rec);
      if (wasRunning) {
        for (const c of pod.spec?.containers ?? []) this.event(agent, pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      const stopIn = wasRunning ? Math.min(this.stopDuration(pod), grace) : 0;
      this.schedule(agent, rec, 'finalize', stopIn);
      return;
    }
    if (rec.state !== 'new') return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      rec.state = 'done';
      return;
    }
    // The kubelet's admission (canAdmitPod): the first handler to refuse wins. The admitter may hold resources
    // for the pod from here on (even when a later handler refuses: released when the rejection is written).
    rec.held = this.admitter !== undefined;
    // The agent is what a handler reads of the node (its name, pressure and configuration): no copy per pod.
    for (const h of this.admitHandlers) {
      const r = h(agent, pod);
      if (!r.admit) {
        this.rejectPod(agent, rec, r.reason, r.message);
        return;
      }
    }
    rec.state = 'pulling';
    rec.containers = (pod.spec?.containers ?? []).map((c, index) => ({
      spec: c,
      index,
      cpuLimit: cpuLimit(c),
      memoryLimit: memoryLimit(c),
      status: waitingContainerStatus(c, 0, 'ContainerCreating'),
      startedAt: undefined,
      startupAt: 0,
      readyAt: 0,
      backOff: undefined,
      timer: undefined,
      deadBytes: 0,
      readinessFailures: 0,
      readinessSuccesses: 0,
      livenessFailures: 0,
    }));
    this.pullImages(agent, rec, 0, this.sim.now);
  }

  /** rejectPod: Failed with the handler's reason and "Pod was rejected: <message>", and a Warning event. */
  private rejectPod(agent: NodeAgent, rec: PodRecord, reason: string, message: string): void {
    rec.state = 'done';
    this.event(agent, rec.pod, 'Warning', reason, message);
    this.writeView(agent, rec, { phase: 'Failed', reason, message: `Pod was rejected: ${message}`, sandboxReady: false, initContainers: NoStatuses, containers: NoStatuses });
  }

  /** How long containers take to stop on SIGTERM: the annotation, plus the longest preStop sleep. */
  private stopDuration(pod: Pod): number {
    // The longest of both lists, each read where it is (no concatenated copy per deleted pod).
    const preStop = Math.max(longestPreStopSleep(pod.spec?.containers), longestPreStopSleep(pod.spec?.initContainers));
    return preStop + containerBehaviour(pod).shutdownFor;
  }

  // ---- images ----

  /**
   * EnsureImageExists for each container in turn (init containers first, as
   * the kubelet starts them first), then the sandbox and containers start.
   */
  private pullImages(agent: NodeAgent, rec: PodRecord, i: number, requestedAt: Time): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp || rec.state !== 'pulling') return;
    // Init containers first; a pod without any reads its containers list as it is (no copy per pull step).
    const init = pod.spec?.initContainers;
    const all = init !== undefined && init.length > 0 ? [...init, ...(pod.spec?.containers ?? [])] : (pod.spec?.containers ?? []);
    for (; i < all.length; i++) {
      const c = all[i]!;
      const image = c.image ?? '';
      const now = this.sim.now;
      const d = agent.images.ensure(image, c.imagePullPolicy, now);
      if (d.kind === 'present') {
        agent.images.used(image, now);
        this.event(agent, pod, 'Normal', 'Pulled', presentMessages.get(image));
        continue;
      }
      if (d.kind === 'never') {
        const msg = imageMessages.neverPull(image);
        this.event(agent, pod, 'Warning', 'ErrImageNeverPull', msg);
        rec.state = 'done';
        const statuses = (pod.spec?.containers ?? []).map((x) => (x.name === c.name ? waitingContainerStatus(x, 0, 'ErrImageNeverPull', msg) : waitingContainerStatus(x, 0, 'ContainerCreating')));
        // The pod stays Pending: the kubelet retries on every sync, and the image never appears.
        this.writeView(agent, rec, { phase: 'Pending', sandboxReady: true, hostIP: agent.hostIP, hostIPs: agent.hostIPs, startTime: this.sim.timestamp(), initContainers: NoStatuses, containers: statuses });
        return;
      }
      this.event(agent, pod, 'Normal', 'Pulling', imageMessages.pulling(image));
      if (pod.status?.startTime === undefined) {
        // While it pulls, the pod reports what it waits for (Pending, ContainerCreating), as the status manager does.
        const waiting = { phase: 'Pending' as const, sandboxReady: true, hostIP: agent.hostIP, hostIPs: agent.hostIPs, startTime: this.sim.timestamp(), initContainers: NoStatuses, containers: rec.containers.map((c) => c.status) };
        this.writeView(agent, rec, waiting);
      }
      const next = i + 1;
      rec.timer = this.sim.engine.at(
        d.doneAt,
        () => {
          rec.timer = undefined;
          if (!this.live(agent)) return;
          if (agent.images.pulled(image, d.spec, this.sim.now)) this.publishImages(agent);
          const took = formatDuration(d.doneAt - d.startAt);
          const total = formatDuration(this.sim.now - requestedAt);
          this.event(agent, rec.pod, 'Normal', 'Pulled', imageMessages.pulled(image, took, total, d.spec.sizeBytes));
          this.pullImages(agent, rec, next, this.sim.now);
        },
        agent.timerOpts,
      );
      return;
    }
    rec.state = 'starting';
    this.schedule(agent, rec, 'start', this.timing.podStartup);
  }

  /** node.status.images after a pull or a garbage collection, so ImageLocality sees the node's images. */
  private publishImages(agent: NodeAgent, gc = true): void {
    if (gc) this.maybeImageGC(agent);
    const images = agent.images.statusImages();
    this.write(() =>
      this.sim.store.patch<Writable<Node & KObject>>('Node', '', agent.name, (draft) => {
        (draft.status ??= {}).images = images;
      }, agent.statusWrite),
    );
  }

  /**
   * The image GC policy: above imageGCHighThresholdPercent of the filesystem,
   * free down to imageGCLowThresholdPercent (checked at most every ImageGCPeriod).
   */
  private maybeImageGC(agent: NodeAgent): boolean {
    if (agent.fsCapacity === undefined || agent.fsCapacity <= 0) return false;
    const now = this.sim.now;
    if (now - agent.lastImageGC < ImageGCPeriod) return false;
    const used = this.fsUsed(agent);
    const pct = (used * 100) / agent.fsCapacity;
    if (pct < agent.config.imageGCHighThresholdPercent) return false;
    agent.lastImageGC = now;
    const target = (agent.fsCapacity * agent.config.imageGCLowThresholdPercent) / 100;
    const freed = agent.images.freeSpace(used - target, this.imagesInUse(agent), now, parseDuration(agent.config.imageMinimumGCAge));
    if (freed < used - target) {
      this.nodeEvent(agent, 'Warning', 'FreeDiskSpaceFailed', `Failed to garbage collect required amount of images. Attempted to free ${Math.round(used - target)} bytes, but only found ${freed} bytes eligible to free.`);
    }
    return freed > 0;
  }

  private fsUsed(agent: NodeAgent): number {
    let pods = 0;
    for (const p of agent.summary?.pods ?? []) pods += p.ephemeralBytes;
    return agent.reservedFs + agent.images.totalBytes() + pods + this.deadBytes(agent);
  }

  private imagesInUse(agent: NodeAgent): Set<string> {
    const out = new Set<string>();
    for (const rec of agent.pods.values()) {
      if (rec.state === 'done') continue;
      for (const c of [...(rec.pod.spec?.initContainers ?? []), ...(rec.pod.spec?.containers ?? [])]) {
        const img = c.image ?? '';
        out.add(img.includes('@') || img.slice(img.lastIndexOf('/') + 1).includes(':') ? img : `${img}:latest`);
      }
    }
    return out;
  }

  // ---- timers ----

  /**
   * Run `action` after `delay`, replacing the pod's pending timer. The action waits in rec.pending and one
   * callback per pod fires it (perf: a closure and its context per timer, a few per pod). That is the action
   * of the timer that fires: rec.timer is the only handle of a pending schedule() timer (pullImages sets it
   * only while the pod pulls, when none is pending), and each call cancels it before setting its own.
   */
  private schedule(agent: NodeAgent, rec: PodRecord, action: Action, delay: Time): void {
    if (rec.timer !== undefined) this.sim.engine.cancel(rec.timer);
    rec.pending = action;
    rec.timer = this.sim.engine.after(delay, (rec.fire ??= () => this.fire(agent, rec)), agent.timerOpts);
  }

  /** A schedule() timer came due: its action now, or on resume when the kubelet is stopped. */
  private fire(agent: NodeAgent, rec: PodRecord): void {
    const action = rec.pending!;
    rec.pending = undefined;
    rec.timer = undefined;
    if (!this.live(agent)) return;
    if (!agent.running) {
      rec.deferred = action;
      return;
    }
    this.run(agent, rec, action);
  }

  private cancel(rec: PodRecord): void {
    if (rec.timer !== undefined) this.sim.engine.cancel(rec.timer);
    if (rec.probeTimer !== undefined) this.sim.engine.cancel(rec.probeTimer);
    if (rec.containerTimers || !this.shortcuts) {
      for (const c of rec.containers) {
        if (c.timer !== undefined) this.sim.engine.cancel(c.timer);
        c.timer = undefined;
      }
      rec.containerTimers = false;
    }
    rec.timer = undefined;
    rec.probeTimer = undefined;
    rec.deferred = undefined;
  }

  private run(agent: NodeAgent, rec: PodRecord, action: Action): void {
    switch (action) {
      case 'start':
        return this.startContainers(agent, rec, false);
      case 'restart':
        return this.startContainers(agent, rec, true);
      case 'exit':
        return this.containersExited(agent, rec);
      case 'ready':
        return this.readinessChanged(agent, rec);
      case 'evicted':
        return this.evictionDone(agent, rec);
      case 'finalize':
        return this.finalize(agent, rec);
    }
  }

  // ---- containers ----

  /**
   * The kubelet's view of the pod for a status write. Its container statuses
   * are deep-frozen here (the kubelet replaces a container's status, never
   * edits it), and so are the lists, so that the store keeps them as they are
   * rather than copying and freezing each write's: a container's status is
   * then one object, held by both the kubelet and the stored pod, not two.
   * `sandboxReady` false: the pod's sandbox is gone (a terminal write), given here rather than spread over
   * a second view object.
   */
  private view(agent: NodeAgent, rec: PodRecord, phase: KubeletPodView['phase'], sandboxReady = phase === 'Running' || phase === 'Pending'): KubeletPodView {
    const containers: ContainerStatus[] = new Array<ContainerStatus>(rec.containers.length);
    for (let i = 0; i < containers.length; i++) {
      const c = rec.containers[i]!;
      containers[i] = c.status = deepFreeze(c.status);
    }
    // Replaced as a whole when the init containers start, never edited: frozen in place.
    const init = rec.initStatuses.length > 0 ? deepFreeze(rec.initStatuses) : rec.initStatuses;
    return {
      phase,
      hostIP: agent.hostIP,
      podIP: rec.podIP,
      hostIPs: agent.hostIPs,
      podIPs: rec.podIPs,
      startTime: this.sim.timestamp(),
      sandboxReady,
      initContainers: init,
      containers: Object.freeze(containers) as ContainerStatus[],
    };
  }

  /** Init containers run to completion (sidecars keep running), then every app container starts. */
  private startContainers(agent: NodeAgent, rec: PodRecord, restart: boolean): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) return;
    const now = this.sim.now;
    const time = this.sim.timestamp();
    if (rec.podIP === undefined) {
      const host = allocateHost(agent);
      rec.podHost = host;
      const ip = (rec.podIP = agent.addresses[host] ??= podAddress(agent.index, host));
      rec.podIPs = agent.podIPs[host] ??= addressList(ip);
    }
    const uid = pod.metadata.uid ?? '';
    if (!restart) {
      const init = pod.spec?.initContainers;
      rec.initStatuses = init === undefined || init.length === 0 ? NoStatuses : init.map((c, i) => {
        this.event(agent, pod, 'Normal', 'Created', createdMessages.get(c.name));
        this.event(agent, pod, 'Normal', 'Started', startedMessages.get(c.name));
        if (c.restartPolicy === 'Always') return runningContainerStatus(c, 100 + i, uid, time, 0, true, true);
        return { ...runningContainerStatus(c, 100 + i, uid, time, 0, false, false), state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: time, finishedAt: time } } };
      });
    }
    for (const c of rec.containers) {
      const last = restart ? c.status.lastState : undefined;
      const sched = probeSchedule(c.spec, now);
      c.startedAt = now;
      c.startupAt = sched.startedAt;
      c.readyAt = sched.readyAt;
      c.readinessFailures = 0;
      c.readinessSuccesses = 0;
      c.livenessFailures = 0;
      c.status = runningContainerStatus(c.spec, c.index, uid, time, c.status.restartCount, sched.readyAt <= now, sched.startedAt <= now, last);
      this.event(agent, pod, 'Normal', 'Created', createdMessages.get(c.spec.name));
      this.event(agent, pod, 'Normal', 'Started', startedMessages.get(c.spec.name));
    }
    if (!this.writeView(agent, rec, this.view(agent, rec, 'Running'))) return;
    rec.state = 'running';
    this.startLoad(agent, rec);
    // The exit first: scheduleReadiness then sees the pod's timer taken and keeps its own.
    const runFor = containerBehaviour(pod).runFor;
    if (runFor !== undefined) this.schedule(agent, rec, 'exit', runFor);
    this.scheduleReadiness(agent, rec);
    this.startProbeLoop(agent, rec);
  }

  /** The next instant a container's startup or readiness probe first succeeds. */
  private scheduleReadiness(agent: NodeAgent, rec: PodRecord): void {
    const now = this.sim.now;
    let next = Number.POSITIVE_INFINITY;
    for (const c of rec.containers) {
      if (c.status.state?.running === undefined) continue;
      if (c.startupAt > now) next = Math.min(next, c.startupAt);
      if (c.readyAt > now) next = Math.min(next, c.readyAt);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    const existing = rec.timer;
    if (existing !== undefined) {
      // An exit is pending (run-duration): readiness comes through a probe tick of its own.
      this.sim.engine.after(next - now, () => this.live(agent) && agent.running && this.readinessChanged(agent, rec), agent.timerOpts);
      return;
    }
    this.schedule(agent, rec, 'ready', next - now);
  }

  private readinessChanged(agent: NodeAgent, rec: PodRecord): void {
    if (rec.state !== 'running' || rec.pod.metadata.deletionTimestamp) return;
    const now = this.sim.now;
    let changed = false;
    for (const c of rec.containers) {
      if (c.status.state?.running === undefined) continue;
      const started = c.startupAt <= now;
      const ready = c.readyAt <= now && c.readinessFailures === 0;
      if (c.status.started !== started || c.status.ready !== ready) {
        c.status = { ...c.status, started, ready };
        changed = true;
      }
    }
    if (changed) this.writeView(agent, rec, this.view(agent, rec, 'Running'));
    this.scheduleReadiness(agent, rec);
  }

  /**
   * The probe failure model (ksim.dev/readiness-failure-rate,
   * ksim.dev/liveness-failure-rate): every periodSeconds each probe fails with
   * the given probability (stream "probes"); failureThreshold failures in a
   * row make the container unready (readiness) or kill and restart it
   * (liveness); successThreshold successes make it ready again.
   */
  private startProbeLoop(agent: NodeAgent, rec: PodRecord): void {
    const b = containerBehaviour(rec.pod);
    if (b.readinessFailureRate === 0 && b.livenessFailureRate === 0) return;
    const period = Math.min(...rec.containers.map((c) => probeTiming(c.spec.readinessProbe)?.period ?? probeTiming(c.spec.livenessProbe)?.period ?? 10_000));
    const tick = (): void => {
      rec.probeTimer = undefined;
      if (!this.live(agent) || rec.state !== 'running' || rec.pod.metadata.deletionTimestamp) return;
      if (agent.running) this.probeOnce(agent, rec, b.readinessFailureRate, b.livenessFailureRate);
      if (rec.state === 'running') rec.probeTimer = this.sim.engine.after(period, tick, agent.timerOpts);
    };
    rec.probeTimer = this.sim.engine.after(period, tick, agent.timerOpts);
  }

  private probeOnce(agent: NodeAgent, rec: PodRecord, readinessRate: number, livenessRate: number): void {
    const now = this.sim.now;
    let changed = false;
    for (const c of rec.containers) {
      if (c.status.state?.running === undefined || c.startupAt > now) continue;
      const rp = probeTiming(c.spec.readinessProbe);
      if (rp && readinessRate > 0 && c.readyAt <= now) {
        if (this.probes.next() < readinessRate) {
          c.readinessSuccesses = 0;
          c.readinessFailures++;
          this.event(agent, rec.pod, 'Warning', 'Unhealthy', 'Readiness probe failed: ');
          if (c.readinessFailures >= rp.failureThreshold && c.status.ready) {
            c.status = { ...c.status, ready: false };
            changed = true;
          }
        } else {
          c.readinessSuccesses++;
          if (c.readinessSuccesses >= rp.successThreshold) {
            c.readinessFailures = 0;
            if (!c.status.ready) {
              c.status = { ...c.status, ready: true };
              changed = true;
            }
          }
        }
      }
      const lp = probeTiming(c.spec.livenessProbe);
      if (lp && livenessRate > 0 && now - (c.startedAt ?? now) >= lp.initialDelay) {
        if (this.probes.next() < livenessRate) {
          c.livenessFailures++;
          this.event(agent, rec.pod, 'Warning', 'Unhealthy', 'Liveness probe failed: ');
          if (c.livenessFailures >= lp.failureThreshold) {
            this.event(agent, rec.pod, 'Normal', 'Killing', `Container ${c.spec.name} failed liveness probe, will be restarted`);
            this.containerDied(agent, rec, c, ExitCodeSIGKILL, 'Error', false);
            changed = false;
          }
        } else c.livenessFailures = 0;
      }
    }
    if (changed) this.writeView(agent, rec, this.view(agent, rec, 'Running'));
  }

  /** All containers exit (ksim.dev/run-duration): restart with back-off, or a terminal phase. */
  private containersExited(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) return;
    const { exitCode } = containerBehaviour(pod);
    const time = this.sim.timestamp();
    const reason = terminatedReason(exitCode);
    this.stopLoad(agent, rec);
    for (const c of rec.containers) this.leaveDead(agent, rec, c);
    if (shouldRestart(pod.spec?.restartPolicy, exitCode)) {
      // Each container keeps its own restart count and back-off (an earlier OOM kill counts too);
      // they exited together, so they restart together after the longest back-off.
      let backOff = 0;
      for (const c of rec.containers) {
        const d = (c.backOff ??= new ContainerBackOff()).next(this.sim.now);
        backOff = Math.max(backOff, d);
        c.status = crashLoopContainerStatus(c.status, pod, exitCode, reason, time, c.status.restartCount + 1, d);
      }
      if (!this.writeView(agent, rec, this.view(agent, rec, 'Running'))) return;
      for (const c of rec.containers) this.event(agent, pod, 'Warning', 'BackOff', backOffEventMessage(pod, c.spec.name));
      rec.state = 'backoff';
      this.schedule(agent, rec, 'restart', backOff);
      return;
    }
    for (const c of rec.containers) c.status = exitedContainerStatus(c.status, exitCode, reason, time);
    const phase = exitCode === 0 ? 'Succeeded' : 'Failed';
    if (!this.writeView(agent, rec, this.view(agent, rec, phase, false))) return;
    rec.state = 'done';
    this.releaseIP(agent, rec);
  }

  /**
   * One container died (OOM kill, failed liveness probe): restart it after its
   * back-off under the pod's restartPolicy; when none of the pod's containers
   * will run again the pod reaches its terminal phase.
   */
  private containerDied(agent: NodeAgent, rec: PodRecord, c: ContainerRec, exitCode: number, reason: string, oom: boolean): void {
    const pod = rec.pod;
    const time = this.sim.timestamp();
    const why = oom ? 'OOMKilled' : reason;
    if (c.timer !== undefined) this.sim.engine.cancel(c.timer);
    c.timer = undefined;
    c.startedAt = undefined;
    this.leaveDead(agent, rec, c);
    if (shouldRestart(pod.spec?.restartPolicy, exitCode)) {
      const backOff = (c.backOff ??= new ContainerBackOff()).next(this.sim.now);
      const restarts = c.status.restartCount + 1;
      c.status = crashLoopContainerStatus(c.status, pod, exitCode, why, time, restarts, backOff);
      this.event(agent, pod, 'Warning', 'BackOff', backOffEventMessage(pod, c.spec.name));
      rec.containerTimers = true;
      c.timer = this.sim.engine.after(
        backOff,
        () => {
          c.timer = undefined;
          if (!this.live(agent) || rec.state !== 'running' || rec.pod.metadata.deletionTimestamp) return;
          this.restartContainer(agent, rec, c);
        },
        agent.timerOpts,
      );
      this.writeView(agent, rec, this.view(agent, rec, 'Running'));
      return;
    }
    c.status = exitedContainerStatus(c.status, exitCode, why, time);
    const stillRunning = rec.containers.some((x) => x.status.state?.running !== undefined);
    if (stillRunning) {
      this.writeView(agent, rec, this.view(agent, rec, 'Running'));
      return;
    }
    this.cancel(rec);
    this.stopLoad(agent, rec);
    const failed = rec.containers.some((x) => (x.status.state?.terminated?.exitCode ?? 0) !== 0);
    this.writeView(agent, rec, this.view(agent, rec, failed ? 'Failed' : 'Succeeded', false));
    rec.state = 'done';
    this.releaseIP(agent, rec);
  }

  private restartContainer(agent: NodeAgent, rec: PodRecord, c: ContainerRec): void {
    if (!agent.running) {
      // Catch up when the kubelet returns: the next housekeeping or sync restarts it.
      const retry = (): void => {
        c.timer = undefined;
        if (this.live(agent) && rec.state === 'running' && !rec.pod.metadata.deletionTimestamp) this.restartContainer(agent, rec, c);
      };
      rec.containerTimers = true;
      c.timer = this.sim.engine.after(EvictionMonitoringPeriod, retry, { priority: Priority.Kubelet, source: `kubelet/${agent.name}`, periodic: true });
      return;
    }
    const now = this.sim.now;
    const sched = probeSchedule(c.spec, now);
    c.startedAt = now;
    c.startupAt = sched.startedAt;
    c.readyAt = sched.readyAt;
    c.status = runningContainerStatus(c.spec, c.index, rec.pod.metadata.uid ?? '', this.sim.timestamp(), c.status.restartCount, sched.readyAt <= now, sched.startedAt <= now, c.status.lastState);
    this.event(agent, rec.pod, 'Normal', 'Pulled', presentMessages.get(c.spec.image ?? ''));
    this.event(agent, rec.pod, 'Normal', 'Created', createdMessages.get(c.spec.name));
    this.event(agent, rec.pod, 'Normal', 'Started', startedMessages.get(c.spec.name));
    this.writeView(agent, rec, this.view(agent, rec, 'Running'));
    this.scheduleReadiness(agent, rec);
  }

  /** Containers are stopped: remove the pod object (the status manager's final delete with grace 0). */
  private finalize(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    // A pod with finalizers (a Job's tracking finalizer) outlives this delete. As the kubelet
    // has since v1.27, it first reaches a terminal phase - Failed, its killed containers
    // exited 137 - so that its owner can count it and let it go.
    const phase = pod.status?.phase;
    if ((pod.metadata.finalizers?.length ?? 0) > 0 && phase !== 'Succeeded' && phase !== 'Failed') {
      const time = this.sim.timestamp();
      for (const c of rec.containers) if (c.status.state?.running) c.status = exitedContainerStatus(c.status, 137, terminatedReason(137), time);
      this.writeView(agent, rec, this.view(agent, rec, 'Failed', false));
    }
    this.write(() =>
      this.sim.store.delete('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
        actor: agent.actor,
      }),
    );
    if (rec.held) {
      // Gone, or kept by its finalizers: as the API server now holds it (terminal or not).
      const now = this.sim.store.get<PodPod>('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      this.settle(agent, rec, now !== undefined && now.metadata.uid === pod.metadata.uid ? now : undefined);
    }
  }

  /** Write the status generated from the kubelet's view over what the API server holds now. */
  private writeView(agent: NodeAgent, rec: PodRecord, view: KubeletPodView): boolean {
    const time = this.sim.timestamp();
    // putStatus and write() by hand: no two closures made and called per status write (the kubelet's most frequent).
    let updated: Stored<PodPod>;
    try {
      const cur = this.storedPod(rec.pod);
      updated = this.sendStatus(agent, cur, generateAPIPodStatus(cur, view, cur.status, time, this.observedGeneration));
    } catch (err) {
      if (isWriteRace(err)) return false;
      throw err;
    }
    rec.pod = updated;
    this.ownWrites[this.ownNext] = updated;
    this.ownRecs[this.ownNext] = rec;
    this.ownAgents[this.ownNext] = agent;
    this.ownNext = (this.ownNext + 1) % OwnWrites;
    if (rec.held) this.settle(agent, rec, updated);
    this.trackReadiness(updated);
    return true;
  }

  /**
   * The admitter stops counting a pod the kubelet admitted once it sees the pod terminal or gone (`pod`
   * undefined): after its own terminal write or delete, or at the informer's event of someone else's.
   */
  private settle(agent: NodeAgent, rec: PodRecord, pod: Stored<PodPod> | undefined): void {
    if (pod !== undefined) {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') return;
    }
    rec.held = false;
    this.admitter?.release(agent, rec.pod.metadata.uid ?? '');
  }

  /**
   * A status write over what the API server holds now: the new status is
   * computed from the stored (frozen) pod and sent as a whole-object status
   * update, the same write a patch would make without a copy-on-write draft
   * (pods' status writes are the kubelet's most frequent). NotFound when the
   * pod is gone, as a patch.
   */
  private putStatus(agent: NodeAgent, pod: Stored<PodPod>, status: (current: Stored<PodPod>) => PodStatus): Stored<PodPod> {
    const cur = this.storedPod(pod);
    return this.sendStatus(agent, cur, status(cur));
  }

  /** What the API server holds of `pod` now; NotFound when it is gone, as a patch. */
  private storedPod(pod: Stored<PodPod>): Stored<PodPod> {
    const cur = this.sim.store.get<PodPod>('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!cur) throw ApiError.notFound('Pod', pod.metadata.name ?? '');
    return cur;
  }

  /** putStatus's write of `status` over `cur` (the pod as the API server holds it now). */
  private sendStatus(agent: NodeAgent, cur: Stored<PodPod>, status: PodStatus): Stored<PodPod> {
    // generateAPIPodStatus hands over its status frozen when every part is (built key by key, as the store lays
    // out its own copy: a spread-built status kept as is held ~10 MiB more over 12,500 finished pods); the store
    // keeps frozen parts and copies the rest. A status update keeps only the status of what it is sent (the rest
    // comes from the stored pod): sent with just what identifies the pod, not a spread of the whole pod.
    const update = { apiVersion: cur.apiVersion, kind: cur.kind, metadata: cur.metadata, status } as PodPod;
    return this.sim.store.update<PodPod>(update, agent.statusWrite);
  }

  /** A write that may race with a deletion: NotFound/Conflict mean the pod moved on, which the watch will tell us. */
  private write<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (isWriteRace(err)) return undefined;
      throw err;
    }
  }

  private event(agent: NodeAgent, pod: Stored<PodPod>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.sim.recorder.event(pod, type, reason, message, agent.eventSource);
  }

  private nodeEvent(agent: NodeAgent, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.sim.recorder.event({ kind: 'Node', namespace: '', name: agent.name, uid: agent.name }, type, reason, message, { component: 'kubelet', host: agent.name });
  }

  // ---- load, stats, OOM, eviction ----

  private workloadSelector = (ref: WorkloadRef): Selector | undefined => {
    const obj = this.sim.store.get(ref.kind, ref.namespace, ref.name) as { spec?: { selector?: unknown } } | undefined;
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
    const cached = this.workloadSelectors.get(key);
    if (cached && cached.obj === obj) return cached.sel;
    let sel: Selector | undefined;
    const raw = obj?.spec?.selector;
    try {
      // ReplicationController's selector is a plain map; the others a LabelSelector.
      if (raw && typeof raw === 'object') sel = ref.kind === 'ReplicationController' ? labelSelectorAsSelector({ matchLabels: raw as Record<string, string> }) : labelSelectorAsSelector(raw as LabelSelector);
    } catch {
      sel = undefined;
    }
    this.workloadSelectors.set(key, { obj, sel });
    return sel;
  };

  private bindingOf(rec: PodRecord): PodLoadBinding | undefined {
    if (!this.evaluator) return undefined;
    if (rec.binding === undefined) rec.binding = bindPod(this.evaluator.spec, rec.pod, this.workloadSelector) ?? null;
    return rec.binding ?? undefined;
  }

  private startLoad(agent: NodeAgent, rec: PodRecord): void {
    if (!this.bindingOf(rec)) return;
    agent.loadPods.add(rec.pod.metadata.uid ?? '');
    this.ensureHousekeeping(agent);
  }

  private stopLoad(agent: NodeAgent, rec: PodRecord): void {
    // Only a pod with a binding was ever added (startLoad), and most have none (no load model drives them): the
    // record, at hand, says so without a look at the node's set (a cache miss per finished and per deleted pod).
    if (rec.binding) agent.loadPods.delete(rec.pod.metadata.uid ?? '');
  }

  /** Demand sharing: which demand entries count this pod as Ready. */
  private trackReadiness(pod: Stored<PodPod>): void {
    const demands = this.demands;
    if (demands.length === 0) return;
    const uid = pod.metadata.uid ?? '';
    const ready = !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' && isPodReady(pod);
    for (let i = 0; i < demands.length; i++) {
      const d = demands[i]!;
      if (ready && entrySelects(d.entry, pod, this.workloadSelector)) d.ready.add(uid);
      else d.ready.delete(uid);
    }
  }

  private untrackReadiness(uid: string): void {
    // demands holds the sets of readyByEntry (made together, in the same order): an indexed walk of the array
    // rather than an iterator of the map at every pod deletion (the list is empty unless a load model has demands).
    const demands = this.demands;
    for (let i = 0; i < demands.length; i++) demands[i]!.ready.delete(uid);
  }

  private readyPods = (entry: PodLoadEntry): number => this.readyByEntry.get(entry.index)?.size ?? 0;

  private ensureHousekeeping(agent: NodeAgent): void {
    if (agent.housekeeping !== undefined) return;
    // Aligned to the node's 10 s housekeeping grid, so sampling does not depend on when pods started.
    const now = this.sim.now;
    const next = Math.floor(now / EvictionMonitoringPeriod) * EvictionMonitoringPeriod + EvictionMonitoringPeriod;
    this.scheduleHousekeeping(agent, next - now);
  }

  private scheduleHousekeeping(agent: NodeAgent, delay: Time): void {
    agent.housekeeping = this.sim.engine.after(
      delay,
      () => {
        agent.housekeeping = undefined;
        if (!this.live(agent)) return;
        const wait = agent.running ? this.housekeeping(agent) : EvictionMonitoringPeriod;
        if (agent.loadPods.size > 0 || agent.pressure.length > 0) this.scheduleHousekeeping(agent, wait);
        else agent.summary = undefined;
      },
      { priority: Priority.Periodic, source: `kubelet/${agent.name}/housekeeping`, periodic: true },
    );
  }

  /** Container and pod stats now, from the load models (CPU throttled at its limit). */
  private podStats(agent: NodeAgent, rec: PodRecord, now: Time): PodStats {
    const binding = this.bindingOf(rec);
    const modelled = binding !== undefined && this.evaluator !== undefined;
    const startedAt = (name: string): Time | undefined => rec.containers.find((c) => c.spec.name === name)?.startedAt;
    const ready = isPodReady(rec.pod);
    const usage = modelled ? this.evaluator!.containerUsage(rec.pod, binding!, now, startedAt, this.readyPods, ready) : [];
    const containers: ContainerStats[] = [];
    let podStart = now;
    // Every running container has stats (cAdvisor sees them all); those no load model drives use nothing.
    for (const c of rec.containers) {
      if (c.startedAt === undefined) continue;
      if (c.startedAt < podStart) podStart = c.startedAt;
      const u = usage.find((x) => x.name === c.spec.name) ?? NO_USAGE;
      const lim = c.cpuLimit;
      const pidLimit = agent.config.podPidsLimit;
      containers.push({
        name: u.name,
        startTime: c.startedAt,
        cpu: lim === undefined ? u.cpu : Math.min(u.cpu, lim),
        workingSetBytes: pageAligned(u.memory),
        ephemeralBytes: Math.round(u.ephemeralStorage),
        // podPidsLimit caps the pod's processes: forks beyond it fail.
        processes: Math.round(pidLimit > 0 ? Math.min(u.pids, pidLimit) : u.pids),
      });
    }
    const pod = rec.pod;
    const s: PodStats = {
      modelled,
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
      startTime: podStart,
      containers,
      cpu: 0,
      workingSetBytes: 0,
      ephemeralBytes: 0,
      processes: 0,
    };
    for (const c of containers) {
      s.cpu += c.cpu;
      s.workingSetBytes += c.workingSetBytes;
      s.ephemeralBytes += c.ephemeralBytes;
      s.processes += c.processes;
    }
    if (agent.config.podPidsLimit > 0) s.processes = Math.min(s.processes, agent.config.podPidsLimit);
    return s;
  }

  private deadBytes(agent: NodeAgent): number {
    let n = 0;
    for (const rec of agent.pods.values()) for (const c of rec.containers) n += c.deadBytes;
    return n;
  }

  /** A container instance exits: its writable layer and logs (as last measured) stay as a dead container. */
  private leaveDead(agent: NodeAgent, rec: PodRecord, c: ContainerRec): void {
    const uid = rec.pod.metadata.uid ?? '';
    const s = agent.summary?.pods.find((p) => p.uid === uid)?.containers.find((x) => x.name === c.spec.name);
    c.deadBytes = s?.ephemeralBytes ?? 0;
  }

  private summary(agent: NodeAgent, now: Time): NodeSummary {
    const pods: PodStats[] = [];
    for (const rec of agent.pods.values()) {
      if (rec.state !== 'running') continue;
      pods.push(this.podStats(agent, rec, now));
    }
    return summarize({
      nodeName: agent.name,
      time: now,
      memoryCapacity: agent.memoryCapacity,
      reservedMemory: agent.reservedMemory,
      fsCapacity: agent.fsCapacity,
      reservedFs: agent.reservedFs,
      imageBytes: agent.images.totalBytes(),
      deadContainerBytes: this.deadBytes(agent),
      pidMax: DEFAULT_PID_MAX,
      pods,
    });
  }

  /** One housekeeping round; returns the delay to the next. */
  private housekeeping(agent: NodeAgent): Time {
    const now = this.sim.now;
    let summary = this.summary(agent, now);
    // A container above its memory limit is killed by its cgroup's OOM killer.
    let killed = false;
    for (const p of summary.pods) {
      const rec = agent.pods.get(p.uid);
      if (!rec) continue;
      for (const cs of p.containers) {
        const c = rec.containers.find((x) => x.spec.name === cs.name);
        const lim = c?.memoryLimit;
        if (c && lim !== undefined && cs.workingSetBytes > lim) {
          this.containerDied(agent, rec, c, ExitCodeSIGKILL, 'OOMKilled', true);
          killed = true;
        }
      }
    }
    if (killed) summary = this.summary(agent, now);
    // The node itself out of memory before the eviction manager could act: the kernel kills the worst process.
    if (agent.memoryCapacity > 0 && summary.memory.workingSetBytes >= agent.memoryCapacity) {
      const candidates: OOMCandidate[] = [];
      for (const p of summary.pods) {
        const rec = agent.pods.get(p.uid);
        if (!rec) continue;
        for (const cs of p.containers) {
          const c = rec.containers.find((x) => x.spec.name === cs.name);
          if (c) candidates.push({ key: `${p.namespace}/${p.name}/${cs.name}`, pod: rec.pod, container: c.spec, usage: cs.workingSetBytes });
        }
      }
      const victim = oomVictim(candidates, agent.memoryCapacity);
      if (victim) {
        const rec = agent.pods.get(victim.pod.metadata?.uid ?? '');
        const c = rec?.containers.find((x) => x.spec.name === victim.container.name);
        if (rec && c) {
          this.nodeEvent(agent, 'Warning', 'SystemOOM', `System OOM encountered, victim process: ${victim.container.name}, pid: ${agent.nextPid++}`);
          this.containerDied(agent, rec, c, ExitCodeSIGKILL, 'OOMKilled', true);
          summary = this.summary(agent, now);
        }
      }
    }
    agent.summary = summary;
    if (this.maybeImageGC(agent)) {
      this.publishImages(agent, false);
      summary = agent.summary = this.summary(agent, now);
    }
    const active = [...agent.pods.values()].filter((r) => r.state === 'running' || r.state === 'backoff').map((r) => r.pod as Pod);
    const result = agent.eviction.synchronize(summary, active, now, (signal) => this.reclaimNodeLevel(agent, signal, now));
    this.setPressure(agent, result.conditions);
    // Local storage limits come before the node's signals, and every offender goes at once.
    const byUid = new Map(summary.pods.map((p) => [p.uid, p]));
    const local = localStorageEvictions(active, (p) => byUid.get(p.metadata?.uid ?? ''));
    if (local.length > 0) {
      let longest = 0;
      for (const l of local) {
        const rec = agent.pods.get(l.pod.metadata?.uid ?? '');
        if (!rec) continue;
        const ev: Eviction = { pod: l.pod, signal: '', resource: 'ephemeral-storage', message: l.message, annotations: {}, gracePeriodSeconds: ImmediateEvictionGracePeriodSeconds };
        longest = Math.max(longest, this.evictPod(agent, rec, ev, false));
      }
      return Math.min(30_000, Math.max(1000, Math.ceil(longest / 1000) * 1000));
    }
    if (result.reclaiming) this.nodeEvent(agent, 'Warning', 'EvictionThresholdMet', `Attempting to reclaim ${result.reclaiming}`);
    if (result.eviction) {
      const rec = agent.pods.get(result.eviction.pod.metadata?.uid ?? '');
      if (rec) {
        const stopIn = this.evictPod(agent, rec, result.eviction);
        // waitForPodsCleanup: the next round starts once the pod is gone (polled each second, at most 30 s).
        return Math.min(30_000, Math.max(1000, Math.ceil(stopIn / 1000) * 1000));
      }
    }
    return EvictionMonitoringPeriod;
  }

  /** containerGC.DeleteAllUnusedContainers and imageGC.DeleteUnusedImages for disk signals. */
  private reclaimNodeLevel(agent: NodeAgent, signal: string, now: Time): NodeSummary | undefined {
    if (!signal.startsWith('nodefs') && !signal.startsWith('imagefs') && !signal.startsWith('containerfs')) return undefined;
    // DeleteAllUnusedContainers: every dead container goes.
    for (const rec of agent.pods.values()) for (const c of rec.containers) c.deadBytes = 0;
    const freed = agent.images.freeSpace(Number.POSITIVE_INFINITY, this.imagesInUse(agent), now, 0);
    if (freed > 0) this.publishImages(agent, false);
    agent.summary = this.summary(agent, now);
    return agent.summary;
  }

  /** Node conditions MemoryPressure / DiskPressure / PIDPressure as the kubelet's setters report them. */
  private setPressure(agent: NodeAgent, conditions: readonly NodeConditionType[]): void {
    const same = conditions.length === agent.pressure.length && conditions.every((c) => agent.pressure.includes(c));
    if (same) return;
    const before = agent.pressure;
    agent.pressure = [...conditions];
    const time = this.sim.timestamp();
    const texts: Record<NodeConditionType, [string, string, string, string]> = {
      MemoryPressure: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      DiskPressure: ['KubeletHasDiskPressure', 'kubelet has disk pressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      PIDPressure: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    };
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const) {
      const now = conditions.includes(type);
      if (now === before.includes(type)) continue;
      const [tr, , fr] = texts[type];
      // recordNodeStatusEvent: "Node <name> status is now: NodeHasInsufficientMemory".
      this.nodeEvent(agent, 'Normal', (now ? tr : fr).replace(/^Kubelet/, 'Node'), `Node ${agent.name} status is now: ${(now ? tr : fr).replace(/^Kubelet/, 'Node')}`);
    }
    this.write(() =>
      this.sim.store.patch<Writable<Node & KObject>>(
        'Node',
        '',
        agent.name,
        (draft) => {
          const status = (draft.status ??= {});
          const conds: NodeCondition[] = [...(status.conditions ?? [])];
          for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const) {
            const on = conditions.includes(type);
            const [tr, tm, fr, fm] = texts[type];
            const next: NodeCondition = { type, status: on ? 'True' : 'False', reason: on ? tr : fr, message: on ? tm : fm, lastHeartbeatTime: time, lastTransitionTime: time };
            const i = conds.findIndex((c) => c.type === type);
            if (i < 0) conds.push(next);
            else if (conds[i]!.status !== next.status) conds[i] = next;
          }
          status.conditions = conds;
        },
        agent.statusWrite,
      ),
    );
  }

  /**
   * evictPod: a Warning Evicted event, then the pod's containers are killed
   * with the eviction's grace period; the pod ends Failed with reason Evicted,
   * the message, and the DisruptionTarget condition (TerminationByKubelet).
   * Returns how long the stop takes.
   */
  private evictPod(agent: NodeAgent, rec: PodRecord, ev: Eviction, disruptionTarget = true): Time {
    const pod = rec.pod;
    // AnnotatedEventf: the offending containers, their usage and the starved resource ride on the Event.
    const annotations = Object.keys(ev.annotations).length > 0 ? ev.annotations : undefined;
    this.sim.recorder.event(pod, 'Warning', 'Evicted', ev.message, { component: 'kubelet', host: agent.name }, annotations);
    this.cancel(rec);
    rec.eviction = ev;
    rec.evictionCondition = disruptionTarget;
    rec.state = 'evicting';
    this.stopLoad(agent, rec);
    for (const c of rec.containers) if (c.status.state?.running) this.event(agent, pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`);
    const grace = Math.min(ev.gracePeriodSeconds * 1000, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    const stopIn = Math.min(this.stopDuration(pod), grace);
    this.schedule(agent, rec, 'evicted', stopIn);
    return stopIn;
  }

  private evictionDone(agent: NodeAgent, rec: PodRecord): void {
    const ev = rec.eviction;
    if (!ev) return;
    const time = this.sim.timestamp();
    for (const c of rec.containers) {
      if (c.timer !== undefined) this.sim.engine.cancel(c.timer);
      c.timer = undefined;
      if (c.status.state?.running) this.leaveDead(agent, rec, c);
      if (c.status.state?.running) c.status = exitedContainerStatus(c.status, ExitCodeSIGKILL, 'Error', time);
      else if (c.status.state?.waiting) c.status = { ...c.status, state: { terminated: { exitCode: ExitCodeSIGKILL, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: time, finishedAt: time } } };
    }
    const deleting = rec.pod.metadata.deletionTimestamp !== undefined;
    const pod = rec.pod;
    const updated = this.write(() =>
      this.putStatus(agent, pod, (cur) => {
        const status = generateAPIPodStatus(cur, { ...this.view(agent, rec, 'Failed'), sandboxReady: false, reason: 'Evicted', message: ev.message }, cur.status, time, this.observedGeneration);
        if (rec.evictionCondition !== false) {
          const conds = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
          conds.push({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: ev.message, lastTransitionTime: time });
          // The generated status may be frozen: a copy with the new list (same keys, same order).
          return { ...status, conditions: conds };
        }
        return status;
      }),
    );
    if (updated !== undefined && rec.held) this.settle(agent, rec, updated);
    rec.state = 'done';
    this.releaseIP(agent, rec);
    if (deleting) this.schedule(agent, rec, 'finalize', 0);
  }

  // ---- pod IPs ----

  /** The pod's host number is free again (pod IPs: each node owns a /24-like block, 10.244.<node>.x, as a podCIDR per node). */
  private releaseIP(agent: NodeAgent, rec: PodRecord): void {
    const host = rec.podHost;
    if (host === undefined) return;
    releaseHost(agent, host);
  }
}

/**
 * Pod IPs as with a /24 podCIDR per node (10.244.0.0/16 and up): the node's
 * index picks the block, the lowest free host number the address. Nodes run at
 * most a few hundred pods, so the host part stays below 255 in practice.
 */
const NO_USAGE = Object.freeze({ name: '', cpu: 0, memory: 0, ephemeralStorage: 0, pids: 0 });

/** Working sets are whole pages (4 KiB), as the kernel accounts memory. */
function pageAligned(bytes: number): number {
  return Math.max(0, Math.round(bytes / 4096)) * 4096;
}

/** The longest preStop sleep among `containers`, in ms (0 for none). */
function longestPreStopSleep(containers: readonly Container[] | undefined): number {
  let preStop = 0;
  if (containers === undefined) return preStop;
  for (const c of containers) {
    const sleep = c.lifecycle?.preStop?.sleep?.seconds;
    if (typeof sleep === 'number') preStop = Math.max(preStop, sleep * 1000);
  }
  return preStop;
}

/** NotFound or Conflict: a write raced with a deletion or another writer (the kubelet's watch will tell it what happened). */
function isWriteRace(err: unknown): boolean {
  return err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict');
}

/** A Ready condition with status True among `conds` (a loop, no closure per call). */
function podAddress(nodeIndex: number, host: number): string {
  const third = nodeIndex % 256;
  const second = 244 + (Math.floor(nodeIndex / 256) % 12);
  return ['10', second, third, host].join('.'); // one flat string, kept in the pod's status
}

function hostIPOf(node: Stored<Node & KObject>, index: number): string {
  const internal = node.status?.addresses?.find((a) => a.type === 'InternalIP');
  if (internal) return internal.address;
  return `172.18.${Math.floor(index / 254) % 256}.${(index % 254) + 2}`;
}

/**
 * The kubelets of every node. `config` is the cluster-wide KubeletConfiguration
 * (already validated by the scenario loader); node groups with their own
 * configuration carry it in the ksim.dev/kubelet-config annotation.
 */
export function createKubelets(timing: Partial<KubeletTiming> = {}, config: Partial<KubeletConfiguration> = {}, opts: KubeletOptions = {}): Component {
  return {
    name: 'kubelet',
    start(sim: Simulation) {
      const kubelet = defaultKubeletConfiguration(config);
      sim.store.addAdmission(kubeletRegistrationAdmission(kubelet, (t) => sim.timestamp(t), config, (opts.featureGates ?? FeatureGates.defaults()).emulatedVersion));
      const heartbeats = new NodeHeartbeats(sim, {
        leaseDurationSeconds: kubelet.nodeLeaseDurationSeconds,
        statusUpdateFrequency: parseDuration(kubelet.nodeStatusUpdateFrequency),
        statusReportFrequency: parseDuration(kubelet.nodeStatusReportFrequency),
      }, opts.heartbeatShortcuts ?? true);
      heartbeats.start();
      const manager = new KubeletManager(sim, { ...DefaultKubeletTiming, ...timing }, heartbeats, config, opts);
      // Resource allocation (Topology Manager), predicates and node shutdown, after eviction's handler (admission.ts).
      manager.useAdmitter(podAdmitter(sim, config));
      manager.start();
    },
  };
}
