/**
 * The scheduler cache's nodes' resource figures as compact columns (one
 * Float64Array per figure, one slot per NodeInfo), kept in step by
 * NodeInfoImpl whenever its pods or allocatable change.
 *
 * Why: NodeResourcesFit's Filter runs on hundreds of nodes per cycle, and
 * reading NodeInfo -> allocatable / requested / pods objects scattered over
 * the heap cost more in memory stalls than the comparisons themselves. The
 * columns hold the same numbers as the objects (never anything derived), so
 * a check over them decides as the object one does
 * (test/scheduler/equivalence.test.ts). Extended resources stay in the
 * objects' maps. Only the cache's own NodeInfos have a slot; clones
 * (preemption's what-ifs) and hand-built ones use the objects.
 */
import { PodLabelIndex } from './podLabelIndex.ts';
import { NodeLabelKeys } from './nodeLabelKeys.ts';
import type { NodeInfo } from './types.ts';

const INITIAL_SLOTS = 64;
/** How many recent changes the journal remembers (a power of two). */
export const JOURNAL_SIZE = 1 << 17;
const JOURNAL_MASK = JOURNAL_SIZE - 1;

export class NodeResourceTable {
  allocCPU = new Float64Array(INITIAL_SLOTS);
  allocMemory = new Float64Array(INITIAL_SLOTS);
  allocEphemeral = new Float64Array(INITIAL_SLOTS);
  allowedPods = new Float64Array(INITIAL_SLOTS);
  reqCPU = new Float64Array(INITIAL_SLOTS);
  reqMemory = new Float64Array(INITIAL_SLOTS);
  reqEphemeral = new Float64Array(INITIAL_SLOTS);
  podCount = new Float64Array(INITIAL_SLOTS);
  /** nonZeroRequested: the scorers' cpu/memory figures. */
  nzCPU = new Float64Array(INITIAL_SLOTS);
  nzMemory = new Float64Array(INITIAL_SLOTS);
  /** The NodeInfo's generation (memo checks read it here instead of from each NodeInfo object). */
  generation = new Float64Array(INITIAL_SLOTS);
  /** The NodeInfo's localGeneration (the node-local memos' key, see NodeInfo.localGeneration). */
  localGeneration = new Float64Array(INITIAL_SLOTS);
  /**
   * The node's name (NodeInfo.name), set when the NodeInfo takes its slot or
   * gets a new node object: the cycle's chosen host is read here by slot
   * (perf: reading it through NodeInfo -> node -> metadata, three cold
   * objects, was a tenth of schedulePod's self time).
   */
  names: string[] = new Array<string>(INITIAL_SLOTS).fill('');
  private used = 0;
  private readonly free: number[] = [];
  /**
   * The slots of the last JOURNAL_SIZE changes, in order (a ring), and how
   * many changes there have been in all. A reader that remembers `changes`
   * can visit only the nodes changed since, instead of checking every
   * node's generation (PodTopologySpread's per-domain counts over all
   * nodes, every cycle); one that fell further behind rescans.
   */
  readonly journal = new Int32Array(JOURNAL_SIZE);
  /** The NodeInfos holding a slot (the indexes below fill a key asked about for the first time from them). */
  private readonly nodeInfos = new Set<NodeInfo>();
  /** The pods of the table's NodeInfos by label (podLabelIndex.ts). */
  readonly podLabels = new PodLabelIndex(this.nodeInfos);
  /** How many of the table's nodes carry a label key (nodeLabelKeys.ts). */
  readonly nodeLabelKeys = new NodeLabelKeys(this.nodeInfos);
  changes = 0;

  /** Record that the NodeInfo in `slot` changed (NodeInfoImpl calls it with every new generation). */
  noteChange(slot: number): void {
    this.journal[this.changes & JOURNAL_MASK] = slot;
    this.changes++;
  }

  /** The slot of change number `c` (changes - JOURNAL_SIZE <= c < changes). */
  changedSlot(c: number): number {
    return this.journal[c & JOURNAL_MASK]!;
  }

  /** A slot for a new NodeInfo (a released one first, so the columns stay dense). */
  acquire(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    if (this.used === this.allocCPU.length) this.grow();
    return this.used++;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  /** A NodeInfo took a slot: it and its pods join the indexes. */
  attach(ni: NodeInfo): void {
    this.nodeInfos.add(ni);
    this.nodeLabelKeys.attach(ni);
    for (const pi of ni.pods) this.podLabels.add(pi, ni);
  }

  /** A NodeInfo is giving its slot back: it and its pods leave the indexes. */
  detach(ni: NodeInfo): void {
    for (const pi of ni.pods) this.podLabels.remove(pi);
    if (this.nodeInfos.delete(ni)) this.nodeLabelKeys.detach(ni);
  }

  private grow(): void {
    const n = this.allocCPU.length * 2;
    const g = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.allocCPU = g(this.allocCPU);
    this.allocMemory = g(this.allocMemory);
    this.allocEphemeral = g(this.allocEphemeral);
    this.allowedPods = g(this.allowedPods);
    this.reqCPU = g(this.reqCPU);
    this.reqMemory = g(this.reqMemory);
    this.reqEphemeral = g(this.reqEphemeral);
    this.podCount = g(this.podCount);
    this.nzCPU = g(this.nzCPU);
    this.nzMemory = g(this.nzMemory);
    this.generation = g(this.generation);
    this.localGeneration = g(this.localGeneration);
    const names = new Array<string>(n).fill('');
    for (let i = 0; i < this.names.length; i++) names[i] = this.names[i]!;
    this.names = names;
  }
}

/**
 * The resource slots of a node list whose nodes all sit in one table, by
 * position (null otherwise); built once per list (the cache makes a new list
 * whenever nodes come or go). Lets hot loops check memos from typed arrays
 * without touching each NodeInfo.
 */
const slotsOfList = new WeakMap<readonly NodeInfo[], { table: NodeResourceTable; slots: Int32Array } | null>();
export function listSlots(list: readonly NodeInfo[]): { table: NodeResourceTable; slots: Int32Array } | null {
  let r = slotsOfList.get(list);
  if (r !== undefined) return r;
  r = null;
  const table = list.length > 0 ? (list[0]!.resourceTable ?? null) : null;
  if (table !== null) {
    const slots = new Int32Array(list.length);
    let ok = true;
    for (let i = 0; i < list.length && ok; i++) {
      const ni = list[i]!;
      if (ni.resourceTable !== table || (ni.resourceSlot ?? -1) < 0) ok = false;
      else slots[i] = ni.resourceSlot!;
    }
    if (ok) r = { table, slots };
  }
  slotsOfList.set(list, r);
  return r;
}
