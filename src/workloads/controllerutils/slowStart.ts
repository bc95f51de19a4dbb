/**
 * slowStartBatch (pkg/controller/replicaset, also used by the Job and
 * DaemonSet controllers): call fn `count` times in batches of 1, 2, 4, ...
 * (SlowStartInitialBatchSize = 1), stopping after the first batch in which any
 * call failed, so a controller facing a quota or admission error issues one
 * failing request rather than hundreds. Upstream runs a batch's calls
 * concurrently; here they run in order and all calls of the failing batch are
 * made, as upstream's do. Returns the successes and the first error.
 */
export const SlowStartInitialBatchSize = 1;

export interface SlowStartResult {
  successes: number;
  error: unknown;
}

export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): SlowStartResult {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let firstError: unknown = undefined;
    let failed = false;
    for (let i = 0; i < batch; i++) {
      try {
        fn();
        successes++;
      } catch (e) {
        if (!failed) firstError = e;
        failed = true;
      }
    }
    if (failed) return { successes, error: firstError };
    remaining -= batch;
  }
  return { successes, error: undefined };
}
