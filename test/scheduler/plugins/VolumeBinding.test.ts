/**
 * VolumeBinding, ported from kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/volumebinding/{volume_binding_test.go,binder_test.go}
 * (TestVolumeBinding; FindPodVolumes cases for bound/unbound/provisioning),
 * plus Reserve/PreBind through handle.writeObject.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import type { Handle, PreFilterResult, Result } from '../../../src/scheduler/framework/types.ts';
import {
  factory,
  volumeBindingArgs,
  ErrReasonBindConflict,
  ErrReasonNodeConflict,
  ErrReasonPVNotExist,
  ErrReasonUnboundImmediate,
} from '../../../src/scheduler/plugins/VolumeBinding.ts';
import { FieldErrorList } from '../../../src/api/errors.ts';
import { Code, env, newCycleState, newPodInfo, node, pod, runFilter } from './h8util.ts';
import { claimVol, pv, pvc, sc } from './volumeObjs.ts';

const Z = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const nodes = () => [node('node-a', { [Z]: 'zone-a', [HOST]: 'node-a' }), node('node-b', { [Z]: 'zone-b', [HOST]: 'node-b' })];
const podWith = (...claims: string[]): Pod => pod('p', { volumes: claims.map((c) => claimVol(c)) });
const UU = Code.UnschedulableAndUnresolvable;

const base: KObject[] = [sc('wait-sc', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'), sc('immediate-sc', 'Immediate'), sc('provision-sc', 'WaitForFirstConsumer', 'example.com/csi')];

describe('VolumeBinding PreFilter/Filter (upstream TestVolumeBinding)', () => {
  it('pod has not pvcs: skipped', () => {
    const e = env(factory, undefined, nodes(), [], base);
    expect(runFilter(e, pod('p')).pre.code).toBe(Code.Skip);
  });
  it('all bound', () => {
    const objs = [...base, pvc('pvc-a', { volumeName: 'pv-a', bound: true, sc: 'wait-sc' }), pv('pv-a', { sc: 'wait-sc', claimRef: { name: 'pvc-a', namespace: 'default' } })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.pre.code).toBe(Code.Success);
    expect(Object.values(r.byNode).map((v) => v.code)).toEqual([Code.Success, Code.Success]);
  });
  it('PVC does not exist', () => {
    const r = runFilter(env(factory, undefined, nodes(), [], base), podWith('pvc-a'));
    expect(r.pre).toEqual({ code: UU, reasons: ['persistentvolumeclaim "pvc-a" not found'] });
  });
  it('Part of PVCs do not exist', () => {
    const objs = [...base, pvc('pvc-a', { volumeName: 'pv-a', bound: true })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a', 'pvc-b'));
    expect(r.pre).toEqual({ code: UU, reasons: ['persistentvolumeclaim "pvc-b" not found'] });
  });
  it('immediate claims not bound', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'immediate-sc' })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.pre).toEqual({ code: UU, reasons: [ErrReasonUnboundImmediate] });
    expect(ErrReasonUnboundImmediate).toBe('pod has unbound immediate PersistentVolumeClaims');
  });
  it('claim bound to a lost PV / being deleted', () => {
    const lost = runFilter(env(factory, undefined, nodes(), [], [...base, pvc('pvc-a', { volumeName: 'gone', phase: 'Lost' })]), podWith('pvc-a'));
    expect(lost.pre).toEqual({ code: UU, reasons: ['persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "gone"'] });
    const del = runFilter(env(factory, undefined, nodes(), [], [...base, pvc('pvc-a', { sc: 'wait-sc', deleting: true })]), podWith('pvc-a'));
    expect(del.pre).toEqual({ code: UU, reasons: ['persistentvolumeclaim "pvc-a" is being deleted'] });
  });
  it('unbound claims no matches', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'wait-sc' })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
    expect(ErrReasonBindConflict).toBe("node(s) didn't find available persistent volumes to bind");
  });
  it('bound and unbound unsatisfied', () => {
    const objs = [
      ...base,
      pvc('pvc-a', { volumeName: 'pv-a', bound: true, sc: 'wait-sc' }),
      pv('pv-a', { sc: 'wait-sc', zones: ['zone-b'], claimRef: { name: 'pvc-a', namespace: 'default' } }),
      pvc('pvc-b', { sc: 'wait-sc' }),
    ];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a', 'pvc-b'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonNodeConflict, ErrReasonBindConflict] });
    expect(r.byNode['node-b']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
    expect(ErrReasonNodeConflict).toBe("node(s) didn't match PersistentVolume's node affinity");
  });
  it('pv not found', () => {
    const objs = [...base, pvc('pvc-a', { volumeName: 'pv-a', bound: true, sc: 'wait-sc' })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonPVNotExist] });
  });
  it('static binding: an Available PV of the class whose node affinity admits the node', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'wait-sc', storage: '5Gi' }), pv('pv-a', { sc: 'wait-sc', storage: '10Gi', zones: ['zone-a'] })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']!.code).toBe(Code.Success);
    expect(r.byNode['node-b']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
  });
  it('static binding checks capacity, access modes and class', () => {
    const objs = [
      ...base,
      pvc('pvc-a', { sc: 'wait-sc', storage: '5Gi', accessModes: ['ReadWriteMany'] }),
      pv('small', { sc: 'wait-sc', storage: '1Gi', accessModes: ['ReadWriteMany'] }),
      pv('rwo', { sc: 'wait-sc', storage: '10Gi', accessModes: ['ReadWriteOnce'] }),
      pv('other-class', { sc: 'provision-sc', storage: '10Gi', accessModes: ['ReadWriteMany'] }),
    ];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
  });
  it('dynamic provisioning on nodes satisfying allowedTopologies', () => {
    const topo = [{ matchLabelExpressions: [{ key: Z, values: ['zone-b'] }] }];
    const objs = [sc('topo-sc', 'WaitForFirstConsumer', 'example.com/csi', topo), pvc('pvc-a', { sc: 'topo-sc' })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
    expect(r.byNode['node-b']!.code).toBe(Code.Success);
  });
  it('a claim with a selected-node annotation only fits that node', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'provision-sc', annotations: { 'volume.kubernetes.io/selected-node': 'node-b' } })];
    const r = runFilter(env(factory, undefined, nodes(), [], objs), podWith('pvc-a'));
    expect(r.byNode['node-a']).toEqual({ code: UU, reasons: [ErrReasonBindConflict] });
    expect(r.byNode['node-b']!.code).toBe(Code.Success);
  });
  it('PreFilter narrows nodes to local PVs’ hostnames (upstream GetEligibleNodes)', () => {
    const objs = [...base, pvc('pvc-a', { volumeName: 'local', bound: true }), pv('local', { hostnames: ['node-b'], claimRef: { name: 'pvc-a', namespace: 'default' } })];
    const e = env(factory, undefined, nodes(), [], objs);
    const pl = e.plugin as unknown as { preFilter: Function };
    const res = pl.preFilter(newCycleState(), newPodInfo(podWith('pvc-a')), e.infos) as { result: PreFilterResult | null; status: Result };
    expect([...(res.result?.nodeNames ?? [])]).toEqual(['node-b']);
  });
});

describe('VolumeBinding Reserve / PreBind / Unreserve', () => {
  function setup(objs: KObject[]) {
    const writes: Array<{ kind: string; name: string; obj: KObject }> = [];
    const byKey = new Map(objs.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
    const writeObject = (<T extends KObject>(kind: string, ns: string, name: string, mutate: (d: T) => void) => {
      const cur = structuredClone(byKey.get(`${kind}/${ns}/${name}`)) as T;
      mutate(cur);
      writes.push({ kind, name, obj: cur });
      return cur;
    }) as Handle['writeObject'];
    const e = env(factory, undefined, nodes(), [], objs, { writeObject });
    const pl = e.plugin as unknown as { preFilter: Function; filter: Function; reserve: Function; unreserve: Function; preBind: Function };
    return { e, pl, writes };
  }
  it('binds the chosen PV to the claim at PreBind; the assumed PV is not offered to the next pod', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'wait-sc' }), pvc('pvc-b', { sc: 'wait-sc' }), pv('pv-1', { sc: 'wait-sc' })];
    const { e, pl, writes } = setup(objs);
    const cs = newCycleState();
    const p = newPodInfo(podWith('pvc-a'));
    pl.preFilter(cs, p, e.infos);
    expect(pl.filter(cs, p, e.infos[0])).toBeNull();
    expect(pl.reserve(cs, p, 'node-a')).toBeNull();
    // A second pod wanting a PV of the same class finds none while pv-1 is assumed.
    const cs2 = newCycleState();
    const p2 = newPodInfo(pod('q', { volumes: [claimVol('pvc-b')] }));
    pl.preFilter(cs2, p2, e.infos);
    expect(pl.filter(cs2, p2, e.infos[0]).reasons).toEqual([ErrReasonBindConflict]);
    // The writes are made, then PreBind waits for the PV controller to finish the binding.
    expect(pl.preBind(cs, p, 'node-a')?.code).toBe(Code.Wait);
    expect(writes).toHaveLength(1);
    const w = writes[0]!;
    expect(w.kind).toBe('PersistentVolume');
    expect((w.obj as unknown as { spec: { claimRef: { name: string; namespace: string } } }).spec.claimRef).toMatchObject({ name: 'pvc-a', namespace: 'default', kind: 'PersistentVolumeClaim' });
    expect(w.obj.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
  });
  it('Unreserve releases the assumed PV', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'wait-sc' }), pvc('pvc-b', { sc: 'wait-sc' }), pv('pv-1', { sc: 'wait-sc' })];
    const { e, pl } = setup(objs);
    const cs = newCycleState();
    const p = newPodInfo(podWith('pvc-a'));
    pl.preFilter(cs, p, e.infos);
    pl.filter(cs, p, e.infos[0]);
    pl.reserve(cs, p, 'node-a');
    pl.unreserve(cs, p, 'node-a');
    const cs2 = newCycleState();
    const p2 = newPodInfo(pod('q', { volumes: [claimVol('pvc-b')] }));
    pl.preFilter(cs2, p2, e.infos);
    expect(pl.filter(cs2, p2, e.infos[0])).toBeNull();
  });
  it('dynamic provisioning writes the selected-node annotation on the claim', () => {
    const objs = [...base, pvc('pvc-a', { sc: 'provision-sc' })];
    const { e, pl, writes } = setup(objs);
    const cs = newCycleState();
    const p = newPodInfo(podWith('pvc-a'));
    pl.preFilter(cs, p, e.infos);
    pl.filter(cs, p, e.infos[1]);
    pl.reserve(cs, p, 'node-b');
    expect(pl.preBind(cs, p, 'node-b')?.code).toBe(Code.Wait);
    expect(writes.map((w) => [w.kind, w.name, w.obj.metadata.annotations?.['volume.kubernetes.io/selected-node']])).toEqual([['PersistentVolumeClaim', 'pvc-a', 'node-b']]);
  });
  it('all bound: nothing is written', () => {
    const objs = [...base, pvc('pvc-a', { volumeName: 'pv-a', bound: true }), pv('pv-a', { claimRef: { name: 'pvc-a', namespace: 'default' } })];
    const { e, pl, writes } = setup(objs);
    const cs = newCycleState();
    const p = newPodInfo(podWith('pvc-a'));
    pl.preFilter(cs, p, e.infos);
    pl.filter(cs, p, e.infos[0]);
    pl.reserve(cs, p, 'node-a');
    expect(pl.preBind(cs, p, 'node-a')).toBeNull();
    expect(writes).toEqual([]);
  });
});

describe('VolumeBinding args (upstream ValidateVolumeBindingArgs)', () => {
  it('defaults bindTimeoutSeconds to 600', () => {
    expect(volumeBindingArgs(undefined)).toEqual({ bindTimeoutSeconds: 600 });
  });
  it('rejects a negative timeout', () => {
    expect(() => volumeBindingArgs({ bindTimeoutSeconds: -1 })).toThrow(FieldErrorList);
    expect(() => volumeBindingArgs({ bindTimeoutSeconds: -1 })).toThrow('bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value');
  });
  it('rejects shape while VolumeCapacityPriority is off', () => {
    expect(() => volumeBindingArgs({ shape: [] })).toThrow('unexpected field `shape`, remove it or turn on the feature gate VolumeCapacityPriority');
  });
});
