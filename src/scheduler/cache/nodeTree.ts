/**
 * The scheduler's node tree, following kube-scheduler v1.31
 * pkg/scheduler/backend/cache/node_tree.go and
 * k8s.io/component-helpers/node/topology GetZoneKey: nodes grouped by zone
 * key (region + zone labels, the deprecated beta ones first, as upstream),
 * zones in insertion order, and list() taking one node from each zone in
 * turn. This order is the scheduler's node iteration order, so it decides
 * which nodes a sampled (percentageOfNodesToScore) cycle looks at.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { getZoneKey } from '../../api/topology.ts';

export { getZoneKey };

export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  /**
   * The names in each zone's list, as a set: addNode's duplicate check was an
   * `includes` on the zone list, quadratic in a zone's size (5,000 nodes added
   * at a bench's start); the lists keep the order.
   */
  private readonly members = new Map<string, Set<string>>();
  private zones: string[] = [];
  numNodes = 0;

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const zone = getZoneKey(node);
    const na = this.tree.get(zone);
    if (na) {
      const set = this.members.get(zone)!;
      if (set.has(name)) return;
      set.add(name);
      na.push(name);
    } else {
      this.zones.push(zone);
      this.tree.set(zone, [name]);
      this.members.set(zone, new Set([name]));
    }
    this.numNodes++;
  }

  /** Returns false when the node was not in the tree. */
  removeNode(node: Node): boolean {
    const name = node.metadata?.name ?? '';
    const zone = getZoneKey(node);
    const na = this.tree.get(zone);
    if (!na) return false;
    const i = na.indexOf(name);
    if (i < 0) return false;
    na.splice(i, 1);
    this.members.get(zone)!.delete(name);
    if (na.length === 0) {
      this.tree.delete(zone);
      this.members.delete(zone);
      this.zones = this.zones.filter((z) => z !== zone);
    }
    this.numNodes--;
    return true;
  }

  /** upstream updateNode: only a zone change moves the node (to the end of its new zone). */
  updateNode(oldNode: Node | undefined, newNode: Node): void {
    const oldZone = oldNode ? getZoneKey(oldNode) : '';
    if (oldNode && oldZone === getZoneKey(newNode)) return;
    if (oldNode) this.removeNode(oldNode);
    this.addNode(newNode);
  }

  /** Zones zipped: the i-th node of every zone, for i = 0, 1, ... */
  list(): string[] {
    const out: string[] = [];
    if (this.zones.length === 0) return out;
    const lists = this.zones.map((z) => this.tree.get(z)!);
    for (let idx = 0; out.length < this.numNodes; idx++) {
      let any = false;
      for (const na of lists) {
        if (idx < na.length) {
          out.push(na[idx]!);
          any = true;
        }
      }
      if (!any) break;
    }
    return out;
  }
}
