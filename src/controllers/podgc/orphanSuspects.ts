/**
 * The nodes gcOrphaned looks for - holding pods in the spec.nodeName index yet missing from the Node
 * informer - found without walking every node that holds pods (5,000 in a day run, a lookup each every
 * 20 s: ~0.6% of the run, to find none missing).
 *
 * A node can only come to be both in the index and missing from the informer by joining the index
 * (PodNodeIndex.onNodeAdded) or leaving the informer (its delete event): those are the suspects. A pass
 * checks each, and forgets those it finds in the informer or no longer in the index, until they join or
 * leave again. podgc.orphanSuspects.property.test.ts compares it with the walk.
 */
export class OrphanSuspects {
  private readonly names = new Set<string>();

  /** `node` joined the index's nodes or left the informer. */
  add(node: string): void {
    this.names.add(node);
  }

  /**
   * Visit each node in the index (`indexed`) and missing from the informer (`present` false): the same
   * nodes as the walk over the index, in another order (the caller keeps no order from it).
   */
  forEachMissing(indexed: (node: string) => boolean, present: (node: string) => boolean, visit: (node: string) => void): void {
    for (const node of this.names) {
      if (!indexed(node) || present(node)) this.names.delete(node);
      else visit(node);
    }
  }
}
