/**
 * One node label's value per node of the scheduler cache, by resource slot,
 * each valid while the node's NodeInfo generation is unchanged (fast path).
 *
 * Why: with Filter verdicts memoised (nodeMemo.ts), topology spreading's
 * PreScore and Score became the first code of a cycle to read hundreds of
 * node objects, and following NodeInfo -> node -> metadata -> labels for
 * each was most of their cost. A NodeInfo's generation changes whenever its
 * node object does, so a remembered value is the label's current value.
 */
import type { NodeInfo } from './types.ts';

export class NodeLabelColumn {
  private generation = new Float64Array(0);
  private values: Array<string | undefined> = [];
  constructor(readonly key: string) {}

  /** The node's value of the label (undefined when it has none). */
  get(nodeInfo: NodeInfo): string | undefined {
    const slot = nodeInfo.resourceSlot ?? -1;
    if (slot < 0) return nodeInfo.node.metadata.labels?.[this.key];
    if (slot < this.generation.length && this.generation[slot] === nodeInfo.generation) return this.values[slot];
    if (slot >= this.generation.length) this.grow(slot + 1);
    const v = nodeInfo.node.metadata.labels?.[this.key];
    this.generation[slot] = nodeInfo.generation;
    this.values[slot] = v;
    return v;
  }

  /** get() for a node whose slot and generation the caller read from the cache's table. */
  getAt(slot: number, generation: number, nodeInfo: NodeInfo): string | undefined {
    if (slot < this.generation.length && this.generation[slot] === generation) return this.values[slot];
    return this.get(nodeInfo);
  }

  private grow(min: number): void {
    const size = Math.max(min, this.generation.length * 2, 64);
    const g = new Float64Array(size).fill(-1);
    g.set(this.generation);
    this.generation = g;
    for (let i = this.values.length; i < size; i++) this.values.push(undefined);
  }
}

/** Columns by label key, made on first use (a plugin keeps one per topology key it meets). */
export class NodeLabelColumns {
  private readonly byKey = new Map<string, NodeLabelColumn>();
  get(key: string): NodeLabelColumn {
    let c = this.byKey.get(key);
    if (c === undefined) this.byKey.set(key, (c = new NodeLabelColumn(key)));
    return c;
  }
}
