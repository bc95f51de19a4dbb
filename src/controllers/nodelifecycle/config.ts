/**
 * The node lifecycle controller's settings: kube-controller-manager's flags
 * in camelCase under spec.config.controllers.nodeLifecycle, with the newest
 * upstream defaults (pkg/controller/nodelifecycle/config/v1alpha1/defaults.go,
 * cmd/kube-controller-manager/app/options):
 *
 *   nodeMonitorPeriod          5s    --node-monitor-period
 *   nodeMonitorGracePeriod     50s   --node-monitor-grace-period (40s until
 *                                    v1.32, kubernetes/kubernetes#126287: must
 *                                    exceed the 45 s of the HTTP/2 health checks)
 *   nodeStartupGracePeriod     1m    --node-startup-grace-period
 *   nodeEvictionRate           0.1   --node-eviction-rate (nodes per second)
 *   secondaryNodeEvictionRate  0.01  --secondary-node-eviction-rate
 *   largeClusterSizeThreshold  50    --large-cluster-size-threshold
 *   unhealthyZoneThreshold     0.55  --unhealthy-zone-threshold
 */
import type { FieldError } from '../../api/errors.ts';
import { parseDuration } from '../../api/duration.ts';
import type { Time } from '../../sim/types.ts';

export interface NodeLifecycleConfig {
  nodeMonitorPeriod: Time;
  nodeMonitorGracePeriod: Time;
  nodeStartupGracePeriod: Time;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

export const DefaultNodeLifecycleConfig: NodeLifecycleConfig = {
  nodeMonitorPeriod: 5_000,
  nodeMonitorGracePeriod: 50_000,
  nodeStartupGracePeriod: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

const DURATIONS = ['nodeMonitorPeriod', 'nodeMonitorGracePeriod', 'nodeStartupGracePeriod'] as const;
const NUMBERS = ['nodeEvictionRate', 'secondaryNodeEvictionRate', 'largeClusterSizeThreshold', 'unhealthyZoneThreshold'] as const;

/**
 * Read spec.config.controllers.nodeLifecycle: unknown fields and bad values
 * are errors naming the field (nothing is silently ignored).
 */
export function parseNodeLifecycleConfig(raw: unknown, path = 'spec.config.controllers.nodeLifecycle'): { config: NodeLifecycleConfig; errors: FieldError[] } {
  const config: NodeLifecycleConfig = { ...DefaultNodeLifecycleConfig };
  const errors: FieldError[] = [];
  if (raw === undefined || raw === null) return { config, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({ path, type: 'Invalid', value: raw, detail: 'must be a mapping' });
    return { config, errors };
  }
  const section = raw as Record<string, unknown>;
  for (const key of Object.keys(section).sort()) {
    const value = section[key];
    const p = `${path}.${key}`;
    if ((DURATIONS as readonly string[]).includes(key)) {
      if (typeof value !== 'string') {
        errors.push({ path: p, type: 'Invalid', value, detail: 'must be a duration such as "40s"' });
        continue;
      }
      let ms: number;
      try {
        ms = parseDuration(value);
      } catch (e) {
        errors.push({ path: p, type: 'Invalid', value, detail: e instanceof Error ? e.message : String(e) });
        continue;
      }
      if (ms <= 0) errors.push({ path: p, type: 'Invalid', value, detail: 'must be greater than zero' });
      else config[key as (typeof DURATIONS)[number]] = ms;
    } else if ((NUMBERS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        errors.push({ path: p, type: 'Invalid', value, detail: 'must be a non-negative number' });
        continue;
      }
      if (key === 'unhealthyZoneThreshold' && value > 1) {
        errors.push({ path: p, type: 'Invalid', value, detail: 'must be a fraction between 0 and 1' });
        continue;
      }
      if (key === 'largeClusterSizeThreshold' && !Number.isInteger(value)) {
        errors.push({ path: p, type: 'Invalid', value, detail: 'must be an integer' });
        continue;
      }
      config[key as (typeof NUMBERS)[number]] = value;
    } else {
      errors.push({ path: p, type: 'FieldValueUnknown', detail: `unknown field ${JSON.stringify(key)}; supported: ${[...DURATIONS, ...NUMBERS].join(', ')}` });
    }
  }
  return { config, errors };
}
