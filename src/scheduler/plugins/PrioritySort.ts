/**
 * PrioritySort queue-sort plugin, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/queuesort/priority_sort.go: higher
 * spec.priority first (unset = 0), then the earlier queue timestamp.
 */
import type { PluginFactory, QueueSortPlugin, QueuedPodInfo } from '../framework/types.ts';
import type { SortKeys } from '../queue/heap.ts';

/** less as numbers: the negated priority (higher first), then the timestamp. */
const prioritySortKeys: SortKeys<QueuedPodInfo> = {
  first: (q) => -(q.podInfo.pod.spec?.priority ?? 0),
  second: (q) => q.timestamp,
};

export const name = 'PrioritySort';

export class PrioritySort implements QueueSortPlugin {
  readonly name = name;
  readonly sortKeys = prioritySortKeys;
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = a.podInfo.pod.spec?.priority ?? 0;
    const p2 = b.podInfo.pod.spec?.priority ?? 0;
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
  /** less as one comparison: the higher priority first, then the earlier timestamp; 0 when less says neither. */
  compare(a: QueuedPodInfo, b: QueuedPodInfo): number {
    const p1 = a.podInfo.pod.spec?.priority ?? 0;
    const p2 = b.podInfo.pod.spec?.priority ?? 0;
    if (p1 > p2) return -1;
    if (p1 < p2) return 1;
    if (p1 !== p2) return 0; // NaN: less orders neither first
    return a.timestamp < b.timestamp ? -1 : b.timestamp < a.timestamp ? 1 : 0;
  }
}

export const factory: PluginFactory = () => new PrioritySort();
