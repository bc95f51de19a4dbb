/**
 * Storage fields that ksim stores but does not act on are named in the
 * loader's not-modelled warnings (src/scenario/notModelled.ts rules).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { notModelledWarnings } from '../../src/scenario/notModelled.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { LoadedObject } from '../../src/scenario/types.ts';
import type { KObject } from '../../src/sim/types.ts';

const lo = (kind: string, rest: Record<string, unknown>): LoadedObject => ({ object: { apiVersion: 'v1', kind, metadata: { name: 'x', namespace: 'default' }, ...rest } as KObject, origin: { file: 'f.yaml', document: 1, basePath: '', source: {} as LoadedObject['origin']['source'] } });

describe('unmodelled storage fields', () => {
  it.each<[string, LoadedObject, string[]]>([
    ['a plain claim', lo('PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } } } }), []],
    ['a cloned claim', lo('PersistentVolumeClaim', { spec: { dataSource: { kind: 'PersistentVolumeClaim', name: 'a' } } }), ['PersistentVolumeClaim spec.dataSource']],
    ['a restored claim with an attributes class', lo('PersistentVolumeClaim', { spec: { dataSourceRef: { kind: 'VolumeSnapshot', name: 's' }, volumeAttributesClassName: 'fast' } }), ['PersistentVolumeClaim spec.dataSourceRef', 'PersistentVolumeClaim spec.volumeAttributesClassName']],
    ['a claim template', lo('StatefulSet', { spec: { volumeClaimTemplates: [{ spec: {} }, { spec: { dataSource: { kind: 'PersistentVolumeClaim', name: 'a' } } }] } }), ['StatefulSet spec.volumeClaimTemplates[].spec.dataSource']],
    ['volume expansion', lo('StorageClass', { allowVolumeExpansion: true }), ['StorageClass allowVolumeExpansion']],
    ['no expansion', lo('StorageClass', { allowVolumeExpansion: false }), []],
    ['Recycle', lo('PersistentVolume', { spec: { persistentVolumeReclaimPolicy: 'Recycle' } }), ['PersistentVolume spec.persistentVolumeReclaimPolicy']],
    ['Retain', lo('PersistentVolume', { spec: { persistentVolumeReclaimPolicy: 'Retain' } }), []],
  ])('%s', (_n, o, fields) => {
    expect(notModelledWarnings([o], {}).map((w) => w.slice(0, w.indexOf(' is not modelled')))).toEqual(fields);
  });

  it('the loader reports them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-storage-'));
    const file = join(dir, 'pvc.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c, namespace: default}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n  dataSource: {kind: PersistentVolumeClaim, name: other}\n');
    expect(loadScenario(file).warnings).toContain('PersistentVolumeClaim spec.dataSource is not modelled (default/c): the provisioned volume is empty; ksim has no volume contents to clone or restore');
  });
});
