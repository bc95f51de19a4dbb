/**
 * How many of the scheduler cache's nodes carry a label key, for the keys a
 * reader asked about (fast path; no upstream counterpart). Kept by
 * NodeInfoImpl as its node joins, changes and leaves the cache's table; a key
 * asked about the first time is counted from the table's nodes, then kept.
 *
 * Why: system-default spreading has a zone constraint, and in a cluster whose
 * nodes have no zone label PodTopologySpread's PreScore still read every
 * scored node's (missing) zone, every cycle, to find that out. "No node has
 * the key" answers it for all of them at once, exactly.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './types.ts';

export class NodeLabelKeys {
  /** Asked-about keys and how many of the table's nodes have them. */
  private readonly counts = new Map<string, number>();
  /** `nodes`: the table's NodeInfos, kept by the table (a first question counts their nodes). */
  constructor(private readonly nodes: ReadonlySet<NodeInfo>) {}

  /** How many of the table's nodes have label `key` now. */
  nodesWith(key: string): number {
    let n = this.counts.get(key);
    if (n === undefined) {
      n = 0;
      for (const ni of this.nodes) if (hasKey(ni.node, key)) n++;
      this.counts.set(key, n);
    }
    return n;
  }

  /** A NodeInfo joined the table with its node. */
  attach(ni: NodeInfo): void {
    this.count(ni.node, 1);
  }

  /** A NodeInfo left the table. */
  detach(ni: NodeInfo): void {
    this.count(ni.node, -1);
  }

  /** A NodeInfo of the table has a new node object (SetNode). */
  changed(before: Node | undefined, after: Node): void {
    if (before?.metadata?.labels === after.metadata?.labels) return;
    this.count(before, -1);
    this.count(after, 1);
  }

  private count(node: Node | undefined, delta: number): void {
    if (this.counts.size === 0 || node === undefined) return;
    for (const [key, n] of this.counts) if (hasKey(node, key)) this.counts.set(key, n + delta);
  }
}

function hasKey(node: Node | undefined, key: string): boolean {
  const labels = node?.metadata?.labels;
  return labels !== undefined && labels !== null && Object.prototype.hasOwnProperty.call(labels, key);
}
