/**
 * The eviction manager's local storage limits (eviction_manager.go
 * localStorageEviction; LocalStorageCapacityIsolation, GA): a pod whose
 * ephemeral storage use passes the sum of its containers' ephemeral-storage
 * limits, or a container whose writable layer and logs pass its own limit, is
 * evicted at once (grace 1 s), whatever the node's signals. emptyDir
 * sizeLimit is not modelled (ksim's load models have no volumes).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.ts';
import { podLimits } from '../../api/resources.ts';
import type { PodStats } from '../stats.ts';

export interface LocalStorageEviction {
  pod: Pod;
  message: string;
}

/** The pods to evict for their local storage, in the order given. */
export function localStorageEvictions(pods: readonly Pod[], stats: (p: Pod) => PodStats | undefined): LocalStorageEviction[] {
  const out: LocalStorageEviction[] = [];
  for (const pod of pods) {
    const s = stats(pod);
    if (!s) continue;
    const podLimit = podLimits(pod).get('ephemeral-storage');
    if (podLimit !== undefined && s.ephemeralBytes > podLimit.value()) {
      out.push({ pod, message: `Pod ephemeral local storage usage exceeds the total limit of containers ${podLimit.toString()}. ` });
      continue;
    }
    for (const cs of s.containers) {
      const raw = pod.spec?.containers?.find((c) => c.name === cs.name)?.resources?.limits?.['ephemeral-storage'];
      const limit = raw === undefined ? undefined : Quantity.tryParse(raw);
      if (limit === undefined || limit.isZero()) continue;
      if (cs.ephemeralBytes > limit.value()) {
        out.push({ pod, message: `Container ${cs.name} exceeded its local ephemeral storage limit ${JSON.stringify(limit.toString())}. ` });
        break;
      }
    }
  }
  return out;
}
