/**
 * Small integer ids for topology keys and values, and each node's value id
 * of a key by the node's slot in the scheduler cache's table (ksim fast
 * path, no upstream counterpart).
 *
 * Why: upstream's Filter and Score look a node's label values up in maps
 * keyed by (topology key, value) (filtering.go's topologyToMatchedTermCount,
 * scoring.go's topologyScore). With thousands of nodes a cycle, those string
 * lookups (hashing a hostname, comparing it with a key of another string
 * object, in a map of thousands of entries) were most of InterPodAffinity's
 * Filter. The cached sums (incremental.ts) also keep a Float64Array per key
 * indexed by value id, so a node's lookup becomes: slot -> value id -> sum.
 *
 * A node's value id is remembered with the node object it was read from:
 * stored nodes are frozen and a label change is a new node object, so the id
 * is valid while NodeInfo.node is that object.
 */
import type { NodeInfo } from '../../framework/types.ts';

/** One topology key: value ids, and each node's value id by cache slot. */
export class TopologyKeyColumn {
  private readonly valueIds = new Map<string, number>();
  private nodeObjs: unknown[] = [];
  private ids = new Int32Array(0);

  constructor(
    readonly key: string,
    readonly index: number,
  ) {}

  /** The value's id, made on first sight (ids are dense and never reused). */
  idOfValue(value: string): number {
    let id = this.valueIds.get(value);
    if (id === undefined) this.valueIds.set(value, (id = this.valueIds.size));
    return id;
  }

  /** The id of the node's value of this key; -1 when the node lacks the label. `slot` is nodeInfo.resourceSlot (>= 0). */
  idAt(slot: number, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    if (slot < this.ids.length && this.nodeObjs[slot] === node) return this.ids[slot]!;
    const v = node.metadata?.labels?.[this.key];
    const id = v === undefined ? -1 : this.idOfValue(v);
    if (slot >= this.ids.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.ids.length * 2, 64));
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[slot] = id;
    this.nodeObjs[slot] = node;
    return id;
  }
}

/** The plugin's topology keys, by name and by index. */
export class TopologyIndex {
  private readonly byKey = new Map<string, TopologyKeyColumn>();
  readonly columns: TopologyKeyColumn[] = [];

  column(key: string): TopologyKeyColumn {
    let c = this.byKey.get(key);
    if (c === undefined) {
      c = new TopologyKeyColumn(key, this.columns.length);
      this.byKey.set(key, c);
      this.columns.push(c);
    }
    return c;
  }
}
