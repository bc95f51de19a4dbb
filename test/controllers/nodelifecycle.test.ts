/**
 * The node lifecycle controller on small clusters: health only from Leases
 * and Node status, conditions set Unknown (or never updated), NodeNotReady
 * events and MarkPodsNotReady, zone states and the rate-limited NoExecute
 * tainting.
 */
import { describe, expect, it } from 'vitest';
import { cluster, eventsOf, getNode, getPod, node, pod, ready, startKubelet, stopKubelet, taintsOf } from './helpers.ts';
import type { KObject } from '../../src/sim/types.ts';

const zoneNodes = (zone: string, count: number, prefix = zone) =>
  Array.from({ length: count }, (_, i) => node(`${prefix}-${i}`, { 'topology.kubernetes.io/zone': zone }));

describe('node health from Leases and Node status', () => {
  it('a silent node turns Unknown after nodeMonitorGracePeriod, with the NodeNotReady event; Unknown conditions are left alone', () => {
    const sim = cluster([node('n1'), node('n2')], { controllers: { nodeLifecycle: { nodeMonitorGracePeriod: '40s' } } });
    sim.runUntil(2000);
    const heartbeat = ready(sim, 'n1')?.lastHeartbeatTime;
    stopKubelet(sim, 'n1');
    sim.runUntil(45_000);
    expect(ready(sim, 'n1')?.status).toBe('True');
    sim.runUntil(50_000);
    const conds = getNode(sim, 'n1')!.status!.conditions!;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(conds.find((c) => c.type === type)).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastHeartbeatTime: heartbeat,
        lastTransitionTime: '2025-01-01T00:00:50Z',
      });
    }
    const ev = eventsOf(sim, 'NodeNotReady').filter((e) => e.involvedObject.kind === 'Node');
    expect(ev.map((e) => [e.message, e.source.component])).toEqual([['Node n1 status is now: NodeNotReady', 'node-controller']]);
    expect(eventsOf(sim, 'RegisteredNode').map((e) => e.message)).toEqual(['Node n1 event: Registered Node n1 in Controller', 'Node n2 event: Registered Node n2 in Controller']);
    const rv = getNode(sim, 'n1')!.metadata.resourceVersion;
    sim.runUntil(120_000);
    // Already Unknown: no further status writes from the controller.
    expect(getNode(sim, 'n1')!.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2025-01-01T00:00:50Z');
    expect(Number(getNode(sim, 'n1')!.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    expect(ready(sim, 'n2')?.status).toBe('True');
  });

  it('a node whose kubelet never posted status gets NodeStatusNeverUpdated after the 60s startup grace period', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.runUntil(1000);
    stopKubelet(sim, 'n1');
    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      (d['status'] as { conditions?: unknown }).conditions = [];
    }, { subresource: 'status' });
    const created = getNode(sim, 'n1')!.metadata.creationTimestamp;
    sim.runUntil(60_000);
    expect(ready(sim, 'n1')).toBeUndefined();
    sim.runUntil(70_000);
    const conds = getNode(sim, 'n1')!.status!.conditions!;
    expect(conds.map((c) => c.type)).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    for (const c of conds) {
      expect(c).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: created });
    }
  });

  it('a renewed lease keeps a node healthy even when its status is old', () => {
    const sim = cluster([node('n1'), node('n2')], { kubelet: { nodeStatusReportFrequency: '1h' } });
    sim.runUntil(600_000);
    expect(ready(sim, 'n1')?.status).toBe('True');
    expect(ready(sim, 'n1')?.lastHeartbeatTime).toBe('2025-01-01T00:00:00Z');
  });

  it('MarkPodsNotReady: pods on the node get Ready=False and a NodeNotReady warning', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('web-1', 'n1'));
    sim.runUntil(3000);
    expect(getPod(sim, 'web-1')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    stopKubelet(sim, 'n1');
    sim.runUntil(70_000);
    const r = getPod(sim, 'web-1')!.status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(r.status).toBe('False');
    expect(r.lastTransitionTime).toBe(ready(sim, 'n1')?.lastTransitionTime);
    const ev = eventsOf(sim, 'NodeNotReady').filter((e) => e.involvedObject.kind === 'Pod');
    expect(ev.map((e) => [e.type, e.involvedObject.name, e.message])).toEqual([['Warning', 'web-1', 'Node is not ready']]);
    // The kubelet comes back and writes its own view of the pod again.
    startKubelet(sim, 'n1');
    sim.runUntil(75_000);
    expect(getPod(sim, 'web-1')!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('pods bound to a node that is not Ready (processPod)', () => {
  it('are marked Ready=False when bound, each once and in binding order; pods bound to a Ready node are left alone', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.runUntil(3000);
    stopKubelet(sim, 'n1');
    sim.runUntil(70_000);
    expect(ready(sim, 'n1')?.status).toBe('Unknown');
    // The test binds the pods with a Ready condition of their own: n1's kubelet is stopped and would write none.
    const bind = (name: string, nodeName: string) => {
      sim.store.create(pod(name, nodeName), { actor: 'test' });
      sim.store.patch<KObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(
        'Pod',
        'default',
        name,
        (d) => void ((d.status ??= {}).conditions = [{ type: 'Ready', status: 'True' }]),
        { subresource: 'status', actor: 'test' },
      );
    };
    bind('web-b', 'n1');
    bind('web-c', 'n2');
    bind('web-a', 'n1');
    sim.runUntil(71_000);
    const ev = eventsOf(sim, 'NodeNotReady').filter((e) => e.involvedObject.kind === 'Pod');
    expect(ev.map((e) => [e.involvedObject.name, e.message])).toEqual([
      ['web-b', 'Node is not ready'],
      ['web-a', 'Node is not ready'],
    ]);
    expect(getPod(sim, 'web-a')!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(getPod(sim, 'web-c')!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('NoExecute tainting by zone', () => {
  it('two nodes down in a healthy zone are tainted one per 10 s (nodeEvictionRate 0.1)', () => {
    const sim = cluster(zoneNodes('a', 6));
    sim.runUntil(1000);
    stopKubelet(sim, 'a-1');
    stopKubelet(sim, 'a-2');
    const tainted = new Map<string, number>();
    for (let t = 50_000; t <= 120_000; t += 500) {
      sim.runUntil(t);
      for (const n of ['a-1', 'a-2']) if (!tainted.has(n) && taintsOf(sim, n).includes('node.kubernetes.io/unreachable:NoExecute')) tainted.set(n, t);
    }
    expect([...tainted.keys()].sort()).toEqual(['a-1', 'a-2']);
    const [t1, t2] = [...tainted.values()].sort((x, y) => x - y) as [number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(9_500);
    expect(t2 - t1).toBeLessThanOrEqual(10_500);
    const noExec = getNode(sim, 'a-1')!.spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    expect(noExec.timeAdded).toMatch(/^2025-01-01T00:01:\d\dZ$/);
  });

  it('a small zone in PartialDisruption (3 of 5 down) is not tainted at all; the healthy zone is unaffected', () => {
    const sim = cluster([...zoneNodes('a', 5), ...zoneNodes('b', 2)]);
    sim.runUntil(1000);
    for (const n of ['a-0', 'a-1', 'a-2']) stopKubelet(sim, n);
    sim.runUntil(180_000);
    for (const n of ['a-0', 'a-1', 'a-2']) {
      expect(ready(sim, n)?.status).toBe('Unknown');
      expect(taintsOf(sim, n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }
  });

  it('one zone fully down while another is healthy: the down zone is tainted at the normal rate', () => {
    const sim = cluster([...zoneNodes('a', 2), ...zoneNodes('b', 2)]);
    sim.runUntil(1000);
    stopKubelet(sim, 'a-0');
    stopKubelet(sim, 'a-1');
    sim.runUntil(120_000);
    expect(taintsOf(sim, 'a-0')).toContain('node.kubernetes.io/unreachable:NoExecute');
    expect(taintsOf(sim, 'a-1')).toContain('node.kubernetes.io/unreachable:NoExecute');
  });

  it('every zone fully down: the controller suspects itself and adds no NoExecute taint', () => {
    const sim = cluster([...zoneNodes('a', 2), ...zoneNodes('b', 2)]);
    sim.runUntil(1000);
    for (const n of ['a-0', 'a-1', 'b-0', 'b-1']) stopKubelet(sim, n);
    sim.runUntil(180_000);
    for (const n of ['a-0', 'a-1', 'b-0', 'b-1']) {
      expect(ready(sim, n)?.status).toBe('Unknown');
      expect(taintsOf(sim, n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }
  });

  it('a node that comes back loses its taints', () => {
    const sim = cluster(zoneNodes('a', 3));
    sim.runUntil(1000);
    stopKubelet(sim, 'a-0');
    sim.runUntil(90_000);
    expect(taintsOf(sim, 'a-0')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    sim.store.patch('Node', '', 'a-0', (d: KObject) => {
      delete d.metadata.annotations?.['ksim.dev/kubelet'];
    });
    sim.runUntil(100_000);
    expect(ready(sim, 'a-0')?.status).toBe('True');
    expect(taintsOf(sim, 'a-0')).toEqual([]);
  });
});
