/** Node-pressure eviction, the OOM killer and the eviction admit handler, end to end through the kubelet. */
import { describe, expect, it } from 'vitest';
import { boundPod, cluster, condition, getNode, getPod, node } from './helpers.ts';

const MIN = 60_000;
const leak = (app: string, rate = '200Mi') => ({ namespace: 'default', selector: { matchLabels: { app } }, memory: { type: 'leak', start: '100Mi', rate, per: '1m' } });

describe('memory pressure', () => {
  it('a leak drives memory.available below 100Mi: MemoryPressure, its taint, the leaking pod Evicted with upstream message and condition', () => {
    const sim = cluster([leak('leaky')]);
    sim.apply(node('n1', { cpu: '4', memory: '2Gi', pods: '110' }));
    sim.apply(boundPod('leaky', 'n1', { requests: { memory: '100Mi' } }));
    sim.apply(boundPod('steady', 'n1', { requests: { memory: '100Mi', cpu: '100m' }, limits: { memory: '100Mi', cpu: '100m' } }));
    // 100Mi + 200Mi/min leaves less than 100Mi of 2Gi after 9m14s: the housekeeping at 9m20s evicts.
    sim.runUntil(9 * MIN + 19_999);
    expect(getPod(sim, 'leaky')?.status?.phase).toBe('Running');
    sim.runUntil(9 * MIN + 22_000);
    const p = getPod(sim, 'leaky')!;
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.reason).toBe('Evicted');
    expect(p.status?.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container app was using \d+Ki, request is 100Mi, has larger consumption of memory\. $/);
    const dt = condition(p, 'DisruptionTarget');
    expect(dt).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message: p.status?.message });
    expect(p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
    // The Guaranteed pod under its request stays.
    expect(getPod(sim, 'steady')?.status?.phase).toBe('Running');
    const n = getNode(sim, 'n1')!;
    expect(condition(n, 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toContain('node.kubernetes.io/memory-pressure:NoSchedule');
    const evs = sim.events();
    const evicted = evs.find((e) => e.reason === 'Evicted' && e.involvedObject.name === 'leaky')!;
    expect(evicted).toMatchObject({ type: 'Warning', message: p.status?.message });
    expect(evicted.annotations).toEqual({ offending_containers: 'app', offending_containers_usage: p.status!.message!.match(/using (\d+Ki)/)![1], starved_resource: 'memory' });
    expect(sim.recorder.toEventObject(evicted).metadata?.annotations?.['starved_resource']).toBe('memory');
    expect(evs.find((e) => e.reason === 'EvictionThresholdMet')).toMatchObject({ type: 'Warning', message: 'Attempting to reclaim memory', involvedObject: { kind: 'Node', name: 'n1' } });
    expect(evs.some((e) => e.reason === 'NodeHasInsufficientMemory' && e.message === 'Node n1 status is now: NodeHasInsufficientMemory')).toBe(true);
    // evictionPressureTransitionPeriod (5m) after the last observation the condition clears.
    const evictedAt = evs.find((e) => e.reason === 'Evicted')!.firstTimestamp;
    sim.runUntil(evictedAt + 4 * MIN);
    expect(condition(getNode(sim, 'n1'), 'MemoryPressure')?.status).toBe('True');
    sim.runUntil(evictedAt + 5 * MIN + 20_000);
    expect(condition(getNode(sim, 'n1'), 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
  });

  it('BestEffort pods are rejected under memory pressure (the eviction admit handler); others are admitted', () => {
    const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'big' } }, memory: '1980Mi' }]);
    sim.apply(node('n1', { cpu: '4', memory: '2Gi', pods: '110' }));
    sim.apply(boundPod('big', 'n1', { requests: { memory: '1900Mi' } }));
    // The pressure (and the eviction of the only pod) comes at the first housekeeping; the condition stays 5m.
    sim.runUntil(2 * MIN);
    expect(condition(getNode(sim, 'n1'), 'MemoryPressure')?.status).toBe('True');
    sim.apply(boundPod('be', 'n1'));
    sim.apply(boundPod('burst', 'n1', { requests: { cpu: '100m' } }));
    sim.runUntil(2 * MIN + 5000);
    expect(getPod(sim, 'be')?.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ' });
    expect(sim.events().find((e) => e.involvedObject.name === 'be' && e.reason === 'Evicted')?.message).toBe('The node had condition: [MemoryPressure]. ');
    expect(getPod(sim, 'burst')?.status?.phase).toBe('Running');
  });

  it('a soft threshold evicts only after its grace period, with evictionMaxPodGracePeriod', () => {
    const sim = cluster([leak('leaky', '50Mi')], {
      kubelet: { evictionHard: { 'memory.available': '10Mi' }, evictionSoft: { 'memory.available': '1Gi' }, evictionSoftGracePeriod: { 'memory.available': '2m' }, evictionMaxPodGracePeriod: 5 },
    });
    sim.apply(node('n1', { cpu: '4', memory: '2Gi', pods: '110' }));
    sim.apply(boundPod('leaky', 'n1', { annotations: { 'ksim.dev/shutdown-duration': '20s' } }));
    // 100Mi + 50Mi/min passes 1Gi available (2Gi - 1Gi) after ~18.5 min.
    // First observed by the housekeeping at 18m30s: MemoryPressure at once, eviction 2m later.
    sim.runUntil(18 * MIN + 30_000);
    expect(condition(getNode(sim, 'n1'), 'MemoryPressure')?.status).toBe('True');
    sim.runUntil(20 * MIN + 29_999);
    expect(sim.events().some((e) => e.reason === 'Evicted')).toBe(false);
    sim.runUntil(20 * MIN + 30_000);
    const ev = sim.events().find((e) => e.reason === 'Evicted');
    expect(ev?.message).toBe('The node was low on resource: memory. Threshold quantity: 1Gi, available: 946008Ki. Container app was using 1151144Ki, request is 0, has larger consumption of memory. ');
    // Soft eviction: the pod gets evictionMaxPodGracePeriod (5s), not its 20s shutdown.
    sim.runUntil(20 * MIN + 34_000);
    expect(getPod(sim, 'leaky')?.status?.phase).toBe('Running');
    sim.runUntil(20 * MIN + 35_000);
    expect(getPod(sim, 'leaky')?.status?.phase).toBe('Failed');
  });
});

describe('OOM', () => {
  it('a container above its memory limit is OOMKilled (137) and restarted with back-off; a container-clock leak starts over', () => {
    const sim = cluster([leak('oom', '100Mi')]);
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110' }));
    sim.apply(boundPod('oom', 'n1', { requests: { memory: '128Mi' }, limits: { memory: '256Mi' } }));
    // 100Mi + 100Mi/min passes 256Mi after ~1.56 min: the 10s housekeeping at 100s sees it.
    sim.runUntil(101_000);
    const cs = getPod(sim, 'oom')!.status!.containerStatuses![0]!;
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(cs.restartCount).toBe(1);
    expect(cs.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(getPod(sim, 'oom')!.status?.phase).toBe('Running');
    sim.runUntil(115_000);
    expect(getPod(sim, 'oom')!.status!.containerStatuses![0]!.state?.running).toBeDefined();
    // The leak restarts from 100Mi: the second kill comes ~1.56 min after the restart, not at once.
    sim.runUntil(115_000 + 80_000);
    expect(getPod(sim, 'oom')!.status!.containerStatuses![0]!.restartCount).toBe(1);
    sim.runUntil(115_000 + 100_000);
    expect(getPod(sim, 'oom')!.status!.containerStatuses![0]!.restartCount).toBe(2);
  });

  it('restartPolicy Never: an OOMKilled container fails the pod', () => {
    const sim = cluster([leak('job', '500Mi')]);
    sim.apply(node('n1', { cpu: '4', memory: '8Gi', pods: '110' }));
    sim.apply(boundPod('job', 'n1', { restartPolicy: 'Never', requests: { memory: '128Mi' }, limits: { memory: '256Mi' } }));
    sim.runUntil(MIN);
    const p = getPod(sim, 'job')!;
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('usage outrunning eviction: the kernel kills the container with the highest oom_score_adj-weighted badness (SystemOOM)', () => {
    const sim = cluster([
      { namespace: 'default', selector: { matchLabels: { app: 'burst' } }, memory: { type: 'step', from: '100Mi', to: '1200Mi', at: '1m' } },
      { namespace: 'default', selector: { matchLabels: { app: 'g' } }, memory: '300Mi' },
    ]);
    sim.apply(node('n1', { cpu: '4', memory: '2Gi', pods: '110' }));
    sim.apply(boundPod('g', 'n1', { requests: { cpu: '100m', memory: '400Mi' }, limits: { cpu: '100m', memory: '400Mi' } }));
    sim.apply(boundPod('burst', 'n1'));
    sim.apply(boundPod('burst2', 'n1', { labels: { app: 'burst' } }));
    // At 1m both BestEffort pods jump to 1200Mi: 2700Mi on a 2Gi node, before any eviction could act.
    sim.runUntil(60_000);
    const oom = sim.events().filter((e) => e.reason === 'SystemOOM');
    expect(oom.map((e) => e.message)).toEqual(['System OOM encountered, victim process: app, pid: 1000']);
    const killed = ['burst', 'burst2'].filter((n) => getPod(sim, n)?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled');
    expect(killed).toHaveLength(1);
    expect(getPod(sim, 'g')?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('CPU above the limit is throttled, not killed', () => {
    const sim = cluster([{ namespace: 'default', selector: { matchLabels: { app: 'hot' } }, cpu: '3' }]);
    sim.apply(node('n1'));
    sim.apply(boundPod('hot', 'n1', { requests: { cpu: '500m' }, limits: { cpu: '1' } }));
    sim.runUntil(MIN);
    expect(sim.get('PodMetrics', 'default', 'hot')).toMatchObject({ containers: [{ name: 'app', usage: { cpu: '1000000000n' } }] });
    expect(getPod(sim, 'hot')?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});
