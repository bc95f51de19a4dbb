/**
 * spec.config.controllers.horizontalPodAutoscaler: the controller manager's
 * HPA flags, as Go durations (and the tolerance as a number):
 *
 *   syncPeriod               --horizontal-pod-autoscaler-sync-period (15s)
 *   downscaleStabilization   --horizontal-pod-autoscaler-downscale-stabilization (5m)
 *   tolerance                --horizontal-pod-autoscaler-tolerance (0.1)
 *   cpuInitializationPeriod  --horizontal-pod-autoscaler-cpu-initialization-period (5m)
 *   initialReadinessDelay    --horizontal-pod-autoscaler-initial-readiness-delay (30s)
 *
 * Unknown fields and bad values are errors with the field's full path.
 */
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { parseDuration } from '../../api/duration.ts';
import type { Time } from '../../sim/types.ts';

export const CONFIG_SECTION = 'horizontalPodAutoscaler';
const BASE = `spec.config.controllers.${CONFIG_SECTION}`;
const DURATIONS = ['syncPeriod', 'downscaleStabilization', 'cpuInitializationPeriod', 'initialReadinessDelay'] as const;

export interface HpaControllerConfig {
  syncPeriod?: Time;
  downscaleStabilisationWindow?: Time;
  tolerance?: number;
  cpuInitializationPeriod?: Time;
  delayOfInitialReadinessStatus?: Time;
}

/** Parse the section; throws FieldErrorList listing every problem. */
export function parseHpaControllerConfig(section: unknown): HpaControllerConfig {
  if (section === undefined || section === null) return {};
  const errors: FieldError[] = [];
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new FieldErrorList([{ path: BASE, type: 'Invalid', value: section, detail: 'must be a mapping' }]);
  }
  const raw = section as Record<string, unknown>;
  const out: HpaControllerConfig = {};
  for (const key of Object.keys(raw)) {
    if (key === 'tolerance' || (DURATIONS as readonly string[]).includes(key)) continue;
    errors.push({ path: `${BASE}.${key}`, type: 'NotSupported', value: key, detail: `supported fields: ${[...DURATIONS, 'tolerance'].join(', ')}` });
  }
  for (const key of DURATIONS) {
    const v = raw[key];
    if (v === undefined) continue;
    let ms: number | undefined;
    if (typeof v === 'string') {
      try {
        ms = parseDuration(v);
      } catch (e) {
        errors.push({ path: `${BASE}.${key}`, type: 'Invalid', value: v, detail: e instanceof Error ? e.message : String(e) });
        continue;
      }
    }
    if (ms === undefined || ms < 0 || (key === 'syncPeriod' && ms <= 0)) {
      errors.push({ path: `${BASE}.${key}`, type: 'Invalid', value: v, detail: key === 'syncPeriod' ? 'must be a positive Go duration such as "15s"' : 'must be a non-negative Go duration such as "5m"' });
      continue;
    }
    if (key === 'syncPeriod') out.syncPeriod = ms;
    else if (key === 'downscaleStabilization') out.downscaleStabilisationWindow = ms;
    else if (key === 'cpuInitializationPeriod') out.cpuInitializationPeriod = ms;
    else out.delayOfInitialReadinessStatus = ms;
  }
  if (raw['tolerance'] !== undefined) {
    const t = raw['tolerance'];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) errors.push({ path: `${BASE}.tolerance`, type: 'Invalid', value: t, detail: 'must be a non-negative number such as 0.1' });
    else out.tolerance = t;
  }
  if (errors.length > 0) throw new FieldErrorList(errors);
  return out;
}
