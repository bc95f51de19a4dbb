/**
 * The pod garbage collector, after upstream's gc_controller_test.go cases
 * (TestGCTerminated, TestGCOrphaned, TestGCUnscheduledTerminating,
 * TestGCTerminating): which pods go, in which order, marked how.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { byEvictionAndCreationTimestamp, isPodTerminated, terminatedPodsToDelete } from '../../src/controllers/podgc/podGCController.ts';
import { cluster, getPod, node, pod, stopKubelet } from './helpers.ts';
import type { KObject } from '../../src/sim/types.ts';

describe('pod GC rules', () => {
  it.each([
    ['Pending', false],
    ['Running', false],
    ['Unknown', false],
    ['Succeeded', true],
    ['Failed', true],
    [undefined, true],
  ])('phase %s terminated: %s', (phase, terminated) => {
    expect(isPodTerminated({ status: phase === undefined ? {} : { phase } })).toBe(terminated);
  });

  it('byEvictionAndCreationTimestamp: evicted first, then oldest, then by name', () => {
    const p = (name: string, created: string, evicted = false): Pod => ({
      metadata: { name, creationTimestamp: created },
      status: evicted ? { phase: 'Failed', reason: 'Evicted' } : { phase: 'Succeeded' },
    });
    const pods = [p('c', '2025-01-01T00:00:02Z'), p('b', '2025-01-01T00:00:01Z'), p('a', '2025-01-01T00:00:02Z'), p('z', '2025-01-01T00:00:09Z', true)];
    expect(pods.sort(byEvictionAndCreationTimestamp).map((x) => x.metadata!.name)).toEqual(['z', 'b', 'a', 'c']);
  });
});

/** upstream TestGCTerminated's table, as data: [name, pods (name, phase, reason?, deletion?), threshold, deleted]. */
type TP = { name: string; phase: string; reason?: string; grace?: number; deleting?: boolean; finalizers?: boolean };
const F = true;
const TERMINATED_TABLE: Array<[string, TP[], number, string[]]> = [
  ['delete pod a which is PodFailed and pod b which is PodSucceeded', [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed' }], 1, ['a', 'b']],
  ['threshold = 0, disables terminated pod deletion', [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], 0, []],
  ['threshold = 1, delete pod b which is PodSucceeded', [{ name: 'a', phase: 'Running' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed' }], 1, ['b']],
  ['threshold = 1, delete pod a which is PodFailed', [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], 1, ['a']],
  ["threshold = 5, don't delete pod", [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }], 5, []],
  ['evicted first', [{ name: 'a', phase: 'Failed' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed', reason: 'Evicted' }], 1, ['c', 'a']],
  ['evicted first, running not counted', [{ name: 'a', phase: 'Running' }, { name: 'b', phase: 'Succeeded' }, { name: 'c', phase: 'Failed', reason: 'Evicted' }], 1, ['c']],
  ['pods that are only waiting for their finalizers are not deleted again', [{ name: 'a', phase: 'Succeeded', deleting: F, grace: 0, finalizers: F }, { name: 'b', phase: 'Failed', deleting: F, grace: 0, finalizers: F }], 1, []],
  ['pods that are only waiting for their finalizers still count towards the threshold', [{ name: 'a', phase: 'Succeeded', deleting: F, grace: 0, finalizers: F }, { name: 'b', phase: 'Failed', deleting: F, grace: 0, finalizers: F }, { name: 'c', phase: 'Succeeded' }], 2, ['c']],
  ['the number of deletion candidates limits the number of deleted pods', [{ name: 'a', phase: 'Succeeded', deleting: F, grace: 0, finalizers: F }, { name: 'b', phase: 'Failed', deleting: F, grace: 0, finalizers: F }, { name: 'c', phase: 'Succeeded', deleting: F, grace: 0, finalizers: F }, { name: 'd', phase: 'Succeeded' }], 1, ['d']],
  ['terminated pods that are not only waiting for their finalizers are still deleted', [{ name: 'a', phase: 'Succeeded', deleting: F, grace: 30, finalizers: F }, { name: 'b', phase: 'Succeeded', deleting: F, grace: 0 }, { name: 'c', phase: 'Succeeded', deleting: F, finalizers: F }, { name: 'd', phase: 'Succeeded', finalizers: F }], 1, ['a', 'b', 'c']],
];

describe('TestGCTerminated (upstream table)', () => {
  it.each(TERMINATED_TABLE)('%s', (_name, pods, threshold, deleted) => {
    // Created an hour apart, in table order, as upstream's test does.
    const objs: Pod[] = pods.map((p, i) => ({
      metadata: {
        name: p.name,
        creationTimestamp: `2025-01-01T${String(i + 1).padStart(2, '0')}:00:00Z`,
        ...(p.deleting ? { deletionTimestamp: '2025-01-02T00:00:00Z' } : {}),
        ...(p.grace !== undefined ? { deletionGracePeriodSeconds: p.grace } : {}),
        ...(p.finalizers ? { finalizers: ['example.com/some-finalizer'] } : {}),
      },
      status: { phase: p.phase, ...(p.reason ? { reason: p.reason } : {}) },
    }));
    const terminated = objs.filter(isPodTerminated);
    expect(terminatedPodsToDelete(terminated, threshold).map((p) => p.metadata!.name).sort()).toEqual([...deleted].sort());
  });
});

describe('pod GC controller', () => {
  it('TestGCTerminated: terminated pods above terminatedPodGCThreshold go, oldest first', () => {
    const sim = cluster([node('n1')], { controllers: { podGC: { terminatedPodGCThreshold: 2 } } });
    for (let i = 0; i < 4; i++) {
      sim.runUntil(i * 1000);
      sim.apply(pod(`job-${i}`, 'n1', { annotations: { 'ksim.dev/run-duration': '1s' } }));
      sim.store.patch('Pod', 'default', `job-${i}`, (d: KObject) => void ((d['spec'] as { restartPolicy?: string }).restartPolicy = 'Never'));
    }
    sim.runUntil(19_000);
    expect(['job-0', 'job-1', 'job-2', 'job-3'].map((n) => getPod(sim, n)?.status?.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    sim.runUntil(21_000);
    expect(['job-0', 'job-1', 'job-2', 'job-3'].map((n) => getPod(sim, n) !== undefined)).toEqual([false, false, true, true]);
  });

  it('TestGCOrphaned: pods of a deleted node are failed, marked DeletionByPodGC and force-deleted after the 40 s quarantine', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('web-1', 'n1'));
    sim.apply(pod('web-2', 'n2'));
    sim.runUntil(5000);
    stopKubelet(sim, 'n1');
    sim.store.delete('Node', '', 'n1');
    const seen: string[] = [];
    sim.store.watch('Pod', (ev) => {
      if (ev.object.metadata.name !== 'web-1') return;
      const p = ev.object as Pod & KObject;
      const dt = p.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      seen.push(`${ev.type}:${p.status?.phase}:${dt ? `${dt.reason}/${dt.message}` : '-'}`);
    });
    // First seen missing at the 20 s pass, collected at the 60 s pass (quarantine 40 s).
    sim.runUntil(59_000);
    expect(getPod(sim, 'web-1')).toBeDefined();
    sim.runUntil(61_000);
    expect(getPod(sim, 'web-1')).toBeUndefined();
    expect(getPod(sim, 'web-2')).toBeDefined();
    expect(seen).toEqual([
      'MODIFIED:Failed:DeletionByPodGC/PodGC: node no longer exists',
      'DELETED:Failed:DeletionByPodGC/PodGC: node no longer exists',
    ]);
  });

  it('a node that reappears within the quarantine keeps its pods', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('web-1', 'n1'));
    sim.runUntil(5000);
    sim.store.delete('Node', '', 'n1');
    sim.runUntil(30_000);
    sim.apply(node('n1'));
    sim.runUntil(120_000);
    expect(getPod(sim, 'web-1')).toBeDefined();
  });

  it('TestGCUnscheduledTerminating: a terminating pod never bound to a node is failed and force-deleted', () => {
    const sim = cluster([node('n1')]);
    const p = pod('stuck', undefined);
    p.metadata.finalizers = ['example.com/hold'];
    (p['spec'] as Record<string, unknown>)['schedulerName'] = 'no-such-scheduler';
    sim.apply(p);
    sim.runUntil(1000);
    sim.store.delete('Pod', 'default', 'stuck');
    expect(getPod(sim, 'stuck')?.metadata.deletionTimestamp).toBeDefined();
    sim.runUntil(21_000);
    // The finalizer keeps the object; PodGC has set it Failed and asked for deletion with grace 0.
    expect(getPod(sim, 'stuck')?.status?.phase).toBe('Failed');
    expect(getPod(sim, 'stuck')?.metadata.deletionGracePeriodSeconds).toBe(0);
  });

  it('TestGCTerminating: terminating pods on a not-ready node with the out-of-service taint are force-deleted', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('db-0', 'n1'));
    sim.apply(pod('db-1', 'n2'));
    sim.runUntil(3000);
    stopKubelet(sim, 'n1');
    sim.store.delete('Pod', 'default', 'db-0');
    sim.runUntil(100_000);
    // Not ready, but no out-of-service taint: the pod waits for its kubelet.
    expect(getPod(sim, 'db-0')?.metadata.deletionTimestamp).toBeDefined();
    sim.store.patch('Node', '', 'n1', (d: KObject) => {
      const spec = (d['spec'] ??= {}) as { taints?: unknown[] };
      spec.taints = [...(spec.taints ?? []), { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }];
    });
    sim.runUntil(121_000);
    expect(getPod(sim, 'db-0')).toBeUndefined();
    expect(getPod(sim, 'db-1')).toBeDefined();
  });
});
