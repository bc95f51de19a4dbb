/**
 * The per-resource scoring functions of NodeResourcesFit's strategies and of
 * NodeResourcesBalancedAllocation, following kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/noderesources/{least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go, balanced_allocation.go}
 * and plugins/helper/shape_score.go (BuildBrokenLinearFunction).
 *
 * Integer math is Go's int64: products first, then truncating division.
 */
import { MaxNodeScore } from '../../framework/types.ts';
import type { ResourceSpec, UtilizationShapePoint } from './args.ts';
import { MaxCustomPriorityScore } from './args.ts';
import type { ResourceScorer } from './resourceAllocation.ts';
import { goRound, idiv, mulDiv } from './intMath.ts';

/** leastRequestedScore: unused fraction of capacity on 0..MaxNodeScore; 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) return 0;
  return mulDiv(capacity - requested, MaxNodeScore, capacity);
}

/** mostRequestedScore: used fraction of capacity on 0..MaxNodeScore; requests above capacity count as capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return mulDiv(requested, MaxNodeScore, capacity);
}

/** Weighted integer mean of per-resource scores over the resources the node has. */
function weightedScorer(resources: readonly ResourceSpec[], perResource: (req: number, cap: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    if (weightSum === 0) return 0;
    return idiv(nodeScore, weightSum);
  };
}

export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, leastRequestedScore);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, mostRequestedScore);
}

export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/**
 * helper.BuildBrokenLinearFunction: piecewise-linear through the points,
 * constant before the first and after the last, with Go's truncating division.
 */
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const prev = shape[i - 1]!;
        const cur = shape[i]!;
        return prev.score + mulDiv(cur.score - prev.score, p - prev.utilization, cur.utilization - prev.utilization);
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/** upstream maxUtilization */
const maxUtilization = 100;

/**
 * requestedToCapacityRatioScorer: the shape's 0..10 scores are scaled to
 * 0..MaxNodeScore; a resource scoring 0 does not count towards the weights;
 * the weighted mean is rounded (math.Round), not truncated.
 */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const scale = idiv(MaxNodeScore, MaxCustomPriorityScore);
  const raw = buildBrokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })));
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(maxUtilization);
    return raw(mulDiv(requested, maxUtilization, capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    if (weightSum === 0) return 0;
    return goRound(nodeScore / weightSum);
  };
}

/**
 * balancedResourceScorer: (1 - std) * MaxNodeScore over the requested/allocatable
 * fractions (each capped at 1); with two resources std is |f1 - f2| / 2.
 */
export const balancedResourceScorer: ResourceScorer = (requested, allocatable) => {
  let count = 0;
  let total = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    let fraction = requested[i]! / allocatable[i]!;
    if (fraction > 1) fraction = 1;
    total += fraction;
    if (count === 0) f0 = fraction;
    else if (count === 1) f1 = fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    // Second pass over the same fractions, in the same order as upstream.
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      let fraction = requested[i]! / allocatable[i]!;
      if (fraction > 1) fraction = 1;
      sum = sum + (fraction - mean) * (fraction - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MaxNodeScore);
};
