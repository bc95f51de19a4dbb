/**
 * The DefaultStorageClass admission plugin, following kube-apiserver's
 * plugin/pkg/admission/storage/storageclass/setdefault (newest upstream): a
 * PersistentVolumeClaim created without a class (no spec.storageClassName
 * and no `volume.beta.kubernetes.io/storage-class` annotation) gets the
 * default StorageClass (src/api/storageClass.ts: the newest one annotated
 * `storageclass.kubernetes.io/is-default-class: "true"`). An explicit empty
 * class ("") means "no class" and is left alone; with no default class the
 * claim is left alone too (the PV controller assigns one later if a default
 * appears: RetroactiveDefaultStorageClass).
 */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { AdmissionPlugin, KObject } from '../sim/types.ts';
import { getDefaultClass } from '../api/storageClass.ts';

const BetaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export const defaultStorageClassAdmission: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  kinds: ['PersistentVolumeClaim'],
  mutate(req) {
    if (req.operation !== 'CREATE') return;
    const pvc = req.object as PersistentVolumeClaim & KObject;
    const cls = pvc.spec?.storageClassName;
    if ((cls !== undefined && cls !== null) || pvc.metadata.annotations?.[BetaStorageClassAnnotation] !== undefined) return;
    const def = getDefaultClass(req.store.list<StorageClass & KObject>('StorageClass'));
    if (!def) return;
    (pvc.spec ??= {}).storageClassName = def.metadata.name;
  },
};
