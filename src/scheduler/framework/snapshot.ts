/**
 * A node snapshot, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/internal/cache/snapshot.go (NewSnapshot, createNodeInfoMap,
 * getNodeImageStates): node list order is the given order, the affinity
 * sub-lists are the nodes having such pods, and image states count how many
 * nodes of the snapshot have each image.
 */
import type { NodeInfo, NodeInfoLister } from './types.ts';
import { NodeInfoImpl, ownImageStates } from './nodeInfo.ts';

export class Snapshot implements NodeInfoLister {
  private readonly nodes: NodeInfo[];
  private readonly byName = new Map<string, NodeInfo>();

  constructor(nodeInfos: NodeInfo[]) {
    this.nodes = nodeInfos;
    for (const ni of nodeInfos) this.byName.set(ni.node.metadata?.name ?? '', ni);
    // numNodes per image name across this snapshot (upstream imageExistenceMap).
    const seen = new Map<string, number>();
    for (const ni of nodeInfos) {
      const names = new Set<string>();
      for (const img of ni.node.status?.images ?? []) for (const n of img.names ?? []) names.add(n);
      for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    for (const ni of nodeInfos) {
      if (ni instanceof NodeInfoImpl) ni.setImageStates(ownImageStates(ni.node, (n) => seen.get(n) ?? 0));
    }
  }

  list(): readonly NodeInfo[] {
    return this.nodes;
  }
  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }
  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.nodes.filter((n) => n.podsWithAffinity.length > 0);
  }
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }
}
