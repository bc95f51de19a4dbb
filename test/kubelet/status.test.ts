/** Pod status as generateAPIPodStatus reports it, probes, readiness gates, sidecars and image pulls. */
import { describe, expect, it } from 'vitest';
import type { Writable } from '../../src/sim/types.ts';
import { boundPod, cluster, condition, getNode, getPod, node } from './helpers.ts';

const conds = (sim: ReturnType<typeof cluster>, name: string) => getPod(sim, name)?.status?.conditions?.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);

describe('pod status', () => {
  it('Ready waits for the readiness probe: ContainersNotReady with the unready containers named', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('web', 'n1', { container: { readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 } } }));
    sim.runUntil(1001);
    const ready = condition(getPod(sim, 'web'), 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(condition(getPod(sim, 'web'), 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(getPod(sim, 'web')?.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    sim.runUntil(6001);
    expect(conds(sim, 'web')).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });

  it('a startup probe holds started=false until it succeeds; readiness follows it', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('slow', 'n1', { container: { startupProbe: { exec: { command: ['true'] }, initialDelaySeconds: 20 }, readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5, periodSeconds: 10 } } }));
    sim.runUntil(10_000);
    expect(getPod(sim, 'slow')?.status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    sim.runUntil(21_001);
    expect(getPod(sim, 'slow')?.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: false });
    // Readiness probes run at 5s, 15s, 25s after start: the first after startup succeeds is at 26s.
    sim.runUntil(26_001);
    expect(getPod(sim, 'slow')?.status?.containerStatuses?.[0]).toMatchObject({ started: true, ready: true });
  });

  it('readinessGates: Ready waits for the gate condition another writer sets', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('gated', 'n1', { spec: { readinessGates: [{ conditionType: 'example.com/lb' }] } }));
    sim.runUntil(2000);
    expect(condition(getPod(sim, 'gated'), 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
    expect(condition(getPod(sim, 'gated'), 'ContainersReady')?.status).toBe('True');
  });

  it('keeps conditions it does not own (DisruptionTarget) across its own status writes', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('loop', 'n1', { annotations: { 'ksim.dev/run-duration': '5s' } }));
    sim.runUntil(2000);
    sim.store.patch<Writable<{ apiVersion: string; kind: string; metadata: object; status?: { conditions?: unknown[] } }>>('Pod', 'default', 'loop', (d) => {
      d.status!.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'x', lastTransitionTime: '2025-01-01T00:00:02Z' });
    }, { subresource: 'status' });
    sim.runUntil(7000); // the container exits and the kubelet writes CrashLoopBackOff
    expect(getPod(sim, 'loop')?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(condition(getPod(sim, 'loop'), 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'PreemptionByScheduler' });
  });

  it('sidecars (restartable init containers) keep running and count for readiness; init containers complete first', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('side', 'n1', { spec: { initContainers: [{ name: 'init', image: 'busybox:1' }, { name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }] } }));
    sim.runUntil(2000);
    const st = getPod(sim, 'side')!.status!;
    expect(st.initContainerStatuses?.map((s) => [s.name, Object.keys(s.state ?? {})[0], s.ready])).toEqual([['init', 'terminated', false], ['proxy', 'running', true]]);
    expect(condition(getPod(sim, 'side'), 'Initialized')?.status).toBe('True');
    expect(condition(getPod(sim, 'side'), 'Ready')?.status).toBe('True');
  });

  it('qosClass, startTime, hostIP/podIP and container IDs are reported', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('g', 'n1', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }));
    sim.runUntil(2000);
    const st = getPod(sim, 'g')!.status!;
    expect(st.qosClass).toBe('Guaranteed');
    expect(st.startTime).toBe('2025-01-01T00:00:01Z');
    expect(st.podIP).toMatch(/^10\.244\./);
    expect(st.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\//);
  });
});

describe('images', () => {
  const images = { 'registry.example.com/big:2': { size: '500Mi', pullTime: '20s' }, 'small:1': { size: '10Mi', pullTime: '1500ms' } };

  it('pulls configured images once per node, serialized, with upstream event messages; node.status.images lists them', () => {
    const sim = cluster([], { images });
    sim.apply(node('n1'));
    sim.apply(boundPod('a', 'n1', { image: 'registry.example.com/big:2' }));
    sim.apply(boundPod('b', 'n1', { image: 'small:1' }));
    sim.runUntil(5000);
    expect(getPod(sim, 'a')?.status).toMatchObject({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(condition(getPod(sim, 'a'), 'PodReadyToStartContainers')?.status).toBe('True');
    sim.runUntil(30_000);
    const msgs = sim.events().filter((e) => e.reason === 'Pulling' || e.reason === 'Pulled').map((e) => `${e.involvedObject.name} ${e.reason} ${e.message}`);
    expect(msgs).toEqual([
      'a Pulling Pulling image "registry.example.com/big:2"',
      'b Pulling Pulling image "small:1"',
      'a Pulled Successfully pulled image "registry.example.com/big:2" in 20s (20s including waiting). Image size: 524288000 bytes.',
      'b Pulled Successfully pulled image "small:1" in 1.5s (21.5s including waiting). Image size: 10485760 bytes.',
    ]);
    // While pulling: Pending, the container waiting in ContainerCreating, the sandbox ready.
    expect(getPod(sim, 'a')?.status?.startTime).toBe('2025-01-01T00:00:00Z');
    // Running podStartup (1s) after its image is there.
    expect(getPod(sim, 'a')?.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBe('2025-01-01T00:00:21Z');
    expect(getNode(sim, 'n1')?.status?.images).toEqual([
      { names: ['registry.example.com/big:2'], sizeBytes: 524288000 },
      { names: ['docker.io/library/small:1', 'small:1'], sizeBytes: 10485760 },
    ]);
    sim.apply(boundPod('c', 'n1', { image: 'small:1' }));
    sim.runUntil(40_000);
    expect(sim.events().find((e) => e.involvedObject.name === 'c' && e.reason === 'Pulled')?.message).toBe('Container image "small:1" already present on machine');
  });

  it('image GC: above imageGCHighThresholdPercent, unused images older than imageMinimumGCAge go, least recently used first', () => {
    const big = { 'one:1': { size: '3Gi', pullTime: '10s' }, 'two:1': { size: '3Gi', pullTime: '10s' }, 'three:1': { size: '3Gi', pullTime: '10s' } };
    const sim = cluster([], { images: big, kubelet: { imageMinimumGCAge: '1m' } });
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' }));
    const job = (name: string, image: string) => boundPod(name, 'n1', { image, restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '5s' } });
    sim.apply(job('a', 'one:1'));
    sim.runUntil(3 * 60_000);
    sim.apply(job('b', 'two:1'));
    sim.runUntil(6 * 60_000);
    expect(getNode(sim, 'n1')?.status?.images?.map((i) => i.names?.at(-1))).toEqual(['one:1', 'two:1']);
    // The third 3Gi image makes 9Gi of 10Gi (90% > 85%): GC frees down to 80%, the oldest unused image first.
    sim.apply(job('c', 'three:1'));
    sim.runUntil(7 * 60_000);
    expect(getNode(sim, 'n1')?.status?.images?.map((i) => i.names?.at(-1))).toEqual(['three:1', 'two:1']);
  });

  it('imagePullPolicy Never on a missing image: ErrImageNeverPull, the pod stays Pending', () => {
    const sim = cluster([], { images });
    sim.apply(node('n1'));
    sim.apply(boundPod('never', 'n1', { image: 'small:1', imagePullPolicy: 'Never' }));
    sim.runUntil(5000);
    const p = getPod(sim, 'never')!;
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "small:1" is not present with pull policy of Never' });
    expect(sim.events().find((e) => e.reason === 'ErrImageNeverPull')?.type).toBe('Warning');
  });

  it('serializeImagePulls: false pulls in parallel', () => {
    const sim = cluster([], { images, kubelet: { serializeImagePulls: false } });
    sim.apply(node('n1'));
    sim.apply(boundPod('a', 'n1', { image: 'registry.example.com/big:2' }));
    sim.apply(boundPod('b', 'n1', { image: 'small:1' }));
    sim.runUntil(3000);
    expect(sim.events().find((e) => e.involvedObject.name === 'b' && e.reason === 'Pulled')?.message).toBe('Successfully pulled image "small:1" in 1.5s (1.5s including waiting). Image size: 10485760 bytes.');
  });
});

describe('probe failure model', () => {
  it('ksim.dev/liveness-failure-rate: 1 restarts the container after failureThreshold failures', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('sick', 'n1', { annotations: { 'ksim.dev/liveness-failure-rate': '1' }, container: { livenessProbe: { exec: { command: ['true'] }, periodSeconds: 10, failureThreshold: 3 } } }));
    sim.runUntil(32_000);
    const cs = getPod(sim, 'sick')!.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBe(1);
    expect(sim.events().find((e) => e.reason === 'Killing')?.message).toBe('Container app failed liveness probe, will be restarted');
    expect(sim.events().find((e) => e.reason === 'Unhealthy')?.message).toBe('Liveness probe failed: ');
  });

  it('ksim.dev/readiness-failure-rate: 1 makes the container unready after failureThreshold failures', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('flaky', 'n1', { annotations: { 'ksim.dev/readiness-failure-rate': '1' }, container: { readinessProbe: { exec: { command: ['true'] }, periodSeconds: 10, failureThreshold: 3 } } }));
    sim.runUntil(2000);
    expect(condition(getPod(sim, 'flaky'), 'Ready')?.status).toBe('True');
    sim.runUntil(32_000);
    expect(condition(getPod(sim, 'flaky'), 'Ready')).toMatchObject({ status: 'False', message: 'containers with unready status: [app]' });
  });
});

describe('graceful termination', () => {
  it('a deleted pod stops after its preStop sleep plus shutdown time, capped by the grace period', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('web', 'n1', { annotations: { 'ksim.dev/shutdown-duration': '3s' }, container: { lifecycle: { preStop: { sleep: { seconds: 7 } } } } }));
    sim.apply(boundPod('capped', 'n1', { spec: { terminationGracePeriodSeconds: 5 }, container: { lifecycle: { preStop: { sleep: { seconds: 60 } } } } }));
    sim.runUntil(2000);
    sim.store.delete('Pod', 'default', 'web');
    sim.store.delete('Pod', 'default', 'capped');
    sim.runUntil(2000 + 9000);
    expect(getPod(sim, 'web')).toBeDefined();
    expect(getPod(sim, 'capped')).toBeUndefined();
    sim.runUntil(2000 + 10_100);
    expect(getPod(sim, 'web')).toBeUndefined();
    expect(sim.events().filter((e) => e.reason === 'Killing').map((e) => `${e.involvedObject.name}: ${e.message}`)).toEqual(['web: Stopping container app', 'capped: Stopping container app']);
  });
});

describe('readiness with a finite run', () => {
  it('a container with a readiness probe and ksim.dev/run-duration still becomes Ready before it exits', () => {
    const sim = cluster();
    sim.apply(node('n1'));
    sim.apply(boundPod('job', 'n1', { restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '60s' }, container: { readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 10 } } }));
    sim.runUntil(5000);
    expect(condition(getPod(sim, 'job'), 'Ready')?.status).toBe('False');
    sim.runUntil(12_000);
    expect(condition(getPod(sim, 'job'), 'Ready')?.status).toBe('True');
    sim.runUntil(62_000);
    expect(getPod(sim, 'job')?.status?.phase).toBe('Succeeded');
  });
});
