import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { podTrouble, renderQuiet } from '../../../src/cli/output/summary.ts';
import type { RunResult } from '../../../src/scenario/run.ts';
import { event } from './helpers.ts';

const pod = (status: Pod['status'], extra: Partial<Pod> = {}): Pod => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'a' }] }, status, ...extra });

describe('why a pod is not Running, as the run summary says it', () => {
  it('unschedulable: the PodScheduled condition (the FailedScheduling text)', () => {
    const t = podTrouble(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] }), undefined);
    expect(t).toEqual({ pod: 'ns/p', status: 'Pending', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.', pending: true });
  });

  it('a kubelet rejection and an eviction: status.reason and status.message', () => {
    expect(podTrouble(pod({ phase: 'Failed', reason: 'OutOfcpu', message: 'Pod was rejected: Node didn\'t have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000' }), undefined)).toMatchObject({
      status: 'OutOfcpu',
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000",
      pending: false,
    });
    expect(podTrouble(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), undefined)).toMatchObject({ reason: 'Evicted', message: 'The node was low on resource: memory.' });
  });

  it('scheduled but not started: the container waiting reason; otherwise the latest Warning event', () => {
    const waiting = pod({ phase: 'Pending', containerStatuses: [{ name: 'a', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(podTrouble(waiting, undefined)).toMatchObject({ status: 'ContainerCreating', reason: 'ContainerCreating', message: '<none>' });
    const warned = podTrouble(pod({ phase: 'Pending' }), event({ type: 'Warning', reason: 'FailedMount', message: 'MountVolume.SetUp failed' }));
    expect(warned).toMatchObject({ reason: 'FailedMount', message: 'MountVolume.SetUp failed' });
  });

  it('long messages are cut to one line', () => {
    const t = podTrouble(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: `a\n${'x'.repeat(300)}` }] }), undefined);
    expect(t.message).toHaveLength(160);
    expect(t.message.startsWith('a x')).toBe(true);
    expect(t.message.endsWith('...')).toBe(true);
  });
});

describe('ksim run --quiet', () => {
  it('prints only the failed expectations', () => {
    const r = {
      expectations: [
        { index: 0, at: '30s', expectation: 'Pod default/a status.phase equals "Running"', passed: true, actual: '"Running"' },
        { index: 1, at: '1m', expectation: 'Pod default/b status.phase equals "Running"', passed: false, actual: '"Pending"' },
      ],
    } as unknown as RunResult;
    expect(renderQuiet(r)).toBe('FAIL at 1m: Pod default/b status.phase equals "Running": "Pending"\n');
  });
});
