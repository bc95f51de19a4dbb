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
  /** Per slot: the value's id (-1: no label), valid with the slot's generation. */
  private ids = new Int32Array(0);
  /** Every value met, with its id (ids only grow: a column meets few distinct values, as zones). */
  private readonly idByValue = new Map<string, number>();
  private readonly valueById: string[] = [];
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
    this.ids[slot] = v === undefined ? -1 : this.intern(v);
    return v;
  }

  /**
   * The node's value as a small id (-1 when it has none), as getAt: equal
   * values have equal ids, and valueOf(id) gives the value back. Why: zone
   * spreading looks up a per-domain sum for every scored node, every cycle;
   * with ids that is an array read instead of a Map lookup by string.
   */
  idAt(slot: number, generation: number, nodeInfo: NodeInfo): number {
    if (slot < 0) {
      const v = nodeInfo.node.metadata.labels?.[this.key];
      return v === undefined ? -1 : this.intern(v);
    }
    if (!(slot < this.generation.length && this.generation[slot] === generation)) this.get(nodeInfo);
    return this.ids[slot]!;
  }

  /** The id of a value this column has met, or -1. */
  idOf(value: string): number {
    return this.idByValue.get(value) ?? -1;
  }

  /** The value with this id. */
  valueOf(id: number): string {
    return this.valueById[id]!;
  }

  /** How many distinct values the column has met (ids are 0 .. size-1). */
  get valueCount(): number {
    return this.idByValue.size;
  }

  private intern(v: string): number {
    let id = this.idByValue.get(v);
    if (id === undefined) {
      this.idByValue.set(v, (id = this.idByValue.size));
      this.valueById.push(v);
    }
    return id;
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
    const ids = new Int32Array(size).fill(-1);
    ids.set(this.ids);
    this.ids = ids;
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
