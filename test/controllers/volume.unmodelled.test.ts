/**
 * Storage fields that ksim stores but does not act on are named in warnings
 * (the scenario loader reports them with file and document).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { unmodelledStorageFields } from '../../src/controllers/volume/unmodelledFields.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { KObject } from '../../src/sim/types.ts';

const k = (kind: string, rest: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind, metadata: { name: 'x' }, ...rest });

describe('unmodelled storage fields', () => {
  it.each<[string, KObject, string[]]>([
    ['a plain claim', k('PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } } } }), []],
    ['a cloned claim', k('PersistentVolumeClaim', { spec: { dataSource: { kind: 'PersistentVolumeClaim', name: 'a' } } }), ['spec.dataSource']],
    ['a restored claim with a class of attributes', k('PersistentVolumeClaim', { spec: { dataSourceRef: { kind: 'VolumeSnapshot', name: 's' }, volumeAttributesClassName: 'fast' } }), ['spec.dataSourceRef', 'spec.volumeAttributesClassName']],
    ['a claim template', k('StatefulSet', { spec: { volumeClaimTemplates: [{ spec: {} }, { spec: { dataSource: { kind: 'PersistentVolumeClaim', name: 'a' } } }] } }), ['spec.volumeClaimTemplates[1].spec.dataSource']],
    ['volume expansion', k('StorageClass', { allowVolumeExpansion: true }), ['allowVolumeExpansion']],
    ['no expansion', k('StorageClass', { allowVolumeExpansion: false }), []],
    ['Recycle', k('PersistentVolume', { spec: { persistentVolumeReclaimPolicy: 'Recycle' } }), ['spec.persistentVolumeReclaimPolicy']],
  ])('%s', (_n, o, fields) => {
    expect(unmodelledStorageFields(o).map((w) => w.slice(0, w.indexOf(':')))).toEqual(fields);
  });

  it('the loader reports them with file, document and object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-storage-'));
    const file = join(dir, 'pvc.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c, namespace: default}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n  dataSource: {kind: PersistentVolumeClaim, name: other}\n');
    const loaded = loadScenario(file);
    expect(loaded.warnings).toContain(`${file}, document 1 (PersistentVolumeClaim default/c): spec.dataSource: accepted but not modelled (the provisioned volume is empty; ksim has no volume contents)`);
  });
});
