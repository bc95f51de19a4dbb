/**
 * containerBehaviour keeps its last answer while the five ksim annotations it
 * reads are unchanged: over any sequence of pods drawing those values (and
 * unrelated annotations) from small pools, every answer equals the plain
 * reading of the pod's own annotations.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  AnnotationExitCode,
  AnnotationLivenessFailureRate,
  AnnotationReadinessFailureRate,
  AnnotationRunDuration,
  AnnotationShutdownDuration,
  containerBehaviour,
} from '../../src/kubelet/podLifecycle.ts';
import { parseDuration } from '../../src/api/duration.ts';

function duration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = parseDuration(raw);
    return v >= 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

function rate(raw: string | undefined): number {
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.min(1, n) : 0;
}

function plain(pod: Pod): object {
  const a = pod.metadata?.annotations ?? {};
  const code = Number.parseInt(a[AnnotationExitCode] ?? '0', 10);
  return {
    runFor: duration(a[AnnotationRunDuration]),
    exitCode: Number.isFinite(code) ? code : 0,
    shutdownFor: duration(a[AnnotationShutdownDuration]) ?? 0,
    readinessFailureRate: rate(a[AnnotationReadinessFailureRate]),
    livenessFailureRate: rate(a[AnnotationLivenessFailureRate]),
  };
}

const value = (pool: string[]): fc.Arbitrary<string | undefined> => fc.option(fc.constantFrom(...pool), { nil: undefined });
const annotations = fc.record({
  [AnnotationRunDuration]: value(['60s', '1m30s', 'bad', '-5s']),
  [AnnotationExitCode]: value(['0', '1', 'x', '137']),
  [AnnotationShutdownDuration]: value(['0s', '10s']),
  [AnnotationReadinessFailureRate]: value(['0.1', '2', 'no']),
  [AnnotationLivenessFailureRate]: value(['0.5', '0']),
  other: value(['a', 'b']),
});

describe('containerBehaviour', () => {
  it('equals the plain reading of each pod’s annotations, pod after pod (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(annotations, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 20 }), (pods) => {
        for (const [raw, freeze, none] of pods) {
          const a: Record<string, string> = {};
          for (const [k, v] of Object.entries(raw)) if (v !== undefined) a[k] = v;
          const pod: Pod = none ? { metadata: { name: 'p' } } : { metadata: { name: 'p', annotations: freeze ? Object.freeze(a) : a } };
          expect(containerBehaviour(pod)).toEqual(plain(pod));
        }
      }),
      { numRuns: 300 },
    );
  });
});
