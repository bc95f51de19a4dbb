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
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]!.score > maxCount) maxCount = scores[i]!.score;
  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i]!.score = maxPriority;
    return null;
  }
  for (let i = 0; i < scores.length; i++) {
    let score = Math.trunc((maxPriority * scores[i]!.score) / maxCount) + 0;
    if (reverse) score = maxPriority - score;
    scores[i]!.score = score;
  }
  return null;
}
