/**
 * The CronJob controller on a small cluster, on the virtual clock: Job names
 * and annotations, history limits, status, concurrency policies, suspend,
 * starting deadlines and missed schedules, time zones, and a day of virtual
 * time costing only the syncs it needs.
 */
import { describe, expect, it } from 'vitest';
import type { CronJob } from 'kubernetes-types/batch/v1';
import type { KObject } from '../../src/sim/types.ts';
import { cluster, jobEvents, template, type JobObj } from './job.helpers.ts';

type CronJobObj = CronJob & KObject;
const MIN = 60_000;

function cronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>> & { schedule: string }, run = '2m'): CronJobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { jobTemplate: { spec: { template: template({ 'ksim.dev/run-duration': run }) } }, ...spec },
  } as CronJobObj;
}

const getCJ = (sim: ReturnType<typeof cluster>, name: string): CronJobObj => sim.get('CronJob', 'default', name) as CronJobObj;
const jobs = (sim: ReturnType<typeof cluster>): JobObj[] => sim.list('Job') as JobObj[];
const cjEvents = (sim: ReturnType<typeof cluster>, name: string): string[] => jobEvents(sim, name, 'CronJob').map((e) => `${e.reason} ${e.message}`);

describe('CronJob: schedule, Job names, history', () => {
  it('creates <name>-<minutes since epoch> Jobs on schedule, keeps 3 succeeded, and reports status and events', () => {
    const sim = cluster();
    sim.apply(cronJob('tick', { schedule: '*/10 * * * *' }));
    sim.runUntil(60 * MIN + 5000);
    const names = jobs(sim).map((j) => j.metadata.name);
    expect(names).toEqual(['tick-28928190', 'tick-28928200', 'tick-28928210', 'tick-28928220']);
    const newest = jobs(sim).at(-1)!;
    expect(newest.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-01T01:00:00Z');
    expect(newest.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    const cj = getCJ(sim, 'tick');
    expect(cj.status?.lastScheduleTime).toBe('2025-01-01T01:00:00Z');
    expect(cj.status?.lastSuccessfulTime).toBe(jobs(sim)[2]!.status?.completionTime);
    expect(cj.status?.active?.map((r) => r.name)).toEqual(['tick-28928220']);
    const ev = cjEvents(sim, 'tick');
    expect(ev.slice(0, 2)).toEqual(['SuccessfulCreate Created job tick-28928170', 'SawCompletedJob Saw completed job: tick-28928170, status: Complete']);
    expect(ev).toContain('SuccessfulDelete Deleted job tick-28928170');
    expect(ev).toContain('SuccessfulDelete Deleted job tick-28928180');
    // Created 100 ms after the schedule time (nextScheduleDelta) plus one reconcile.
    expect(jobEvents(sim, 'tick', 'CronJob')[0]!.firstTimestamp).toBe(10 * MIN + 101);
  });

  it('keeps failedJobsHistoryLimit failed Jobs', () => {
    const sim = cluster();
    const cj = cronJob('fail', { schedule: '*/5 * * * *', failedJobsHistoryLimit: 1 });
    cj.spec!.jobTemplate.spec!.backoffLimit = 0;
    cj.spec!.jobTemplate.spec!.template = template({ 'ksim.dev/run-duration': '10s', 'ksim.dev/exit-code': '1' });
    sim.apply(cj);
    sim.runUntil(31 * MIN);
    const left = jobs(sim);
    expect(left.map((j) => j.metadata.name)).toEqual(['fail-28928190']);
    expect(cjEvents(sim, 'fail')).toContain('SawCompletedJob Saw completed job: fail-28928165, status: Failed');
    expect(getCJ(sim, 'fail').status?.lastSuccessfulTime).toBeUndefined();
  });
});

describe('CronJob: concurrency policies and suspend', () => {
  it('Forbid skips a run while the previous Job is active (JobAlreadyActive)', () => {
    const sim = cluster();
    sim.apply(cronJob('fb', { schedule: '*/10 * * * *', concurrencyPolicy: 'Forbid' }, '15m'));
    sim.runUntil(27 * MIN);
    expect(cjEvents(sim, 'fb')).toContain('JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid');
    // Without startingDeadlineSeconds the skipped 00:20 run starts as soon as the first Job is seen complete.
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['fb-28928170', 'fb-28928180']);
    const late = jobEvents(sim, 'fb', 'CronJob').find((e) => e.message === 'Created job fb-28928180')!;
    expect(late.firstTimestamp).toBeGreaterThan(25 * MIN);
  });

  it('Replace deletes the running Job and starts the new one', () => {
    const sim = cluster();
    sim.apply(cronJob('rp', { schedule: '*/10 * * * *', concurrencyPolicy: 'Replace' }, '15m'));
    sim.runUntil(21 * MIN);
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['rp-28928180']);
    const ev = cjEvents(sim, 'rp');
    expect(ev.indexOf('SuccessfulDelete Deleted job rp-28928170')).toBeLessThan(ev.indexOf('SuccessfulCreate Created job rp-28928180'));
    expect(getCJ(sim, 'rp').status?.active?.map((r) => r.name)).toEqual(['rp-28928180']);
  });

  it('Allow runs them side by side', () => {
    const sim = cluster();
    sim.apply(cronJob('al', { schedule: '*/10 * * * *' }, '15m'));
    sim.runUntil(21 * MIN);
    expect(getCJ(sim, 'al').status?.active?.map((r) => r.name)).toEqual(['al-28928170', 'al-28928180']);
  });

  it('suspend stops new runs', () => {
    const sim = cluster();
    sim.apply(cronJob('sus', { schedule: '* * * * *', suspend: true }));
    sim.runUntil(30 * MIN);
    expect(jobs(sim)).toHaveLength(0);
  });
});

describe('CronJob: missed schedules', () => {
  it('startingDeadlineSeconds: a run older than the deadline is not started; without one it starts late', () => {
    const sim = cluster();
    sim.apply(cronJob('late', { schedule: '*/10 * * * *', startingDeadlineSeconds: 60, suspend: true }));
    sim.apply(cronJob('anyway', { schedule: '*/10 * * * *', suspend: true }));
    sim.runUntil(25 * MIN);
    for (const name of ['late', 'anyway']) {
      sim.store.patch<CronJobObj>('CronJob', 'default', name, (d) => {
        d.spec!.suspend = false;
      });
    }
    sim.runUntil(26 * MIN);
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['anyway-28928180']);
    sim.runUntil(31 * MIN);
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['anyway-28928180', 'anyway-28928190', 'late-28928190']);
  });

  it('more than 100 missed start times: TooManyMissedTimes, then the most recent one runs', () => {
    const sim = cluster();
    sim.apply(cronJob('many', { schedule: '* * * * *', suspend: true }));
    sim.runUntil(150 * MIN + 30_000);
    sim.store.patch<CronJobObj>('CronJob', 'default', 'many', (d) => {
      d.spec!.suspend = false;
    });
    sim.runUntil(150 * MIN + 40_000);
    expect(cjEvents(sim, 'many')).toContain('TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['many-28928310']);
    expect(getCJ(sim, 'many').status?.lastScheduleTime).toBe('2025-01-01T02:30:00Z');
  });
});

describe('CronJob: time zones and cost', () => {
  it('evaluates the schedule in spec.timeZone and stamps the annotation in that zone', () => {
    const sim = cluster();
    sim.apply(cronJob('tz', { schedule: '0 9 * * *', timeZone: 'Europe/Berlin' }, '1m'));
    sim.runUntil(8 * 60 * MIN + MIN);
    const [j] = jobs(sim);
    expect(j?.metadata.name).toBe(`tz-${28928160 + 8 * 60}`);
    expect(j?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-01T09:00:00+01:00');
  });

  it('a day of an hourly CronJob takes a few syncs per run, not one per minute', () => {
    const sim = cluster();
    let syncs = 0;
    sim.store.watch('CronJob', () => syncs++);
    sim.apply(cronJob('h', { schedule: '@hourly' }, '5m'));
    sim.runUntil(24 * 60 * MIN + 1000);
    expect(jobs(sim)).toHaveLength(4); // 3 succeeded kept + the one just started
    expect(getCJ(sim, 'h').status?.lastScheduleTime).toBe('2025-01-02T00:00:00Z');
    // Per hour: a status write when a Job starts, one when it is seen complete, one for
    // lastSuccessfulTime (upstream's branches set it on the following sync) - not one per minute.
    expect(syncs).toBeLessThanOrEqual(1 + 24 * 3);
    expect(syncs).toBeGreaterThanOrEqual(24 * 2);
  });
});

describe('CronJob: a changed schedule', () => {
  it('is looked at when its next activation is due (updateCronJob), so a time it has already passed is not run', () => {
    const sim = cluster();
    sim.apply(cronJob('chg', { schedule: '0 * * * *' }));
    sim.runUntil(7 * MIN);
    sim.store.patch<CronJobObj>('CronJob', 'default', 'chg', (d) => {
      d.spec!.schedule = '*/5 * * * *';
    });
    sim.runUntil(9 * MIN);
    expect(jobs(sim)).toHaveLength(0);
    sim.runUntil(11 * MIN);
    expect(jobs(sim).map((j) => j.metadata.name)).toEqual(['chg-28928170']);
  });
});
