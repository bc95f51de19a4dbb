/**
 * Pod readiness and availability as the workload controllers read them
 * (pkg/api/v1/pod IsPodReady / IsPodAvailable, newest upstream): Ready is the
 * Ready condition True; available means Ready for at least minReadySeconds,
 * measured from the condition's lastTransitionTime. Times are virtual
 * milliseconds; RFC3339 stamps are read back against the simulation epoch.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseRFC3339 } from '../../sim/time.ts';
import type { Time } from '../../sim/types.ts';
import { isPodReady } from '../../api/pdb.ts';

/** The same rule as the disruption controller's and the kubelet's (one implementation). */
export { isPodReady };

/** Virtual time a Ready condition became True, or undefined. */
export function readySince(pod: Pod, epochMs: number): Time | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  if (!c) return undefined;
  if (!c.lastTransitionTime) return 0;
  return parseRFC3339(c.lastTransitionTime) - epochMs;
}

/**
 * IsPodAvailable: Ready, and with minReadySeconds > 0 ready since at least
 * that long (upstream: `!readyTime.Add(minReadySeconds).After(now)`).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Time, epochMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(pod, epochMs);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** How long until a Ready pod becomes available (0 when it already is or is not Ready). */
export function untilAvailable(pod: Pod, minReadySeconds: number, now: Time, epochMs: number): Time {
  if (minReadySeconds <= 0) return 0;
  const since = readySince(pod, epochMs);
  if (since === undefined) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

/** intstr.GetScaledValueFromIntOrPercent: an int, or "N%" of total rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: number | string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) {
    const n = Number(x);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const pct = Number(m[1]);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}
