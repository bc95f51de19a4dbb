/**
 * A reusable what-if copy of a NodeInfo for preemption's dry run (fast path;
 * no upstream counterpart: upstream takes NodeInfo.Snapshot() per node).
 *
 * Why: the dry run visits up to every node per preempting pod (PreemptionBasic
 * visits ~330 nodes per pod on average), and a full NodeInfoImpl clone (pod
 * lists, port map, three Resource maps, then a pod index built on the first
 * removal) was most of its cost. This object is reset from a NodeInfoImpl in
 * place, copies only what it must (the pod list; the affinity lists and the
 * port map when a pod that changes them is added or removed), and changes
 * exactly as NodeInfoImpl does: removal by pod key swaps the last pod into
 * the hole (upstream removeFromSlice), additions append, requests are added
 * and subtracted in the same order, so plugins see the same pods in the same
 * order and the same figures. Every change takes a new generation, as
 * NodeInfoImpl's, and it has no resource-table slot, so no memo reads it.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import { emptyResource, type ImageStateSummary, type NodeInfo, type PodInfo, type Resource } from './types.ts';
import { nextGeneration, removeByKey, type NodeInfoImpl } from './nodeInfo.ts';
import { addResource } from './resource.ts';
import { HostPortInfoImpl, hostPortsOf } from './hostPorts.ts';
import { hasPodAffinity, hasRequiredAntiAffinity, podKey } from './podInfo.ts';

function copyResource(dst: Resource, src: Resource): void {
  dst.milliCPU = src.milliCPU;
  dst.memory = src.memory;
  dst.ephemeralStorage = src.ephemeralStorage;
  dst.allowedPodNumber = src.allowedPodNumber;
  // Same insertion order as cloneResource's new Map(src.scalar).
  if (dst.scalar.size > 0) dst.scalar.clear();
  if (src.scalar.size > 0) for (const [k, v] of src.scalar) dst.scalar.set(k, v);
}

const noPods: readonly PodInfo[] = [];

export class WhatIfNodeInfo implements NodeInfo {
  node!: Stored<Node & KObject>;
  index = 0;
  readonly pods: PodInfo[] = [];
  /** Shared with the source until a pod with (anti-)affinity is added or removed. */
  podsWithAffinity: readonly PodInfo[] = noPods;
  podsWithRequiredAntiAffinity: readonly PodInfo[] = noPods;
  /** Shared with the source until a pod with host ports is added or removed. */
  usedPorts = new HostPortInfoImpl();
  readonly requested: Resource = emptyResource();
  readonly nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  imageStates: ReadonlyMap<string, ImageStateSummary> = new Map();
  generation = 0;
  readonly resourceTable = null;
  readonly resourceSlot = -1;
  private affinityOwned = false;
  private antiAffinityOwned = false;
  private portsOwned = false;

  /** Become a copy of `src` (a cache NodeInfo or another what-if copy); `src` is never changed. */
  reset(src: NodeInfoImpl | WhatIfNodeInfo): void {
    this.node = src.node;
    this.index = src.index;
    const pods = this.pods;
    const from = src.pods;
    pods.length = from.length;
    for (let i = 0; i < from.length; i++) pods[i] = from[i]!;
    this.podsWithAffinity = src.podsWithAffinity;
    this.podsWithRequiredAntiAffinity = src.podsWithRequiredAntiAffinity;
    this.affinityOwned = false;
    this.antiAffinityOwned = false;
    this.usedPorts = src.usedPorts;
    this.portsOwned = false;
    copyResource(this.requested, src.requested);
    copyResource(this.nonZeroRequested, src.nonZeroRequested);
    // Never changed by the dry run or by plugins: shared.
    this.allocatable = src.allocatable;
    this.imageStates = src.imageStates;
    this.generation = nextGeneration();
  }

  /** NodeInfoImpl.addPod for a PodInfo. */
  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (hasPodAffinity(pi.pod)) this.ownAffinity().push(pi);
    if (hasRequiredAntiAffinity(pi.pod)) this.ownAntiAffinity().push(pi);
    this.update(pi, 1);
  }

  /** NodeInfoImpl.removePod: false when the pod is not on the node (the affinity lists are still searched, as there). */
  removePod(pi: PodInfo): boolean {
    const key = podKey(pi.pod);
    if (this.podsWithAffinity.length > 0) removeByKey(this.ownAffinity(), key);
    if (this.podsWithRequiredAntiAffinity.length > 0) removeByKey(this.ownAntiAffinity(), key);
    const removed = removeByKey(this.pods, key);
    if (!removed) return false;
    this.update(removed, -1);
    return true;
  }

  private ownAffinity(): PodInfo[] {
    if (!this.affinityOwned) {
      this.podsWithAffinity = this.podsWithAffinity.slice();
      this.affinityOwned = true;
    }
    return this.podsWithAffinity as PodInfo[];
  }

  private ownAntiAffinity(): PodInfo[] {
    if (!this.antiAffinityOwned) {
      this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
      this.antiAffinityOwned = true;
    }
    return this.podsWithRequiredAntiAffinity as PodInfo[];
  }

  private update(pi: PodInfo, sign: number): void {
    addResource(this.requested, pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroMilliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroMemory;
    const ports = pi.hostPorts ?? hostPortsOf(pi.pod);
    if (ports.length > 0) {
      if (!this.portsOwned) {
        this.usedPorts = this.usedPorts.clone();
        this.portsOwned = true;
      }
      for (let i = 0; i < ports.length; i++) {
        const port = ports[i]!;
        if (sign > 0) this.usedPorts.add(port.hostIP, port.protocol, port.hostPort ?? 0);
        else this.usedPorts.remove(port.hostIP, port.protocol, port.hostPort ?? 0);
      }
    }
    this.generation = nextGeneration();
  }
}
