/**
 * The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault),
 * with the cases of upstream's admission_test.go TestAdmission: no default,
 * one default, the beta annotation, an explicit class or empty class kept,
 * several defaults (newest wins, then name).
 */
import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { getDefaultClass } from '../../src/api/storageClass.ts';

function sc(name: string, annotations: Record<string, string> = {}): KObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations }, provisioner: 'example.com/x' };
}
const def = { 'storageclass.kubernetes.io/is-default-class': 'true' };
const betaDef = { 'storageclass.beta.kubernetes.io/is-default-class': 'true' };

function claim(spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'claim', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

/** Create the classes one virtual second apart (creationTimestamp has second precision), then the claim. */
function admit(classes: KObject[], c: KObject): PersistentVolumeClaim {
  const sim = Simulation.create({ seed: 1 });
  startApiServer(sim);
  classes.forEach((k, i) => {
    sim.runUntil(i * 1000);
    sim.store.create(k);
  });
  return sim.store.create(c) as PersistentVolumeClaim;
}

describe('DefaultStorageClass admission', () => {
  it.each<[string, KObject[], KObject, string | undefined]>([
    ['no default class: unchanged', [sc('a'), sc('b')], claim(), undefined],
    ['one default', [sc('a'), sc('b', def)], claim(), 'b'],
    ['the beta annotation counts', [sc('a', betaDef), sc('b')], claim(), 'a'],
    ['"false" is not default', [sc('a', { 'storageclass.kubernetes.io/is-default-class': 'false' })], claim(), undefined],
    ['an explicit class is kept', [sc('a', def)], claim({ storageClassName: 'b' }), 'b'],
    ['an explicit empty class ("no class") is kept', [sc('a', def)], claim({ storageClassName: '' }), ''],
    ['the beta class annotation counts as a class', [sc('a', def)], claim({}, { 'volume.beta.kubernetes.io/storage-class': 'x' }), undefined],
    ['several defaults: the newest', [sc('old', def), sc('new', def)], claim(), 'new'],
    ['several defaults created in the same second: by name', [sc('b', def), sc('a', def)], claim(), 'a'],
  ])('%s', (_name, classes, c, want) => {
    const sameSecond = _name.includes('same second');
    if (sameSecond) {
      const sim = Simulation.create({ seed: 1 });
      startApiServer(sim);
      for (const k of classes) sim.store.create(k);
      expect((sim.store.create(c) as PersistentVolumeClaim).spec?.storageClassName).toBe(want);
      return;
    }
    expect(admit(classes, c).spec?.storageClassName).toBe(want);
  });

  it('only creates are defaulted; an update of a class-less claim is left alone', () => {
    const sim = Simulation.create({ seed: 1 });
    startApiServer(sim);
    sim.store.create(claim());
    sim.store.create(sc('a', def));
    const updated = sim.store.patch<KObject>('PersistentVolumeClaim', 'default', 'claim', (d) => {
      d.metadata.labels = { x: 'y' };
    }) as PersistentVolumeClaim;
    expect(updated.spec?.storageClassName).toBeUndefined();
  });

  it('getDefaultClass ignores non-default classes and orders newest first', () => {
    const mk = (name: string, ts: string, ann: Record<string, string> = def) => ({ provisioner: 'x', metadata: { name, creationTimestamp: ts, annotations: ann } });
    expect(getDefaultClass([mk('a', '2025-01-01T00:00:00Z'), mk('b', '2025-01-01T00:00:05Z'), mk('c', '2025-01-01T00:00:09Z', {})])?.metadata.name).toBe('b');
    expect(getDefaultClass([])).toBeUndefined();
  });
});
