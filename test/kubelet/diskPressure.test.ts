/** DiskPressure and PIDPressure: node-level reclaim (unused images) before eviction, ranking by disk use, admission. */
import { describe, expect, it } from 'vitest';
import { boundPod, cluster, condition, getNode, getPod, node } from './helpers.ts';

const MIN = 60_000;

describe('disk pressure', () => {
  it('deletes unused images first; when that is not enough evicts the pod writing the most above its request', () => {
    const sim = cluster(
      [{ namespace: 'default', selector: { matchLabels: { app: 'writer' } }, ephemeralStorage: { type: 'ramp', from: '0', to: '12Gi', duration: '40m' } }],
      // Image GC (high 95%) would act only after the eviction manager (imagefs.available < 15%).
      { images: { 'big:1': { size: '3Gi', pullTime: '5s' } }, kubelet: { imageGCHighThresholdPercent: 95, imageGCLowThresholdPercent: 90 } },
    );
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' }));
    sim.apply(boundPod('old', 'n1', { image: 'big:1', restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '10s' } }));
    sim.apply(boundPod('writer', 'n1'));
    sim.runUntil(MIN);
    expect(getPod(sim, 'old')?.status?.phase).toBe('Succeeded');
    expect(getNode(sim, 'n1')?.status?.images?.[0]?.sizeBytes).toBe(3 * 2 ** 30);
    // imagefs.available < 15% of 10Gi is crossed once the image (3Gi) + writes pass 8.5Gi: at ~18m20s.
    sim.runUntil(20 * MIN);
    const evs = sim.events();
    expect(evs.find((e) => e.reason === 'EvictionThresholdMet')?.message).toBe('Attempting to reclaim ephemeral-storage');
    // The unused image went first: the node lists none, and the writer still runs.
    expect(getNode(sim, 'n1')?.status?.images).toEqual([]);
    expect(getPod(sim, 'writer')?.status?.phase).toBe('Running');
    expect(condition(getNode(sim, 'n1'), 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
    // DiskPressure rejects every new pod, whatever its QoS.
    sim.apply(boundPod('late', 'n1', { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '100Mi' } }));
    sim.runUntil(20 * MIN + 2000);
    expect(getPod(sim, 'late')?.status?.message).toBe('Pod was rejected: The node had condition: [DiskPressure]. ');
    // Later (~28m20s) the writer alone passes the threshold: it is evicted.
    sim.runUntil(40 * MIN);
    const w = getPod(sim, 'writer')!;
    expect(w.status?.reason).toBe('Evicted');
    // 15% of 10Gi with upstream's float32 percentage: 1610612800 bytes, not divisible by 1024, so printed bare.
    expect(w.status?.message).toBe('The node was low on resource: ephemeral-storage. Threshold quantity: 1610612800, available: 1536Mi. Container app was using 8704Mi, request is 0, has larger consumption of ephemeral-storage. ');
  });
});

describe('PID pressure', () => {
  it('pid.available below its threshold: PIDPressure and the pod with the most processes (lowest priority first) evicted', () => {
    const sim = cluster(
      [
        { namespace: 'default', selector: { matchLabels: { app: 'forker' } }, pids: { type: 'ramp', from: 10, to: 200_000, duration: '10m' } },
        { namespace: 'default', selector: { matchLabels: { app: 'calm' } }, pids: 50 },
      ],
      { kubelet: { evictionHard: { 'pid.available': '4000000' } } },
    );
    sim.apply(node('n1'));
    sim.apply(boundPod('forker', 'n1'));
    sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: -10 });
    sim.apply(boundPod('calm', 'n1', { spec: { priorityClassName: 'low' } }));
    sim.runUntil(10 * MIN);
    expect(condition(getNode(sim, 'n1'), 'PIDPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientPID' });
    // rankPIDPressure: priority first, so the low-priority calm pod goes before the forker.
    expect(getPod(sim, 'calm')?.status?.reason).toBe('Evicted');
    expect(getPod(sim, 'calm')?.status?.message).toBe('The node was low on resource: pids. Threshold quantity: 4M, available: ' + getPod(sim, 'calm')!.status!.message!.split('available: ')[1]);
  });

  it('podPidsLimit caps a pod’s processes', () => {
    const pressure = (kubelet: Record<string, unknown>) => {
      const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'forker' } }, pids: 100_000 }], { kubelet: { ...kubelet, evictionHard: { 'pid.available': '4100000' } } });
      sim.apply(node('n1'));
      sim.apply(boundPod('forker', 'n1'));
      sim.runUntil(MIN);
      return condition(getNode(sim, 'n1'), 'PIDPressure')?.status;
    };
    // 4194304 pid_max - 300 system - 100000 = 4094004 available: below 4.1M.
    expect(pressure({})).toBe('True');
    // Capped at 1024: 4192980 available, no pressure.
    expect(pressure({ podPidsLimit: 1024 })).toBe('False');
  });
});

describe('dead containers', () => {
  it('an exited container’s writes stay on disk until reclaimed: the eviction manager deletes them before evicting', () => {
    const sim = cluster(
      [
        { namespace: 'default', selector: { matchLabels: { app: 'crash' } }, ephemeralStorage: { type: 'ramp', from: '0', to: '8Gi', duration: '4m', clock: 'container' } },
        { namespace: 'default', selector: { matchLabels: { app: 'keep' } }, ephemeralStorage: '1Gi' },
      ],
      { kubelet: { imageGCHighThresholdPercent: 95, imageGCLowThresholdPercent: 90 } },
    );
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' }));
    // The crasher writes ~6Gi in 3m, exits, and is restarted: its dead container keeps the 6Gi.
    sim.apply(boundPod('crash', 'n1', { annotations: { 'ksim.dev/run-duration': '3m' } }));
    sim.apply(boundPod('keep', 'n1'));
    sim.runUntil(4 * MIN);
    // Restarted at ~3m10s and writing again: 6Gi dead + ~1.5Gi new + 1Gi = past imagefs.available < 15%.
    sim.runUntil(5 * MIN);
    const evs = sim.events();
    expect(evs.find((e) => e.reason === 'EvictionThresholdMet')?.message).toBe('Attempting to reclaim ephemeral-storage');
    // Deleting the dead container was enough: nobody was evicted.
    expect(evs.some((e) => e.reason === 'Evicted')).toBe(false);
    expect(getPod(sim, 'keep')?.status?.phase).toBe('Running');
  });
});

describe('local storage limits', () => {
  it('a container past its ephemeral-storage limit is evicted at once, with upstream message and no DisruptionTarget', () => {
    const ramp = { type: 'ramp', from: '0', to: '2Gi', duration: '10m' };
    const sim = cluster([
      { namespace: 'default', selector: { matchLabels: { app: 'writer' } }, ephemeralStorage: ramp },
      // Only b writes; only a has a limit: PodLimits sums the limits that are set (300Mi), as upstream.
      { namespace: 'default', selector: { matchLabels: { app: 'pod-limit' } }, containers: ['b'], ephemeralStorage: ramp },
    ]);
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }));
    // Two containers with 1Gi limits, only the first writing: the container limit goes before the pod's 2Gi.
    sim.apply(boundPod('writer', 'n1', { limits: { 'ephemeral-storage': '1Gi' }, spec: { containers: [
      { name: 'app', image: 'nginx:1.27', resources: { limits: { 'ephemeral-storage': '1Gi' } } },
      { name: 'side', image: 'nginx:1.27', resources: { limits: { 'ephemeral-storage': '1Gi' } } },
    ] } }));
    sim.apply(boundPod('pod-limit', 'n1', { spec: { containers: [
      { name: 'a', image: 'nginx:1.27', resources: { limits: { 'ephemeral-storage': '300Mi' } } },
      { name: 'b', image: 'nginx:1.27' },
    ] } }));
    sim.runUntil(4 * MIN);
    expect(getPod(sim, 'pod-limit')?.status?.message).toBe('Pod ephemeral local storage usage exceeds the total limit of containers 300Mi. ');
    expect(getPod(sim, 'writer')?.status?.phase).toBe('Running');
    sim.runUntil(6 * MIN);
    const w = getPod(sim, 'writer')!;
    expect(w.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Container app exceeded its local ephemeral storage limit "1Gi". ' });
    expect(condition(w, 'DisruptionTarget')).toBeUndefined();
    expect(sim.events().find((e) => e.reason === 'Evicted' && e.involvedObject.name === 'writer')?.annotations).toBeUndefined();
    // No node signal was involved.
    expect(condition(getNode(sim, 'n1'), 'DiskPressure')?.status).toBe('False');
  });
});
