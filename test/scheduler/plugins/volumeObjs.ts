/** PV / PVC / StorageClass / CSINode builders for the volume plugin tests (upstream makePV / makePVC / makeStorageClass). */
import type { KObject } from '../../../src/sim/types.ts';

export function pvc(name: string, o: { ns?: string; volumeName?: string; sc?: string; bound?: boolean; storage?: string; accessModes?: string[]; annotations?: Record<string, string>; phase?: string; uid?: string; deleting?: boolean } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: o.uid ?? `pvc-uid-${name}`,
      resourceVersion: '1',
      ...(o.bound || o.annotations ? { annotations: { ...(o.bound ? { 'pv.kubernetes.io/bind-completed': 'yes' } : {}), ...(o.annotations ?? {}) } } : {}),
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
      ...(o.sc !== undefined ? { storageClassName: o.sc } : {}),
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '1Gi' } },
    },
    status: { phase: o.phase ?? (o.bound ? 'Bound' : 'Pending') },
  };
}

export function pv(name: string, o: { sc?: string; labels?: Record<string, string>; storage?: string; accessModes?: string[]; zones?: string[]; hostnames?: string[]; claimRef?: { name: string; namespace: string; uid?: string }; phase?: string; csi?: { driver: string; volumeHandle: string } } = {}): KObject {
  const terms = [];
  if (o.zones) terms.push({ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: o.zones }] });
  if (o.hostnames) terms.push({ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: o.hostnames }] });
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, resourceVersion: '1', ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      capacity: { storage: o.storage ?? '1Gi' },
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      ...(o.sc !== undefined ? { storageClassName: o.sc } : {}),
      ...(terms.length ? { nodeAffinity: { required: { nodeSelectorTerms: terms } } } : {}),
      ...(o.claimRef ? { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', ...o.claimRef } } : {}),
      ...(o.csi ? { csi: o.csi } : {}),
    },
    status: { phase: o.phase ?? (o.claimRef ? 'Bound' : 'Available') },
  };
}

export function sc(name: string, mode: 'Immediate' | 'WaitForFirstConsumer' | undefined, provisioner = 'example.com/csi', allowedTopologies?: unknown): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner,
    ...(mode ? { volumeBindingMode: mode } : {}),
    ...(allowedTopologies ? { allowedTopologies } : {}),
  };
}

export function csiNode(nodeName: string, drivers: Array<{ name: string; count?: number }>): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    metadata: { name: nodeName },
    spec: { drivers: drivers.map((d) => ({ name: d.name, nodeID: nodeName, ...(d.count !== undefined ? { allocatable: { count: d.count } } : {}) })) },
  };
}

export const claimVol = (claimName: string, name = claimName) => ({ name, persistentVolumeClaim: { claimName } });
