/**
 * The CronJob controller ("cronjob-controller"), following
 * kube-controller-manager's pkg/controller/cronjob/cronjob_controllerv2.go
 * (v1.33). One sync of a CronJob:
 *  1. history: finished Jobs beyond successfulJobsHistoryLimit /
 *     failedJobsHistoryLimit are deleted, oldest start time first
 *     (SuccessfulDelete "Deleted job x");
 *  2. its Jobs (those whose controller reference names it) are reconciled with
 *     status.active: a finished active Job leaves the list (SawCompletedJob
 *     "Saw completed job: x, status: Complete"), a succeeded Job advances
 *     lastSuccessfulTime, an active Job that no longer exists leaves it
 *     (MissingJob), an unfinished Job it did not list is reported
 *     (UnexpectedJob);
 *  3. unless deleted or suspended, the latest unmet schedule time is found on
 *     the virtual clock (spec.timeZone, else UTC), with startingDeadlineSeconds;
 *     more than 100 missed times give TooManyMissedTimes, a start too late
 *     MissSchedule; Forbid skips while a Job is active (JobAlreadyActive),
 *     Replace deletes the active Jobs; the Job <name>-<minutes since the
 *     epoch> is created from jobTemplate with the
 *     batch.kubernetes.io/cronjob-scheduled-timestamp annotation
 *     (SuccessfulCreate "Created job x"), and lastScheduleTime and active
 *     are written;
 *  4. the key is requeued for the next activation (+100 ms), so a day of
 *     virtual time costs only the syncs it needs.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time, WatchEvent } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { getControllerOf, newControllerRef } from '../controllerutils/controllerRef.ts';
import { cloneJson } from '../controllerutils/clone.ts';
import { finishedJobCondition } from '../controllerutils/jobFinished.ts';
import { CronParseError, formatRFC1123Z, formatRFC3339In, loadLocation, parseCronJobSchedule, UTC, type Schedule } from '../../api/cron.ts';
import { jobNameFor, mostRecentScheduleTime, nextScheduleTimeDuration, type CronJobTimes } from './schedule.ts';

export const CronJobControllerName = 'cronjob-controller';
export const CronJobScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type CronJobObj = CronJob & KObject;
type JobObj = Job & KObject;
type StoredJob = Stored<JobObj>;

export interface CronJobControllerOptions {
  /** Unix milliseconds of virtual time 0 (the scenario's startTime). */
  epochMs: number;
  /** The virtual clock, for requeueing a CronJob whose schedule changed (updateCronJob); without it such a change syncs at once. */
  now?: () => Time;
  timestamp: (t?: Time) => string;
  virtualTime: (rfc3339: string) => Time;
}

const ACTOR = CronJobControllerName;
const SOURCE = { component: CronJobControllerName };

function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  return finishedJobCondition(job)?.type as 'Complete' | 'Failed' | undefined;
}

function inActiveList(cj: { status: { active: ObjectReference[] } }, uid: string | undefined): boolean {
  return cj.status.active.some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: { status: { active: ObjectReference[] } }, uid: string | undefined): void {
  cj.status.active = cj.status.active.filter((r) => r.uid !== uid);
}

interface WorkingCronJob {
  obj: Stored<CronJobObj>;
  status: { active: ObjectReference[]; lastScheduleTime: string | undefined; lastSuccessfulTime: string | undefined };
}

export function createCronJobController(opts: CronJobControllerOptions): Controller {
  /** Jobs by the uid of their controlling CronJob, as the Job informer delivers them. */
  const jobsByOwner = new Map<string, Map<string, StoredJob>>();
  const unix = (virtual: Time): number => opts.epochMs + virtual;
  const unixOf = (rfc3339: string): number => opts.epochMs + opts.virtualTime(rfc3339);
  const rfc3339OfUnix = (u: number): string => opts.timestamp(u - opts.epochMs);

  function jobEvent(ev: WatchEvent): string[] {
    const job = ev.object as StoredJob;
    const ref = getControllerOf(job) ?? (ev.oldObject ? getControllerOf(ev.oldObject) : undefined);
    if (!ref || ref.kind !== 'CronJob') return [];
    const uid = job.metadata.uid ?? '';
    let m = jobsByOwner.get(ref.uid);
    if (ev.type === 'DELETED') {
      m?.delete(uid);
      if (m && m.size === 0) jobsByOwner.delete(ref.uid);
    } else {
      if (!m) jobsByOwner.set(ref.uid, (m = new Map()));
      m.set(uid, job);
    }
    return [`${job.metadata.namespace ?? ''}/${ref.name}`];
  }

  function times(cj: WorkingCronJob): CronJobTimes {
    return {
      creation: cj.obj.metadata.creationTimestamp ? unixOf(cj.obj.metadata.creationTimestamp) : opts.epochMs,
      lastScheduleTime: cj.status.lastScheduleTime ? unixOf(cj.status.lastScheduleTime) : undefined,
      startingDeadlineSeconds: cj.obj.spec?.startingDeadlineSeconds,
    };
  }

  function deleteJob(ctx: ReconcileContext, cj: WorkingCronJob, job: StoredJob): boolean {
    try {
      ctx.store.delete('Job', job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Background', actor: ACTOR });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      ctx.recorder.event(cj.obj, 'Warning', 'FailedDelete', `Deleted job: ${e.message}`, SOURCE);
      return false;
    }
    deleteFromActiveList(cj, job.metadata.uid);
    ctx.recorder.event(cj.obj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`, SOURCE);
    return true;
  }

  /** byJobStartTime: by status.startTime (unset last), then name. */
  function byStartTime(a: StoredJob, b: StoredJob): number {
    const sa = a.status?.startTime;
    const sb = b.status?.startTime;
    if (sa === undefined || sb === undefined) {
      if (sa === sb) return 0;
      return sa === undefined ? 1 : -1;
    }
    const ta = unixOf(sa);
    const tb = unixOf(sb);
    if (ta !== tb) return ta - tb;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  }

  /** cleanupFinishedJobs / removeOldestJobs. */
  function cleanupFinishedJobs(ctx: ReconcileContext, cj: WorkingCronJob, jobs: readonly StoredJob[]): boolean {
    const spec = cj.obj.spec;
    if (spec?.successfulJobsHistoryLimit === undefined && spec?.failedJobsHistoryLimit === undefined) return false;
    let update = false;
    const ok = jobs.filter((j) => finishedType(j) === 'Complete');
    const failed = jobs.filter((j) => finishedType(j) === 'Failed');
    const removeOldest = (list: StoredJob[], max: number): void => {
      const n = list.length - max;
      if (n <= 0) return;
      list.sort(byStartTime);
      for (let i = 0; i < n; i++) if (deleteJob(ctx, cj, list[i]!)) update = true;
    };
    if (spec?.successfulJobsHistoryLimit !== undefined) removeOldest(ok, spec.successfulJobsHistoryLimit);
    if (spec?.failedJobsHistoryLimit !== undefined) removeOldest(failed, spec.failedJobsHistoryLimit);
    return update;
  }

  /** syncCronJob: returns when to look again (ms) and whether the status changed. */
  function syncCronJob(ctx: ReconcileContext, cj: WorkingCronJob, jobs: readonly StoredJob[]): { requeue: number | undefined; update: boolean; error?: unknown } {
    const now = unix(ctx.now);
    let update = false;
    const children = new Set<string>();
    for (const j of jobs) {
      const uid = j.metadata.uid ?? '';
      children.add(uid);
      const found = inActiveList(cj, uid);
      const finished = finishedType(j);
      if (!found && finished === undefined) {
        // The cache may be behind our own status write: ask the API server before complaining.
        const fresh = ctx.store.get<CronJobObj>('CronJob', cj.obj.metadata.namespace ?? '', cj.obj.metadata.name ?? '');
        if (fresh && (fresh.status?.active ?? []).some((r) => r.uid === uid)) {
          cj.obj = fresh;
          cj.status = { active: (fresh.status?.active ?? []).map((r) => ({ ...r })), lastScheduleTime: fresh.status?.lastScheduleTime, lastSuccessfulTime: fresh.status?.lastSuccessfulTime };
          continue;
        }
        ctx.recorder.event(cj.obj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name ?? ''}`, SOURCE);
      } else if (found && finished !== undefined) {
        deleteFromActiveList(cj, uid);
        ctx.recorder.event(cj.obj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name ?? ''}, status: ${finished}`, SOURCE);
        update = true;
      } else if (finished === 'Complete') {
        // A succeeded Job need not be active to advance lastSuccessfulTime.
        const ct = j.status?.completionTime;
        const last = cj.status.lastSuccessfulTime;
        if (last === undefined && ct !== undefined) {
          cj.status.lastSuccessfulTime = ct;
          update = true;
        } else if (ct !== undefined && last !== undefined && unixOf(ct) > unixOf(last)) {
          cj.status.lastSuccessfulTime = ct;
          update = true;
        }
      }
    }
    for (const ref of [...cj.status.active]) {
      if (children.has(ref.uid ?? '')) continue;
      // The informer may lag: ask the API server before declaring the Job missing.
      if (ctx.store.get('Job', ref.namespace ?? '', ref.name ?? '') === undefined) {
        ctx.recorder.event(cj.obj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`, SOURCE);
        deleteFromActiveList(cj, ref.uid);
        update = true;
      }
    }
    if (cj.obj.metadata.deletionTimestamp) return { requeue: undefined, update };
    const spec = cj.obj.spec;
    const tz = spec?.timeZone;
    if (tz !== undefined) {
      const z = loadLocation(tz);
      if (typeof z === 'string') {
        ctx.recorder.event(cj.obj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${z}`, SOURCE);
        return { requeue: undefined, update };
      }
    }
    if (spec?.suspend === true) return { requeue: undefined, update };
    const scheduleText = spec?.schedule ?? '';
    let sched: Schedule;
    try {
      if (scheduleText.includes('TZ')) {
        ctx.recorder.event(
          cj.obj,
          'Warning',
          'UnsupportedSchedule',
          `CRON_TZ or TZ used in schedule ${JSON.stringify(scheduleText)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
          SOURCE,
        );
      }
      sched = parseCronJobSchedule(scheduleText, tz);
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      ctx.recorder.event(cj.obj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(scheduleText)} : ${e.message}`, SOURCE);
      return { requeue: undefined, update };
    }
    const t = times(cj);
    const recent = mostRecentScheduleTime(t, now, sched, true);
    if (recent.error !== undefined) {
      ctx.recorder.event(cj.obj, 'Warning', 'InvalidSchedule', `invalid schedule: ${scheduleText} : ${recent.error}`, SOURCE);
      return { requeue: undefined, update };
    }
    const nextIn = (): number | undefined => nextScheduleTimeDuration(times(cj), now, sched);
    const scheduled = recent.mostRecent !== undefined && recent.mostRecent <= now ? recent.mostRecent : undefined;
    if (scheduled !== undefined && recent.missed === 'many') {
      ctx.recorder.event(cj.obj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', SOURCE);
    }
    if (scheduled === undefined) return { requeue: nextIn(), update };
    const sds = spec?.startingDeadlineSeconds;
    if (sds !== undefined && scheduled + sds * 1000 < now) {
      ctx.recorder.event(cj.obj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`, SOURCE);
      return { requeue: nextIn(), update };
    }
    const name = jobNameFor(cj.obj.metadata.name ?? '', scheduled);
    const lastST = cj.status.lastScheduleTime;
    if (cj.status.active.some((r) => r.name === name) || (lastST !== undefined && unixOf(lastST) === Math.floor(scheduled / 1000) * 1000)) {
      return { requeue: nextIn(), update };
    }
    if (spec?.concurrencyPolicy === 'Forbid' && cj.status.active.length > 0) {
      ctx.recorder.event(cj.obj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', SOURCE);
      return { requeue: nextIn(), update };
    }
    if (spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...cj.status.active]) {
        const job = ctx.store.get<JobObj>('Job', ref.namespace ?? '', ref.name ?? '');
        if (!job) {
          ctx.recorder.event(cj.obj, 'Warning', 'FailedGet', `Get job: ${ApiError.notFound('Job', ref.name ?? '').message}`, SOURCE);
          return { requeue: undefined, update, error: new Error('job not found') };
        }
        if (!deleteJob(ctx, cj, job)) return { requeue: undefined, update, error: new Error(`could not replace job ${ref.namespace}/${ref.name}`) };
        update = true;
      }
    }
    const jobReq = jobFromTemplate(cj.obj, scheduled, name, tz);
    let created: StoredJob;
    try {
      created = ctx.store.create(jobReq, { actor: ACTOR });
      ctx.recorder.event(cj.obj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name ?? ''}`, SOURCE);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.reason === 'AlreadyExists') {
        const existing = ctx.store.get<JobObj>('Job', cj.obj.metadata.namespace ?? '', name);
        if (!existing) return { requeue: undefined, update, error: e };
        // Created by someone else: assume they keep the status; ours but unlisted: list it again.
        if (getControllerOf(existing)?.uid !== cj.obj.metadata.uid) return { requeue: undefined, update };
        if (inActiveList(cj, existing.metadata.uid)) return { requeue: undefined, update };
        created = existing;
      } else {
        if (e.reason !== 'Forbidden' || !/being terminated/.test(e.message)) {
          ctx.recorder.event(cj.obj, 'Warning', 'FailedCreate', `Error creating job: ${e.message}`, SOURCE);
        }
        return { requeue: undefined, update, error: e };
      }
    }
    cj.status.active.push({
      kind: 'Job',
      namespace: created.metadata.namespace,
      name: created.metadata.name,
      uid: created.metadata.uid,
      apiVersion: 'batch/v1',
      resourceVersion: created.metadata.resourceVersion,
    });
    cj.status.lastScheduleTime = rfc3339OfUnix(scheduled);
    return { requeue: nextIn(), update: true };
  }

  function jobFromTemplate(cj: Stored<CronJobObj>, scheduled: number, name: string, tz: string | undefined): JobObj {
    const jt = cj.spec?.jobTemplate;
    const zone = tz !== undefined ? loadLocation(tz) : UTC;
    const annotations: Record<string, string> = { ...(jt?.metadata?.annotations ?? {}) };
    // CronJobsScheduledAnnotation (beta, on by default since v1.32): the nominal time in the CronJob's zone.
    annotations[CronJobScheduledTimestampAnnotation] = formatRFC3339In(scheduled, typeof zone === 'string' ? UTC : zone);
    const metadata: JobObj['metadata'] = { name, namespace: cj.metadata.namespace, annotations, ownerReferences: [newControllerRef(cj)] };
    if (jt?.metadata?.labels) metadata.labels = { ...jt.metadata.labels };
    return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: cloneJson(jt?.spec ?? { template: {} }) } as JobObj;
  }

  /**
   * updateCronJob: a new schedule or time zone is looked at when its next activation is due,
   * not at once (so a run the new schedule has already missed is not started); any other
   * change syncs at once.
   */
  function scheduleChangeDelay(ev: WatchEvent): Time {
    const old = ev.oldObject as Stored<CronJobObj> | undefined;
    const cur = ev.object as Stored<CronJobObj>;
    if (ev.type !== 'MODIFIED' || !old || !opts.now) return 0;
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) return 0;
    let sched: Schedule;
    try {
      sched = parseCronJobSchedule(cur.spec?.schedule ?? '', cur.spec?.timeZone);
    } catch (e) {
      if (e instanceof CronParseError) return 0; // the sync reports it
      throw e;
    }
    const wc: WorkingCronJob = { obj: cur, status: { active: [], lastScheduleTime: cur.status?.lastScheduleTime, lastSuccessfulTime: undefined } };
    const d = nextScheduleTimeDuration(times(wc), unix(opts.now()), sched);
    return d === undefined ? 0 : Math.max(1, Math.ceil(d));
  }

  function reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
    const slash = key.indexOf('/');
    const cjObj = ctx.lister<CronJobObj>('CronJob').get(key.slice(0, slash), key.slice(slash + 1));
    if (!cjObj) return;
    const owned = jobsByOwner.get(cjObj.metadata.uid ?? '');
    const jobs = owned ? [...owned.values()].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1)) : [];
    const cj: WorkingCronJob = {
      obj: cjObj,
      status: {
        active: (cjObj.status?.active ?? []).map((r) => ({ ...r })),
        lastScheduleTime: cjObj.status?.lastScheduleTime,
        lastSuccessfulTime: cjObj.status?.lastSuccessfulTime,
      },
    };
    const cleaned = cleanupFinishedJobs(ctx, cj, jobs);
    // As upstream, the Jobs just deleted by the cleanup are still in the list the sync looks at.
    const { requeue, update, error } = syncCronJob(ctx, cj, jobs);
    if (cleaned || update) {
      const status: NonNullable<CronJob['status']> = {};
      if (cj.status.active.length > 0) status.active = cj.status.active;
      if (cj.status.lastScheduleTime) status.lastScheduleTime = cj.status.lastScheduleTime;
      if (cj.status.lastSuccessfulTime) status.lastSuccessfulTime = cj.status.lastSuccessfulTime;
      ctx.store.update({ ...cj.obj, status } as CronJobObj, { subresource: 'status', actor: ACTOR });
    }
    if (requeue !== undefined) return { requeueAfter: Math.max(1, Math.ceil(requeue)) };
    if (error !== undefined) return { requeue: true };
  }

  return {
    name: CronJobControllerName,
    watches: [{ kind: 'CronJob', delay: scheduleChangeDelay }, { kind: 'Job', toKeys: jobEvent }],
    reconcile,
  };
}
