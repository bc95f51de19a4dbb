/**
 * The DaemonSet controller on small clusters, through the whole control
 * plane: placement by the default scheduler, tainted pools, node changes,
 * rolling updates, failed pods and status.
 */
import { describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject, Writable } from '../../src/sim/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import { cluster, node } from './statefulset.helpers.ts';

type PodObj = Pod & KObject;

function daemonSet(spec: Record<string, unknown> = {}, image = 'agent:1', podSpec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }], ...podSpec } },
      ...spec,
    },
  };
}

const pods = (sim: Simulation) => (sim.list('Pod', 'default') as PodObj[]).filter((p) => p.metadata.labels?.['app'] === 'agent');
const placement = (sim: Simulation) =>
  pods(sim)
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec?.nodeName ?? '-')
    .sort();
const status = (sim: Simulation) => (sim.get('DaemonSet', 'default', 'agent') as DaemonSet & KObject).status;
const dsEvents = (sim: Simulation) => sim.events().filter((e) => e.source.component === 'daemonset-controller').map((e) => `${e.reason} ${e.message}`);

describe('DaemonSet: placement', () => {
  it('runs one pod per eligible node, placed by the scheduler through a matchFields affinity; a tainted pool needs a toleration', () => {
    const sim = cluster(2);
    sim.apply(node('gpu-0', { labels: { pool: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    sim.apply(daemonSet());
    sim.runUntil(10_000);
    expect(placement(sim)).toEqual(['n0', 'n1']);
    const p = pods(sim)[0]!;
    expect(p.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', controller: true });
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] },
    ]);
    expect(p.spec?.tolerations?.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds ?? '-'}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute:-',
      'node.kubernetes.io/unreachable:NoExecute:-',
      'node.kubernetes.io/disk-pressure:NoSchedule:-',
      'node.kubernetes.io/memory-pressure:NoSchedule:-',
      'node.kubernetes.io/pid-pressure:NoSchedule:-',
      'node.kubernetes.io/unschedulable:NoSchedule:-',
    ]);
    expect(p.metadata.labels?.['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(status(sim)).toEqual({
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      numberUnavailable: 0,
    });
    expect(dsEvents(sim).every((e) => /^SuccessfulCreate Created pod: agent-[a-z0-9]{5}$/.test(e))).toBe(true);

    // With a toleration the tainted pool gets its pod too.
    sim.apply(daemonSet({}, 'agent:1', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    sim.runUntil(60_000);
    expect(placement(sim)).toEqual(['gpu-0', 'n0', 'n1']);
  });

  it('reacts to nodes added, removed and relabelled', () => {
    const sim = cluster(0);
    sim.apply(node('a', { labels: { role: 'edge' } }));
    sim.apply(node('b'));
    sim.apply(daemonSet({}, 'agent:1', { nodeSelector: { role: 'edge' } }));
    sim.runUntil(5_000);
    expect(placement(sim)).toEqual(['a']);
    sim.apply(node('c', { labels: { role: 'edge' } }));
    sim.runUntil(10_000);
    expect(placement(sim)).toEqual(['a', 'c']);
    // Relabel: b joins, a leaves.
    sim.apply(node('b', { labels: { role: 'edge' } }));
    sim.apply(node('a', { labels: { role: 'core' } }));
    sim.runUntil(60_000);
    expect(placement(sim)).toEqual(['b', 'c']);
    expect(status(sim)).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0 });
    sim.store.delete('Node', '', 'c');
    sim.runUntil(120_000);
    expect(status(sim)).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1 });
  });

  it('a failed daemon pod is killed with a FailedDaemonPod warning and replaced', () => {
    const sim = cluster(1);
    sim.apply(daemonSet());
    sim.runUntil(5_000);
    const p = pods(sim)[0]!;
    sim.store.patch<Writable<PodObj>>('Pod', 'default', p.metadata.name!, (d) => {
      d.status = { ...d.status, phase: 'Failed' };
    }, { subresource: 'status' });
    sim.runUntil(60_000);
    expect(dsEvents(sim)).toContain(`FailedDaemonPod Found failed daemon pod default/${p.metadata.name} on node n0, will try to kill it`);
    expect(dsEvents(sim)).toContain(`SuccessfulDelete Deleted pod: ${p.metadata.name}`);
    const now = pods(sim);
    expect(now).toHaveLength(1);
    expect(now[0]!.metadata.name).not.toBe(p.metadata.name);
    expect(now[0]!.status?.phase).toBe('Running');
  });
});

describe('DaemonSet: updates', () => {
  function track(sim: Simulation): { maxUnavailable: number; maxPods: number } {
    const out = { maxUnavailable: 0, maxPods: 0 };
    sim.store.watch('Pod', () => {
      const live = pods(sim);
      const ready = live.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      const nodes = new Set(ready.map((p) => p.spec?.nodeName));
      out.maxUnavailable = Math.max(out.maxUnavailable, 4 - nodes.size);
      out.maxPods = Math.max(out.maxPods, live.length);
    });
    return out;
  }

  it('RollingUpdate with maxUnavailable 1 replaces one node at a time', () => {
    const sim = cluster(4);
    sim.apply(daemonSet());
    sim.runUntil(10_000);
    const t = track(sim);
    sim.apply(daemonSet({}, 'agent:2'));
    sim.runUntil(120_000);
    expect(pods(sim).map((p) => p.spec?.containers[0]?.image)).toEqual(['agent:2', 'agent:2', 'agent:2', 'agent:2']);
    expect(t.maxUnavailable).toBe(1);
    expect(t.maxPods).toBe(4);
    expect(status(sim)).toMatchObject({ updatedNumberScheduled: 4, numberAvailable: 4, observedGeneration: 2 });
    expect(sim.list('ControllerRevision', 'default')).toHaveLength(2);
  });

  it('RollingUpdate with maxSurge 1 starts the new pod before deleting the old one', () => {
    const sim = cluster(4);
    const strategy = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } };
    sim.apply(daemonSet(strategy));
    sim.runUntil(10_000);
    const t = track(sim);
    sim.apply(daemonSet(strategy, 'agent:2'));
    sim.runUntil(120_000);
    expect(pods(sim).map((p) => p.spec?.containers[0]?.image)).toEqual(['agent:2', 'agent:2', 'agent:2', 'agent:2']);
    expect(t.maxUnavailable).toBe(0);
    expect(t.maxPods).toBe(5);
  });

  it('OnDelete updates a node only when its pod is deleted', () => {
    const sim = cluster(2);
    sim.apply(daemonSet({ updateStrategy: { type: 'OnDelete' } }));
    sim.runUntil(10_000);
    sim.apply(daemonSet({ updateStrategy: { type: 'OnDelete' } }, 'agent:2'));
    sim.runUntil(60_000);
    expect(pods(sim).map((p) => p.spec?.containers[0]?.image)).toEqual(['agent:1', 'agent:1']);
    expect(status(sim)).toMatchObject({ updatedNumberScheduled: 0, desiredNumberScheduled: 2 });
    const first = pods(sim).find((p) => p.spec?.nodeName === 'n0')!;
    sim.store.delete('Pod', 'default', first.metadata.name!, { gracePeriodSeconds: 0 });
    sim.runUntil(120_000);
    const byNode = Object.fromEntries(pods(sim).map((p) => [p.spec?.nodeName, p.spec?.containers[0]?.image]));
    expect(byNode).toEqual({ n0: 'agent:2', n1: 'agent:1' });
    expect(status(sim)).toMatchObject({ updatedNumberScheduled: 1 });
  });
});

describe('DaemonSet: ControllerRef', () => {
  it('adopts an orphan pod that matches its selector instead of creating another on that node', () => {
    const sim = cluster(2);
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'agent' } }, spec: { nodeName: 'n0', containers: [{ name: 'a', image: 'agent:1' }] } });
    sim.runUntil(3000);
    // OnDelete: under RollingUpdate the adopted pod, which has no revision hash, would be replaced.
    sim.apply(daemonSet({ updateStrategy: { type: 'OnDelete' } }));
    sim.runUntil(20_000);
    const stray = sim.get('Pod', 'default', 'stray')!;
    expect(stray.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller])).toEqual([['DaemonSet', 'agent', true]]);
    expect(placement(sim)).toEqual(['n0', 'n1']);
    expect(dsEvents(sim).filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(1);
  });
});

describe('DaemonSet: template generation (deprecated)', () => {
  it('the API server keeps deprecated.daemonset.template.generation, bumped only by template changes; pods carry pod-template-generation', () => {
    const sim = cluster(1);
    sim.apply(daemonSet());
    sim.runUntil(5_000);
    const gen = () => sim.get('DaemonSet', 'default', 'agent')!.metadata.annotations?.['deprecated.daemonset.template.generation'];
    expect(gen()).toBe('1');
    expect(pods(sim)[0]!.metadata.labels?.['pod-template-generation']).toBe('1');
    // A spec change outside the template (minReadySeconds) moves generation, not the template generation.
    sim.apply(daemonSet({ minReadySeconds: 1 }));
    sim.runUntil(10_000);
    expect(gen()).toBe('1');
    expect(sim.get('DaemonSet', 'default', 'agent')!.metadata.generation).toBe(2);
    sim.apply(daemonSet({ minReadySeconds: 1 }, 'agent:2'));
    sim.runUntil(60_000);
    expect(gen()).toBe('2');
    expect(pods(sim).map((p) => [p.spec?.containers[0]?.image, p.metadata.labels?.['pod-template-generation']])).toEqual([['agent:2', '2']]);
  });
});

describe('DaemonSet: minReadySeconds', () => {
  it('numberAvailable follows numberReady after minReadySeconds, without any other event', () => {
    const sim = cluster(2);
    sim.apply(daemonSet({ minReadySeconds: 30 }));
    sim.runUntil(5_000);
    expect(status(sim)).toMatchObject({ numberReady: 2, numberAvailable: 0, numberUnavailable: 2 });
    sim.runUntil(40_000);
    expect(status(sim)).toMatchObject({ numberReady: 2, numberAvailable: 2, numberUnavailable: 0 });
  });
});
