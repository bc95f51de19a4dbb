/**
 * Pods nominated to nodes by preemption, following kube-scheduler v1.35
 * (v1.33's requeue of pods whose nomination changed is not modelled yet)
 * pkg/scheduler/backend/queue/nominator.go (AddNominatedPod,
 * UpdateNominatedPod, DeleteNominatedPodIfExists, NominatedPodsForNode).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodInfo, PodNominator } from '../framework/types.ts';
import { podKey } from '../framework/podInfo.ts';

/** upstream NominatingInfo: Override sets the given node ("" clears); Noop keeps the pod's status.nominatedNodeName. */
export interface NominatingInfo {
  mode: 'Noop' | 'Override';
  nominatedNodeName: string;
}

export class Nominator implements PodNominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly podToNode = new Map<string, string>();

  /** `exists` tells whether the pod still exists unassigned (upstream checks the pod lister). */
  constructor(private readonly exists: (pod: Pod) => boolean = () => true) {}

  addNominatedPod(pi: PodInfo, ni: NominatingInfo | null): void {
    this.delete(pi.pod);
    let node: string;
    if (ni && ni.mode === 'Override') node = ni.nominatedNodeName;
    else {
      node = pi.pod.status?.nominatedNodeName ?? '';
      if (node === '') return;
    }
    if (node === '') return;
    if (!this.exists(pi.pod)) return;
    const key = podKey(pi.pod);
    this.podToNode.set(key, node);
    let l = this.byNode.get(node);
    if (!l) this.byNode.set(node, (l = []));
    if (l.some((p) => podKey(p.pod) === key)) return;
    l.push(pi);
  }

  /** Keep an in-memory nomination across updates that do not touch nominatedNodeName. */
  updateNominatedPod(oldPod: Pod, newInfo: PodInfo): void {
    let ni: NominatingInfo | null = null;
    if (!oldPod.status?.nominatedNodeName && !newInfo.pod.status?.nominatedNodeName) {
      const n = this.podToNode.get(podKey(oldPod));
      if (n !== undefined) ni = { mode: 'Override', nominatedNodeName: n };
    }
    this.delete(oldPod);
    this.addNominatedPod(newInfo, ni);
  }

  delete(pod: Pod): void {
    // Nothing nominated (the rule outside preemption): no key to build or look up.
    if (this.podToNode.size === 0) return;
    const key = podKey(pod);
    const node = this.podToNode.get(key);
    if (node === undefined) return;
    const l = this.byNode.get(node);
    if (l) {
      const i = l.findIndex((p) => podKey(p.pod) === key);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.byNode.delete(node);
    }
    this.podToNode.delete(key);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    if (this.byNode.size === 0) return empty;
    return this.byNode.get(nodeName) ?? empty;
  }

  hasNominatedPods(): boolean {
    return this.byNode.size > 0;
  }

  /** Nodes with pods nominated to them (a node's entry goes with its last pod). */
  nominatedNodeNames(): Iterable<string> {
    return this.byNode.keys();
  }

  nominatedNodeOf(pod: Pod): string | undefined {
    return this.podToNode.get(podKey(pod));
  }
}

const empty: readonly PodInfo[] = [];
