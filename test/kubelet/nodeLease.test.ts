/**
 * The kubelet's health signals (src/kubelet/nodeLease.ts): the node Lease in
 * kube-node-lease renewed every 10 s, node status posted when it changes or
 * every 5 minutes, nothing from a stopped kubelet.
 */
import { describe, expect, it } from 'vitest';
import { cluster, getNode, node, startKubelet, stopKubelet } from '../controllers/helpers.ts';
import { formatMicroTime, heartbeatConditions, type Lease } from '../../src/kubelet/nodeLease.ts';

const lease = (sim: ReturnType<typeof cluster>, name: string) => sim.get<Lease>('Lease', 'kube-node-lease', name);

describe('node Lease', () => {
  it('is created for each node, owned by it, and renewed every 10 s with a MicroTime', () => {
    const sim = cluster([node('n1')]);
    sim.runUntil(5);
    const l = lease(sim, 'n1')!;
    const n = getNode(sim, 'n1')!;
    expect(l.spec).toEqual({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.001000Z' });
    expect(l.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: n.metadata.uid }]);
    sim.runUntil(10_000);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:00:10.000000Z');
    sim.runUntil(35_000);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:00:30.000000Z');
  });

  it('a lease deleted between renewals is created again at the next renewal, owned by its node', () => {
    const sim = cluster([node('n1')]);
    sim.runUntil(10_000);
    const first = lease(sim, 'n1')!;
    sim.store.delete('Lease', 'kube-node-lease', 'n1');
    expect(lease(sim, 'n1')).toBeUndefined();
    sim.runUntil(20_000);
    const again = lease(sim, 'n1')!;
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    expect(again.spec).toEqual({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:20.000000Z' });
    expect(again.metadata.ownerReferences).toEqual(first.metadata.ownerReferences);
    sim.runUntil(30_000);
    expect(lease(sim, 'n1')!.metadata.uid).toBe(again.metadata.uid);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:00:30.000000Z');
  });

  it('nodeLeaseDurationSeconds sets the duration and the renew interval (a quarter of it)', () => {
    const sim = cluster([node('n1')], { kubelet: { nodeLeaseDurationSeconds: 20 } });
    sim.runUntil(6_000);
    expect(lease(sim, 'n1')!.spec?.leaseDurationSeconds).toBe(20);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:00:05.000000Z');
  });

  it('a stopped kubelet stops renewing; a restarted one renews and posts Ready at once', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.runUntil(12_000);
    stopKubelet(sim, 'n1');
    sim.runUntil(100_000);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:00:10.000000Z');
    expect(lease(sim, 'n2')!.spec?.renewTime).toBe('2025-01-01T00:01:40.000000Z');
    expect(getNode(sim, 'n1')!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    startKubelet(sim, 'n1');
    sim.runUntil(100_010);
    expect(lease(sim, 'n1')!.spec?.renewTime).toBe('2025-01-01T00:01:40.001000Z');
    const r = getNode(sim, 'n1')!.status?.conditions?.find((c) => c.type === 'Ready');
    expect(r).toMatchObject({ status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2025-01-01T00:01:40Z', lastTransitionTime: '2025-01-01T00:01:40Z' });
  });

  it('deleting the node collects its lease (ownerReference)', () => {
    const sim = cluster([node('n1')]);
    sim.runUntil(1000);
    sim.store.delete('Node', '', 'n1');
    sim.runUntil(2000);
    expect(lease(sim, 'n1')).toBeUndefined();
  });
});

describe('node status reports', () => {
  it('an unchanged status is posted every nodeStatusReportFrequency (5m), refreshing lastHeartbeatTime only', () => {
    const sim = cluster([node('n1')]);
    sim.runUntil(1000);
    const before = getNode(sim, 'n1')!;
    sim.runUntil(299_000);
    expect(getNode(sim, 'n1')!.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    sim.runUntil(301_000);
    const after = getNode(sim, 'n1')!;
    const r = after.status?.conditions?.find((c) => c.type === 'Ready');
    expect(r?.lastHeartbeatTime).toBe('2025-01-01T00:05:00Z');
    expect(r?.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
    expect(after.status?.conditions?.map((c) => c.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  });

  it('nodeStatusReportFrequency comes from the KubeletConfiguration', () => {
    const sim = cluster([node('n1')], { kubelet: { nodeStatusReportFrequency: '1m' } });
    sim.runUntil(61_000);
    expect(getNode(sim, 'n1')!.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime).toBe('2025-01-01T00:01:00Z');
  });

  it('heartbeatConditions keeps non-kubelet conditions and replaces Unknown ones', () => {
    const out = heartbeatConditions(
      [
        { type: 'NetworkUnavailable', status: 'False', lastHeartbeatTime: 'old' },
        { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastHeartbeatTime: 'old', lastTransitionTime: 'old' },
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: 'old', lastTransitionTime: 'old' },
      ],
      'now',
    );
    expect(out.map((c) => [c.type, c.status, c.lastHeartbeatTime, c.lastTransitionTime])).toEqual([
      ['NetworkUnavailable', 'False', 'old', undefined],
      ['Ready', 'True', 'now', 'now'],
      ['MemoryPressure', 'False', 'now', 'old'],
      ['DiskPressure', 'False', 'now', 'now'],
      ['PIDPressure', 'False', 'now', 'now'],
    ]);
  });

  it('formatMicroTime has six fractional digits', () => {
    expect(formatMicroTime(Date.UTC(2025, 0, 1, 0, 0, 10, 250))).toBe('2025-01-01T00:00:10.250000Z');
  });
});
