/**
 * The order in which the Job controller removes surplus active pods, as
 * upstream's controller.ActivePods (pkg/controller/controller_utils.go) and
 * activePodsForRemoval (pkg/controller/job/job_controller.go, v1.33):
 * unassigned before assigned, Pending before Unknown before Running, not
 * Ready before Ready, Ready for less time before longer, more container
 * restarts before fewer, newer before older. An Indexed Job first removes
 * pods with no or an out-of-range index and every duplicate of an index but
 * the one that sorts last.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { getCompletionIndex, UnknownCompletionIndex } from './indexes.ts';
import type { ParseTime } from './backoff.ts';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function ordinal(p: Pod): number {
  return PHASE_ORDINAL[p.status?.phase ?? ''] ?? 0;
}

function readyCondition(p: Pod): { ready: boolean; since: string | undefined } {
  const c = p.status?.conditions?.find((x) => x.type === 'Ready');
  return { ready: c?.status === 'True', since: c?.lastTransitionTime };
}

function maxRestarts(p: Pod): number {
  let m = 0;
  for (const cs of p.status?.containerStatuses ?? []) m = Math.max(m, cs.restartCount);
  return m;
}

/** afterOrZero: an unset time sorts first, then later before earlier. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/** controller.ActivePods Less; a stable sort keeps ties in input order. */
export function activePodsLess(a: Pod, b: Pod, parse: ParseTime): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  if (ordinal(a) !== ordinal(b)) return ordinal(a) < ordinal(b);
  const ra = readyCondition(a);
  const rb = readyCondition(b);
  if (ra.ready !== rb.ready) return !ra.ready;
  if (ra.ready && rb.ready) {
    const ta = ra.since ? parse(ra.since) : undefined;
    const tb = rb.since ? parse(rb.since) : undefined;
    if (ta !== tb) return afterOrZero(ta, tb);
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const ca = a.metadata?.creationTimestamp ? parse(a.metadata.creationTimestamp) : undefined;
  const cb = b.metadata?.creationTimestamp ? parse(b.metadata.creationTimestamp) : undefined;
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

export function sortActivePods<T extends Pod>(pods: T[], parse: ParseTime): T[] {
  return pods.sort((a, b) => (activePodsLess(a, b, parse) ? -1 : activePodsLess(b, a, parse) ? 1 : 0));
}

/** activePodsForRemoval: at least rmAtLeast pods, plus an Indexed Job's invalid and duplicate-index pods. */
export function activePodsForRemoval<T extends Pod>(pods: readonly T[], rmAtLeast: number, indexedCompletions: number | undefined, parse: ParseTime): T[] {
  let rm: T[] = [];
  let left: T[];
  if (indexedCompletions !== undefined) {
    left = [];
    const byIndex = [...pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b));
    let i = 0;
    while (i < byIndex.length) {
      const ix = getCompletionIndex(byIndex[i]!);
      if (ix >= indexedCompletions) {
        rm.push(...byIndex.slice(i));
        break;
      }
      let j = i;
      while (j < byIndex.length && getCompletionIndex(byIndex[j]!) === ix) j++;
      const same = byIndex.slice(i, j);
      if (ix === UnknownCompletionIndex) rm.push(...same);
      else if (same.length === 1) left.push(same[0]!);
      else {
        sortActivePods(same, parse);
        rm.push(...same.slice(0, same.length - 1));
        left.push(same[same.length - 1]!);
      }
      i = j;
    }
  } else {
    left = [...pods];
  }
  if (rm.length < rmAtLeast) {
    sortActivePods(left, parse);
    rm = rm.concat(left.slice(0, rmAtLeast - rm.length));
  }
  return rm;
}
