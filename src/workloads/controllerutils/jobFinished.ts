/**
 * IsJobFinished (pkg/controller/job/util and its copies in the CronJob and
 * TTL-after-finished controllers): a Job is finished when it has a Complete or
 * Failed condition with status True. The condition itself is returned, since
 * the CronJob controller wants its type and the TTL controller its time.
 * An indexed loop, not find() with a closure: every sync of every Job asks.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';

export function finishedJobCondition(job: Job): JobCondition | undefined {
  const conds = job.status?.conditions;
  if (conds === undefined) return undefined;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c;
  }
  return undefined;
}
