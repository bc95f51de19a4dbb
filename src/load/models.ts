/**
 * Evaluating a load model at a virtual time: pure functions of (model, time,
 * noise). Randomness (random walk, spikes) comes from counter-based noise, a
 * hash of (seed, key, index), so a value at time t does not depend on when or
 * how often it was asked for: the kubelet, metrics-server and an autoscaler
 * reading the same model see the same numbers, and runs are byte-identical
 * for one seed.
 */
import type { Time } from '../sim/types.ts';
import type { LoadModel } from './types.ts';

/** Uniform draws in [0, 1) indexed by an integer: the same index always gives the same draw. */
export interface Noise {
  at(index: number): number;
}

/** 32-bit FNV-1a of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit avalanche mix (murmur3 finaliser). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Noise for one (seed, key): e.g. the simulation's load seed and "default/web-1/memory". */
export function noise(seed: number, key: string): Noise {
  const base = mix32((fnv1a(key) ^ mix32(seed >>> 0)) >>> 0);
  return {
    at(index: number): number {
      const lo = mix32((base ^ mix32((index | 0) >>> 0)) >>> 0);
      const hi = mix32((lo ^ 0x9e3779b9 ^ Math.floor(index / 0x100000000)) >>> 0);
      return hi / 0x100000000;
    },
  };
}

/** Noise that is always 0.5: for models without randomness, or tests. */
export const NO_NOISE: Noise = { at: () => 0.5 };

/**
 * A random walk's last computed point, so evaluating it at increasing times
 * costs O(steps since last time) rather than O(steps since 0).
 */
export interface WalkMemo {
  step: number;
  value: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * The model's value at time `t` (on the model's own clock: scenario time, or
 * time since the container started for `clock: container`). Never negative.
 */
export function evaluate(model: LoadModel, t: Time, rng: Noise = NO_NOISE, memo?: WalkMemo): number {
  return Math.max(0, evaluateRaw(model, t, rng, memo));
}

function evaluateRaw(model: LoadModel, t: Time, rng: Noise, memo: WalkMemo | undefined): number {
  switch (model.type) {
    case 'constant':
      return model.value;
    case 'step':
      return t < model.at ? model.from : model.to;
    case 'ramp': {
      if (t <= model.start) return model.from;
      if (model.duration <= 0 || t >= model.start + model.duration) return model.to;
      return model.from + ((model.to - model.from) * (t - model.start)) / model.duration;
    }
    case 'sine':
      return model.base + model.amplitude * Math.sin((2 * Math.PI * (t - model.phase)) / model.period);
    case 'randomWalk': {
      const steps = Math.max(0, Math.floor(t / model.interval));
      let k = 0;
      let v = clamp(model.start, model.min, model.max);
      if (memo && memo.step <= steps) {
        k = memo.step;
        v = memo.value;
      }
      for (; k < steps; k++) v = clamp(v + (2 * rng.at(k) - 1) * model.step, model.min, model.max);
      if (memo) {
        memo.step = steps;
        memo.value = v;
      }
      return v;
    }
    case 'spikes': {
      const w = Math.floor(t / model.every);
      const windowStart = w * model.every;
      // Two draws per window: whether it spikes, and where in the window.
      if (rng.at(2 * w) >= model.probability) return model.base;
      const room = Math.max(0, model.every - model.duration);
      const start = windowStart + Math.floor(rng.at(2 * w + 1) * room);
      return t >= start && t < start + model.duration ? model.peak : model.base;
    }
    case 'leak':
      return Math.min(model.max, model.start + model.ratePerMs * Math.max(0, t));
    case 'trace':
      return traceValue(model.points, model.interpolation, model.repeat, t);
  }
}

function traceValue(points: ReadonlyArray<readonly [Time, number]>, interpolation: 'step' | 'linear', repeat: boolean, t: Time): number {
  if (points.length === 0) return 0;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (repeat && last[0] > first[0] && t > last[0]) t = first[0] + ((t - first[0]) % (last[0] - first[0]));
  if (t <= first[0]) return first[1];
  if (t >= last[0]) return last[1];
  // Binary search for the last point at or before t.
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  const a = points[lo]!;
  const b = points[lo + 1];
  if (interpolation === 'step' || b === undefined || b[0] === a[0]) return a[1];
  return a[1] + ((b[1] - a[1]) * (t - a[0])) / (b[0] - a[0]);
}

/** The time to evaluate a model at: scenario time, or time since the container (re)started. */
export function modelTime(model: LoadModel, now: Time, containerStartedAt: Time | undefined): Time {
  if (model.clock === 'scenario') return now;
  return containerStartedAt === undefined ? 0 : now - containerStartedAt;
}
