import { describe, expect, it } from 'vitest';
import type { Pod, Node } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

function node(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } };
}

function boundPod(name: string, nodeName: string, opts: { annotations?: Record<string, string>; restartPolicy?: string } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations: opts.annotations ?? {} },
    spec: { nodeName, restartPolicy: opts.restartPolicy ?? 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

function setup(): Simulation {
  const sim = Simulation.create({ seed: 3 });
  startComponents(sim, {});
  sim.apply(node('n1'));
  return sim;
}

const getPod = (sim: Simulation, name: string) => sim.get('Pod', 'default', name) as (Pod & KObject) | undefined;
const getNode = (sim: Simulation, name: string) => sim.get('Node', '', name) as (Node & KObject) | undefined;

describe('kubelet stand-in: pod lifecycle', () => {
  it('starts a bound pod after the startup latency, with the kubelet condition set and events', () => {
    const sim = setup();
    sim.apply(boundPod('web', 'n1'));
    sim.runUntil(500);
    expect(getPod(sim, 'web')?.status?.phase ?? 'Pending').toBe('Pending');
    sim.runUntil(2000);
    const p = getPod(sim, 'web')!;
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(p.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    expect(p.status?.qosClass).toBe('BestEffort');
    expect(p.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    const reasons = sim.events().filter((e) => e.involvedObject.name === 'web').map((e) => e.reason);
    expect(reasons).toEqual(['Pulled', 'Created', 'Started']);
  });

  it('a finished container under restartPolicy Never makes the pod Succeeded; a failing one Failed', () => {
    const sim = setup();
    sim.apply(boundPod('job-ok', 'n1', { restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '10s' } }));
    sim.apply(boundPod('job-bad', 'n1', { restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '10s', 'ksim.dev/exit-code': '1' } }));
    sim.runUntil(5000);
    expect(getPod(sim, 'job-ok')?.status?.phase).toBe('Running');
    sim.runUntil(20_000);
    expect(getPod(sim, 'job-ok')?.status?.phase).toBe('Succeeded');
    expect(getPod(sim, 'job-ok')?.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    expect(getPod(sim, 'job-bad')?.status?.phase).toBe('Failed');
    expect(getPod(sim, 'job-bad')?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(1);
  });

  it('restartPolicy Always restarts an exited container with back-off (10s, 20s, ...)', () => {
    const sim = setup();
    sim.apply(boundPod('loop', 'n1', { annotations: { 'ksim.dev/run-duration': '1s' } }));
    sim.runUntil(2500);
    const p = getPod(sim, 'loop')!;
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    sim.runUntil(13_000);
    expect(getPod(sim, 'loop')!.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    expect(sim.events().some((e) => e.reason === 'BackOff' && e.type === 'Warning')).toBe(true);
  });

  it('graceful deletion: the kubelet stops containers and removes the pod', () => {
    const sim = setup();
    sim.apply(boundPod('web', 'n1', { annotations: { 'ksim.dev/shutdown-duration': '5s' } }));
    sim.runUntil(2000);
    sim.store.delete('Pod', 'default', 'web');
    expect(getPod(sim, 'web')?.metadata.deletionTimestamp).toBeDefined();
    sim.runUntil(4000);
    expect(getPod(sim, 'web')).toBeDefined();
    sim.runUntil(8000);
    expect(getPod(sim, 'web')).toBeUndefined();
    expect(sim.events().some((e) => e.reason === 'Killing' && e.message === 'Stopping container app')).toBe(true);
  });
});

describe('kubelet stopped (nodeDown) and the node lifecycle controller', () => {
  it('marks the node Unknown once its lease is older than the 50s grace period, taints it, and recovers on nodeUp', () => {
    // Two nodes: with every node of a zone down the controller suspects itself and adds no NoExecute taint.
    const sim = setup();
    sim.apply(node('n2'));
    sim.runUntil(1000);
    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'ksim.dev/kubelet': 'stopped' };
    });
    sim.apply(boundPod('late', 'n1'));
    // The lease was last renewed at start; the controller first observed it at its 5 s pass: Unknown after 5 s + 50 s.
    sim.runUntil(55_000);
    expect(getNode(sim, 'n1')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(getPod(sim, 'late')?.status?.phase ?? 'Pending').toBe('Pending');
    sim.runUntil(61_000);
    const n = getNode(sim, 'n1')!;
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('Unknown');
    expect(ready?.reason).toBe('NodeStatusUnknown');
    expect(ready?.message).toBe('Kubelet stopped posting node status.');
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    // The NoExecute taint comes from the zone's rate-limited queue after the next monitor pass.
    sim.runUntil(66_000);
    expect(getNode(sim, 'n1')!.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(getNode(sim, 'n2')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      delete d.metadata.annotations?.['ksim.dev/kubelet'];
    });
    sim.runUntil(72_000);
    const back = getNode(sim, 'n1')!;
    expect(back.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(back.spec?.taints ?? []).toEqual([]);
    expect(getPod(sim, 'late')?.status?.phase).toBe('Running');
  });

  it('cordon adds the unschedulable NoSchedule taint and uncordon removes it', () => {
    const sim = setup();
    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      d['spec'] = { ...((d['spec'] as object | undefined) ?? {}), unschedulable: true };
    });
    sim.runUntil(100);
    // SwapNodeControllerTaint stamps the taints it adds with timeAdded.
    expect(getNode(sim, 'n1')?.spec?.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2025-01-01T00:00:00Z' }]);
    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      d['spec'] = { ...((d['spec'] as object | undefined) ?? {}), unschedulable: false };
    });
    sim.runUntil(200);
    expect(getNode(sim, 'n1')?.spec?.taints ?? []).toEqual([]);
  });
});
