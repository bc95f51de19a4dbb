/**
 * Which nodes of a node list changed since a reader last looked, from the
 * scheduler cache's change journal (NodeResourceTable.journal; fast path, no
 * upstream counterpart).
 *
 * Per-domain and per-topology sums over all nodes (PodTopologySpread's
 * DomainCounter, InterPodAffinity's NodeContributions) are kept across
 * cycles; checking every node's generation still cost O(nodes) per cycle,
 * most of a cycle at 5,000 nodes. With the journal a reader visits only the
 * nodes whose NodeInfo changed. It falls back to a full pass whenever the
 * list is a different one (nodes added or removed), a node is not in the
 * cache's table, or more changes happened than the journal remembers.
 */
import type { NodeInfo } from './types.ts';
import { JOURNAL_SIZE, type NodeResourceTable } from './resourceTable.ts';

export class ChangedNodes {
  private lastList: readonly NodeInfo[] | null = null;
  private lastTable: NodeResourceTable | null = null;
  private lastChanges = 0;
  /** Position in lastList by resource slot (-1: not in it). */
  private positionOfSlot = new Int32Array(0);

  /**
   * Call `visit(i)` for the nodes of `list` changed since remember(list);
   * false (nothing visited) when the caller must visit every node and call
   * remember(list) again.
   */
  visitChanged(list: readonly NodeInfo[], visit: (i: number) => void): boolean {
    const t = this.lastTable;
    if (list !== this.lastList || t === null || t.changes - this.lastChanges > JOURNAL_SIZE) return false;
    const pos = this.positionOfSlot;
    const end = t.changes;
    for (let c = this.lastChanges; c < end; c++) {
      const slot = t.changedSlot(c);
      const i = slot < pos.length ? pos[slot]! : -1;
      if (i >= 0) visit(i);
    }
    this.lastChanges = end;
    return true;
  }

  /** After a full pass: note the list's journal, when every node of it is in one cache's table. */
  remember(list: readonly NodeInfo[]): void {
    this.lastList = null;
    this.lastTable = null;
    const table = list.length > 0 ? (list[0]!.resourceTable ?? null) : null;
    if (table === null) return;
    let pos = this.positionOfSlot;
    pos.fill(-1);
    for (let i = 0; i < list.length; i++) {
      const ni = list[i]!;
      const slot = ni.resourceSlot ?? -1;
      if (ni.resourceTable !== table || slot < 0) return;
      if (slot >= pos.length) {
        const grown = new Int32Array(Math.max(slot + 1, pos.length * 2, 64)).fill(-1);
        grown.set(pos);
        pos = this.positionOfSlot = grown;
      }
      pos[slot] = i;
    }
    this.lastList = list;
    this.lastTable = table;
    this.lastChanges = table.changes;
  }
}
