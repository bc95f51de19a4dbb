/**
 * The kubelet's two health signals, as the newest kubelet sends them
 * (NodeLease GA since v1.17; k8s.io/component-helpers/apimachinery/lease
 * controller.go and pkg/kubelet/kubelet_node_status.go):
 *
 *  - Lease: each kubelet keeps a coordination.k8s.io/v1 Lease named after its
 *    node in kube-node-lease (holderIdentity = node name, leaseDurationSeconds
 *    = nodeLeaseDurationSeconds (40), an ownerReference to its Node), renewed
 *    every leaseDuration × 0.25 (NodeLeaseRenewIntervalFraction) = 10 s with
 *    renewTime as a MicroTime.
 *  - Node status: computed every nodeStatusUpdateFrequency (10 s) but, with
 *    leases, posted only when it changed or nodeStatusReportFrequency (5 m)
 *    has passed since the last post; a post refreshes every condition's
 *    lastHeartbeatTime.
 *
 * A stopped kubelet (nodeDown) sends neither. Heartbeats are the largest
 * write load of a big cluster (5,000 nodes renew 500 leases a second), so
 * they are cheap by construction: one engine event per renewal tick renews
 * every running kubelet's lease through the store's heartbeat path (no
 * admission, validation or drafts, as the API server's lease fast path; the
 * kubelet's own last Lease is rebuilt with literals, not spreads), and the
 * status check reads the node only when it changed since the last post (the
 * Node is kept by a store watch, not looked up).
 * Kubelets share one tick, so a kubelet that starts between ticks renews at
 * the next one (up to 10 s early) rather than on its own phase.
 */
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored, Time } from '../sim/types.ts';
import { Priority } from '../sim/types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { ApiError } from '../sim/errors.ts';
import type { HeartbeatTarget } from '../sim/store.ts';
import { formatRFC3339 } from '../sim/time.ts';
import { healthyNodeConditions } from '../api/node.ts';

export const NamespaceNodeLease = 'kube-node-lease';
/** NodeLeaseRenewIntervalFraction: the lease is renewed every quarter of its duration. */
export const NodeLeaseRenewIntervalFraction = 0.25;

/** The conditions the kubelet's status setters own (NetworkUnavailable belongs to the network plugin). */
const KUBELET_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

export interface Lease extends KObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    renewTime?: string;
    acquireTime?: string;
    leaseTransitions?: number;
  };
}

export interface HeartbeatTiming {
  leaseDurationSeconds: number;
  /** nodeStatusUpdateFrequency (ms). */
  statusUpdateFrequency: Time;
  /** nodeStatusReportFrequency (ms). */
  statusReportFrequency: Time;
}

/** metav1.MicroTime: RFC3339 with six fractional digits, UTC. */
export function formatMicroTime(unixMs: number): string {
  const whole = formatRFC3339(unixMs);
  const ms = ((unixMs % 1000) + 1000) % 1000;
  return `${whole.slice(0, -1)}.${String(ms).padStart(3, '0')}000Z`;
}

interface HeartbeatNode {
  name: string;
  /** Its place in NodeHeartbeats.order (and reportAt, checkAt). */
  index: number;
  running: boolean;
  /** Virtual time of the last node status post (reportAt keeps a copy: set through reported()). */
  lastReport: Time;
  /** The Node as it stood after our last post or check: unchanged means nothing to compare. */
  lastSeen: Stored | undefined;
  /** The writer's name (`kubelet/<node>`), made once: a renewal every 10 s per node. */
  actor: string;
  /** The lease was there at the last renewal: renew without looking it up first (NotFound says it went away). */
  leaseSeen: boolean;
  /**
   * The Lease as our last write stored it, kept only when its layout is the
   * one this kubelet writes (hasKubeletLeaseLayout): while the store still holds this
   * very object, the renewal rebuilds it with literals instead of spreads.
   */
  lease: Stored<Lease> | undefined;
  /** The last renewal was that literal rebuild (its result needs no layout check). */
  literal: boolean;
  /** The lease's place in the store, kept while it lives so that a renewal looks nothing up by name (undefined: none yet). */
  target: HeartbeatTarget | undefined;
  /** The Node as the store holds it now (kept by a watch on Nodes), so the 10 s status check reads no index. */
  node: Stored<Node & KObject> | undefined;
  /**
   * The stored status object that our last post stored with exactly the keys of STATUS_KEYS, in that order
   * (undefined: none): while the Node still has it, the next post copies it with a literal (perf: a for-in copy
   * of the frozen status was ~0.4 us, 5,000 nodes posting every 5 min).
   */
  laidOut: object | undefined;
}

/** The layout of the Lease this kubelet creates, as the store keeps it: keys in this order, nothing else. */
const LEASE_KEYS = 'apiVersion,kind,metadata,spec';
const LEASE_META_KEYS = 'name,namespace,ownerReferences,uid,resourceVersion,generation,creationTimestamp';
const LEASE_SPEC_KEYS = 'holderIdentity,leaseDurationSeconds,renewTime';

/** Whether a stored Lease has exactly that layout (checked once per lease object that another writer made). */
export function hasKubeletLeaseLayout(l: Stored<Lease>): boolean {
  return (
    Object.keys(l).join() === LEASE_KEYS &&
    l.spec !== undefined &&
    Object.keys(l.spec).join() === LEASE_SPEC_KEYS &&
    Object.keys(l.metadata).join() === LEASE_META_KEYS
  );
}

export class NodeHeartbeats {
  private readonly nodes = new Map<string, HeartbeatNode>();
  /**
   * The kubelets in the Map's order, a hole where one was removed (closed at the start of the next tick's loop):
   * the ticks' loops read this array rather than iterate the Map (perf: 5,000 kubelets renew every 10 s). A name
   * registered again after its removal goes to the end and a name registered over a live one keeps its place, as
   * in the Map, so the loops visit the kubelets in the same order (the plain path, !shortcuts, iterates the Map).
   */
  private order: Array<HeartbeatNode | undefined> = [];
  private holes = 0;
  /**
   * By place in `order`: the kubelet's lastReport, and 1 when its kept Node may differ from the one its last
   * status check saw (set on every change of `node` and after a post by resume; 0 only when they are the same
   * object). The 10 s status check skips a kubelet whose report is not due and whose flag is 0 without reading
   * it: postStatus would return having done nothing (perf: 5,000 kubelets read every 10 s to post ~170).
   */
  private reportAt: Time[] = [];
  private checkAt: number[] = [];
  private readonly renewInterval: Time;
  /** The renewTime of the renewal being written (one MicroTime string per tick, shared by every kubelet). */
  private renewTime = '';
  /** The kubelet whose Lease the heartbeat write being made renews (renewLease's subject). */
  private renewing: HeartbeatNode | undefined;
  /**
   * The last status post's conditions (postedConditions): what they were computed from, at which time, and the
   * frozen result. Kubelets registered together post in the same tick with conditions of the same content, so the
   * next one's are this very result, shared rather than rebuilt and frozen again (perf: 5,000 nodes post every
   * 5 min, five conditions and their array each, six freezes of ~0.5k instructions apiece).
   */
  private condFrom: readonly NodeCondition[] | undefined;
  private condTime = '';
  private condOut: readonly NodeCondition[] = [];

  /**
   * The renewal's change to the stored Lease, one function for every kubelet: it reads the kubelet from
   * `renewing`, set just before each heartbeat write, and the tick's renewTime (perf: a closure per kubelet was
   * one more object read per renewal, 5,000 kubelets every 10 s, apart from the kubelet's own record).
   */
  private readonly renewLease = (old: Stored<Lease>, resourceVersion: string): Lease => {
    const n = this.renewing!;
    const name = n.name;
    const leaseDurationSeconds = this.timing.leaseDurationSeconds;
    n.literal = old === n.lease && this.shortcuts;
    if (!n.literal) return { ...old, spec: { ...old.spec, holderIdentity: name, leaseDurationSeconds, renewTime: this.renewTime } };
    // Our own last write, of the known layout: the same object, field for field and in the same key order.
    // Frozen here, the whole object too, where it is known that the only object child of its parts
    // (ownerReferences, the stored one) is frozen already: the store then stores it as it is, no walk.
    const m = old.metadata;
    return Object.freeze({
      apiVersion: old.apiVersion,
      kind: old.kind,
      metadata: Object.freeze({
        name: m.name,
        namespace: m.namespace,
        ownerReferences: m.ownerReferences,
        uid: m.uid,
        resourceVersion,
        generation: m.generation,
        creationTimestamp: m.creationTimestamp,
      }),
      spec: Object.freeze({ holderIdentity: name, leaseDurationSeconds, renewTime: this.renewTime }),
    });
  };

  constructor(
    private readonly sim: Simulation,
    private readonly timing: HeartbeatTiming,
    /** The renewal's literal rebuild and the status check's watched Node (false: the plain lookups, for tests). */
    private readonly shortcuts = true,
  ) {
    this.renewInterval = Math.round(timing.leaseDurationSeconds * 1000 * NodeLeaseRenewIntervalFraction);
  }

  start(): void {
    // Every Node write reaches this watch before the writer's call returns (the store delivers synchronously),
    // so between engine events each kubelet's `node` is the stored object, as a lookup would give.
    if (this.shortcuts) this.sim.store.watch('Node', (ev) => {
      const n = this.nodes.get(ev.object.metadata.name ?? '');
      if (n) {
        n.node = ev.type === 'DELETED' ? undefined : (ev.object as Stored<Node & KObject>);
        this.checkAt[n.index] = 1;
      }
    });
    if (this.renewInterval > 0) this.every(this.renewInterval, 'kubelet/node-lease', () => this.renewAll());
    if (this.timing.statusUpdateFrequency > 0) this.every(this.timing.statusUpdateFrequency, 'kubelet/node-status', () => this.syncAllStatus());
  }

  /** A kubelet starts on a node it has just seen: its lease exists from now on (ensureLease). */
  register(node: Stored<Node & KObject>, running: boolean): void {
    const name = node.metadata.name ?? '';
    // Registration posted the first status (the Node's creation): the report interval counts from there.
    const created = node.metadata.creationTimestamp ? this.sim.virtualTime(node.metadata.creationTimestamp) : this.sim.now;
    const n: HeartbeatNode = {
      name,
      index: -1,
      running,
      lastReport: Math.min(created, this.sim.now),
      lastSeen: undefined,
      laidOut: undefined,
      actor: `kubelet/${name}`,
      leaseSeen: false,
      lease: undefined,
      literal: false,
      target: undefined,
      node: this.sim.store.get<Node & KObject>('Node', '', name),
    };
    const prev = this.nodes.get(name);
    this.nodes.set(name, n);
    if (prev === undefined) {
      n.index = this.order.length;
      this.order.push(n);
      this.reportAt.push(n.lastReport);
      this.checkAt.push(1);
    } else {
      n.index = prev.index;
      this.order[n.index] = n;
      this.reportAt[n.index] = n.lastReport;
      this.checkAt[n.index] = 1;
    }
    if (running) this.renew(n);
  }

  /** nodeDown: the kubelet posts nothing until it is started again. */
  stop(name: string): void {
    const n = this.nodes.get(name);
    if (n) n.running = false;
  }

  /** nodeUp: the restarted kubelet renews its lease and posts its status at once. */
  resume(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    n.running = true;
    this.renew(n);
    this.postStatus(n, true);
    // The post moved lastSeen: the next check compares (a no-op when the post stored the kept Node).
    this.checkAt[n.index] = 1;
  }

  remove(name: string): void {
    const n = this.nodes.get(name);
    if (n === undefined) return;
    this.nodes.delete(name);
    this.order[n.index] = undefined;
    this.holes++;
  }

  /** Close the holes of `order` (not during a loop over it: only at the start of a tick's). */
  private closeHoles(): void {
    const order: Array<HeartbeatNode | undefined> = [];
    const reportAt: Time[] = [];
    const checkAt: number[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const n = this.order[i];
      if (n === undefined) continue;
      n.index = order.length;
      order.push(n);
      reportAt.push(this.reportAt[i]!);
      checkAt.push(this.checkAt[i]!);
    }
    this.order = order;
    this.reportAt = reportAt;
    this.checkAt = checkAt;
    this.holes = 0;
  }

  /** n.lastReport = t, and its copy in reportAt. */
  private reported(n: HeartbeatNode, t: Time): void {
    n.lastReport = t;
    if (this.order[n.index] === n) this.reportAt[n.index] = t;
  }

  private every(period: Time, source: string, fn: () => void): void {
    const tick = (): void => {
      fn();
      this.sim.engine.after(period, tick, { priority: Priority.Kubelet, source, periodic: true });
    };
    this.sim.engine.after(period, tick, { priority: Priority.Kubelet, source, periodic: true });
  }

  private renewAll(): void {
    this.renewTime = formatMicroTime(this.sim.epochMs + this.sim.now);
    if (!this.shortcuts) {
      for (const n of this.nodes.values()) if (n.running) this.renewCurrent(n);
      return;
    }
    if (this.holes > 0) this.closeHoles();
    // The length is read at each step: a kubelet registered meanwhile is visited, as the Map's iterator would.
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const n = order[i];
      if (n !== undefined && n.running) this.renewCurrent(n);
    }
  }

  /** Renew (or, when it is missing, create) the node's lease with renewTime = now. */
  private renew(n: HeartbeatNode): void {
    this.renewTime = formatMicroTime(this.sim.epochMs + this.sim.now);
    this.renewCurrent(n);
  }

  /** Renew with this.renewTime: one heartbeat write, or the lease's creation when it is missing. */
  private renewCurrent(n: HeartbeatNode): void {
    const store = this.sim.store;
    const name = n.name;
    const renewTime = this.renewTime;
    this.renewing = n;
    if (n.leaseSeen) {
      // The heartbeat write looks the lease up itself and throws NotFound, before writing anything, when it is gone.
      try {
        // The store holds our own last write (renewLease will rebuild it with frozen literals): it need not check.
        const t = n.target;
        const own = t !== undefined && t.live && t.obj === n.lease && this.shortcuts;
        this.renewed(n, store.updateHeartbeat<Lease>('Lease', NamespaceNodeLease, name, this.renewLease, n.actor, t, own));
        return;
      } catch (err) {
        if (!(err instanceof ApiError) || err.reason !== 'NotFound') throw err;
        n.leaseSeen = false;
        n.lease = undefined;
        n.target = undefined;
      }
    } else if (store.get('Lease', NamespaceNodeLease, name)) {
      this.renewed(n, store.updateHeartbeat<Lease>('Lease', NamespaceNodeLease, name, this.renewLease, n.actor));
      n.leaseSeen = true;
      return;
    }
    const node = store.get<Node & KObject>('Node', '', name);
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: NamespaceNodeLease },
      spec: { holderIdentity: name, leaseDurationSeconds: this.timing.leaseDurationSeconds, renewTime },
    };
    // setNodeOwnerFunc: the Node owns its lease, so deleting the Node collects the lease.
    if (node?.metadata.uid) lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }];
    try {
      const created = store.create(lease, { actor: n.actor }) as Stored<Lease>;
      n.literal = false;
      this.renewed(n, created);
      n.leaseSeen = true;
    } catch (err) {
      // A namespace being torn down or a racing writer: the next tick tries again, as the lease controller's backoff does.
      if (!(err instanceof ApiError)) throw err;
    }
  }

  /**
   * Keep the lease just written for the next renewal's literal rebuild: always when that rebuild made it, else after
   * checking its layout; and its place in the store, found again only when the one kept was deleted.
   */
  private renewed(n: HeartbeatNode, stored: Stored<Lease>): void {
    n.lease = n.literal || hasKubeletLeaseLayout(stored) ? stored : undefined;
    if (this.shortcuts && (n.target === undefined || !n.target.live)) n.target = this.sim.store.heartbeatTarget('Lease', NamespaceNodeLease, n.name);
  }

  private syncAllStatus(): void {
    const now = this.sim.now;
    const frequency = this.timing.statusReportFrequency;
    if (!this.shortcuts) {
      for (const n of this.nodes.values()) {
        if (!n.running) continue;
        const due = now - n.lastReport >= frequency;
        this.postStatus(n, due);
      }
      return;
    }
    if (this.holes > 0) this.closeHoles();
    const order = this.order;
    const reportAt = this.reportAt;
    const checkAt = this.checkAt;
    for (let i = 0; i < order.length; i++) {
      // Not due, and the kept Node is the one the last check saw: postStatus would do nothing.
      if (checkAt[i] === 0 && !(now - reportAt[i]! >= frequency)) continue;
      const n = order[i];
      if (n === undefined || !n.running) continue;
      this.postStatus(n, now - n.lastReport >= frequency);
      // The post's own write reached the watch (flag set): what matters is whether lastSeen is the kept Node now.
      checkAt[i] = n.node !== n.lastSeen ? 1 : 0;
    }
  }

  /**
   * freezeConditions(heartbeatConditions(old, time)), or the last post's result when it was computed at the same
   * time from conditions of the same content (sameConditions): equal to what the computation gives, field for field
   * and key for key, and deeply frozen; shared by the Nodes that post it (readers only read stored objects).
   */
  private postedConditions(old: readonly NodeCondition[] | undefined, time: string): readonly NodeCondition[] {
    const from = this.condFrom;
    if (this.shortcuts && old !== undefined && from !== undefined && time === this.condTime && sameConditions(old, from)) return this.condOut;
    const out = freezeConditions(heartbeatConditions(old, time));
    this.condFrom = old;
    this.condTime = time;
    this.condOut = out;
    return out;
  }

  /**
   * tryUpdateNodeStatus: post when the status the kubelet computes differs
   * from the stored one (a kubelet condition missing or set Unknown by the
   * node lifecycle controller) or when `force` (the report interval passed,
   * or a restart).
   */
  private postStatus(n: HeartbeatNode, force: boolean): void {
    const node = force || !this.shortcuts ? this.sim.store.get<Node & KObject>('Node', '', n.name) : n.node;
    if (!node) return;
    if (!force && node === n.lastSeen) return;
    n.lastSeen = node;
    if (!force && !needsKubeletConditions(node.status?.conditions)) return;
    const time = this.sim.timestamp();
    try {
      // A whole-status update (no copy-on-write draft): the same status object a draft edit of
      // status.conditions gives, keys in the same order. Its new conditions are handed over deep-frozen
      // (freezeConditions), and the status itself (the stored one's keys copied, as the store lays out its own
      // copy) frozen, so that the store keeps them rather than copying each post's. Its other parts are the
      // stored Node's, deeply frozen as everything the store holds: no part is tested (Object.isFrozen is a
      // runtime call, a few per post, 5,000 nodes posting every 5 min).
      const old = node.status as Record<string, unknown> | undefined;
      const conditions = this.postedConditions(node.status?.conditions, time);
      let status: Record<string, unknown>;
      // The keys of the status our last post stored (laidOut), in its order: the loop's copy, made with a literal.
      if (old !== undefined && old === n.laidOut && this.shortcuts) {
        status = { capacity: old['capacity'], allocatable: old['allocatable'], conditions, nodeInfo: old['nodeInfo'] };
      } else {
        status = {};
        if (old !== undefined) for (const k in old) status[k] = old[k];
        status['conditions'] = conditions;
      }
      // The status subresource takes only status from the request (everything else is the stored object's, as
      // upstream's status strategy), and the request's kind, name and resourceVersion (the stored one's here):
      // the shortcut sends just those, not a spread of the frozen Node (~0.4 us, the post's largest own cost).
      const request = this.shortcuts
        ? { apiVersion: node.apiVersion, kind: node.kind, metadata: node.metadata, status: Object.freeze(status) }
        : { ...node, status: Object.freeze(status) };
      const updated = this.sim.store.update<Node & KObject>(request as Node & KObject, { subresource: 'status', actor: n.actor });
      n.lastSeen = updated;
      // Kept only when the store stored this very object (no admission rewrote it) and its keys are the literal's.
      n.laidOut = updated.status === status && hasKeys(status, STATUS_KEYS) ? status : undefined;
      this.reported(n, this.sim.now);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
}

/**
 * Whether two condition lists have the same content, element for element: the same object, or both of the
 * setters' layout (CONDITION_KEYS, in order) with the same values. heartbeatConditions reads nothing else of
 * them (and spreads only conditions of another layout, never taken as the same here), so it gives equal results.
 */
export function sameConditions(a: readonly NodeCondition[], b: readonly NodeCondition[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (
      x.type !== y.type ||
      x.status !== y.status ||
      x.lastHeartbeatTime !== y.lastHeartbeatTime ||
      x.lastTransitionTime !== y.lastTransitionTime ||
      x.reason !== y.reason ||
      x.message !== y.message ||
      !hasConditionLayout(x) ||
      !hasConditionLayout(y)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * deepFreeze of heartbeatConditions' result without its tests: the array and each condition are its own new
 * objects, whose values are strings or the stored Node's (deeply frozen) values, so freezing each is freezing deeply.
 */
function freezeConditions(conds: NodeCondition[]): readonly NodeCondition[] {
  for (let i = 0; i < conds.length; i++) Object.freeze(conds[i]);
  return Object.freeze(conds);
}

/** Whether a kubelet-owned condition is missing or Unknown: the kubelet's computed status differs. */
function needsKubeletConditions(conds: readonly NodeCondition[] | undefined): boolean {
  for (const type of KUBELET_CONDITIONS) {
    const c = conds?.find((x) => x.type === type);
    if (!c || c.status === 'Unknown') return true;
  }
  return false;
}

/** The keys of a condition as healthyNodeConditions and the posts after it lay them out, in order. */
const CONDITION_KEYS = ['type', 'status', 'lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'];

/** The keys of a registered Node's status (registerNodeInPlace, the kubelet's status setters), in order. */
const STATUS_KEYS = ['capacity', 'allocatable', 'conditions', 'nodeInfo'];

/** Whether an object has exactly `keys`, in that order (so a literal rebuilds its copy exactly). */
function hasKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** Whether a condition has exactly CONDITION_KEYS in that order. */
function hasConditionLayout(c: NodeCondition): boolean {
  return hasKeys(c, CONDITION_KEYS);
}

/** Every kubelet-owned condition type is among `out` (loops, not every/some: no closures per post). */
function hasEveryKubeletCondition(out: readonly NodeCondition[]): boolean {
  for (const type of KUBELET_CONDITIONS) {
    let found = false;
    for (let i = 0; i < out.length && !found; i++) found = out[i]!.type === type;
    if (!found) return false;
  }
  return true;
}

/**
 * The conditions a status post carries: kubelet-owned conditions refreshed
 * (lastHeartbeatTime now; missing or Unknown ones replaced by the healthy
 * setter output, with a new transition time), others kept as they are.
 */
export function heartbeatConditions(old: readonly NodeCondition[] | undefined, time: string): NodeCondition[] {
  // The healthy setter output is made only when a condition is Unknown or missing (not on the usual 5-minute post).
  let healthy: NodeCondition[] | undefined;
  const out: NodeCondition[] = [];
  let owned = 0;
  for (const c of old ?? []) {
    if (!KUBELET_CONDITIONS.includes(c.type)) {
      out.push({ ...c });
      continue;
    }
    owned++;
    if (c.status === 'Unknown') {
      healthy ??= healthyNodeConditions(time);
      const h = healthy.find((x) => x.type === c.type)!;
      out.push({ ...h });
    } else if (hasConditionLayout(c)) {
      // The layout the kubelet's setters write (every post keeps it): the spread's object, built with a literal
      // (perf: spreading a frozen condition was most of a status post's own cost, 5,000 nodes posting every 5 min).
      out.push({
        type: c.type,
        status: c.status,
        lastHeartbeatTime: time,
        lastTransitionTime: c.lastTransitionTime,
        reason: c.reason,
        message: c.message,
      });
    } else {
      out.push({ ...c, lastHeartbeatTime: time });
    }
  }
  if (owned < KUBELET_CONDITIONS.length || !hasEveryKubeletCondition(out)) {
    healthy ??= healthyNodeConditions(time);
    for (const h of healthy) if (!out.some((c) => c.type === h.type)) out.push(h);
  }
  return out;
}
