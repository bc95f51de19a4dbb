/**
 * ImageLocality, following kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/imagelocality: favours nodes that already
 * have the pod's images (init containers included). Each image found on the
 * node adds its size scaled by the fraction of nodes that have it (to avoid
 * piling pods onto the few nodes holding an image); the sum is clamped to
 * [23MB, 1000MB * number of containers] and mapped linearly onto
 * 0..MaxNodeScore with integer division.
 *
 * Image names are matched as upstream's normalizedImageName does: only a
 * missing tag becomes ":latest" (no registry or "library/" expansion).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { MaxNodeScore } from '../framework/types.ts';
import type { CycleState, Handle, ImageStateSummary, NodeInfo, PluginFactory, PodInfo, ScorePlugin } from '../framework/types.ts';
import { mulDiv } from './noderesources/intMath.ts';

export const name = 'ImageLocality';

const mb = 1024 * 1024;
/** Lower bound of the image score range: 90%ile of compressed images on Docker Hub fall in range. */
export const minThreshold = 23 * mb;
/** Upper bound per container. */
export const maxContainerThreshold = 1000 * mb;

/** normalizedImageName: add ":latest" when the reference has no tag (a ':' after the last '/'). */
export function normalizedImageName(image: string): string {
  if (image.lastIndexOf(':') <= image.lastIndexOf('/')) return image + ':latest';
  return image;
}

/** scaledImageScore: size * (nodes having it / all nodes), truncated. */
export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return Math.trunc(state.size * spread);
}

/** calculatePriority: clamp the summed score and scale it onto 0..MaxNodeScore. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = maxContainerThreshold * numContainers;
  if (sumScores < minThreshold) sumScores = minThreshold;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return mulDiv(MaxNodeScore, sumScores - minThreshold, maxThreshold - minThreshold);
}

interface PodImages {
  /** Normalized image names: init containers first, then containers (duplicates kept, as upstream sums per container). */
  images: string[];
  numContainers: number;
}

function podImages(pod: Pod): PodImages {
  const images: string[] = [];
  const add = (cs: readonly Container[] | undefined): void => {
    for (const c of cs ?? []) images.push(normalizedImageName(c.image ?? ''));
  };
  add(pod.spec?.initContainers);
  add(pod.spec?.containers);
  return { images, numContainers: images.length };
}

class ImageLocality implements ScorePlugin {
  readonly name = name;
  // Upstream has no PreScore and normalizes names on every Score call; we
  // memoize the last pod's names instead (same result, no per-node allocation)
  // so the plugin's extension points stay exactly upstream's.
  private lastPod: Pod | undefined;
  private lastImages: PodImages = { images: [], numContainers: 0 };

  constructor(private readonly handle: Handle) {}

  /**
   * No node reports any image: every node's sum is 0, which calculatePriority
   * clamps to minThreshold and maps to score 0, so the plugin adds nothing
   * (perf: it was ~5% of SchedulingBasic, whose nodes list no images).
   */
  scoresNothing(): boolean {
    return this.handle.snapshot().numImages?.() === 0;
  }

  score(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    if (this.lastPod !== pod.pod) {
      this.lastImages = podImages(pod.pod);
      this.lastPod = pod.pod;
    }
    const p = this.lastImages;
    const totalNumNodes = this.handle.snapshot().list().length;
    let sum = 0;
    for (let i = 0; i < p.images.length; i++) {
      const st = nodeInfo.imageStates.get(p.images[i]!);
      if (st) sum += scaledImageScore(st, totalNumNodes);
    }
    return calculatePriority(sum, p.numContainers);
  }
}

export const factory: PluginFactory = (_args, handle) => new ImageLocality(handle);
