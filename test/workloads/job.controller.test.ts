/**
 * The Job controller on a one-node cluster with the real scheduler and
 * kubelets: pods, labels and names as upstream creates them, counting through
 * uncountedTerminatedPods and the tracking finalizer, back-off, failure and
 * success policies, deadlines, suspend/resume, and the TTL-after-finished
 * controller.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1';
import type { KObject, Stored, WatchEventType } from '../../src/sim/types.ts';
import { createTTLAfterFinishedController } from '../../src/workloads/ttlafterfinished/ttlAfterFinishedController.ts';
import { cluster, conditions, getJob, job, jobEvents, podsOf, template } from './job.helpers.ts';

const RUN = (d: string, exit?: number): Record<string, string> => ({ 'ksim.dev/run-duration': d, ...(exit !== undefined ? { 'ksim.dev/exit-code': String(exit) } : {}) });

describe('Job: completions and parallelism (NonIndexed)', () => {
  it('runs at most parallelism pods until completions succeed; conditions, status and events as upstream', () => {
    const sim = cluster();
    sim.apply(job('pi', { completions: 3, parallelism: 2, template: template(RUN('30s')) }));
    sim.runUntil(10_000);
    let j = getJob(sim, 'pi')!;
    expect(j.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(j.metadata.uid);
    expect(j.spec?.template?.metadata?.labels).toEqual({
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': j.metadata.uid,
      'batch.kubernetes.io/controller-uid': j.metadata.uid,
    });
    const pods = podsOf(sim, 'pi');
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'pi', controller: true, blockOwnerDeletion: true });
    }
    expect(j.status).toMatchObject({ active: 2, ready: 2, terminating: 0, startTime: '2025-01-01T00:00:00Z' });
    sim.runUntil(200_000);
    j = getJob(sim, 'pi')!;
    expect(conditions(j)).toEqual(['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
    expect(j.status?.conditions?.[1]?.message).toBe('Reached expected number of succeeded pods');
    expect(j.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(j.status?.active).toBeUndefined();
    expect(j.status?.completionTime).toBe(j.status?.conditions?.[1]?.lastTransitionTime);
    // Counted pods lose the tracking finalizer.
    for (const p of podsOf(sim, 'pi')) expect(p.metadata.finalizers).toBeUndefined();
    const ev = jobEvents(sim, 'pi').map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(ev.filter((e) => e.includes('SuccessfulCreate'))).toHaveLength(3);
    expect(ev[0]).toMatch(/^Normal SuccessfulCreate Created pod: pi-\w{5}$/);
    expect(ev.at(-1)).toBe('Normal Completed Job completed');
    expect(jobEvents(sim, 'pi')[0]?.source.component).toBe('job-controller');
  });

  it('without completions, the first success completes the Job once the others finish', () => {
    const sim = cluster();
    sim.apply(job('work', { parallelism: 3, template: template(RUN('20s')) }));
    sim.runUntil(100_000);
    const j = getJob(sim, 'work')!;
    expect(j.status?.succeeded).toBe(3);
    expect(conditions(j)).toContain('Complete=True/CompletionsReached');
    expect(podsOf(sim, 'work')).toHaveLength(3);
  });
});

describe('Job: Indexed completion mode', () => {
  it('names pods <job>-<index>-<random>, with the index annotation, label, hostname and env; completedIndexes as intervals', () => {
    const sim = cluster();
    sim.apply(job('idx', { completionMode: 'Indexed', completions: 5, parallelism: 2, template: template(RUN('10s')) }));
    sim.runUntil(3_000);
    const first = podsOf(sim, 'idx').sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    expect(first.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1']);
    expect(first[0]!.metadata.name).toMatch(/^idx-0-\w{5}$/);
    expect(first[0]!.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect(first[1]!.spec?.hostname).toBe('idx-1');
    expect(first[0]!.spec?.containers[0]?.env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    sim.runUntil(15_000);
    expect(getJob(sim, 'idx')!.status?.completedIndexes).toBe('0,1');
    sim.runUntil(100_000);
    const j = getJob(sim, 'idx')!;
    expect(j.status?.completedIndexes).toBe('0-4');
    expect(j.status?.succeeded).toBe(5);
    expect(conditions(j)).toContain('Complete=True/CompletionsReached');
  });

  it('successPolicy ends the Job early: SuccessCriteriaMet then Complete with reason SuccessPolicy', () => {
    const sim = cluster();
    sim.apply(job('sp', { completionMode: 'Indexed', completions: 3, parallelism: 1, successPolicy: { rules: [{ succeededIndexes: '0' }] }, template: template(RUN('10s')) }));
    sim.runUntil(60_000);
    const j = getJob(sim, 'sp')!;
    expect(conditions(j)).toEqual(['SuccessCriteriaMet=True/SuccessPolicy', 'Complete=True/SuccessPolicy']);
    expect(j.status?.conditions?.[0]?.message).toBe('Matched rules at index 0');
    // Indexes 1 and 2 never ran.
    expect(j.status?.completedIndexes).toBe('0');
    expect(podsOf(sim, 'sp')).toHaveLength(1);
  });
});

describe('Job: failures', () => {
  it('backoffLimit with the exponential back-off between replacements: 10 s, then 20 s', () => {
    const sim = cluster();
    sim.apply(job('bo', { backoffLimit: 2, template: template(RUN('5s', 1)) }));
    sim.runUntil(300_000);
    const creates = jobEvents(sim, 'bo').filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.firstTimestamp);
    // Pod 1 starts at 1 s and fails at 6 s; its replacement waits 10 s; the next fails at 22 s and waits 20 s.
    expect(creates).toEqual([2, 16_001, 42_001]);
    const j = getJob(sim, 'bo')!;
    expect(conditions(j)).toEqual(['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
    expect(j.status?.failed).toBe(3);
    const warn = jobEvents(sim, 'bo').find((e) => e.type === 'Warning')!;
    expect([warn.reason, warn.message]).toEqual(['BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
  });

  it('podFailurePolicy FailJob on an exit code: the message names container, pod, code and rule', () => {
    const sim = cluster();
    sim.apply(
      job('pfp', {
        completions: 2,
        parallelism: 1,
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }, { action: 'FailJob', onExitCodes: { containerName: 'app', operator: 'In', values: [42] } }] },
        template: template(RUN('5s', 42)),
      }),
    );
    sim.runUntil(60_000);
    const j = getJob(sim, 'pfp')!;
    const pod = podsOf(sim, 'pfp')[0]!;
    const msg = `Container app for pod default/${pod.metadata.name} failed with exit code 42 matching FailJob rule at index 1`;
    expect(conditions(j)).toEqual(['FailureTarget=True/PodFailurePolicy', 'Failed=True/PodFailurePolicy']);
    expect(j.status?.conditions?.map((c) => c.message)).toEqual([msg, msg]);
    expect(jobEvents(sim, 'pfp').some((e) => e.type === 'Warning' && e.reason === 'PodFailurePolicy' && e.message === msg)).toBe(true);
    // With a podFailurePolicy only failed pods are replaced (podReplacementPolicy defaults to Failed).
    expect(j.spec?.podReplacementPolicy).toBe('Failed');
  });

  it('podFailurePolicy Ignore: ignored failures are not counted against backoffLimit (the back-off still applies, as upstream)', () => {
    const sim = cluster();
    sim.apply(job('ign', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } }] }, template: template(RUN('5s', 7)) }));
    sim.runUntil(50_000);
    const j = getJob(sim, 'ign')!;
    expect(j.status?.failed).toBeUndefined();
    expect(conditions(j)).toEqual([]);
    expect(jobEvents(sim, 'ign').filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.firstTimestamp)).toEqual([2, 16_001, 42_001]);
  });

  it('podFailurePolicy Ignore on DisruptionTarget: a disrupted pod is replaced and not counted, even with backoffLimit 0', () => {
    const sim = cluster();
    sim.apply(job('dis', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] }, template: template(RUN('60s')) }));
    sim.runUntil(5_000);
    const [p] = podsOf(sim, 'dis');
    // What preemption does: the DisruptionTarget condition, then a delete.
    sim.store.patch<typeof p & object>(
      'Pod',
      'default',
      p!.metadata.name!,
      (d) => {
        (d.status as { conditions: unknown[] }).conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'preempted' });
      },
      { subresource: 'status' },
    );
    sim.store.delete('Pod', 'default', p!.metadata.name!, {});
    sim.runUntil(100_000);
    const j = getJob(sim, 'dis')!;
    expect(j.status?.failed).toBeUndefined();
    expect(conditions(j)).toEqual(['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
  });

  it('activeDeadlineSeconds: DeadlineExceeded, active pods deleted', () => {
    const sim = cluster();
    sim.apply(job('dl', { activeDeadlineSeconds: 20, template: template(RUN('60s')) }));
    sim.runUntil(100_000);
    const j = getJob(sim, 'dl')!;
    expect(conditions(j)).toEqual(['FailureTarget=True/DeadlineExceeded', 'Failed=True/DeadlineExceeded']);
    // FailureTarget at the deadline; Failed once the deleted pod is gone and the batched sync has run.
    expect(j.status?.conditions?.[0]?.lastTransitionTime).toBe('2025-01-01T00:00:20Z');
    expect(j.status?.conditions?.[1]?.lastTransitionTime).toBe('2025-01-01T00:00:21Z');
    expect(jobEvents(sim, 'dl').map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulDelete', 'DeadlineExceeded']);
    expect(podsOf(sim, 'dl')).toHaveLength(0);
  });

  it('backoffLimitPerIndex and maxFailedIndexes: failedIndexes and MaxFailedIndexesExceeded', () => {
    const sim = cluster();
    sim.apply(job('pi', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 0, maxFailedIndexes: 1, template: template(RUN('5s', 3)) }));
    sim.runUntil(60_000);
    const j = getJob(sim, 'pi')!;
    expect(j.spec?.backoffLimit).toBe(2147483647);
    expect(j.status?.failedIndexes).toBe('0-2');
    expect(conditions(j)).toEqual(['FailureTarget=True/MaxFailedIndexesExceeded', 'Failed=True/MaxFailedIndexesExceeded']);
    expect(j.status?.conditions?.[1]?.message).toBe('Job has exceeded the specified maximal number of failed indexes');
  });

  it('podFailurePolicy FailIndex fails the index at its first failure, without spending backoffLimitPerIndex', () => {
    const sim = cluster();
    sim.apply(
      job('fx', {
        completionMode: 'Indexed',
        completions: 2,
        parallelism: 2,
        backoffLimitPerIndex: 5,
        podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] },
        template: template(RUN('5s', 3)),
      }),
    );
    sim.runUntil(60_000);
    const j = getJob(sim, 'fx')!;
    expect(j.status?.failedIndexes).toBe('0,1');
    expect(conditions(j)).toEqual(['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
    expect(podsOf(sim, 'fx')).toHaveLength(2); // no retries
  });

  it('backoffLimitPerIndex without maxFailedIndexes: FailedIndexes once every index is done; replacements carry the failure count', () => {
    const sim = cluster();
    sim.apply(job('fi', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 1, template: template(RUN('5s', 3)) }));
    sim.runUntil(120_000);
    const j = getJob(sim, 'fi')!;
    expect(conditions(j)).toEqual(['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
    expect(j.status?.conditions?.[1]?.message).toBe('Job has failed indexes');
    const counts = podsOf(sim, 'fi').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).sort();
    expect(counts).toEqual(['0', '0', '1', '1']);
  });
});

describe('Job: suspend', () => {
  it('a Job created suspended has no startTime and a Suspended condition; resuming creates pods and sets startTime', () => {
    const sim = cluster();
    sim.apply(job('s', { suspend: true, template: template(RUN('10s')) }));
    sim.runUntil(30_000);
    let j = getJob(sim, 's')!;
    expect(j.status?.startTime).toBeUndefined();
    expect(conditions(j)).toEqual(['Suspended=True/JobSuspended']);
    expect(podsOf(sim, 's')).toHaveLength(0);
    sim.store.patch<typeof j>('Job', 'default', 's', (d) => {
      d.spec!.suspend = false;
    });
    sim.runUntil(31_000);
    j = getJob(sim, 's')!;
    expect(conditions(j)).toEqual(['Suspended=False/JobResumed']);
    expect(j.status?.startTime).toBe('2025-01-01T00:00:30Z');
    // manageJob creates the pods before the sync records the condition change.
    expect(jobEvents(sim, 's').map((e) => e.reason)).toEqual(['Suspended', 'SuccessfulCreate', 'Resumed']);
  });

  it('suspending a running Job deletes its active pods', () => {
    const sim = cluster();
    sim.apply(job('r', { parallelism: 2, completions: 4, template: template(RUN('100s')) }));
    sim.runUntil(5_000);
    sim.store.patch<ReturnType<typeof job>>('Job', 'default', 'r', (d) => {
      d.spec!.suspend = true;
    });
    sim.runUntil(10_000);
    const j = getJob(sim, 'r')!;
    expect(conditions(j)).toEqual(['Suspended=True/JobSuspended']);
    expect(podsOf(sim, 'r')).toHaveLength(0);
    expect(jobEvents(sim, 'r').filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
    expect(j.status?.active).toBeUndefined();
  });
});

describe('Job: pods deleted by others', () => {
  it('podReplacementPolicy Failed waits for a deleted pod to terminate (status.terminating), counts it failed, then replaces it', () => {
    const sim = cluster();
    sim.apply(job('rf', { podReplacementPolicy: 'Failed', template: { ...template(RUN('60s')), spec: { ...template(RUN('60s'))!.spec!, terminationGracePeriodSeconds: 30 } } }));
    sim.runUntil(5_000);
    const [first] = podsOf(sim, 'rf');
    // A container that takes 10 s to stop after SIGTERM.
    sim.store.patch<typeof first & object>('Pod', 'default', first!.metadata.name!, (d) => {
      d.metadata.annotations = { ...d.metadata.annotations, 'ksim.dev/shutdown-duration': '10s' };
    });
    sim.store.delete('Pod', 'default', first!.metadata.name!, {});
    sim.runUntil(8_000);
    let j = getJob(sim, 'rf')!;
    expect(j.status?.terminating).toBe(1);
    expect(podsOf(sim, 'rf')).toHaveLength(1); // not replaced while terminating
    sim.runUntil(20_000);
    j = getJob(sim, 'rf')!;
    expect(j.status?.terminating).toBe(0);
    expect(j.status?.failed).toBe(1);
    // The kill at 15 s is a failure: the replacement waits out the 10 s back-off.
    expect(podsOf(sim, 'rf')).toHaveLength(0);
    sim.runUntil(30_000);
    const pods = podsOf(sim, 'rf');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.metadata.name).not.toBe(first!.metadata.name);
  });

  it('deleting a Job lets its pods go: their tracking finalizers are removed', () => {
    const sim = cluster();
    sim.apply(job('gone', { parallelism: 2, completions: 2, template: template(RUN('10m')) }));
    sim.runUntil(5_000);
    expect(podsOf(sim, 'gone')).toHaveLength(2);
    sim.store.delete('Job', 'default', 'gone', { propagationPolicy: 'Background' });
    sim.runUntil(40_000);
    expect(getJob(sim, 'gone')).toBeUndefined();
    expect(podsOf(sim, 'gone')).toHaveLength(0);
  });
});

describe('ttl-after-finished-controller', () => {
  it('deletes a finished Job ttlSecondsAfterFinished after it finished, and its pods with it', () => {
    const sim = cluster();
    sim.apply(job('t', { ttlSecondsAfterFinished: 60, template: template(RUN('10s')) }));
    // The pod succeeds at 11 s; the Job sees it one batch period later.
    sim.runUntil(12_500);
    const finishedAt = getJob(sim, 't')!.status?.completionTime;
    expect(finishedAt).toBe('2025-01-01T00:00:12Z');
    sim.runUntil(71_900);
    expect(getJob(sim, 't')).toBeDefined();
    sim.runUntil(76_000);
    expect(getJob(sim, 't')).toBeUndefined();
    expect(podsOf(sim, 't')).toHaveLength(0);
  });

  // upstream addJob/updateJob: only a Job that is not being deleted and needsCleanup (a TTL and a
  // True Complete or Failed condition) is queued; a deletion has no handler.
  it.each<[string, WatchEventType, Partial<Job['spec']>, Job['status'], boolean, boolean]>([
    ['a finished Job with a TTL', 'MODIFIED', { ttlSecondsAfterFinished: 60 }, { conditions: [{ type: 'Complete', status: 'True' }] }, false, true],
    ['a failed Job with a TTL, as it is added', 'ADDED', { ttlSecondsAfterFinished: 0 }, { conditions: [{ type: 'Failed', status: 'True' }] }, false, true],
    ['a running Job with a TTL', 'MODIFIED', { ttlSecondsAfterFinished: 60 }, { active: 1 }, false, false],
    ['a Job whose Complete condition is not True', 'MODIFIED', { ttlSecondsAfterFinished: 60 }, { conditions: [{ type: 'Complete', status: 'False' }] }, false, false],
    ['a finished Job without a TTL', 'MODIFIED', {}, { conditions: [{ type: 'Complete', status: 'True' }] }, false, false],
    ['a finished Job being deleted', 'MODIFIED', { ttlSecondsAfterFinished: 60 }, { conditions: [{ type: 'Complete', status: 'True' }] }, true, false],
    ['the deletion of a finished Job', 'DELETED', { ttlSecondsAfterFinished: 60 }, { conditions: [{ type: 'Complete', status: 'True' }] }, false, false],
  ])('queues %s: %s', (_what, type, spec, status, deleting, queued) => {
    const controller = createTTLAfterFinishedController({ virtualTime: () => 0 });
    const object = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'ns', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
      spec: { template: {}, ...spec },
      status,
    } as unknown as Stored<Job & KObject>;
    expect(controller.watches[0]!.toKeys!({ type, object })).toEqual(queued ? ['ns/j'] : []);
  });

  it('leaves Jobs without the field alone', () => {
    const sim = cluster();
    sim.apply(job('keep', { template: template(RUN('1s')) }));
    sim.runUntil(3_600_000);
    expect(getJob(sim, 'keep')).toBeDefined();
  });
});

describe('Job strategy', () => {
  it('a Job without labels shows the generated template labels, as a read back from the API server does', () => {
    const sim = cluster();
    sim.apply(job('lbl', { template: template(RUN('1s')) }));
    const j = getJob(sim, 'lbl')!;
    expect(j.metadata.labels).toEqual(j.spec?.template?.metadata?.labels);
    expect(j.metadata.labels?.['batch.kubernetes.io/job-name']).toBe('lbl');
  });

  it('manualSelector keeps the user selector and adds no labels', () => {
    const sim = cluster();
    const t = template(RUN('1s'));
    t!.metadata = { ...t!.metadata, labels: { app: 'x' } };
    sim.apply(job('man', { manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: t }));
    const j = getJob(sim, 'man')!;
    expect(j.spec?.selector).toEqual({ matchLabels: { app: 'x' } });
    expect(j.spec?.template?.metadata?.labels).toEqual({ app: 'x' });
  });
});
