/**
 * The kubelet stand-in: one node agent per Node, all driven by one component.
 * It follows the kubelet's externally visible behaviour (v1.31) for the pod
 * lifecycle — bound pod -> Running with the kubelet's conditions and
 * container statuses, container exit -> restart with back-off or a terminal
 * phase per restartPolicy, graceful deletion -> containers stopped, then the
 * pod object removed with grace period 0 — and for heartbeats: a node whose
 * kubelet is stopped (annotation ksim.dev/kubelet=stopped, set by the
 * scenario's nodeDown) does nothing until it is started again, when it posts
 * Ready and catches up on its pods.
 *
 * Heartbeats (the node Lease and node status posts) live in nodeLease.ts; a
 * stopped kubelet sends none, and the node lifecycle controller sees only the
 * silence. Node-pressure eviction, probes and the resource managers arrive
 * with the kubelet issue, behind this same component.
 */
import type { ContainerStatus, Node, Pod } from 'kubernetes-types/core/v1';
import type { EventId, KObject, Stored, Time, Writable } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import type { Component, Simulation } from '../sim/simulation.ts';
import { ApiError } from '../sim/errors.ts';
import { defaultKubeletConfiguration, type KubeletConfiguration } from '../api/kubeletConfig.ts';
import { kubeletRegistrationAdmission } from './registration.ts';
import { NodeHeartbeats } from './nodeLease.ts';
import { parseDuration } from '../api/duration.ts';
import {
  containerBehaviour,
  crashLoopStatus,
  restartBackOff,
  runningStatus,
  shouldRestart,
  terminalStatus,
} from './podLifecycle.ts';

/** Set to "stopped" on a Node while its kubelet posts nothing (scenario nodeDown). */
export const AnnotationKubeletState = 'ksim.dev/kubelet';

export interface KubeletTiming {
  /** From the pod being bound to its containers running (sandbox, pull, create, start). */
  podStartup: Time;
}

export const DefaultKubeletTiming: KubeletTiming = { podStartup: 1000 };

type PodPod = Pod & KObject;

type Action = 'start' | 'exit' | 'restart' | 'finalize';

interface PodRecord {
  pod: Stored<PodPod>;
  state: 'new' | 'starting' | 'running' | 'backoff' | 'terminating' | 'done';
  restartCount: number;
  timer: EventId | undefined;
  /** An action that came due while the kubelet was stopped; run on resume. */
  deferred: Action | undefined;
  podIP: string | undefined;
}

interface NodeAgent {
  name: string;
  running: boolean;
  hostIP: string;
  pods: Map<string, PodRecord>;
  /** Host numbers (last octet and above) of pod IPs in use. */
  usedIPs: Set<number>;
  /** Every host number below this one is in use (so the lowest free one is found without a scan from 1). */
  freeFrom: number;
  index: number;
}

export function isKubeletStopped(node: Node): boolean {
  return node.metadata?.annotations?.[AnnotationKubeletState] === 'stopped';
}

class KubeletManager {
  private readonly agents = new Map<string, NodeAgent>();
  /** Pods bound to nodes the kubelet has not seen (yet): node name -> pod uid -> pod. */
  private readonly orphans = new Map<string, Map<string, Stored<PodPod>>>();
  private nodeCount = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly timing: KubeletTiming,
    private readonly heartbeats: NodeHeartbeats,
  ) {}

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
        onAdd: (p) => this.podChanged(p),
        onUpdate: (_o, p) => this.podChanged(p),
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
      const index = this.nodeCount++;
      agent = { name, running, hostIP: hostIPOf(node, index), pods: new Map(), usedIPs: new Set(), freeFrom: 1, index };
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

  private nodeDeleted(node: Stored<Node & KObject>): void {
    const agent = this.agents.get(node.metadata.name ?? '');
    if (!agent) return;
    for (const rec of agent.pods.values()) this.cancel(rec);
    this.agents.delete(agent.name);
    this.heartbeats.remove(agent.name);
  }

  /** The kubelet comes back: post Ready, then catch up on everything that came due while it was away. */
  private resume(agent: NodeAgent): void {
    this.heartbeats.resume(agent.name);
    for (const rec of [...agent.pods.values()]) {
      const action = rec.deferred;
      rec.deferred = undefined;
      if (action) this.run(agent, rec, action);
      else this.sync(agent, rec);
    }
  }

  // ---- pods ----

  private podChanged(pod: Stored<PodPod>): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const agent = this.agents.get(nodeName);
    const uid = pod.metadata.uid ?? '';
    if (!agent) {
      let m = this.orphans.get(nodeName);
      if (!m) this.orphans.set(nodeName, (m = new Map()));
      m.set(uid, pod);
      return;
    }
    let rec = agent.pods.get(uid);
    if (!rec) {
      rec = { pod, state: 'new', restartCount: 0, timer: undefined, deferred: undefined, podIP: undefined };
      agent.pods.set(uid, rec);
    } else {
      rec.pod = pod;
    }
    if (agent.running) this.sync(agent, rec);
  }

  private podDeleted(pod: Stored<PodPod>): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    this.orphans.get(nodeName)?.delete(pod.metadata.uid ?? '');
    const agent = this.agents.get(nodeName);
    const rec = agent?.pods.get(pod.metadata.uid ?? '');
    if (!agent || !rec) return;
    this.cancel(rec);
    this.releaseIP(agent, rec);
    agent.pods.delete(pod.metadata.uid ?? '');
  }

  /** Decide what the pod needs now (the pod worker's syncPod, reduced to what ksim models). */
  private sync(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) {
      if (rec.state === 'terminating') return;
      this.cancel(rec);
      const wasRunning = rec.state === 'running' || rec.state === 'backoff';
      rec.state = 'terminating';
      if (wasRunning) {
        for (const c of pod.spec?.containers ?? []) this.event(agent, pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      const stopIn = wasRunning ? Math.min(containerBehaviour(pod).shutdownFor, grace) : 0;
      this.schedule(agent, rec, 'finalize', stopIn);
      return;
    }
    if (rec.state !== 'new') return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      rec.state = 'done';
      return;
    }
    rec.state = 'starting';
    this.schedule(agent, rec, 'start', this.timing.podStartup);
  }

  private schedule(agent: NodeAgent, rec: PodRecord, action: Action, delay: Time): void {
    rec.timer = this.sim.engine.after(
      delay,
      () => {
        rec.timer = undefined;
        if (!this.agents.has(agent.name)) return;
        if (!agent.running) {
          rec.deferred = action;
          return;
        }
        this.run(agent, rec, action);
      },
      { priority: Priority.Kubelet, source: `kubelet/${agent.name}` },
    );
  }

  private cancel(rec: PodRecord): void {
    if (rec.timer !== undefined) this.sim.engine.cancel(rec.timer);
    rec.timer = undefined;
    rec.deferred = undefined;
  }

  private run(agent: NodeAgent, rec: PodRecord, action: Action): void {
    switch (action) {
      case 'start':
        return this.startContainers(agent, rec, undefined);
      case 'restart':
        return this.startContainers(agent, rec, rec.pod.status?.containerStatuses?.[0]?.lastState);
      case 'exit':
        return this.containersExited(agent, rec);
      case 'finalize':
        return this.finalize(agent, rec);
    }
  }

  private startContainers(agent: NodeAgent, rec: PodRecord, last: ContainerStatus['lastState']): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) return;
    const time = this.sim.timestamp();
    const podIP = (rec.podIP ??= this.allocateIP(agent));
    const status = runningStatus(pod, { hostIP: agent.hostIP, podIP }, time, rec.restartCount, last);
    if (!this.writeStatus(agent, rec, status)) return;
    for (const c of pod.spec?.containers ?? []) {
      this.event(agent, pod, 'Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`);
      this.event(agent, pod, 'Normal', 'Created', `Created container ${c.name}`);
      this.event(agent, pod, 'Normal', 'Started', `Started container ${c.name}`);
    }
    rec.state = 'running';
    const runFor = containerBehaviour(pod).runFor;
    if (runFor !== undefined) this.schedule(agent, rec, 'exit', runFor);
  }

  private containersExited(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    if (pod.metadata.deletionTimestamp) return;
    const { exitCode } = containerBehaviour(pod);
    const time = this.sim.timestamp();
    if (shouldRestart(pod.spec?.restartPolicy, exitCode)) {
      rec.restartCount++;
      const backOff = restartBackOff(rec.restartCount);
      if (!this.writeStatus(agent, rec, crashLoopStatus(pod, exitCode, time, rec.restartCount, backOff))) return;
      for (const c of pod.spec?.containers ?? []) {
        this.event(agent, pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
      }
      rec.state = 'backoff';
      this.schedule(agent, rec, 'restart', backOff);
      return;
    }
    if (!this.writeStatus(agent, rec, terminalStatus(pod, exitCode, time))) return;
    rec.state = 'done';
    this.releaseIP(agent, rec);
  }

  /** Containers are stopped: remove the pod object (the status manager's final delete with grace 0). */
  private finalize(agent: NodeAgent, rec: PodRecord): void {
    const pod = rec.pod;
    this.write(() =>
      this.sim.store.delete('Pod', pod.metadata.namespace ?? '', pod.metadata.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
        actor: `kubelet/${agent.name}`,
      }),
    );
  }

  private writeStatus(agent: NodeAgent, rec: PodRecord, status: NonNullable<Pod['status']>): boolean {
    const pod = rec.pod;
    const updated = this.write(() =>
      this.sim.store.patch<Writable<PodPod>>(
        'Pod',
        pod.metadata.namespace ?? '',
        pod.metadata.name ?? '',
        (draft) => {
          draft.status = status;
        },
        { subresource: 'status', actor: `kubelet/${agent.name}` },
      ),
    );
    if (updated) rec.pod = updated as Stored<PodPod>;
    return updated !== undefined;
  }

  /** A write that may race with a deletion: NotFound/Conflict mean the pod moved on, which the watch will tell us. */
  private write<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return undefined;
      throw err;
    }
  }

  private event(agent: NodeAgent, pod: Stored<PodPod>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.sim.recorder.event(pod, type, reason, message, { component: 'kubelet', host: agent.name });
  }

  private allocateIP(agent: NodeAgent): string {
    // Each node owns a /24-like block (10.244.<node>.x, as a podCIDR per node); the lowest free host number is used.
    let host = agent.freeFrom;
    while (agent.usedIPs.has(host)) host++;
    agent.usedIPs.add(host);
    agent.freeFrom = host + 1;
    return podAddress(agent.index, host);
  }

  private releaseIP(agent: NodeAgent, rec: PodRecord): void {
    if (rec.podIP === undefined) return;
    const host = hostNumber(rec.podIP);
    if (host !== undefined && agent.usedIPs.delete(host) && host < agent.freeFrom) agent.freeFrom = host;
  }
}

/**
 * Pod IPs as with a /24 podCIDR per node (10.244.0.0/16 and up): the node's
 * index picks the block, the lowest free host number the address. Nodes run at
 * most a few hundred pods, so the host part stays below 255 in practice.
 */
function podAddress(nodeIndex: number, host: number): string {
  const third = nodeIndex % 256;
  const second = 244 + (Math.floor(nodeIndex / 256) % 12);
  return `10.${second}.${third}.${host}`;
}

function hostNumber(ip: string): number | undefined {
  const last = ip.slice(ip.lastIndexOf('.') + 1);
  const n = Number(last);
  return Number.isInteger(n) ? n : undefined;
}

function hostIPOf(node: Stored<Node & KObject>, index: number): string {
  const internal = node.status?.addresses?.find((a) => a.type === 'InternalIP');
  if (internal) return internal.address;
  return `172.18.${Math.floor(index / 254) % 256}.${(index % 254) + 2}`;
}

/**
 * The kubelets of every node. `config` is the cluster-wide KubeletConfiguration
 * (already validated by the scenario loader); node groups with their own
 * configuration have their allocatable computed when their Nodes are built.
 */
export function createKubelets(timing: Partial<KubeletTiming> = {}, config: Partial<KubeletConfiguration> = {}): Component {
  return {
    name: 'kubelet',
    start(sim: Simulation) {
      const kubelet = defaultKubeletConfiguration(config);
      sim.store.addAdmission(kubeletRegistrationAdmission(kubelet, (t) => sim.timestamp(t)));
      const heartbeats = new NodeHeartbeats(sim, {
        leaseDurationSeconds: kubelet.nodeLeaseDurationSeconds,
        statusUpdateFrequency: parseDuration(kubelet.nodeStatusUpdateFrequency),
        statusReportFrequency: parseDuration(kubelet.nodeStatusReportFrequency),
      });
      heartbeats.start();
      new KubeletManager(sim, { ...DefaultKubeletTiming, ...timing }, heartbeats).start();
    },
  };
}
