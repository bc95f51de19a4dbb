/**
 * Zones and their disruption states, following
 * pkg/controller/nodelifecycle/node_lifecycle_controller.go (ComputeZoneState,
 * HealthyQPSFunc, ReducedQPSFunc) and k8s.io/component-helpers/node/topology
 * (GetZoneKey).
 */
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { getZoneKey } from '../../api/topology.ts';

export { getZoneKey };

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** A node with this label is left out of zone disruption counting. */
export const LabelNodeDisruptionExclusion = 'node.kubernetes.io/exclude-disruption';

/** The zone key as people read it: "zone-a", "region/zone-a", or "" (no zone). */
export function zoneDisplayName(key: string): string {
  if (key === '') return '';
  const [region, zone] = key.split(':\x00:') as [string, string];
  return region === '' ? zone : `${region}/${zone}`;
}

/**
 * ComputeZoneState over the zone's Ready conditions (undefined: none yet):
 * FullDisruption when no node is Ready (and some are not), PartialDisruption
 * when more than 2 are not Ready and they are at least unhealthyZoneThreshold
 * of the zone, Normal otherwise. Returns the not-Ready count too.
 */
export function computeZoneState(
  readyConditions: ReadonlyArray<Pick<NodeCondition, 'status'> | undefined>,
  unhealthyZoneThreshold: number,
): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const c of readyConditions) {
    if (c && c.status === 'True') ready++;
    else notReady++;
  }
  return zoneStateOfCounts(ready, notReady, unhealthyZoneThreshold);
}

/** computeZoneState from the counts of Ready and not Ready nodes (what the monitor pass keeps per zone). */
export function zoneStateOfCounts(ready: number, notReady: number, unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  // float32 arithmetic, as upstream compares float32(notReady)/float32(total) with a float32 threshold.
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && Math.fround(Math.fround(notReady) / Math.fround(notReady + ready)) >= Math.fround(unhealthyZoneThreshold)) {
    return { notReady, state: 'PartialDisruption' };
  }
  return { notReady, state: 'Normal' };
}

/** The eviction rate of a zone entering `state` (setLimiterInZone). */
export function zoneEvictionQPS(
  state: ZoneState,
  zoneSize: number,
  rates: { nodeEvictionRate: number; secondaryNodeEvictionRate: number; largeClusterSizeThreshold: number },
): number | undefined {
  switch (state) {
    case 'Normal':
      return rates.nodeEvictionRate;
    case 'PartialDisruption':
      // ReducedQPSFunc: a large zone evicts at the secondary rate, a small one not at all.
      return zoneSize > rates.largeClusterSizeThreshold ? rates.secondaryNodeEvictionRate : 0;
    case 'FullDisruption':
      // HealthyQPSFunc: a single fully disrupted zone evicts at the normal rate (all zones down stops evictions elsewhere).
      return rates.nodeEvictionRate;
    default:
      return undefined;
  }
}
