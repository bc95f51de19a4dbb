/**
 * The TTL-after-finished controller ("ttl-after-finished-controller"), as
 * kube-controller-manager's pkg/controller/ttlafterfinished (v1.33): a Job
 * with spec.ttlSecondsAfterFinished that has finished (a True Complete or
 * Failed condition) is deleted ttlSecondsAfterFinished after the condition's
 * lastTransitionTime. Before deleting, the Job is read again from the API
 * server (the TTL may have been changed); the delete carries a uid
 * precondition and, as upstream's, Foreground propagation, so the Job goes
 * once its pods are gone. The key is requeued for the moment the TTL expires.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Time } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { keyOf, NO_KEYS } from '../../sim/runtime.ts';
import { cachingParse } from '../controllerutils/parseCache.ts';
import { finishedJobCondition } from '../controllerutils/jobFinished.ts';

export const TTLAfterFinishedControllerName = 'ttl-after-finished-controller';

type JobObj = Job & KObject;

export interface TTLAfterFinishedOptions {
  virtualTime: (rfc3339: string) => Time;
}

/** jobFinishTime: the lastTransitionTime of the True Complete or Failed condition. */
export function jobFinishTime(job: Job, parse: (s: string) => Time): Time | undefined {
  const c = finishedJobCondition(job);
  return c?.lastTransitionTime ? parse(c.lastTransitionTime) : undefined;
}

/** upstream needsCleanup: the Job has spec.ttlSecondsAfterFinished and a True Complete or Failed condition (IsJobFinished). */
export function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return false;
  return finishedJobCondition(job) !== undefined;
}

/** needsCleanup + timeLeft: ms until the Job expires (<= 0: expired), or undefined when it never does. */
export function ttlTimeLeft(job: Job, now: Time, parse: (s: string) => Time): Time | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finishAt = jobFinishTime(job, parse);
  if (finishAt === undefined) return undefined;
  return finishAt + ttl * 1000 - now;
}

export function createTTLAfterFinishedController(opts: TTLAfterFinishedOptions): Controller {
  // A finished Job is looked at when it finishes and again at expiry, hundreds of other Jobs later: finish
  // times are remembered by their text (a pure function of it), not parsed again at every look.
  const parse = cachingParse(opts.virtualTime);
  return {
    name: TTLAfterFinishedControllerName,
    // upstream addJob/updateJob: only a Job that is not being deleted and needs cleanup is queued
    // (unfinished Jobs' events do not occupy the worker); deletions have no handler.
    watches: [{ kind: 'Job', toKeys: (ev) => (ev.type !== 'DELETED' && !ev.object.metadata.deletionTimestamp && needsCleanup(ev.object as JobObj) ? [keyOf(ev.object)] : NO_KEYS) }],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      const name = key.slice(slash + 1);
      const cached = ctx.lister<JobObj>('Job').get(ns, name);
      if (!cached) return;
      const left = ttlTimeLeft(cached, ctx.now, parse);
      if (left === undefined) return;
      if (left > 0) return { requeueAfter: left };
      // The TTL may have changed since the cache saw the Job: check the latest before deleting.
      const fresh = ctx.store.get<JobObj>('Job', ns, name);
      if (!fresh) return;
      const freshLeft = ttlTimeLeft(fresh, ctx.now, parse);
      if (freshLeft === undefined) return;
      if (freshLeft > 0) return { requeueAfter: freshLeft };
      try {
        ctx.store.delete('Job', ns, name, {
          propagationPolicy: 'Foreground',
          preconditions: { uid: fresh.metadata.uid },
          actor: TTLAfterFinishedControllerName,
        });
      } catch (e) {
        if (e instanceof ApiError && e.reason === 'NotFound') return;
        throw e;
      }
    },
  };
}
