/**
 * Claim-to-volume matching (the PV controller's findByClaim /
 * FindMatchingVolume), after upstream's index_test.go TestMatchVolume: a set
 * of volumes of several sizes, access modes, classes and labels, and the
 * volume each claim gets.
 */
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { findBestMatchForClaim, type PVObj } from '../../src/controllers/volume/volumeMatching.ts';

function pv(name: string, size: string, modes: string[], extra: { cls?: string; labels?: Record<string, string>; phase?: string; claimRef?: Record<string, string>; mode?: string } = {}): Stored<PVObj> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: extra.labels },
    spec: {
      capacity: { storage: size },
      accessModes: modes,
      storageClassName: extra.cls ?? '',
      volumeMode: extra.mode ?? 'Filesystem',
      ...(extra.claimRef ? { claimRef: extra.claimRef } : {}),
    },
    status: { phase: extra.phase ?? 'Available' },
  } as Stored<PersistentVolume & KObject>;
}

function pvc(size: string, modes: string[], extra: { cls?: string; selector?: PersistentVolumeClaim['spec'] extends infer S ? (S extends { selector?: infer L } ? L : never) : never; mode?: string } = {}): PersistentVolumeClaim {
  return {
    metadata: { name: 'claim01', namespace: 'myns', uid: 'claim-uid' },
    spec: { accessModes: modes, resources: { requests: { storage: size } }, storageClassName: extra.cls ?? '', volumeMode: extra.mode ?? 'Filesystem', ...(extra.selector ? { selector: extra.selector } : {}) },
  };
}

const RWO = 'ReadWriteOnce';
const ROX = 'ReadOnlyMany';
const RWX = 'ReadWriteMany';

const volumes = [
  pv('gce-pd-1', '1G', [RWO, ROX]),
  pv('gce-pd-5', '5G', [RWO, ROX]),
  pv('gce-pd-10', '10G', [RWO, ROX]),
  pv('gce-pd-20', '20G', [RWO, ROX], { claimRef: { namespace: 'other', name: 'x', uid: 'x' }, phase: 'Bound' }),
  pv('nfs-5', '5G', [RWO, ROX, RWX]),
  pv('nfs-10', '10G', [RWO, ROX, RWX]),
  pv('ebs-10-rwo', '10G', [RWO]),
  pv('gold-5', '5G', [RWO], { cls: 'gold', labels: { tier: 'gold' } }),
  pv('silver-5', '5G', [RWO], { cls: 'silver', labels: { tier: 'silver' } }),
  pv('block-5', '5G', [RWO], { mode: 'Block' }),
  pv('released-50', '50G', [RWO], { phase: 'Released' }),
  pv('prebound-100', '100G', [RWO], { claimRef: { namespace: 'myns', name: 'claim01' } }),
];

describe('findBestMatchForClaim (upstream TestMatchVolume shapes)', () => {
  it.each<[string, PersistentVolumeClaim, string | undefined, (typeof volumes)?]>([
    ['the smallest volume that fits: 8G RWO gets the 10G RWO-only EBS before the 10G GCE', pvc('8G', [RWO]), 'ebs-10-rwo'],
    ['1G ROX fits exactly', pvc('1G', [ROX]), 'gce-pd-1'],
    ['fewer access modes first: 1G RWO gets the 10G RWO-only volume, not the 1G RWO+ROX one', pvc('1G', [RWO]), 'ebs-10-rwo'],
    ['ROX claim: gce (RWO+ROX) before nfs (3 modes)', pvc('3G', [ROX]), 'gce-pd-5'],
    ['RWX only on nfs', pvc('3G', [RWX]), 'nfs-5'],
    ['RWX too big for nfs', pvc('15G', [RWX]), undefined],
    ['bound volumes are skipped', pvc('15G', [RWO]), undefined],
    ['class must match', pvc('1G', [RWO], { cls: 'gold' }), 'gold-5'],
    ['selector must match', pvc('1G', [RWO], { cls: 'silver', selector: { matchLabels: { tier: 'silver' } } }), 'silver-5'],
    ['selector that matches nothing', pvc('1G', [RWO], { cls: 'silver', selector: { matchLabels: { tier: 'gold' } } }), undefined],
    ['volume mode must match', pvc('1G', [RWO], { mode: 'Block' }), 'block-5'],
    ['a volume pre-bound to the claim wins over smaller ones', pvc('1G', [RWO]), 'prebound-100', [...volumes.slice(0, 3), volumes[11]!]],
  ])('%s', (_name, claim, want, vols = volumes.slice(0, 11)) => {
    expect(findBestMatchForClaim(claim, vols, false)?.metadata.name).toBe(want);
  });

  it('WaitForFirstConsumer (delayed binding): only a pre-bound volume is matched by the controller', () => {
    expect(findBestMatchForClaim(pvc('1G', [RWO]), volumes.slice(0, 11), true)).toBeUndefined();
    expect(findBestMatchForClaim(pvc('1G', [RWO]), volumes, true)?.metadata.name).toBe('prebound-100');
  });
});
