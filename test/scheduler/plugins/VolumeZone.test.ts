/**
 * VolumeZone, ported from kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/volumezone/volume_zone_test.go
 * (TestSingleZone, TestMultiZone, TestWithBinding).
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sim/types.ts';
import { factory, ErrReasonConflict } from '../../../src/scheduler/plugins/VolumeZone.ts';
import { Code, env, node, pod, runFilter } from './h8util.ts';
import { claimVol, pv, pvc, sc } from './volumeObjs.ts';

const BZ = 'failure-domain.beta.kubernetes.io/zone';
const BR = 'failure-domain.beta.kubernetes.io/region';
const Z = 'topology.kubernetes.io/zone';
const R = 'topology.kubernetes.io/region';

const objs: KObject[] = [
  pv('Vol_1', { labels: { [BZ]: 'us-west1-a' } }),
  pv('Vol_2', { labels: { [BR]: 'us-west1-b', uselessLabel: 'none' } }),
  pv('Vol_3', { labels: { [BR]: 'us-west1-c' } }),
  pv('Vol_Stable_1', { labels: { [Z]: 'us-west1-a' } }),
  pv('Vol_Stable_2', { labels: { [R]: 'us-west1-b', uselessLabel: 'none' } }),
  pv('Vol_multi', { labels: { [BZ]: 'us-west1-a__us-west1-b' } }),
  pvc('PVC_1', { volumeName: 'Vol_1', bound: true }),
  pvc('PVC_2', { volumeName: 'Vol_2', bound: true }),
  pvc('PVC_3', { volumeName: 'Vol_3', bound: true }),
  pvc('PVC_4', { volumeName: 'Vol_not_exist', bound: true }),
  pvc('PVC_Stable_1', { volumeName: 'Vol_Stable_1', bound: true }),
  pvc('PVC_Stable_2', { volumeName: 'Vol_Stable_2', bound: true }),
  pvc('PVC_multi', { volumeName: 'Vol_multi', bound: true }),
  pvc('PVC_WFFC', { sc: 'wffc' }),
  pvc('PVC_Immediate', { sc: 'immediate' }),
  pvc('PVC_NoSC', { sc: '' }),
  sc('wffc', 'WaitForFirstConsumer'),
  sc('immediate', 'Immediate'),
];

describe('VolumeZone filter (upstream TestSingleZone / TestMultiZone / TestWithBinding)', () => {
  const cases: Array<{ name: string; claims: string[]; labels: Record<string, string>; want: Code; reason?: string }> = [
    { name: 'pod without volume', claims: [], labels: { [BZ]: 'us-west1-a' }, want: Code.Success },
    { name: 'node without labels', claims: ['PVC_1'], labels: {}, want: Code.Success },
    { name: 'beta zone label matched', claims: ['PVC_1'], labels: { [BZ]: 'us-west1-a', uselessLabel: 'none' }, want: Code.Success },
    { name: 'beta region label matched', claims: ['PVC_2'], labels: { [BR]: 'us-west1-b', uselessLabel: 'none' }, want: Code.Success },
    { name: 'beta region label doesn\'t match', claims: ['PVC_2'], labels: { [BR]: 'no_us-west1-b', uselessLabel: 'none' }, want: Code.UnschedulableAndUnresolvable, reason: ErrReasonConflict },
    { name: 'beta zone label doesn\'t match', claims: ['PVC_1'], labels: { [BZ]: 'no_us-west1-a', uselessLabel: 'none' }, want: Code.UnschedulableAndUnresolvable, reason: ErrReasonConflict },
    { name: 'zone label matched', claims: ['PVC_Stable_1'], labels: { [Z]: 'us-west1-a', uselessLabel: 'none' }, want: Code.Success },
    { name: 'region label matched', claims: ['PVC_Stable_2'], labels: { [R]: 'us-west1-b', uselessLabel: 'none' }, want: Code.Success },
    { name: 'region label doesn\'t match', claims: ['PVC_Stable_2'], labels: { [R]: 'no_us-west1-b' }, want: Code.UnschedulableAndUnresolvable, reason: ErrReasonConflict },
    { name: 'zone label doesn\'t match', claims: ['PVC_Stable_1'], labels: { [Z]: 'no_us-west1-a' }, want: Code.UnschedulableAndUnresolvable, reason: ErrReasonConflict },
    { name: 'pv with zone and region, node with only zone (beta PV label matched by GA node label)', claims: ['PVC_1'], labels: { [Z]: 'us-west1-a' }, want: Code.Success },
    { name: 'multi-zone PV label matches either zone', claims: ['PVC_multi'], labels: { [BZ]: 'us-west1-b' }, want: Code.Success },
    { name: 'multi-zone PV label does not match a third zone', claims: ['PVC_multi'], labels: { [BZ]: 'us-west1-c' }, want: Code.UnschedulableAndUnresolvable, reason: ErrReasonConflict },
    { name: 'PVC with WaitForFirstConsumer class and no PV is skipped', claims: ['PVC_WFFC'], labels: { [Z]: 'z' }, want: Code.Success },
    { name: 'unbound PVC with Immediate class', claims: ['PVC_Immediate'], labels: { [Z]: 'z' }, want: Code.UnschedulableAndUnresolvable, reason: 'PersistentVolume had no name' },
    { name: 'unbound PVC without class', claims: ['PVC_NoSC'], labels: { [Z]: 'z' }, want: Code.UnschedulableAndUnresolvable, reason: 'PersistentVolumeClaim had no pv name and storageClass name' },
    { name: 'PVC not found', claims: ['PVC_missing'], labels: { [Z]: 'z' }, want: Code.UnschedulableAndUnresolvable, reason: 'persistentvolumeclaim "PVC_missing" not found' },
    { name: 'PV not found', claims: ['PVC_4'], labels: { [Z]: 'z' }, want: Code.UnschedulableAndUnresolvable, reason: 'persistentvolume "Vol_not_exist" not found' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = env(factory, undefined, [node('host1', c.labels)], [], objs);
      const v = runFilter(e, pod('p', { volumes: c.claims.map((n) => claimVol(n)) })).byNode['host1']!;
      expect(v.code).toBe(c.want);
      if (c.reason) expect(v.reasons).toEqual([c.reason]);
    });
  }
  it('reason is upstream ErrReasonConflict', () => {
    expect(ErrReasonConflict).toBe('node(s) had no available volume zone');
  });
  it('a pod whose volumes carry no topology is skipped at PreFilter', () => {
    const e = env(factory, undefined, [node('host1', { [Z]: 'z' })], [], [pv('plain'), pvc('c', { volumeName: 'plain', bound: true })]);
    expect(runFilter(e, pod('p', { volumes: [claimVol('c')] })).pre.code).toBe(Code.Skip);
  });
});
