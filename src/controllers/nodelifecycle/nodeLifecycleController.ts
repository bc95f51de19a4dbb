/**
 * The node lifecycle controller, following the newest kube-controller-manager
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go, with the
 * SeparateTaintEvictionController gate on: evicting pods is the taint
 * eviction controller's job). It reads only Nodes, Leases and Pods:
 *
 *  - monitorNodeHealth every nodeMonitorPeriod (5 s): a node's health signal
 *    is its Lease's renewTime or its Ready condition's lastHeartbeatTime;
 *    when neither moved for nodeMonitorGracePeriod (nodeStartupGracePeriod
 *    for a node that never posted status), Ready, MemoryPressure,
 *    DiskPressure and PIDPressure become Unknown with `NodeStatusUnknown`
 *    "Kubelet stopped posting node status." (conditions never posted:
 *    `NodeStatusNeverUpdated` "Kubelet never posted node status."),
 *    conditions already Unknown are left as they are. A node turning not
 *    Ready gets the `NodeNotReady` event and MarkPodsNotReady.
 *  - TaintNodesByCondition (on every Node change): NoSchedule taints mirror
 *    the conditions and spec.unschedulable.
 *  - Taint-based eviction marking: a not-ready / unreachable node enters its
 *    zone's rate-limited queue; every 100 ms (NodeEvictionPeriod) the queues
 *    add the NoExecute taint at each zone's rate (nodeEvictionRate, the
 *    secondary rate or none, by zone state: Normal, PartialDisruption,
 *    FullDisruption; all zones fully disrupted stops evictions and lifts the
 *    NoExecute taints).
 */
import type { Node, NodeCondition, NodeStatus, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KObject, Lister, Stored, Time, Writable } from '../../sim/types.ts';
import { Priority } from '../../sim/types.ts';
import type { Component, Simulation } from '../../sim/simulation.ts';
import { ApiError } from '../../sim/errors.ts';
import { updatePodCondition } from '../../api/podCondition.ts';
import {
  TaintNodeDiskPressure,
  TaintNodeMemoryPressure,
  TaintNodeNetworkUnavailable,
  TaintNodeNotReady,
  TaintNodePIDPressure,
  TaintNodeUnreachable,
  TaintNodeUnschedulable,
  hasTaint,
} from '../../api/taints.ts';
import { sharedPodNodeIndex, type PodNodeIndex, type PodObj } from '../podNodeIndex.ts';
import { DefaultNodeLifecycleConfig, type NodeLifecycleConfig } from './config.ts';
import { NodeEvictionPeriod, RateLimitedTimedQueue, TokenBucketRateLimiter, EvictionRateLimiterBurst } from './rateLimitedQueue.ts';
import { KindIndex } from '../../sim/objectIndex.ts';
import { LabelNodeDisruptionExclusion, getZoneKey, zoneEvictionQPS, zoneStateOfCounts, type ZoneState } from './zones.ts';

export const ControllerName = 'node-lifecycle-controller';
/** The event source of the node controller's events (its client's user agent). */
const EventSource = { component: 'node-controller' };
const NamespaceNodeLease = 'kube-node-lease';
/** The processPods event's options, made once (an event per few bound pods). */
const ProcessPodsOpts = { priority: Priority.Controller, source: `controller/${ControllerName}` };
/** NodeHealthUpdateRetry: attempts at writing a node's health before giving up until the next pass. */
const NodeHealthUpdateRetry = 5;

type NodeObj = Node & KObject;
interface LeaseObj extends KObject {
  spec?: { renewTime?: string };
}

/** nodeConditionToTaintKeyStatusMap: condition type -> status -> NoSchedule taint key. */
/**
 * nodeConditionToTaintKeyStatusMap: the NoSchedule taint key of a condition type and status (undefined: none).
 * A switch, not a table of tables: the table's two lookups by a condition's strings were megamorphic keyed loads,
 * ~0.1 us a condition (every Node update reconciles the node, 5,000 nodes posting every 5 min), and a type or
 * status named like an Object.prototype member ('constructor', 'toString') found that member, where upstream's
 * Go map finds nothing.
 */
export function conditionTaintKey(type: string, status: string): string | undefined {
  switch (type) {
    case 'Ready':
      return status === 'False' ? TaintNodeNotReady : status === 'Unknown' ? TaintNodeUnreachable : undefined;
    case 'MemoryPressure':
      return status === 'True' ? TaintNodeMemoryPressure : undefined;
    case 'DiskPressure':
      return status === 'True' ? TaintNodeDiskPressure : undefined;
    case 'NetworkUnavailable':
      return status === 'True' ? TaintNodeNetworkUnavailable : undefined;
    case 'PIDPressure':
      return status === 'True' ? TaintNodePIDPressure : undefined;
    default:
      return undefined;
  }
}
const CONDITION_TAINT_KEYS = new Set([TaintNodeNotReady, TaintNodeUnreachable, TaintNodeNetworkUnavailable, TaintNodeMemoryPressure, TaintNodeDiskPressure, TaintNodePIDPressure]);
/** The conditions set Unknown when the kubelet goes silent (NetworkUnavailable belongs to the control plane). */
const UNKNOWN_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const UnreachableTaint: Taint = { key: TaintNodeUnreachable, effect: 'NoExecute' };
const NotReadyTaint: Taint = { key: TaintNodeNotReady, effect: 'NoExecute' };
/** markNodeAsReachable's swap, made once: every full-path check of a Ready node makes it (a status post every 5 min per node). */
const NoTaints: readonly Taint[] = Object.freeze([]);
const NoExecuteTaints: readonly Taint[] = Object.freeze([UnreachableTaint, NotReadyTaint]);

/** The first condition of the type (a loop, not find with a closure: the monitor pass's full path calls it per node). */
function condition(status: NodeStatus | undefined, type: string): NodeCondition | undefined {
  const conditions = status?.conditions;
  if (conditions === undefined) return undefined;
  for (let i = 0; i < conditions.length; i++) if (conditions[i]!.type === type) return conditions[i];
  return undefined;
}

function sameCondition(a: NodeCondition | undefined, b: NodeCondition | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.type === b.type &&
    a.status === b.status &&
    (a.reason ?? '') === (b.reason ?? '') &&
    (a.message ?? '') === (b.message ?? '') &&
    (a.lastHeartbeatTime ?? '') === (b.lastHeartbeatTime ?? '') &&
    (a.lastTransitionTime ?? '') === (b.lastTransitionTime ?? '')
  );
}

/** The NoSchedule taints a node should carry (doNoScheduleTaintingPass), in condition order, then unschedulable. */
export function desiredNoScheduleTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = conditionTaintKey(c.type, c.status);
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TaintNodeUnschedulable, effect: 'NoSchedule' });
  return out;
}

/** The controller-managed NoSchedule taints a node carries now. */
function managedNoScheduleTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TaintNodeUnschedulable || CONDITION_TAINT_KEYS.has(t.key)));
}

/**
 * Whether desiredNoScheduleTaints or managedNoScheduleTaints would be non-empty, without building them: a healthy
 * node has neither, and every Node status update reconciles it (perf: five arrays and a diff per update, 15,000
 * updates a quarter hour at 5,000 nodes). When both are empty the diff is empty.
 */
function wantsOrHasNoScheduleTaints(node: Node): boolean {
  if (node.spec?.unschedulable) return true;
  const conds = node.status?.conditions;
  if (conds !== undefined) for (let i = 0; i < conds.length; i++) if (conditionTaintKey(conds[i]!.type, conds[i]!.status) !== undefined) return true;
  for (const t of node.spec?.taints ?? []) if (t.effect === 'NoSchedule' && (t.key === TaintNodeUnschedulable || CONDITION_TAINT_KEYS.has(t.key))) return true;
  return false;
}

const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

/** taintutils.TaintSetDiff: taints to add (in `want`, not in `have`) and to remove. */
export function taintSetDiff(want: readonly Taint[], have: readonly Taint[]): { add: Taint[]; remove: Taint[] } {
  return { add: want.filter((t) => !have.some((h) => matchTaint(t, h))), remove: have.filter((h) => !want.some((t) => matchTaint(t, h))) };
}

interface NodeHealth {
  probeTimestamp: Time;
  readyTransitionTimestamp: Time;
  status: NodeStatus | undefined;
  lease: Stored<LeaseObj> | undefined;
}

/** A zone's nodes in this monitor pass: Ready ones and the others (not Ready, Unknown, or no condition yet). */
interface ZoneCount {
  ready: number;
  notReady: number;
}

function zoneSize(c: ZoneCount | undefined): number {
  return c ? c.ready + c.notReady : 0;
}

interface HealthResult {
  observed: NodeCondition;
  current: NodeCondition | undefined;
  /** The node the result is for (re-read from the API server after a conflict). */
  node: Stored<NodeObj>;
}

/** A node found Ready and without NoExecute taints, as last listed; live while it is steady's entry for its name. */
interface SteadyNode {
  node: Stored<NodeObj>;
  zone: string | undefined;
  /** zone's index in the pass's per-zone counts (zoneIndexOf), -1 for a node left out of zone counting. */
  zoneIndex: number;
  current: NodeCondition;
  health: NodeHealth;
  /**
   * health.lease's spec.renewTime ('' for none), kept with it: stillHealthy compares it with the slot's renew
   * instead of reading both leases (perf: the two leases and their specs were four of the dependent loads per
   * renewed node per pass). Stored leases are frozen, and a live entry's health.lease changes only in stillHealthy.
   */
  leaseRenew: string;
  /** The node's Lease as the informer last delivered it (see LeaseSlot). */
  lease: LeaseSlot;
  live: boolean;
}

/**
 * A node's Lease as the Lease informer's handler last saw it, so that the
 * steady monitor pass reads a field instead of looking the lease up by name
 * (perf: 5,000 nodes every 5 s were 3.6 M map lookups an hour; the handler
 * makes one per renewal, every 10 s). `seen`: the handler has delivered this
 * name at least once, and every later change of it in the informer's cache
 * reaches the handler in the same delivery, so `lease` is what the lister
 * would give. Until then the pass looks the lease up as before.
 * The probe time still moves only when a pass observes a newer lease, as
 * upstream's tryUpdateNodeHealth does: the handler records, it decides nothing.
 */
interface LeaseSlot {
  lease: Stored<LeaseObj> | undefined;
  /** lease's spec.renewTime ('' for none), read at delivery (see SteadyNode.leaseRenew). */
  renew: string;
  seen: boolean;
  /**
   * The list position at which the last monitor pass confirmed this name's
   * steady entry (-1: none yet): a delivery marks that position changed
   * (leaseChangedAt). A stale position (the node moved or left the steady
   * path) marks another position, which only sends that node down the
   * checked path once more.
   */
  pos: number;
  /**
   * Lazy probe updates: the newest state of this slot that a pass has seen (obsPass: that pass's number, 0 for
   * none) while its comparison is pending (pendingAt), kept in the slot that the delivery has in hand.
   */
  obsLease: Stored<LeaseObj> | undefined;
  obsRenew: string;
  obsPass: number;
}

class NodeLifecycleController {
  private readonly cfg: NodeLifecycleConfig;
  private nodes!: Lister<NodeObj>;
  private leases!: Lister<LeaseObj>;
  private pods!: Lister<PodObj>;
  /** The Pod informer's spec.nodeName index, shared with the other controllers that read it. */
  private podIndex!: PodNodeIndex;
  private readonly known = new Map<string, Stored<NodeObj>>();
  private readonly health = new Map<string, NodeHealth>();
  /**
   * The names whose health record has a Ready condition that is not True (setHealth keeps it): the only nodes for
   * which processPods acts. Empty, processPods looks nothing up (perf: three lookups per bound pod, every node Ready).
   */
  private readonly unreadyHealth = new Set<string>();
  /** Nodes found Ready and without NoExecute taints, as last listed (see stillHealthy). */
  private readonly steady = new Map<string, SteadyNode>();
  /**
   * steady's entries by the node's position in the last monitor pass's list,
   * a hint read before the map (perf: a map lookup by name per node every 5 s
   * was most of an idle 5,000-node pass, memory stalls over 5,000 entries).
   * A hint counts only while its entry is still the map's (live) and its node
   * is the one listed at that position, so it finds exactly what the map would.
   */
  private readonly steadyHint: Array<SteadyNode | undefined> = [];
  /**
   * What lets the monitor pass skip a steady node without reading it (skipUnchanged), by list position, as the last
   * pass left them: steadyAt[i] is the node object the pass confirmed steady at position i (undefined: none);
   * dueAt[i] a lower bound of that node's deadline (probeTimestamp + nodeMonitorGracePeriod: the probe time only
   * moves forward while the entry lives); leaseChangedAt[i] is 1 when its Lease slot had a delivery since (or must be
   * read at every pass: not seen yet); zoneAt[i] the entry's zoneIndex. Only plain arrays read in list order, no
   * object per node (perf: the per-node reads of the entry, health record, slot and leases were most of a 5,000-node
   * pass, ~1.3 ms every 5 s, memory stalls).
   */
  private steadyAt: Array<Stored<NodeObj> | undefined> = [];
  /**
   * For a confirmed position (steadyAt[i] is the listed node), its entry's slot, health record and leaseRenew, so
   * that recheckConfirmed reaches them from the position rather than through the entry (perf: after each 10 s
   * Lease burst every node is rechecked, and the chain position -> entry -> slot/health -> strings was ~120 ns a
   * node at 5,000 nodes). Meaningless at other positions.
   */
  private slotAt: LeaseSlot[] = [];
  private healthAt: NodeHealth[] = [];
  private renewAt: string[] = [];
  private dueAt = new Float64Array(0);
  private leaseChangedAt = new Uint8Array(0);
  /**
   * Lazy probe updates (lazyProbes). For a confirmed position whose Lease slot had deliveries since the last pass
   * that compared it, each after the first newer than the one before (renewTime strictly later, so a new object):
   * the number of the first pass that sees the slot as it is now (0: none pending). Over such a run the passes
   * take (stillHealthy's comparison) the first lease newer than the record's and every one after it, each pass
   * setting the probe time to its own time; so the record after them is the newest lease a pass saw, with the
   * time of the first pass that saw it (kept in the slot, obs*, when a newer delivery follows), if that one is
   * newer than the record's or the record has none: one comparison, made with that pass's time. Nothing else
   * of a pass reads the probe time of a node it skips, and the comparisons only move the deadline later, so they
   * are made when something needs the record (settleAt: the node's visit, a delivery out of that order, a
   * settling of every position) with that pass's time (passTimes): the same lease, renew time and probe time the
   * eager comparisons give (perf: after each 10 s Lease burst every steady node was rechecked, the health record
   * and leases read per node; now a delivery reads its slot and the position's flags, and a node is rechecked
   * about once a grace period).
   */
  private pendingAt = new Int32Array(0);
  /** The number of monitor passes begun (1-based). */
  private passSeq = 0;
  /**
   * The virtual time of pass k at passTimes[k % passTimes.length], for the passes a pending comparison may still
   * name (pendingAt, a slot's obsPass): a ring, so that a long run keeps a bounded number (it kept one a pass, 17,280
   * a day). Every half ring the passes' start settles (settleStale) the comparisons that name a pass older than
   * half a ring, so none names a pass whose entry was written over: settling is allowed between any two passes
   * (settleAt), and only a node left unvisited that long (a grace period of minutes) has one to settle.
   */
  private readonly passTimes: Float64Array;
  /** A monitor pass is running: Lease deliveries never come then (the runtime delivers them in events of their own). */
  private inPass = false;
  private zoneAt = new Int32Array(0);
  /** Zone keys by index (zoneIndexOf), and the pass's counts of Ready and not Ready nodes per index. */
  private readonly zoneIndex = new Map<string, number>();
  private readonly zoneKeys: string[] = [];
  private readonly zoneReady: number[] = [];
  private readonly zoneNotReady: number[] = [];
  /** The Lease informer's last delivery per lease name (LeaseSlot); a slot leaves only with its node (classifyNodes). */
  /**
   * By name (one namespace, ''), in a KindIndex for its next-entry guess: leases are delivered in the same order
   * burst after burst, so the handler's lookup is a string comparison, not a hash-table miss per Lease.
   */
  private readonly leaseSlots = new KindIndex<LeaseSlot>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneTainters = new Map<string, RateLimitedTimedQueue>();
  private taintPassScheduled = false;
  /** Nodes were added or deleted, or changed zone, since the last classification. */
  private classifyDirty = true;
  /**
   * Pods newly bound to a node since the last processPods, as delivered (a pod may come more than once): checked
   * against the node's health, each namespace/name once in first-delivery order. The keys are made only when some
   * health record is not Ready (perf: a key string and a set entry per bound pod, for nothing while every node is).
   */
  private podsToCheck: Array<Stored<Pod & KObject>> = [];
  private podCheckScheduled = false;
  private readonly processPodsFn = (): void => this.processPods();
  /**
   * The Node informer's list as the last monitor pass had it, kept equal to the cache's since by the handlers
   * (listMirror): an update of a listed node replaces it at its place, anything else (an add, a delete, a change
   * the mirror cannot place, one during a pass) drops it (undefined) and the next pass lists again (perf:
   * list('') copied the 5,000 sorted nodes every 5 s, ~25-150 us a pass). Only once the handler is subscribed
   * (nodesSubscribed: it has had a delivery, the first being the cache's replay), as before that the cache
   * changes without telling it.
   */
  private nodeList: Stored<NodeObj>[] | undefined;
  /** nodeList's position of each name. */
  private readonly nodeListPos = new Map<string, number>();
  private nodesSubscribed = false;

  constructor(
    private readonly sim: Simulation,
    cfg: Partial<NodeLifecycleConfig>,
    /** false: the monitor pass looks every node up by name (no position hints), for tests that compare the two. */
    private readonly positionHints = true,
    /** false: the monitor pass checks every steady node (no skipping of unchanged ones), for tests that compare the two. Needs positionHints. */
    private readonly skipUnchanged = true,
    /** false: a Lease delivery sends its confirmed node to the next pass's recheck (no lazy probe updates), for tests that compare the two. Needs skipUnchanged. */
    private readonly lazyProbes = true,
    /** false: processPods looks every pod up even when every node's health record is Ready, for tests that compare the two. */
    private readonly skipReadyPodChecks = true,
    /** false: every monitor pass lists the Node informer's cache (no nodeList), for tests that compare the two. */
    private readonly listMirror = true,
    /** false: markNodeAsReachable removes the node from its zone's queue even when every queue is empty, for tests that compare the two. */
    private readonly skipEmptyQueues = true,
    /** passTimes' length, an even number of at least 2 (small in tests, to settle often). */
    passTimesRing = 64,
  ) {
    this.cfg = { ...DefaultNodeLifecycleConfig, ...cfg };
    if (passTimesRing < 2 || passTimesRing % 2 !== 0) throw new Error(`node lifecycle: passTimesRing ${passTimesRing} is not an even number of at least 2`);
    this.passTimes = new Float64Array(passTimesRing);
  }

  start(): void {
    const rt = this.sim.runtime;
    if (this.positionHints) {
      this.leases = rt.informer<LeaseObj>(
        'Lease',
        {
          onAdd: (l) => this.leaseDelivered(l, l),
          onUpdate: (_o, l) => this.leaseDelivered(l, l),
          onDelete: (l) => this.leaseDelivered(l, undefined),
        },
        ControllerName,
      );
    } else this.leases = rt.lister<LeaseObj>('Lease');
    this.podIndex = sharedPodNodeIndex(rt);
    this.pods = rt.informer<PodObj>(
      'Pod',
      {
        onAdd: (p) => this.podUpdated(undefined, p),
        onUpdate: (o, p) => this.podUpdated(o, p),
      },
      ControllerName,
    );
    // TaintNodesByCondition runs on every Node change, through the controller's work queue.
    rt.register({
      name: ControllerName,
      watches: [{ kind: 'Node' }],
      reconcile: (key) => {
        this.doNoScheduleTaintingPass(key.includes('/') ? key.slice(key.indexOf('/') + 1) : key);
      },
    });
    this.nodes = rt.informer<NodeObj>(
      'Node',
      {
        onAdd: () => {
          this.classifyDirty = true;
          this.nodesDelivered();
        },
        onDelete: () => {
          this.classifyDirty = true;
          this.nodesDelivered();
        },
        onUpdate: (o, n) => {
          if (getZoneKey(o) !== getZoneKey(n)) this.classifyDirty = true;
          this.nodeReplaced(o, n);
        },
      },
      ControllerName,
    );
    const period = this.cfg.nodeMonitorPeriod;
    const tick = (): void => {
      this.monitorNodeHealth();
      this.sim.engine.after(period, tick, { priority: Priority.Controller, source: `controller/${ControllerName}`, periodic: true });
    };
    this.sim.engine.after(period, tick, { priority: Priority.Controller, source: `controller/${ControllerName}`, periodic: true });
  }

  /** A Node added or deleted in the informer's cache: the next pass lists it again. */
  private nodesDelivered(): void {
    this.nodesSubscribed = true;
    this.nodeList = undefined;
  }

  /** A Node updated in the informer's cache: the same name, so the same place in its sorted list. */
  private nodeReplaced(old: Stored<NodeObj>, node: Stored<NodeObj>): void {
    this.nodesSubscribed = true;
    const list = this.nodeList;
    if (list === undefined) return;
    const p = this.nodeListPos.get(node.metadata.name ?? '');
    // The pass's own list is not changed under it; a mirror that does not hold `old` there has missed something.
    if (p !== undefined && list[p] === old && !this.inPass) list[p] = node;
    else this.nodeList = undefined;
  }

  /** The Node informer's cache in list order (list('')): the mirror when it is kept, else a new listing. */
  private listNodes(): Stored<NodeObj>[] {
    if (this.nodeList !== undefined) return this.nodeList;
    const nodes = this.nodes.list('');
    if (this.listMirror && this.nodesSubscribed) {
      const pos = this.nodeListPos;
      pos.clear();
      for (let i = 0; i < nodes.length; i++) pos.set(nodes[i]!.metadata.name ?? '', i);
      this.nodeList = nodes;
    }
    return nodes;
  }

  /** The Lease informer's handler: a node lease's newest version (undefined: deleted) goes to its slot. */
  private leaseDelivered(l: Stored<LeaseObj>, now: Stored<LeaseObj> | undefined): void {
    if (l.metadata.namespace !== NamespaceNodeLease) return;
    const name = l.metadata.name ?? '';
    const slot = this.leaseSlots.entry('', name)?.obj;
    if (now === undefined && !this.known.has(name)) {
      // No known node, so no steady entry holds the slot: forget the name (the slots stay as many as the leases).
      if (slot !== undefined) this.leaseSlots.delete('', name);
    } else if (slot === undefined) this.leaseSlots.put('', name, { lease: now, renew: now?.spec?.renewTime ?? '', seen: true, pos: -1, obsLease: undefined, obsRenew: '', obsPass: 0 });
    else {
      const pos = slot.pos;
      if (pos >= 0 && pos < this.leaseChangedAt.length) {
        // A pending comparison would read the slot as it was; the pass that must compare the new lease with the node's
        // (stillHealthy) is the next: pending (lazyProbes) for the confirmed position of this slot, else a recheck.
        if (this.inPass) throw new Error(`node lifecycle: Lease ${name} delivered during a monitor pass`);
        const own = this.slotAt[pos] === slot;
        const renew = now?.spec?.renewTime ?? '';
        const pending = this.pendingAt[pos]!;
        if (own && this.lazyProbes && slot.seen && this.leaseChangedAt[pos] === 0 && this.steadyAt[pos] !== undefined) {
          // A lease newer than the slot's (a later renewTime: a new object too), or the first since the last comparison.
          if (now !== undefined && (pending === 0 || slot.renew < renew)) {
            if (pending !== 0 && pending <= this.passSeq) {
              slot.obsLease = slot.lease;
              slot.obsRenew = slot.renew;
              slot.obsPass = pending;
            }
            this.pendingAt[pos] = this.passSeq + 1;
          } else {
            this.settleAt(pos, this.passSeq);
            this.leaseChangedAt[pos] = 1;
          }
        } else {
          if (own && pending !== 0) this.settleAt(pos, this.passSeq);
          this.leaseChangedAt[pos] = 1;
        }
      }
      slot.lease = now;
      slot.renew = now?.spec?.renewTime ?? '';
      slot.seen = true;
    }
  }

  /**
   * Make position p's pending comparisons (pendingAt) as the passes up to `observedThrough` made them: the newest
   * lease they saw, at the time of the first pass that saw it, with the deadline it then set. A slot state none of
   * them saw goes to the eager recheck (leaseChangedAt) of the next pass that reaches the position.
   */
  private settleAt(p: number, observedThrough: number): void {
    const k = this.pendingAt[p]!;
    if (k === 0) return;
    this.pendingAt[p] = 0;
    const slot = this.slotAt[p]!;
    let lease = slot.lease;
    let renew = slot.renew;
    let pass = k;
    if (k > observedThrough) {
      this.leaseChangedAt[p] = 1;
      lease = slot.obsLease;
      renew = slot.obsRenew;
      pass = slot.obsPass;
    }
    slot.obsLease = undefined;
    slot.obsPass = 0;
    if (pass === 0) return;
    this.takeLeaseAt(p, lease, renew, this.passTimes[pass % this.passTimes.length]!);
    this.dueAt[p] = this.healthAt[p]!.probeTimestamp + this.cfg.nodeMonitorGracePeriod;
  }

  /**
   * settleAt for the positions whose pending comparison names a pass up to `oldest`: its own, or its slot's obsPass
   * (an earlier pending pass, so within the same bound by the last sweep: checked too, as it costs nothing here).
   */
  private settleStale(oldest: number, observedThrough: number): void {
    const pendingAt = this.pendingAt;
    for (let p = 0; p < pendingAt.length; p++) {
      const k = pendingAt[p]!;
      if (k === 0) continue;
      const obs = this.slotAt[p]!.obsPass;
      if (k <= oldest || (obs !== 0 && obs <= oldest)) this.settleAt(p, observedThrough);
    }
  }

  /** settleAt for every position (before positions change meaning, or the health records are read by name). */
  private settleAll(observedThrough: number): void {
    const pendingAt = this.pendingAt;
    for (let p = 0; p < pendingAt.length; p++) if (pendingAt[p] !== 0) this.settleAt(p, observedThrough);
  }

  /** The node's lease slot, made (not yet seen) when the handler has not delivered that name. */
  private leaseSlot(name: string): LeaseSlot {
    let slot = this.leaseSlots.get('', name);
    if (slot === undefined) this.leaseSlots.put('', name, (slot = { lease: undefined, renew: '', seen: false, pos: -1, obsLease: undefined, obsRenew: '', obsPass: 0 }));
    return slot;
  }

  private get now(): Time {
    return this.sim.now;
  }

  private nodeEvent(node: Stored<NodeObj>, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.sim.recorder.event({ kind: 'Node', namespace: '', name: node.metadata.name ?? '', uid: node.metadata.uid, apiVersion: 'v1' }, type, reason, message, EventSource);
  }

  // ---- TaintNodesByCondition ----

  private doNoScheduleTaintingPass(name: string): void {
    const node = this.nodes.get('', name);
    if (!node) return;
    if (!wantsOrHasNoScheduleTaints(node)) return;
    const { add, remove } = taintSetDiff(desiredNoScheduleTaints(node), managedNoScheduleTaints(node));
    if (add.length === 0 && remove.length === 0) return;
    this.swapTaints(node, add, remove);
  }

  /**
   * SwapNodeControllerTaint: add (timeAdded now; an existing key+effect is
   * replaced) then remove, each a write only when it changes something, on
   * the node as the API server has it (upstream retries on conflict).
   */
  private swapTaints(node: Stored<NodeObj>, add: readonly Taint[], remove: readonly Taint[]): boolean {
    const name = node.metadata.name ?? '';
    try {
      if (add.length > 0) {
        const time = this.sim.timestamp();
        this.sim.store.patch<NodeObj>(
          'Node',
          '',
          name,
          (d) => {
            const taints = [...(d.spec?.taints ?? [])];
            for (const t of add) {
              const next: Taint = { ...t, timeAdded: time };
              const i = taints.findIndex((x) => matchTaint(x, t));
              if (i >= 0) taints[i] = next;
              else taints.push(next);
            }
            (d.spec ??= {}).taints = taints;
          },
          { actor: ControllerName },
        );
      }
      // RemoveTaintOffNode looks at the cached node first: nothing to remove, no request.
      const cached = node.spec?.taints;
      if (remove.length > 0 && cached !== undefined && cached.some((t) => remove.some((r) => matchTaint(r, t)))) {
        this.sim.store.patch<NodeObj>(
          'Node',
          '',
          name,
          (d) => {
            const taints = (d.spec?.taints ?? []).filter((t) => !remove.some((r) => matchTaint(r, t)));
            if (!d.spec) return;
            if (taints.length === 0) delete d.spec.taints;
            else d.spec.taints = taints;
          },
          { actor: ControllerName },
        );
      }
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return false;
      throw err;
    }
  }

  // ---- monitorNodeHealth ----

  private monitorNodeHealth(): void {
    this.inPass = true;
    try {
      this.monitorPass();
    } finally {
      this.inPass = false;
    }
  }

  private monitorPass(): void {
    const nodes = this.listNodes();
    const pass = ++this.passSeq;
    // Before this pass's time is written over the one of half a ring... ago (see passTimes).
    const half = this.passTimes.length / 2;
    if (pass % half === 0) this.settleStale(pass - half, pass - 1);
    this.passTimes[pass % this.passTimes.length] = this.now;
    // Nodes came or went (positions shift) or classifyNodes may drop health records: pending comparisons are made
    // first, those this pass is the first to see sent to its recheck.
    if (this.classifyDirty || this.steadyAt.length !== nodes.length) this.settleAll(pass - 1);
    // classifyNodes: new nodes, nodes of a zone not seen yet, and (only when the counts say so) deleted
    // ones. Its answer changes only when nodes come, go or change zone, so it runs only then.
    if (this.classifyDirty) this.classifyNodes(nodes);

    // Per zone (zoneIndexOf), how many of its nodes are Ready (Ready condition True) and not: all computeZoneState reads of the list.
    const ready = this.zoneReady;
    const notReady = this.zoneNotReady;
    ready.fill(0);
    notReady.fill(0);
    const now = this.now;
    const hint = this.steadyHint;
    if (hint.length !== nodes.length) hint.length = nodes.length;
    const skip = this.positionHints && this.skipUnchanged;
    // Before the arrays are read into locals: a resize replaces them.
    if (this.steadyAt.length !== nodes.length) this.resizePositions(nodes.length);
    const steadyAt = this.steadyAt;
    const dueAt = this.dueAt;
    const leaseChangedAt = this.leaseChangedAt;
    const zoneAt = this.zoneAt;
    for (let i = 0; i < nodes.length; i++) {
      if (skip) {
        i = this.skipUnchangedFrom(nodes, i, now);
        if (i === nodes.length) break;
      }
      // The pass reads this position's health record: a comparison an earlier pass owes is made (one this pass
      // is the first to see is this pass's own, below).
      if (this.pendingAt[i] !== 0) this.settleAt(i, pass - 1);
      const listed = nodes[i]!;
      const confirmed = skip && steadyAt[i] === listed;
      if (confirmed && this.recheckConfirmed(i, listed, now)) {
        const z = zoneAt[i]!;
        if (z >= 0) ready[z]!++;
        continue;
      }
      const hinted = hint[i];
      // A live hint for this very node object needs no name (reading it was a dependent load per node per pass);
      // a confirmed position's hint is that (see above), unread.
      const steady = confirmed
        ? hinted
        : this.positionHints && hinted !== undefined && hinted.live && hinted.node === listed
          ? hinted
          : this.steady.get(listed.metadata.name ?? '');
      if (steady && steady.node === listed && this.stillHealthy(steady, now)) {
        hint[i] = steady;
        if (skip) {
          steadyAt[i] = listed;
          dueAt[i] = steady.health.probeTimestamp + this.cfg.nodeMonitorGracePeriod;
          // A slot not seen yet is read by name at every pass (stillHealthy): never skipped.
          leaseChangedAt[i] = steady.lease.seen ? 0 : 1;
          zoneAt[i] = steady.zoneIndex;
          this.slotAt[i] = steady.lease;
          this.healthAt[i] = steady.health;
          this.renewAt[i] = steady.leaseRenew;
          steady.lease.pos = i;
        }
        if (steady.zoneIndex >= 0) ready[steady.zoneIndex]!++;
        continue;
      }
      const name = listed.metadata.name ?? '';
      if (steady !== undefined) steady.live = false;
      hint[i] = undefined;
      steadyAt[i] = undefined;
      this.steady.delete(name);
      const result = this.updateNodeHealth(listed);
      if (!result) continue;
      const node = result.node;
      const zone = node.metadata.labels?.[LabelNodeDisruptionExclusion] === undefined ? getZoneKey(node) : undefined;
      const zoneIndex = zone === undefined ? -1 : this.zoneIndexOf(zone);
      if (zoneIndex >= 0) {
        if (result.current && result.current.status === 'True') ready[zoneIndex]!++;
        else notReady[zoneIndex]!++;
      }
      if (!result.current) continue;
      if (node === listed && result.observed.status === 'True' && result.current.status === 'True' && !(node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute')) {
        // The health record stays this object until updateNodeHealth runs for the node again (its steady entry is gone by then).
        // Not confirmed at this position (steadyAt stays undefined): the next pass checks it, stillHealthy comparing the lease.
        const health = this.health.get(name)!;
        const entry: SteadyNode = {
          node,
          zone,
          zoneIndex,
          current: result.current,
          health,
          leaseRenew: health.lease?.spec?.renewTime ?? '',
          lease: this.leaseSlot(name),
          live: true,
        };
        this.steady.set(name, entry);
        hint[i] = entry;
      }
      this.processTaintBaseEviction(node, result.observed);
      if (result.current.status !== 'True' && result.observed.status === 'True') {
        this.nodeEvent(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
        this.markPodsNotReady(this.podIndex.podsOn(node.metadata.name ?? ''), node.metadata.name ?? '');
      }
    }
    // The zones with a node counted in this pass (the map upstream's list loop would build; handleDisruption reads it in key order).
    const zoneCounts = new Map<string, ZoneCount>();
    for (let z = 0; z < this.zoneKeys.length; z++) {
      if (this.zoneReady[z]! + this.zoneNotReady[z]! > 0) zoneCounts.set(this.zoneKeys[z]!, { ready: this.zoneReady[z]!, notReady: this.zoneNotReady[z]! });
    }
    this.handleDisruption(zoneCounts, nodes);
  }

  /**
   * The first position from `from` whose node the pass must look at, counting the skipped ones as Ready in their
   * zones. Skipped: the node object confirmed steady at that position last pass (so its entry is live: entries die
   * in the pass's loop, which clears the position, or with their node's name, which is then not listed), no delivery
   * to its Lease slot since (so stillHealthy would find no newer lease: the slot and the health record's lease are
   * what the last pass compared), and its deadline not reached: stillHealthy would return true having changed
   * nothing. A loop of its own, over the position arrays only (perf: inside the pass's loop it was ~15 ns a node).
   */
  private skipUnchangedFrom(nodes: readonly Stored<NodeObj>[], from: number, now: Time): number {
    const steadyAt = this.steadyAt;
    const dueAt = this.dueAt;
    const leaseChangedAt = this.leaseChangedAt;
    const zoneAt = this.zoneAt;
    const ready = this.zoneReady;
    let i = from;
    for (; i < nodes.length; i++) {
      // As stillHealthy's `!(now > deadline)`, written so that a NaN deadline is never skipped.
      if (steadyAt[i] !== nodes[i] || leaseChangedAt[i] !== 0 || !(now <= dueAt[i]!)) break;
      const z = zoneAt[i]!;
      if (z >= 0) ready[z]!++;
    }
    return i;
  }

  /**
   * stillHealthy for the entry confirmed at position i last pass (the hint there, whose node is `listed`), read from
   * the position arrays: the same lease comparison and probe time (keeping the entry's and the position's copies
   * of the renew time), and on success the position's deadline and lease mark for the next pass.
   */
  private recheckConfirmed(i: number, listed: Stored<NodeObj>, now: Time): boolean {
    const slot = this.slotAt[i]!;
    const health = this.healthAt[i]!;
    // leaseNow, with the node's name read only for a slot not seen yet (the node's metadata was a dependent load
    // per renewed node per pass).
    let lease: Stored<LeaseObj> | undefined;
    let renew: string;
    if (slot.seen) {
      lease = slot.lease;
      renew = slot.renew;
    } else {
      lease = this.leaseNow(slot, listed.metadata.name ?? '');
      renew = this.renewRead;
    }
    this.takeLeaseAt(i, lease, renew, now);
    if (now > health.probeTimestamp + this.cfg.nodeMonitorGracePeriod) return false;
    this.dueAt[i] = health.probeTimestamp + this.cfg.nodeMonitorGracePeriod;
    this.leaseChangedAt[i] = slot.seen ? 0 : 1;
    return true;
  }

  /** stillHealthy's comparison for the entry confirmed at position i, as a pass at time `at` makes it. */
  private takeLeaseAt(i: number, lease: Stored<LeaseObj> | undefined, renew: string, at: Time): void {
    const health = this.healthAt[i]!;
    if (lease && lease !== health.lease && (!health.lease || this.renewBefore(this.renewAt[i]!, renew))) {
      health.lease = lease;
      health.probeTimestamp = at;
      this.renewAt[i] = renew;
      this.steadyHint[i]!.leaseRenew = renew;
    }
  }

  /**
   * `a < b`, remembering the last pair: after a Lease burst every node compares the same two renew times (one
   * MicroTime string per kubelet tick, shared by every lease it renewed), so the character comparison is made
   * once per pass rather than once per node. `===` on strings compares contents, so an equal pair made of other
   * string objects gives the same answer.
   */
  private renewBefore(a: string, b: string): boolean {
    if (a === this.lastRenewA && b === this.lastRenewB) return this.lastRenewBefore;
    this.lastRenewA = a;
    this.lastRenewB = b;
    this.lastRenewBefore = a < b;
    return this.lastRenewBefore;
  }

  private lastRenewA = '';
  private lastRenewB = '';
  private lastRenewBefore = false;

  /** The position arrays for a list of n nodes: nodes came or went, so no position is confirmed (every node is checked once). */
  private resizePositions(n: number): void {
    this.steadyAt = new Array<Stored<NodeObj> | undefined>(n).fill(undefined);
    this.slotAt = new Array<LeaseSlot>(n);
    this.healthAt = new Array<NodeHealth>(n);
    this.renewAt = new Array<string>(n).fill('');
    this.dueAt = new Float64Array(n);
    this.leaseChangedAt = new Uint8Array(n);
    this.pendingAt = new Int32Array(n);
    this.zoneAt = new Int32Array(n).fill(-1);
  }

  /** A zone key's index in the per-zone counts (indexes are never reused: a handful of zones over a run). */
  private zoneIndexOf(zone: string): number {
    let z = this.zoneIndex.get(zone);
    if (z === undefined) {
      z = this.zoneKeys.length;
      this.zoneIndex.set(zone, z);
      this.zoneKeys.push(zone);
      this.zoneReady.push(0);
      this.zoneNotReady.push(0);
    }
    return z;
  }

  private classifyNodes(nodes: readonly Stored<NodeObj>[]): void {
    this.classifyDirty = false;
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      if (!this.known.has(name)) {
        this.nodeEvent(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
        this.known.set(name, node);
        this.addZone(node);
        this.markNodeAsReachable(node);
        continue;
      }
      const steady = this.steady.get(name);
      const zone = steady && steady.node === node && steady.zone !== undefined ? steady.zone : getZoneKey(node);
      if (!this.zoneStates.has(zone)) this.addZone(node);
    }
    if (this.known.size !== nodes.length) {
      const seen = new Set(nodes.map((n) => n.metadata.name ?? ''));
      for (const [name, node] of [...this.known]) {
        if (seen.has(name)) continue;
        this.nodeEvent(node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
        this.known.delete(name);
        this.health.delete(name);
        this.unreadyHealth.delete(name);
        // Its steady entry goes below, so no live entry holds the slot; a later one makes a new slot (not seen).
        this.leaseSlots.delete('', name);
        const gone = this.steady.get(name);
        if (gone !== undefined) gone.live = false;
        this.steady.delete(name);
      }
    }
  }

  /**
   * The monitor pass's fast path for a node unchanged since a pass that found
   * it Ready and untainted: all tryUpdateNodeHealth could do is move the
   * probe time on a renewed lease, and all the pass needs is whether the
   * grace period ran out (then the full path runs). Thousands of healthy
   * nodes cost a field read and a string comparison each (the lease slot
   * the Lease handler keeps; a lookup by name until it has seen the lease).
   */
  private stillHealthy(steady: SteadyNode, now: Time): boolean {
    const health = steady.health;
    const lease = this.leaseNow(steady.lease, steady.node.metadata.name ?? '');
    const renew = this.renewRead;
    if (lease && lease !== health.lease && (!health.lease || steady.leaseRenew < renew)) {
      health.lease = lease;
      steady.leaseRenew = renew;
      health.probeTimestamp = now;
    }
    return !(now > health.probeTimestamp + this.cfg.nodeMonitorGracePeriod);
  }

  /** The renewTime of the lease leaseNow() last returned ('' for none): a field, not a result object per node and pass. */
  private renewRead = '';

  /** A node's lease as the informer has it: its slot's once the Lease handler has delivered it, else a lookup by name. */
  private leaseNow(slot: LeaseSlot, name: string): Stored<LeaseObj> | undefined {
    if (slot.seen) {
      this.renewRead = slot.renew;
      return slot.lease;
    }
    const lease = this.leases.get(NamespaceNodeLease, name);
    this.renewRead = lease?.spec?.renewTime ?? '';
    return lease;
  }

  /** tryUpdateNodeHealth with upstream's retries: a conflict re-reads the node from the API server. */
  private updateNodeHealth(listed: Stored<NodeObj>): HealthResult | undefined {
    let node: Stored<NodeObj> | undefined = listed;
    for (let i = 0; i < NodeHealthUpdateRetry && node; i++) {
      try {
        return this.tryUpdateNodeHealth(node);
      } catch (err) {
        if (!(err instanceof ApiError) || (err.reason !== 'Conflict' && err.reason !== 'NotFound')) throw err;
        node = this.sim.store.get<NodeObj>('Node', '', listed.metadata.name ?? '');
      }
    }
    return undefined;
  }

  private tryUpdateNodeHealth(node: Stored<NodeObj>): HealthResult {
    const name = node.metadata.name ?? '';
    const now = this.now;
    let health = this.health.get(name);
    const currentReady = condition(node.status, 'Ready');
    let observed: NodeCondition;
    let grace: Time;
    if (!currentReady) {
      // The kubelet never posted status: a stand-in Ready Unknown dated at creation, and the startup grace period.
      const created = node.metadata.creationTimestamp ?? this.sim.timestamp(0);
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
      grace = this.cfg.nodeStartupGracePeriod;
      const createdAt = this.sim.virtualTime(created);
      if (health) health.status = node.status;
      else health = { status: node.status, probeTimestamp: createdAt, readyTransitionTimestamp: createdAt, lease: undefined };
    } else {
      // Upstream copies the condition; nothing here writes to it, so the (frozen) stored one serves.
      observed = currentReady;
      grace = this.cfg.nodeMonitorGracePeriod;
    }
    const saved = health ? condition(health.status, 'Ready') : undefined;
    const savedLease = health?.lease;
    if (!health) {
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now, lease: undefined };
    } else if (!saved && currentReady) {
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now, lease: undefined };
    } else if (saved && !currentReady) {
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now, lease: undefined };
    } else if (saved && currentReady && saved.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== currentReady.lastTransitionTime ? now : health.readyTransitionTimestamp;
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: transition, lease: undefined };
    }
    // Always move the probe time when the lease was renewed.
    const lease = this.leases.get(NamespaceNodeLease, name);
    if (lease && (!savedLease || (savedLease.spec?.renewTime ?? '') < (lease.spec?.renewTime ?? ''))) {
      health.lease = lease;
      health.probeTimestamp = now;
    }
    this.setHealth(name, health);

    if (now > health.probeTimestamp + grace) {
      const time = this.sim.timestamp(now);
      const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
      for (const type of UNKNOWN_CONDITIONS) {
        const c = conditions.find((x) => x.type === type);
        if (!c) {
          conditions.push({
            type,
            status: 'Unknown',
            reason: 'NodeStatusNeverUpdated',
            message: 'Kubelet never posted node status.',
            lastHeartbeatTime: node.metadata.creationTimestamp ?? time,
            lastTransitionTime: time,
          });
        } else if (c.status !== 'Unknown') {
          c.status = 'Unknown';
          c.reason = 'NodeStatusUnknown';
          c.message = 'Kubelet stopped posting node status.';
          c.lastTransitionTime = time;
        }
      }
      const current = conditions.find((c) => c.type === 'Ready');
      if (!sameCondition(current, observed)) {
        const updated = this.sim.store.patch<Writable<NodeObj>>(
          'Node',
          '',
          name,
          (d) => {
            (d.status ??= {}).conditions = conditions;
          },
          { subresource: 'status', actor: ControllerName, resourceVersion: node.metadata.resourceVersion },
        );
        this.setHealth(name, { status: updated.status, probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, lease });
        return { observed, current, node };
      }
    }
    return { observed, current: currentReady, node };
  }

  /** The node's health record, and its place in unreadyHealth (every change of a record's status comes here). */
  private setHealth(name: string, health: NodeHealth): void {
    this.health.set(name, health);
    const ready = condition(health.status, 'Ready');
    if (ready && ready.status !== 'True') this.unreadyHealth.add(name);
    else this.unreadyHealth.delete(name);
  }

  // ---- taint-based eviction marking ----

  private processTaintBaseEviction(node: Stored<NodeObj>, observed: NodeCondition): void {
    switch (observed.status) {
      case 'False':
        if (hasTaint(node.spec?.taints, TaintNodeUnreachable, 'NoExecute')) this.swapTaints(node, [NotReadyTaint], [UnreachableTaint]);
        else this.markNodeForTainting(node, 'False');
        break;
      case 'Unknown':
        if (hasTaint(node.spec?.taints, TaintNodeNotReady, 'NoExecute')) this.swapTaints(node, [UnreachableTaint], [NotReadyTaint]);
        else this.markNodeForTainting(node, 'Unknown');
        break;
      case 'True':
        this.markNodeAsReachable(node);
        break;
    }
  }

  private addZone(node: Stored<NodeObj>): void {
    const zone = getZoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.zoneTainters.set(zone, new RateLimitedTimedQueue(new TokenBucketRateLimiter(this.cfg.nodeEvictionRate, EvictionRateLimiterBurst)));
  }

  private markNodeForTainting(node: Stored<NodeObj>, status: 'False' | 'Unknown'): void {
    const queue = this.zoneTainters.get(getZoneKey(node));
    if (!queue) return;
    const name = node.metadata.name ?? '';
    const template = status === 'False' ? NotReadyTaint : UnreachableTaint;
    if (!hasTaint(node.spec?.taints, template.key, 'NoExecute')) queue.remove(name);
    if (queue.add(name, node.metadata.uid ?? '', this.now)) this.scheduleTaintPass();
  }

  private markNodeAsReachable(node: Stored<NodeObj>): void {
    this.swapTaints(node, NoTaints, NoExecuteTaints);
    // No queue holds any node (the usual case): the removal would do nothing, so the node's zone key is not made
    // (perf: a concatenated string, flattened and hashed for the lookup, on every full-path check of a Ready node).
    if (this.skipEmptyQueues && !this.anyMarkedForTainting()) return;
    this.zoneTainters.get(getZoneKey(node))?.remove(node.metadata.name ?? '');
  }

  /** Whether some zone's tainting queue holds a node (a handful of zones). */
  private anyMarkedForTainting(): boolean {
    for (const q of this.zoneTainters.values()) if (q.size > 0) return true;
    return false;
  }

  private scheduleTaintPass(): void {
    if (this.taintPassScheduled) return;
    this.taintPassScheduled = true;
    this.sim.engine.after(NodeEvictionPeriod, () => this.doNoExecuteTaintingPass(), {
      priority: Priority.Controller,
      source: `controller/${ControllerName}`,
      periodic: true,
    });
  }

  /** doNoExecuteTaintingPass: each zone's queue, at the zone's rate; runs every 100 ms while any queue holds a node. */
  private doNoExecuteTaintingPass(): void {
    this.taintPassScheduled = false;
    for (const zone of [...this.zoneTainters.keys()].sort()) {
      this.zoneTainters.get(zone)!.try(this.now, (v) => {
        const node = this.nodes.get('', v.value);
        if (!node) return [true, 0];
        const ready = condition(node.status, 'Ready');
        if (!ready) return [false, 50];
        let add: Taint;
        let opposite: Taint;
        if (ready.status === 'False') {
          add = NotReadyTaint;
          opposite = UnreachableTaint;
        } else if (ready.status === 'Unknown') {
          add = UnreachableTaint;
          opposite = NotReadyTaint;
        } else {
          return [true, 0];
        }
        return [this.swapTaints(node, [add], [opposite]), 0];
      });
    }
    if ([...this.zoneTainters.values()].some((q) => q.length > 0)) this.scheduleTaintPass();
  }

  // ---- zones ----

  private handleDisruption(zoneConditions: Map<string, ZoneCount>, nodes: readonly Stored<NodeObj>[]): void {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const zone of [...zoneConditions.keys()].sort()) {
      const counts = zoneConditions.get(zone)!;
      const { state } = zoneStateOfCounts(counts.ready, counts.notReady, this.cfg.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    // Zones no longer seen are forgotten before the all-disrupted check (upstream's map order makes that check order-dependent).
    for (const zone of [...this.zoneStates.keys()]) {
      if (zoneConditions.has(zone)) continue;
      this.zoneStates.delete(zone);
      // A zone forgotten while it still has nodes (all excluded) is met again as new by the next classification.
      this.classifyDirty = true;
    }
    let allWasFullyDisrupted = true;
    for (const state of this.zoneStates.values()) {
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    const zones = [...this.zoneStates.keys()].sort();
    if (allAreFullyDisrupted) {
      // Every zone is down: most likely the control plane lost its network, not the nodes. Stop evicting.
      for (const node of nodes) this.markNodeAsReachable(node);
      for (const zone of zones) this.zoneTainters.get(zone)?.swapLimiter(0, this.now);
      for (const zone of zones) this.zoneStates.set(zone, 'FullDisruption');
      return;
    }
    if (allWasFullyDisrupted) {
      // Leaving master disruption mode: every node gets a fresh grace period (after the comparisons this pass saw).
      this.settleAll(this.passSeq);
      for (const node of nodes) {
        const h = this.health.get(node.metadata.name ?? '');
        if (h) {
          h.probeTimestamp = this.now;
          h.readyTransitionTimestamp = this.now;
        }
      }
      for (const zone of zones) {
        this.setLimiterInZone(zone, zoneSize(zoneConditions.get(zone)), newStates.get(zone)!);
        this.zoneStates.set(zone, newStates.get(zone)!);
      }
      return;
    }
    for (const zone of zones) {
      const next = newStates.get(zone)!;
      if (this.zoneStates.get(zone) === next) continue;
      this.setLimiterInZone(zone, zoneSize(zoneConditions.get(zone)), next);
      this.zoneStates.set(zone, next);
    }
  }

  private setLimiterInZone(zone: string, size: number, state: ZoneState): void {
    const qps = zoneEvictionQPS(state, size, this.cfg);
    if (qps !== undefined) this.zoneTainters.get(zone)?.swapLimiter(qps, this.now);
  }

  /** The state of every zone, for tests and reports (zone keys as GetZoneKey makes them). */
  zoneStatesSnapshot(): Map<string, ZoneState> {
    return new Map([...this.zoneStates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  // ---- pods ----

  /** MarkPodsNotReady: the pods' Ready condition becomes False, each with a NodeNotReady event. */
  private markPodsNotReady(pods: readonly Stored<PodObj>[], nodeName: string): void {
    const time = this.sim.timestamp();
    for (const pod of pods) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready) continue;
      const status = { conditions: (pod.status?.conditions ?? []).map((c) => ({ ...c })) };
      const cond = { ...ready, status: 'False' };
      if (!updatePodCondition(status, cond, time)) continue;
      try {
        this.sim.store.patch<Writable<PodObj>>(
          'Pod',
          pod.metadata.namespace ?? '',
          pod.metadata.name ?? '',
          (d) => {
            (d.status ??= {}).conditions = status.conditions;
          },
          { subresource: 'status', actor: ControllerName },
        );
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'NotFound') continue;
        throw err;
      }
      this.sim.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready', EventSource);
    }
  }

  /** podUpdated: a pod newly bound to a node is checked against that node's last observed health. */
  private podUpdated(old: Stored<Pod & KObject> | undefined, pod: Stored<Pod & KObject>): void {
    const node = pod.spec?.nodeName;
    if (!node || (old && old.spec?.nodeName === node)) return;
    this.podsToCheck.push(pod);
    if (this.podCheckScheduled) return;
    this.podCheckScheduled = true;
    this.sim.engine.after(this.sim.runtime.timing.reconcileLatency, this.processPodsFn, ProcessPodsOpts);
  }

  private processPods(): void {
    this.podCheckScheduled = false;
    const delivered = this.podsToCheck;
    this.podsToCheck = [];
    // Every node's health record Ready (or without the condition): no pod below is marked, and nothing in the loop
    // writes a health record, so nothing is looked up.
    if (this.skipReadyPodChecks && this.unreadyHealth.size === 0) return;
    const seen = new Set<string>();
    for (let k = 0; k < delivered.length; k++) {
      const namespace = delivered[k]!.metadata.namespace ?? '';
      const name = delivered[k]!.metadata.name ?? '';
      const key = `${namespace}/${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const pod = this.pods.get(namespace, name);
      const nodeName = pod?.spec?.nodeName;
      if (!pod || !nodeName) continue;
      const health = this.health.get(nodeName);
      if (!health || !this.nodes.get('', nodeName)) continue;
      const ready = condition(health.status, 'Ready');
      if (ready && ready.status !== 'True') this.markPodsNotReady([pod], nodeName);
    }
  }
}

/** The node lifecycle controller as a component of the simulated kube-controller-manager. */
export function createNodeLifecycleController(
  config: Partial<NodeLifecycleConfig> = {},
  opts: { positionHints?: boolean; skipUnchanged?: boolean; lazyProbes?: boolean; skipReadyPodChecks?: boolean; listMirror?: boolean; skipEmptyQueues?: boolean; passTimesRing?: number } = {},
): Component & { zoneStates(): Map<string, ZoneState> } {
  let controller: NodeLifecycleController | undefined;
  return {
    name: ControllerName,
    start(sim: Simulation) {
      controller = new NodeLifecycleController(
        sim,
        config,
        opts.positionHints ?? true,
        opts.skipUnchanged ?? true,
        opts.lazyProbes ?? true,
        opts.skipReadyPodChecks ?? true,
        opts.listMirror ?? true,
        opts.skipEmptyQueues ?? true,
        opts.passTimesRing,
      );
      controller.start();
    },
    zoneStates() {
      return controller?.zoneStatesSnapshot() ?? new Map();
    },
  };
}
