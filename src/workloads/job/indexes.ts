/**
 * Completion-index bookkeeping of Indexed Jobs, following upstream's
 * pkg/controller/job/indexed_job_utils.go (v1.33):
 *  - orderedIntervals: sorted, non-overlapping [first, last] intervals, the
 *    form of status.completedIndexes and status.failedIndexes, printed as
 *    "1,3-5" (two adjacent indexes print as "1,2", as upstream's String());
 *  - parsing drops malformed parts and anything >= completions;
 *  - the completion index is read from the batch.kubernetes.io/job-completion-index
 *    annotation (unknown = -1).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

export const JobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const JobCompletionIndexEnv = 'JOB_COMPLETION_INDEX';
export const JobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const JobIndexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const UnknownCompletionIndex = -1;

export interface Interval {
  first: number;
  last: number;
}

export type OrderedIntervals = readonly Interval[];

/** parseIndexesFromString. */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const result: Interval[] = [];
  if (!text) return result;
  let lastInterval: Interval | undefined;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = atoi(limits[0]!);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]!);
      if (l === undefined) continue;
      last = l >= completions ? completions - 1 : l;
    }
    if (lastInterval && lastInterval.last === first - 1) lastInterval.last = last;
    else {
      lastInterval = { first, last };
      result.push(lastInterval);
    }
  }
  return result;
}

/** strconv.Atoi: an optionally signed decimal integer, nothing else. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : undefined;
}

/** orderedIntervals.String(). */
export function formatIndexes(oi: OrderedIntervals): string {
  let out = '';
  for (const v of oi) {
    if (out.length > 0) out += ',';
    out += String(v.first);
    if (v.last > v.first) out += (v.last === v.first + 1 ? ',' : '-') + String(v.last);
  }
  return out;
}

export function totalIndexes(oi: OrderedIntervals): number {
  let n = 0;
  for (const v of oi) n += v.last - v.first + 1;
  return n;
}

export function hasIndex(oi: OrderedIntervals, ix: number): boolean {
  let lo = 0;
  let hi = oi.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = oi[mid]!;
    if (ix < v.first) hi = mid - 1;
    else if (ix > v.last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** orderedIntervals.merge. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  const result: Interval[] = [];
  let last: Interval | undefined;
  const push = (v: Interval): void => {
    if (!last || v.first > last.last + 1) {
      last = { first: v.first, last: v.last };
      result.push(last);
    } else if (last.last < v.last) last.last = v.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.first < b[j]!.first) push(a[i++]!);
    else push(b[j++]!);
  }
  while (i < a.length) push(a[i++]!);
  while (j < b.length) push(b[j++]!);
  return result;
}

/** orderedIntervals.withOrderedIndexes: add sorted indexes. */
export function withOrderedIndexes(oi: OrderedIntervals, sortedIndexes: readonly number[]): Interval[] {
  return mergeIntervals(
    oi,
    sortedIndexes.map((x) => ({ first: x, last: x })),
  );
}

/** getCompletionIndex: the annotation's value, or -1 when absent or not a non-negative integer. */
export function getCompletionIndex(pod: Pod): number {
  const v = pod.metadata?.annotations?.[JobCompletionIndexAnnotation];
  if (v === undefined) return UnknownCompletionIndex;
  const n = atoi(v);
  return n === undefined || n < 0 ? UnknownCompletionIndex : n;
}

/** Sorted distinct indexes of pods (getIndexes + sets.List). */
export function podIndexes(pods: readonly Pod[]): number[] {
  const s = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (ix !== UnknownCompletionIndex) s.add(ix);
  }
  return [...s].sort((x, y) => x - y);
}

/** firstPendingIndexes: the lowest `count` indexes below completions that are in none of `nonPending`. */
export function firstPendingIndexes(nonPending: OrderedIntervals, count: number, completions: number): number[] {
  const result: number[] = [];
  if (count === 0) return result;
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** parseIndexFailureCountAnnotation (0 when absent or malformed). */
export function indexFailureCount(pod: Pod, annotation: string = JobIndexFailureCountAnnotation): number {
  const v = pod.metadata?.annotations?.[annotation];
  if (v === undefined) return 0;
  const n = atoi(v);
  return n === undefined || n < 0 ? 0 : n;
}

/** getIndexAbsoluteFailureCount: counted plus ignored failures. */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return indexFailureCount(pod) + indexFailureCount(pod, JobIndexIgnoredFailureCountAnnotation);
}
