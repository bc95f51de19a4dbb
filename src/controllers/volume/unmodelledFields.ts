/**
 * Storage fields ksim accepts and stores but does not act on, so a scenario
 * that sets them gets a warning naming each one rather than silent
 * differences from a real cluster: volume contents (claims cloned or restored
 * from a dataSource start empty in any case, since ksim has no data),
 * VolumeAttributesClasses, volume expansion, and the deprecated Recycle
 * reclaim policy.
 */
import type { KObject } from '../../sim/types.ts';

type Plain = Record<string, unknown>;

function obj(v: unknown): Plain | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Plain) : undefined;
}

function claimSpecWarnings(spec: Plain | undefined, path: string): string[] {
  const out: string[] = [];
  if (!spec) return out;
  if (spec['dataSource'] !== undefined) out.push(`${path}.dataSource: accepted but not modelled (the provisioned volume is empty; ksim has no volume contents)`);
  if (spec['dataSourceRef'] !== undefined) out.push(`${path}.dataSourceRef: accepted but not modelled (the provisioned volume is empty; ksim has no volume contents)`);
  if (spec['volumeAttributesClassName'] !== undefined) out.push(`${path}.volumeAttributesClassName: accepted but not modelled (VolumeAttributesClasses are not applied)`);
  return out;
}

/** Warnings (field paths relative to the object) for one object of a storage kind or a StatefulSet. */
export function unmodelledStorageFields(o: KObject): string[] {
  switch (o.kind) {
    case 'PersistentVolumeClaim':
      return claimSpecWarnings(obj(o['spec']), 'spec');
    case 'StatefulSet': {
      const templates = obj(o['spec'])?.['volumeClaimTemplates'];
      if (!Array.isArray(templates)) return [];
      return templates.flatMap((t, i) => claimSpecWarnings(obj(obj(t)?.['spec']), `spec.volumeClaimTemplates[${i}].spec`));
    }
    case 'StorageClass':
      return o['allowVolumeExpansion'] === true ? ['allowVolumeExpansion: accepted but not modelled (claims are never resized)'] : [];
    case 'PersistentVolume':
      return obj(o['spec'])?.['persistentVolumeReclaimPolicy'] === 'Recycle'
        ? ['spec.persistentVolumeReclaimPolicy: Recycle is accepted but not modelled (a released volume is marked Failed with a VolumeFailedRecycle event)']
        : [];
    default:
      return [];
  }
}
