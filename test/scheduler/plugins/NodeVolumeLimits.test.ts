/**
 * NodeVolumeLimits (CSILimits), ported from kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/nodevolumelimits/csi_test.go (TestCSILimits).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import { factory, ErrReasonMaxVolumeCountExceeded, getCSIAttachLimitKey } from '../../../src/scheduler/plugins/NodeVolumeLimits.ts';
import { Code, env, node, pod, runFilter } from './h8util.ts';
import { claimVol, csiNode, pv, pvc, sc } from './volumeObjs.ts';

const EBS = 'ebs.csi.aws.com';
const GCE = 'pd.csi.storage.gke.io';

function volObjs(): KObject[] {
  const out: KObject[] = [sc('csi-sc', 'WaitForFirstConsumer', EBS)];
  for (const i of [0, 1, 2, 3]) {
    out.push(pv(`pv-ebs-${i}`, { csi: { driver: EBS, volumeHandle: `vol-ebs-${i}` } }));
    out.push(pvc(`ebs-${i}`, { volumeName: `pv-ebs-${i}`, bound: true }));
  }
  out.push(pv('pv-gce-0', { csi: { driver: GCE, volumeHandle: 'vol-gce-0' } }), pvc('gce-0', { volumeName: 'pv-gce-0', bound: true }));
  out.push(pvc('unbound-0', { sc: 'csi-sc' }), pvc('unbound-1', { sc: 'csi-sc' }));
  out.push(pvc('no-sc', { sc: '' }));
  return out;
}

const podWith = (name: string, claims: string[], nodeName?: string): Pod => pod(name, { volumes: claims.map((c) => claimVol(c)), ...(nodeName ? { node: nodeName } : {}) });

describe('NodeVolumeLimits filter (upstream TestCSILimits)', () => {
  const cases: Array<{ name: string; pod: Pod; existing: Pod[]; limit?: number; driverLimits?: Array<{ name: string; count?: number }>; want: Code; reason?: string }> = [
    { name: 'fits when node volume limit >= new pods CSI volume', pod: podWith('p', ['ebs-0']), existing: [podWith('e', ['ebs-1'], 'n1')], driverLimits: [{ name: EBS, count: 4 }], want: Code.Success },
    {
      name: "doesn't when node volume limit <= pods CSI volume",
      pod: podWith('p', ['ebs-0']),
      existing: [podWith('e', ['ebs-1', 'ebs-2'], 'n1')],
      driverLimits: [{ name: EBS, count: 2 }],
      want: Code.Unschedulable,
      reason: ErrReasonMaxVolumeCountExceeded,
    },
    { name: 'should when driver does not support volume limits', pod: podWith('p', ['ebs-0']), existing: [podWith('e', ['ebs-1', 'ebs-2'], 'n1')], driverLimits: [{ name: EBS }], want: Code.Success },
    { name: 'count volume shared with an existing pod only once', pod: podWith('p', ['ebs-0', 'ebs-1']), existing: [podWith('e', ['ebs-1'], 'n1')], driverLimits: [{ name: EBS, count: 2 }], want: Code.Success },
    {
      name: 'count unbound claims through their storage class provisioner',
      pod: podWith('p', ['unbound-0', 'unbound-1']),
      existing: [podWith('e', ['ebs-1'], 'n1')],
      driverLimits: [{ name: EBS, count: 2 }],
      want: Code.Unschedulable,
      reason: ErrReasonMaxVolumeCountExceeded,
    },
    { name: 'limits are per driver', pod: podWith('p', ['gce-0']), existing: [podWith('e', ['ebs-1', 'ebs-2'], 'n1')], driverLimits: [{ name: EBS, count: 2 }, { name: GCE, count: 1 }], want: Code.Success },
    { name: 'no CSINode: no limits', pod: podWith('p', ['ebs-0']), existing: [podWith('e', ['ebs-1', 'ebs-2'], 'n1')], want: Code.Success },
    { name: 'claim without class and volume is not counted', pod: podWith('p', ['no-sc']), existing: [podWith('e', ['ebs-1'], 'n1')], driverLimits: [{ name: EBS, count: 1 }], want: Code.Success },
    {
      name: 'missing PVC of the new pod is unresolvable',
      pod: podWith('p', ['missing']),
      existing: [],
      driverLimits: [{ name: EBS, count: 1 }],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'looking up PVC default/missing: persistentvolumeclaim "missing" not found',
    },
    { name: 'missing PVC of an existing pod is not counted', pod: podWith('p', ['ebs-0']), existing: [podWith('e', ['missing'], 'n1')], driverLimits: [{ name: EBS, count: 1 }], want: Code.Success },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const objs = volObjs();
      if (c.driverLimits) objs.push(csiNode('n1', c.driverLimits));
      const e = env(factory, undefined, [node('n1')], c.existing, objs);
      const v = runFilter(e, c.pod).byNode['n1']!;
      expect(v.code).toBe(c.want);
      if (c.reason) expect(v.reasons).toEqual([c.reason]);
    });
  }

  it('limits from node allocatable attachable-volumes-csi-* when there is no CSINode count', () => {
    const e = env(factory, undefined, [node('n1', {}, undefined, { [`attachable-volumes-csi-${EBS}`]: '1' })], [podWith('e', ['ebs-1'], 'n1')], volObjs());
    expect(runFilter(e, podWith('p', ['ebs-0'])).byNode['n1']!.code).toBe(Code.Unschedulable);
  });

  it('a pod without PVCs is skipped at PreFilter', () => {
    const e = env(factory, undefined, [node('n1')], [], volObjs());
    expect(runFilter(e, pod('p')).pre.code).toBe(Code.Skip);
  });

  it('attach limit keys (upstream GetCSIAttachLimitKey)', () => {
    expect(getCSIAttachLimitKey('ebs.csi.aws.com')).toBe('attachable-volumes-csi-ebs.csi.aws.com');
    const long = 'a-very-long-csi-driver-name.example.storage.vendor.com';
    const k = getCSIAttachLimitKey(long);
    expect(k.startsWith('attachable-volumes-csi-' + long.slice(0, 23))).toBe(true);
    expect(k.length).toBe('attachable-volumes-csi-'.length + 23 + 16);
  });
});
