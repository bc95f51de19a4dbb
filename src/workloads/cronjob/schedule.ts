/**
 * The CronJob controller's schedule arithmetic, as upstream's
 * pkg/controller/cronjob/utils.go (v1.33):
 *  - mostRecentScheduleTime: from the last schedule time (or the CronJob's
 *    creation), optionally no earlier than now - startingDeadlineSeconds, the
 *    latest activation not after now, and how many were missed: the count is
 *    upstream's estimate from the interval between the first two activations
 *    (timeElapsed / interval + 1), more than 100 being "many";
 *  - nextScheduleTimeDuration: when to look again, 100 ms after the next
 *    activation (nextScheduleDelta, for clock skew);
 *  - the Job name <cronjob>-<scheduled time in minutes since the Unix epoch>.
 * Times are Unix milliseconds.
 */
import { nextAfter, type Schedule } from '../../api/cron.ts';

export const NextScheduleDelta = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  earliest: number;
  /** The latest unmet activation, undefined when there is none. */
  mostRecent: number | undefined;
  missed: MissedSchedules;
  /** Set when the schedule cannot be used (two activations less than a second apart, or none at all). */
  error: string | undefined;
}

export interface CronJobTimes {
  creation: number;
  lastScheduleTime: number | undefined;
  startingDeadlineSeconds: number | undefined;
}

const LessThanASecond = 'time difference between two schedules is less than 1 second';

export function mostRecentScheduleTime(cj: CronJobTimes, now: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliest = cj.lastScheduleTime ?? cj.creation;
  let missed: MissedSchedules = 'none';
  if (includeStartingDeadlineSeconds && cj.startingDeadlineSeconds !== undefined) {
    const deadline = now - cj.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  // No activation within five years is Go's zero time, far in the past: then the
  // two activations are not a second apart and the schedule is rejected.
  const t1 = nextAfter(schedule, earliest);
  if (t1 === undefined) return { earliest, mostRecent: undefined, missed, error: LessThanASecond };
  if (now < t1) return { earliest, mostRecent: undefined, missed, error: undefined };
  const t2 = nextAfter(schedule, t1);
  if (t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed, error: undefined };
  if (t2 === undefined) return { earliest, mostRecent: undefined, missed, error: LessThanASecond };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, mostRecent: undefined, missed, error: LessThanASecond };
  const elapsed = Math.trunc((now - t1) / 1000);
  const numberMissed = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  // Start one interval before the estimate and let the schedule find the exact activations.
  const potentialEarliest = t1 + (numberMissed - 1 - 1) * between * 1000;
  for (let t = nextAfter(schedule, potentialEarliest); t !== undefined && t <= now; t = nextAfter(schedule, t)) mostRecent = t;
  if (numberMissed > 100) missed = 'many';
  else if (numberMissed > 0) missed = 'few';
  return { earliest, mostRecent, missed, error: undefined };
}

/** nextScheduleTimeDuration: ms from now until the controller should look again. */
export function nextScheduleTimeDuration(cj: CronJobTimes, now: number, schedule: Schedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let from: number;
  if (r.error !== undefined) from = now;
  else if (r.mostRecent === undefined) from = r.missed === 'none' ? r.earliest : now;
  else from = r.mostRecent;
  const next = nextAfter(schedule, from);
  if (next === undefined) return undefined;
  return next + NextScheduleDelta - now;
}

/** getJobName: "<cronjob>-<minutes since the Unix epoch>". */
export function jobNameFor(cronJobName: string, scheduledUnixMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledUnixMs / 60_000)}`;
}
