/**
 * The `ksim.dev/*` annotations a user may write on input objects, with the
 * rule each value must follow. The scenario loader checks every `ksim.dev/`
 * annotation against this table, so a typo (`ksim.dev/run-duraton`) or a
 * value that does not parse (`ksim.dev/run-duration: "ten minutes"`) is a
 * problem with its file and field path, never a pod that silently runs forever.
 *
 * Annotations that ksim itself writes (the kubelet's state, node-group
 * settings) are listed as `written` so that input copying them back (e.g. a
 * `ksim get -o yaml` re-applied) is accepted.
 */
import { parseDuration } from './duration.ts';

export const KSIM_ANNOTATION_PREFIX = 'ksim.dev/';

export type AnnotationTarget = 'Pod' | 'Node';

export interface KsimAnnotation {
  key: string;
  /** The objects it is read on: a Pod (or a workload's pod template), or a Node. */
  on: AnnotationTarget;
  /** What it means, for messages and the README. */
  meaning: string;
  /** Undefined when the value is acceptable; otherwise what was expected. */
  check(value: string): string | undefined;
  /** Written by ksim, accepted on input. */
  written?: boolean;
}

function duration(value: string): string | undefined {
  try {
    return parseDuration(value) < 0 ? 'a non-negative Go duration such as "90s" or "10m"' : undefined;
  } catch {
    return 'a Go duration such as "90s" or "10m"';
  }
}

function exitCode(value: string): string | undefined {
  return /^(0|[1-9]\d{0,2})$/.test(value) && Number(value) <= 255 ? undefined : 'an exit code, an integer from 0 to 255';
}

function probability(value: string): string | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? undefined : 'a probability, a number from 0 to 1';
}

const anything = (): undefined => undefined;

const TABLE: KsimAnnotation[] = [
  { key: 'ksim.dev/run-duration', on: 'Pod', meaning: 'how long the containers run before exiting (absent: until deleted)', check: duration },
  { key: 'ksim.dev/exit-code', on: 'Pod', meaning: 'the exit code of the containers when they finish (default 0)', check: exitCode },
  { key: 'ksim.dev/shutdown-duration', on: 'Pod', meaning: 'how long the containers take to stop after SIGTERM (default 0)', check: duration },
  { key: 'ksim.dev/readiness-failure-rate', on: 'Pod', meaning: 'the probability that one readiness probe fails (seeded; default 0)', check: probability },
  { key: 'ksim.dev/liveness-failure-rate', on: 'Pod', meaning: 'the probability that one liveness probe fails (seeded; default 0)', check: probability },
  { key: 'ksim.dev/kubelet', on: 'Node', meaning: "the kubelet stand-in's state", check: anything, written: true },
  { key: 'ksim.dev/kubelet-config', on: 'Node', meaning: "the node group's KubeletConfiguration", check: anything, written: true },
  { key: 'ksim.dev/resource-assignment', on: 'Pod', meaning: "the kubelet's CPU, memory and device assignment (written at admission)", check: anything, written: true },
  { key: 'ksim.dev/numa-topology', on: 'Node', meaning: "the node group's NUMA layout", check: anything, written: true },
];

const byKey = new Map<string, KsimAnnotation>(TABLE.map((a) => [a.key, a]));

/** Register an annotation another part of ksim reads (kept in one table for the loader's check). */
export function registerKsimAnnotation(a: KsimAnnotation): void {
  if (!byKey.has(a.key)) {
    TABLE.push(a);
    byKey.set(a.key, a);
  }
}

export function ksimAnnotation(key: string): KsimAnnotation | undefined {
  return byKey.get(key);
}

export function ksimAnnotations(): readonly KsimAnnotation[] {
  return TABLE;
}

/** Probability values (for failure-rate style annotations registered elsewhere). */
export const checkProbability = probability;
export const checkDuration = duration;

/**
 * The problem with one `ksim.dev/` annotation on an object of kind `on`, or
 * undefined. Unknown keys name the closest known one.
 */
export function ksimAnnotationProblem(key: string, value: string, on: AnnotationTarget): string | undefined {
  const a = byKey.get(key);
  if (!a) {
    const known = TABLE.filter((t) => t.on === on && !t.written).map((t) => t.key);
    const near = closest(key, known);
    return `unknown ksim annotation ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; known on a ${on}: ${known.join(', ')}`;
  }
  if (a.on !== on) return `${JSON.stringify(key)} is read on a ${a.on}, not on a ${on}`;
  const expected = a.check(value);
  return expected === undefined ? undefined : `Invalid value: ${JSON.stringify(value)}: ${key} must be ${expected}`;
}

function closest(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= 3 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
