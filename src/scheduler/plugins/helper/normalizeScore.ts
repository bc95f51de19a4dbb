/**
 * helper.DefaultNormalizeScore, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/helper/normalize_score.go: scale scores so
 * the highest becomes maxPriority (integer division), optionally reversed
 * (maxPriority - score). When every score is 0 they stay 0, or all become
 * maxPriority when reversed.
 */
import type { NodeScore } from '../../framework/types.ts';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): null {
  const values = scores.map((s) => s.score);
  defaultNormalizeScores(maxPriority, reverse, values, values.length);
  for (let i = 0; i < scores.length; i++) scores[i]!.score = values[i]!;
  return null;
}

/** The same over the first `n` of a column of raw scores (fast path: no NodeScore list). */
export function defaultNormalizeScores(maxPriority: number, reverse: boolean, scores: { [i: number]: number }, n: number): void {
  let maxCount = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > maxCount) maxCount = scores[i]!;
  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < n; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < n; i++) {
    let score = Math.trunc((maxPriority * scores[i]!) / maxCount) + 0;
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
