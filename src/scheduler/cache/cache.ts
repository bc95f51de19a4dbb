/**
 * The scheduler cache, following kube-scheduler v1.31
 * pkg/scheduler/backend/cache/cache.go (AssumePod, FinishBinding, ForgetPod,
 * AddPod, UpdatePod, RemovePod, IsAssumedPod, AddNode, UpdateNode,
 * RemoveNode, image states) and snapshot.go (node list in node-tree order,
 * the have-pods-with-(anti-)affinity lists).
 *
 * ksim is single-threaded, so the scheduling cycle reads this cache directly
 * as its snapshot: nothing can change it while a cycle runs, which is what
 * upstream's UpdateSnapshot guarantees by copying. Lists are rebuilt lazily
 * only when a node is added or removed (upstream's updateAllLists) or when a
 * node starts or stops having pods with affinity. Preemption's what-ifs must
 * clone the NodeInfos they change.
 *
 * Assumed pods never expire (upstream's default durationToExpireAssumedPod 0).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import type { ImageStateSummary, NodeInfo, NodeInfoLister, PodInfo } from '../framework/types.ts';
import { NodeInfoImpl } from '../framework/nodeInfo.ts';
import { NodeResourceTable } from '../framework/resourceTable.ts';
import { newPodInfo, podKey } from '../framework/podInfo.ts';
import { NodeTree } from './nodeTree.ts';

export class CacheError extends Error {}

/** One image across the cluster; NodeInfos share it so numNodes stays current (upstream ImageStateSummary with Nodes set). */
class ImageState implements ImageStateSummary {
  readonly nodes = new Set<string>();
  constructor(readonly size: number) {}
  get numNodes(): number {
    return this.nodes.size;
  }
}

interface PodState {
  info: PodInfo;
  nodeName: string;
  /**
   * nodes.get(nodeName), kept from the addition: an Item leaves `nodes` only
   * when it has no node and no pods, so it stays the one there while this
   * pod is on it (perf: a Map lookup by node name on every confirmation,
   * status write and removal of a pod).
   */
  readonly item: Item;
}

interface Item {
  info: NodeInfoImpl;
  /** False for a NodeInfo kept only because pods still reference a deleted or not-yet-seen node. */
  hasNode: boolean;
}

function nodeName(p: Pod): string {
  return p.spec?.nodeName ?? '';
}

export class SchedulerCache implements NodeInfoLister {
  /**
   * @param fastPath SchedulerOptions.fastPath: a status-only pod update keeps
   *   its node's figures and generation (see updatePod); off, every update is
   *   upstream's plain remove-then-add.
   */
  constructor(private readonly fastPath = true) {}
  private readonly nodes = new Map<string, Item>();
  private readonly tree = new NodeTree();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  private readonly images = new Map<string, ImageState>();
  /** The nodes' resource figures as compact columns (NodeResourcesFit's Filter reads them). */
  private readonly resourceTable = new NodeResourceTable();
  private nodeList: NodeInfoImpl[] = [];
  private listDirty = true;
  private affinityList: NodeInfoImpl[] = [];
  private antiAffinityList: NodeInfoImpl[] = [];
  private affinityDirty = true;

  // ---- NodeInfoLister (the snapshot view) ----

  list(): readonly NodeInfo[] {
    if (this.listDirty) this.rebuildList();
    return this.nodeList;
  }

  get(name: string): NodeInfo | undefined {
    const it = this.nodes.get(name);
    return it && it.hasNode ? it.info : undefined;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    this.ensureAffinityLists();
    return this.affinityList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    this.ensureAffinityLists();
    return this.antiAffinityList;
  }

  get numNodes(): number {
    return this.tree.numNodes;
  }

  numImages(): number {
    return this.images.size;
  }

  private rebuildList(): void {
    const names = this.tree.list();
    this.nodeList = names.map((n, i) => {
      const info = this.nodes.get(n)!.info;
      info.index = i;
      return info;
    });
    this.listDirty = false;
    this.affinityDirty = true;
  }

  private ensureAffinityLists(): void {
    if (this.listDirty) this.rebuildList();
    if (!this.affinityDirty) return;
    this.affinityList = this.nodeList.filter((n) => n.podsWithAffinity.length > 0);
    this.antiAffinityList = this.nodeList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    this.affinityDirty = false;
  }

  /**
   * A node started or stopped having pods with (anti-)affinity: update the
   * sub-lists in place, keeping node-list order (perf: rebuilding them
   * filtered all nodes, once per cycle when every pod has anti-affinity).
   * Nodes outside the list (deleted, or not seen yet) are in neither.
   */
  private affinityChanged(it: Item, hadAff: boolean, hadAnti: boolean): void {
    const hasAff = it.info.podsWithAffinity.length > 0;
    const hasAnti = it.info.podsWithRequiredAntiAffinity.length > 0;
    if (hadAff === hasAff && hadAnti === hasAnti) return;
    if (this.listDirty || this.affinityDirty || !it.hasNode) {
      this.affinityDirty = true;
      return;
    }
    if (hadAff !== hasAff) toggleByIndex(this.affinityList, it.info, hasAff);
    if (hadAnti !== hasAnti) toggleByIndex(this.antiAffinityList, it.info, hasAnti);
  }

  // ---- nodes ----

  private item(name: string): Item {
    let it = this.nodes.get(name);
    if (!it) {
      const placeholder = { apiVersion: 'v1', kind: 'Node', metadata: { name } } as Node;
      it = { info: new NodeInfoImpl(placeholder), hasNode: false };
      it.info.attachTable(this.resourceTable);
      this.nodes.set(name, it);
    }
    return it;
  }

  addNode(node: Stored<Node & KObject>): void {
    const name = node.metadata?.name ?? '';
    const it = this.item(name);
    if (it.hasNode) this.removeNodeImageStates(it.info.node);
    const wasInTree = it.hasNode;
    this.tree.addNode(node);
    this.addNodeImageStates(node, it.info);
    it.info.setNode(node);
    it.hasNode = true;
    if (!wasInTree) this.listDirty = true;
  }

  updateNode(oldNode: Stored<Node & KObject> | undefined, newNode: Stored<Node & KObject>): void {
    const name = newNode.metadata?.name ?? '';
    const it = this.item(name);
    const wasInTree = it.hasNode;
    // The same image list (stored objects share unchanged frozen parts, as in a
    // heartbeat's status write): removing and adding it again changes nothing.
    const sameImages = wasInTree && it.info.node.status?.images === newNode.status?.images && it.info.node.metadata?.name === name;
    if (it.hasNode && !sameImages) this.removeNodeImageStates(it.info.node);
    if (wasInTree) this.tree.updateNode(oldNode ?? it.info.node, newNode);
    else this.tree.addNode(newNode);
    if (!sameImages) this.addNodeImageStates(newNode, it.info);
    it.info.setNode(newNode);
    it.hasNode = true;
    if (!wasInTree) this.listDirty = true;
  }

  removeNode(node: Stored<Node & KObject>): void {
    const name = node.metadata?.name ?? '';
    const it = this.nodes.get(name);
    if (!it || !it.hasNode) return;
    // Pods on a deleted node stay accounted (upstream keeps the NodeInfo until its pods go).
    this.tree.removeNode(it.info.node);
    this.removeNodeImageStates(it.info.node);
    it.hasNode = false;
    if (it.info.pods.length === 0) {
      this.nodes.delete(name);
      it.info.detachTable();
    }
    this.listDirty = true;
  }

  private addNodeImageStates(node: Node, info: NodeInfoImpl): void {
    const sum = new Map<string, ImageStateSummary>();
    const name = node.metadata?.name ?? '';
    for (const img of node.status?.images ?? []) {
      for (const n of img.names ?? []) {
        let st = this.images.get(n);
        if (!st) this.images.set(n, (st = new ImageState(img.sizeBytes ?? 0)));
        st.nodes.add(name);
        if (!sum.has(n)) sum.set(n, st);
      }
    }
    info.setImageStates(sum as Map<string, ImageStateSummary>);
  }

  private removeNodeImageStates(node: Node): void {
    const name = node.metadata?.name ?? '';
    for (const img of node.status?.images ?? []) {
      for (const n of img.names ?? []) {
        const st = this.images.get(n);
        if (!st) continue;
        st.nodes.delete(name);
        if (st.nodes.size === 0) this.images.delete(n);
      }
    }
  }

  // ---- pods ----

  private addPodInfo(info: PodInfo, assume: boolean): void {
    const key = podKey(info.pod);
    const node = nodeName(info.pod);
    const it = this.item(node);
    const hadAff = it.info.podsWithAffinity.length > 0;
    const hadAnti = it.info.podsWithRequiredAntiAffinity.length > 0;
    it.info.addPod(info);
    this.affinityChanged(it, hadAff, hadAnti);
    this.podStates.set(key, { info, nodeName: node, item: it });
    if (assume) this.assumed.add(key);
  }

  /** Take a cached pod off its node and out of the cache (the state's own Item: see PodState.item). */
  private removePodInfo(st: PodState): void {
    const pod = st.info.pod;
    const key = podKey(pod);
    const it = st.item;
    const hadAff = it.info.podsWithAffinity.length > 0;
    const hadAnti = it.info.podsWithRequiredAntiAffinity.length > 0;
    it.info.removePod(pod);
    this.affinityChanged(it, hadAff, hadAnti);
    if (!it.hasNode && it.info.pods.length === 0) {
      this.nodes.delete(st.nodeName);
      it.info.detachTable();
    }
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  /**
   * upstream AssumePod: account the pod on its chosen node before binding.
   * `info.pod.spec.nodeName` must be the chosen node (see assumedPodInfo()).
   */
  assumePod(info: PodInfo): void {
    const key = podKey(info.pod);
    if (this.podStates.has(key)) throw new CacheError(`pod ${key}(${info.pod.metadata?.namespace}/${info.pod.metadata?.name}) is in the cache, so can't be assumed`);
    this.addPodInfo(info, true);
  }

  /** upstream FinishBinding: with no expiry configured this only marks binding done. */
  finishBinding(_pod: Pod): void {}

  /** upstream ForgetPod: undo an assumption (binding failed). */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && st.nodeName !== nodeName(pod)) {
      throw new CacheError(`pod ${key}(${pod.metadata?.namespace}/${pod.metadata?.name}) was assumed on ${nodeName(pod)} but assigned to ${st.nodeName}`);
    }
    if (st && this.assumed.has(key)) {
      this.removePodInfo(st);
      return;
    }
    throw new CacheError(`pod ${key}(${pod.metadata?.namespace}/${pod.metadata?.name}) wasn't assumed so cannot be forgotten`);
  }

  /** upstream AddPod (an assigned pod seen by the informer): confirms an assumed pod, or adds it. */
  addPod(pod: Stored<Pod & KObject>): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && this.assumed.has(key)) {
      // Replace the assumed copy with the informer's object (upstream updatePod), so it is no longer assumed.
      if (this.fastPath && nodeName(pod) === st.nodeName && boundAsAssumed(st.info.pod, pod)) {
        // The binding confirmed: the pod is the assumed one (the same spec fields and
        // metadata), so the remove-then-add keeps the node's figures and generation as a
        // status-only update does (perf: every binding voided its node's memos once more).
        const it = st.item;
        const info: PodInfo = { ...st.info, pod };
        if (it.info.replaceUnchangedPod(st.info.pod, info)) {
          st.info = info;
          this.assumed.delete(key);
          return;
        }
      }
      if (this.fastPath && nodeName(pod) === st.nodeName) {
        const it = st.item;
        if (it.hasNode && this.replaceOnNode(it, st, pod)) {
          this.assumed.delete(key);
          return;
        }
      }
      this.removePodInfo(st);
      this.addPodInfo(newPodInfo(pod), false);
      return;
    }
    if (!st) {
      this.addPodInfo(newPodInfo(pod), false);
      return;
    }
    throw new CacheError(`pod ${key}(${pod.metadata?.namespace}/${pod.metadata?.name}) was already in added state`);
  }

  /**
   * removePodInfo then addPodInfo for a pod staying on a node that exists
   * (so the removal cannot drop the NodeInfo): the same NodeInfo calls
   * (new generations, figures, list order) and affinity-list updates, without
   * looking the node and the pod up again, and the PodInfo reused when the spec
   * holds the same values (a binding that copied the node's topology labels
   * onto the pod: perf, the confirmation of every bound pod in a zoned cluster
   * took this long way). False, with nothing changed, when the pod is not on it.
   */
  private replaceOnNode(it: Item, st: PodState, pod: Stored<Pod & KObject>): boolean {
    const hadAff = it.info.podsWithAffinity.length > 0;
    const hadAnti = it.info.podsWithRequiredAntiAffinity.length > 0;
    // Everything a PodInfo derives comes from the spec and the namespace.
    const info: PodInfo = sameSpecValues(st.info.pod, pod) && st.info.pod.metadata?.namespace === pod.metadata?.namespace ? { ...st.info, pod } : newPodInfo(pod);
    // One replacePod (removePod then addPod, keeping the node-local memos' key when
    // the figures come out the same: perf, every binding in a zoned cluster voided them).
    if (!it.info.replacePod(st.info.pod, info)) return false;
    // Once for both steps: a sub-list entry the removal dropped and the addition put
    // back lands where it was (the lists are sorted by node position).
    this.affinityChanged(it, hadAff, hadAnti);
    st.info = info;
    return true;
  }

  /** upstream UpdatePod: only for added (not assumed) pods. */
  updatePod(oldPod: Stored<Pod & KObject>, newPod: Stored<Pod & KObject>): void {
    const key = podKey(oldPod);
    const st = this.podStates.get(key);
    if (st && !this.assumed.has(key)) {
      const it = st.item;
      if (this.fastPath && nodeName(newPod) === st.nodeName && schedulingInputsUnchanged(st.info.pod, newPod)) {
        // The same remove-then-add, keeping the node's figures and generation (NodeInfoImpl.replaceUnchangedPod).
        // Everything a PodInfo derives comes from the spec, namespace and labels, which are the same objects.
        const info: PodInfo = { ...st.info, pod: newPod };
        if (it.info.replaceUnchangedPod(st.info.pod, info)) {
          // In place: nothing iterates podStates, so its order is not observable
          // (perf: a delete, a set and a new PodState per pod status write).
          st.info = info;
          return;
        }
      }
      this.removePodInfo(st);
      this.addPodInfo(newPodInfo(newPod), false);
      return;
    }
    throw new CacheError(`pod ${key}(${oldPod.metadata?.namespace}/${oldPod.metadata?.name}) is not added to scheduler cache, so cannot be updated`);
  }

  /** upstream RemovePod. */
  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) throw new CacheError(`pod ${key}(${pod.metadata?.namespace}/${pod.metadata?.name}) is not found in scheduler cache, so cannot be removed from it`);
    this.removePodInfo(st);
  }

  /**
   * getPod then removePod, with one key and one lookup: the removal of an
   * assigned pod the informer saw go (deleted, or terminal, which upstream
   * treats as deleted). False when the cache does not hold it.
   */
  removePodIfPresent(pod: Pod): boolean {
    const st = this.podStates.get(podKey(pod));
    if (st === undefined) return false;
    this.removePodInfo(st);
    return true;
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  /** The cached PodInfo of a pod (assumed or added), if any. */
  getPod(pod: Pod): PodInfo | undefined {
    return this.podStates.get(podKey(pod))?.info;
  }

  get podCount(): number {
    return this.podStates.size;
  }
}

/** Insert or remove `info` in a list sorted by NodeInfo.index (the node-list position). */
function toggleByIndex(list: NodeInfoImpl[], info: NodeInfoImpl, present: boolean): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.index < info.index) lo = mid + 1;
    else hi = mid;
  }
  const found = lo < list.length && list[lo] === info;
  if (present && !found) list.splice(lo, 0, info);
  else if (!present && found) list.splice(lo, 1);
}

/**
 * Whether an update leaves everything scheduling reads of a pod on a node as
 * it was: the spec (requests, ports, affinity, volumes, priority), labels,
 * annotations, owners, namespace, uid and deletion timestamp. Stored objects
 * share unchanged parts, so a status write keeps these by reference.
 */
function schedulingInputsUnchanged(a: Pod, b: Pod): boolean {
  const am = a.metadata;
  const bm = b.metadata;
  return (
    a.spec === b.spec &&
    am?.labels === bm?.labels &&
    am?.annotations === bm?.annotations &&
    am?.ownerReferences === bm?.ownerReferences &&
    am?.namespace === bm?.namespace &&
    am?.uid === bm?.uid &&
    am?.deletionTimestamp === bm?.deletionTimestamp
  );
}

/**
 * Whether the bound pod has exactly the assumed pod's scheduling inputs: the
 * metadata schedulingInputsUnchanged compares, and a spec with the same
 * fields holding the same values (the assumed spec is a copy with nodeName
 * set, the bound one the store's copy with nodeName set, so the values are
 * the same objects unless the pod changed in between).
 */
function boundAsAssumed(assumed: Pod, bound: Pod): boolean {
  const am = assumed.metadata;
  const bm = bound.metadata;
  if (
    am?.labels !== bm?.labels ||
    am?.annotations !== bm?.annotations ||
    am?.ownerReferences !== bm?.ownerReferences ||
    am?.namespace !== bm?.namespace ||
    am?.uid !== bm?.uid ||
    am?.deletionTimestamp !== bm?.deletionTimestamp
  ) {
    return false;
  }
  return sameSpecValues(assumed, bound);
}

/** Whether two pods' specs have the same fields holding the same values (by reference). */
function sameSpecValues(x: Pod, y: Pod): boolean {
  const a = x.spec as Record<string, unknown> | undefined;
  const b = y.spec as Record<string, unknown> | undefined;
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** The assumed copy of a pod: the same PodInfo numbers, the pod object with spec.nodeName set (upstream assume()). */
export function assumedPodInfo(info: PodInfo, node: string): PodInfo {
  const pod = { ...info.pod, spec: { ...(info.pod.spec ?? { containers: [] }), nodeName: node } } as Stored<Pod & KObject>;
  return { ...info, pod };
}
