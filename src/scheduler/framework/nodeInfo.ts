/**
 * framework.NodeInfo, following kube-scheduler v1.31
 * pkg/scheduler/framework/types.go (NodeInfo: AddPodInfo, RemovePod, update,
 * SetNode, Snapshot/Clone, nextGeneration).
 *
 * Pods are removed by swapping the last one into the hole, exactly as
 * upstream's removeFromSlice, so pod order on a node (which plugins iterate)
 * evolves the same way.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { emptyResource } from './types.ts';
import type { ImageStateSummary, NodeInfo, PodInfo, Resource } from './types.ts';
import { addResource, cloneResource, resourceFromList } from './resource.ts';
import { HostPortInfoImpl, hostPortsOf } from './hostPorts.ts';
import { hasPodAffinity, hasRequiredAntiAffinity, newPodInfo, podKey } from './podInfo.ts';
import type { NodeResourceTable } from './resourceTable.ts';

/** Monotonic across all NodeInfos, as upstream's package-level generation counter. */
let generationCounter = 0;
export function nextGeneration(): number {
  return ++generationCounter;
}

/** Image states of one node on its own (numNodes 1); the cache/snapshot recompute numNodes across nodes. */
export function ownImageStates(node: Node, numNodes?: (name: string) => number): Map<string, ImageStateSummary> {
  const m = new Map<string, ImageStateSummary>();
  for (const img of node.status?.images ?? []) {
    for (const name of img.names ?? []) m.set(name, { size: img.sizeBytes ?? 0, numNodes: numNodes ? numNodes(name) : 1 });
  }
  return m;
}

/** upstream removeFromSlice: the first pod with the key, the last one moved into its place. */
export function removeByKey(list: PodInfo[], key: string): PodInfo | undefined {
  for (let i = 0; i < list.length; i++) {
    if (podKey(list[i]!.pod) === key) {
      const removed = list[i]!;
      list[i] = list[list.length - 1]!;
      list.pop();
      return removed;
    }
  }
  return undefined;
}

/** NodeInfo.removePod indexes pods by key only from this many pods on a node (see removeFromPods). */
export const PodIndexMinPods = 8;

export class NodeInfoImpl implements NodeInfo {
  node: Stored<Node & KObject>;
  index: number;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfoImpl();
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource;
  imageStates: Map<string, ImageStateSummary>;
  generation: number;
  /**
   * NodeInfo.localGeneration: the generation of the last change to what a
   * node-local plugin may read. Why apart from `generation`: most changes a
   * churning cluster makes to a node read nothing of that (a kubelet's node
   * status write every few minutes; a bound pod replacing its assumed copy,
   * whose labels the binding extended), yet each voided every memoised
   * verdict and score of the node, about half of the node-local memos'
   * recomputations in the churn bench.
   */
  localGeneration: number;
  /**
   * Counts changes to `pods`, replaceUnchangedPod's included (it keeps the
   * generation): with the generation it tells a memo that pod objects and
   * order are unchanged without comparing the list (framework/dryRunMemo.ts).
   */
  podsChanged = 0;
  /**
   * Position of each pod in `pods` by pod key, built on the first removal
   * from a list of PodIndexMinPods pods or more (perf: removal scanned the
   * list comparing keys, a visible cost when pods churn on full nodes).
   * null = not built, or a key appears twice (then removal scans, finding the
   * first, as upstream).
   */
  private podIndex: Map<string, number> | null = null;
  private podIndexBroken = false;
  /** The cache's compact resource columns and this node's slot there (see resourceTable.ts); null/-1 when not the cache's. */
  resourceTable: NodeResourceTable | null = null;
  resourceSlot = -1;

  constructor(node: Node, index = 0) {
    this.node = node as Stored<Node & KObject>;
    this.index = index;
    this.allocatable = resourceFromList(node.status?.allocatable);
    this.imageStates = ownImageStates(node);
    this.generation = nextGeneration();
    this.localGeneration = this.generation;
  }

  get name(): string {
    return this.node.metadata?.name ?? '';
  }

  /** upstream SetNode: new node object, allocatable recomputed. */
  setNode(node: Node): void {
    // One frozen allocatable object (a status write that kept it) gives the same figures.
    const same = this.node !== undefined && node.status?.allocatable !== undefined && this.node.status?.allocatable === node.status.allocatable && Object.isFrozen(node.status.allocatable);
    const local = same && sameLocalInputs(this.node, node);
    if (this.resourceTable !== null) this.resourceTable.nodeLabelKeys.changed(this.node, node);
    this.node = node as Stored<Node & KObject>;
    if (!same) this.allocatable = resourceFromList(node.status?.allocatable);
    this.generation = nextGeneration();
    if (!local) this.localGeneration = this.generation;
    if (this.resourceTable !== null) this.resourceTable.names[this.resourceSlot] = this.name;
    this.syncTable();
  }

  /** Take a slot in the cache's resource columns and fill it. */
  attachTable(table: NodeResourceTable): void {
    if (this.resourceTable !== null) return;
    this.resourceTable = table;
    this.resourceSlot = table.acquire();
    table.attach(this);
    table.names[this.resourceSlot] = this.name;
    this.syncTable();
  }

  /** Give the slot back (the cache forgets this NodeInfo). */
  detachTable(): void {
    if (this.resourceTable === null) return;
    this.resourceTable.detach(this);
    this.resourceTable.release(this.resourceSlot);
    this.resourceTable = null;
    this.resourceSlot = -1;
  }

  /** Copy the figures into the columns: called after every change to pods, requested or allocatable. */
  private syncTable(): void {
    const t = this.resourceTable;
    if (t === null) return;
    const k = this.resourceSlot;
    t.noteChange(k);
    t.generation[k] = this.generation;
    t.localGeneration[k] = this.localGeneration;
    t.allocCPU[k] = this.allocatable.milliCPU;
    t.allocMemory[k] = this.allocatable.memory;
    t.allocEphemeral[k] = this.allocatable.ephemeralStorage;
    t.allowedPods[k] = this.allocatable.allowedPodNumber;
    t.reqCPU[k] = this.requested.milliCPU;
    t.reqMemory[k] = this.requested.memory;
    t.reqEphemeral[k] = this.requested.ephemeralStorage;
    t.podCount[k] = this.pods.length;
    t.nzCPU[k] = this.nonZeroRequested.milliCPU;
    t.nzMemory[k] = this.nonZeroRequested.memory;
  }

  setImageStates(states: Map<string, ImageStateSummary>): void {
    this.imageStates = states;
  }

  /** upstream AddPodInfo; a bare Pod is wrapped with newPodInfo (upstream AddPod). */
  addPod(p: PodInfo | Pod): void {
    const pi = isPodInfo(p) ? p : newPodInfo(p);
    this.addToLists(pi);
    this.update(pi, 1);
  }

  /** upstream RemovePod; returns false when the pod is not on this node. */
  removePod(p: PodInfo | Pod): boolean {
    const removed = this.removeFromLists(podKey(isPodInfo(p) ? p.pod : p));
    if (!removed) return false;
    this.update(removed, -1);
    return true;
  }

  /**
   * removePod(old) then addPod(pi), as the two calls do it (lists, figures,
   * generations), except that the localGeneration stays when what node-local
   * plugins read comes out as it was: the same pod count (always), the same
   * requested and non-zero figures, no extended resources and the same host
   * ports (a bound pod confirming its assumed copy). False, with nothing
   * changed, when old is not on this node.
   */
  replacePod(old: Pod, pi: PodInfo): boolean {
    const local = this.localGeneration;
    const r = this.requested;
    const nz = this.nonZeroRequested;
    const cpu = r.milliCPU;
    const mem = r.memory;
    const eph = r.ephemeralStorage;
    const nzCPU = nz.milliCPU;
    const nzMem = nz.memory;
    const removed = this.removeFromLists(podKey(old));
    if (!removed) return false;
    // The columns are written once, at the end (perf: each update wrote all twelve and
    // journaled the slot, three times per bound pod; nothing reads them in between).
    this.update(removed, -1, false);
    this.addToLists(pi);
    this.update(pi, 1, false);
    // Compared after the fact (not derived from the two PodInfos): the figures are sums, and only equal sums read the same.
    if (
      r.milliCPU === cpu &&
      r.memory === mem &&
      r.ephemeralStorage === eph &&
      nz.milliCPU === nzCPU &&
      nz.memory === nzMem &&
      removed.requests.scalar.size === 0 &&
      pi.requests.scalar.size === 0 &&
      samePorts(removed, pi)
    )
      this.localGeneration = local;
    this.syncTable();
    return true;
  }

  /**
   * removePod(old) then addPod(pi) for a pod whose scheduling inputs did not
   * change (the same spec, labels, annotations, owners, namespace and
   * deletion timestamp: a kubelet's status write). The pod lists change
   * exactly as with the two calls (the pod moves to the end, as upstream's
   * remove-then-add moves it), but requested resources, ports and the
   * generation stay: nothing the generation-keyed caches read has changed
   * (perf: status writes bumped every node's generation several times per
   * pod and voided those caches). False, with nothing changed, when old is
   * not on this node.
   */
  replaceUnchangedPod(old: Pod, pi: PodInfo): boolean {
    // The label index swaps the PodInfo in place (its buckets and stamps stay: the labels,
    // namespace and deletion timestamp are the same), so readers keyed by its stamps
    // (PodLabelIndex.stampOn) keep their counts across status writes.
    const removed = this.removeFromLists(podKey(old), false);
    if (!removed) return false;
    this.addToLists(pi, false);
    if (this.resourceTable !== null) this.resourceTable.podLabels.replace(removed, pi, this);
    return true;
  }

  /** The pod lists' part of addPod. */
  private addToLists(pi: PodInfo, fileLabels = true): void {
    if (this.podIndex !== null) {
      const key = podKey(pi.pod);
      if (this.podIndex.has(key)) {
        this.podIndex = null;
        this.podIndexBroken = true;
      } else this.podIndex.set(key, this.pods.length);
    }
    this.pods.push(pi);
    this.podsChanged++;
    if (fileLabels && this.resourceTable !== null) this.resourceTable.podLabels.add(pi, this);
    if (hasPodAffinity(pi.pod)) this.podsWithAffinity.push(pi);
    if (hasRequiredAntiAffinity(pi.pod)) this.podsWithRequiredAntiAffinity.push(pi);
  }

  /** The pod lists' part of removePod: the removed PodInfo, or undefined when the pod is not here. */
  private removeFromLists(key: string, unfileLabels = true): PodInfo | undefined {
    removeByKey(this.podsWithAffinity, key);
    removeByKey(this.podsWithRequiredAntiAffinity, key);
    const removed = this.removeFromPods(key);
    if (removed && unfileLabels && this.resourceTable !== null) this.resourceTable.podLabels.remove(removed);
    if (removed) this.podsChanged++;
    return removed;
  }

  /** removeByKey on `pods`, through the index when there is one. */
  private removeFromPods(key: string): PodInfo | undefined {
    if (this.podIndexBroken) return removeByKey(this.pods, key);
    const pods = this.pods;
    let index = this.podIndex;
    if (index === null) {
      // A short list is scanned (the same first match): an index Map per node, grown and
      // shrunk as its few pods come and go, cost more than the scan it saves.
      if (pods.length < PodIndexMinPods) return removeByKey(pods, key);
      index = new Map();
      for (let i = 0; i < pods.length; i++) {
        const k = podKey(pods[i]!.pod);
        if (index.has(k)) {
          this.podIndexBroken = true;
          return removeByKey(pods, key);
        }
        index.set(k, i);
      }
      this.podIndex = index;
    }
    const i = index.get(key);
    if (i === undefined) return undefined;
    const removed = pods[i]!;
    const last = pods.length - 1;
    if (i !== last) {
      const moved = pods[last]!;
      pods[i] = moved;
      index.set(podKey(moved.pod), i);
    }
    pods.pop();
    index.delete(key);
    return removed;
  }

  /** Add (sign 1) or take off (-1) the pod's figures; `sync` false leaves the table columns to the caller. */
  private update(pi: PodInfo, sign: number, sync = true): void {
    addResource(this.requested, pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroMemory;
    const ports = pi.hostPorts ?? hostPortsOf(pi.pod);
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i]!;
      if (sign > 0) this.usedPorts.add(port.hostIP, port.protocol, port.hostPort ?? 0);
      else this.usedPorts.remove(port.hostIP, port.protocol, port.hostPort ?? 0);
    }
    this.generation = nextGeneration();
    this.localGeneration = this.generation;
    if (sync) this.syncTable();
  }

  /** upstream Snapshot(): a copy whose lists and counters can change independently (pod infos shared). */
  clone(): NodeInfoImpl {
    const c = Object.create(NodeInfoImpl.prototype) as NodeInfoImpl;
    c.node = this.node;
    c.index = this.index;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = this.usedPorts.clone();
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.imageStates = this.imageStates;
    c.generation = this.generation;
    c.localGeneration = this.localGeneration;
    c.podsChanged = 0;
    // Object.create skips field initializers: the copy builds its own index when needed.
    c.podIndex = null;
    c.podIndexBroken = false;
    // A clone changes independently of the cache: it reads its own objects.
    c.resourceTable = null;
    c.resourceSlot = -1;
    return c;
  }
}

/**
 * Whether a node status write leaves what node-local plugins read of the node
 * as it was (Plugin.nodeLocal; allocatable is checked by the caller): stored
 * objects share unchanged parts, so equal references mean equal values, and
 * only frozen (stored) objects are trusted not to have changed in place.
 */
function sameLocalInputs(a: Node | undefined, b: Node): boolean {
  if (a === undefined || !Object.isFrozen(a) || !Object.isFrozen(b)) return false;
  const am = a.metadata;
  const bm = b.metadata;
  return (
    am?.name === bm?.name &&
    am?.labels === bm?.labels &&
    am?.annotations === bm?.annotations &&
    am?.deletionTimestamp === bm?.deletionTimestamp &&
    a.spec === b.spec &&
    a.status?.capacity === b.status?.capacity
  );
}

/** Whether two PodInfos hold the same host ports (the same list, or none in either). */
function samePorts(a: PodInfo, b: PodInfo): boolean {
  const pa = a.hostPorts ?? hostPortsOf(a.pod);
  const pb = b.hostPorts ?? hostPortsOf(b.pod);
  return pa === pb || (pa.length === 0 && pb.length === 0);
}

function isPodInfo(p: PodInfo | Pod): p is PodInfo {
  return (p as PodInfo).requests !== undefined && (p as PodInfo).pod !== undefined;
}
