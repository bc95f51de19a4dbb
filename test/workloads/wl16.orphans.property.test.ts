/**
 * JobSelectors.mayMatch, the Job controller's early exit for an orphan's event (orphanKeys): when it says
 * no Job can match a pod, jobsMatching (getPodJobs) must find none, over generated Jobs (generated
 * controller-uid selectors, manual selectors, selectors that match nothing) observed and forgotten, and
 * generated pods (with and without labels, with a controller-uid value, in several namespaces).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Stored } from '../../src/sim/types.ts';
import { JobSelectors } from '../../src/workloads/job/orphans.ts';
import { ControllerUidLabel } from '../../src/workloads/job/jobStrategy.ts';
import type { JobObj } from '../../src/workloads/job/jobController.ts';

const uids = ['u1', 'u2', 'u3'];
const namespaces = ['default', 'other'];

const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  // The generated selector: the Job's controller-uid (here any of the uids).
  fc.constantFrom(...uids).map((u) => ({ matchLabels: { [ControllerUidLabel]: u } })),
  // A manual selector on app, or one with an expression, or the empty selector (matches every labelled pod).
  fc.constantFrom('a', 'b').map((a) => ({ matchLabels: { app: a } })),
  fc.constantFrom('a', 'b').map((a) => ({ matchExpressions: [{ key: 'app', operator: 'In', values: [a] }] })),
  fc.constant({}),
);

const jobOp = fc.record({
  forget: fc.boolean(),
  uid: fc.constantFrom(...uids),
  namespace: fc.constantFrom(...namespaces),
  selector,
});

const labels = fc.option(
  fc.record(
    { [ControllerUidLabel]: fc.constantFrom(...uids, 'u9'), app: fc.constantFrom('a', 'b', 'c'), tier: fc.constant('x') },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const pod = fc.record({ namespace: fc.constantFrom(...namespaces), labels });

function job(uid: string, namespace: string, sel: LabelSelector): Stored<JobObj> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { uid, namespace, name: `job-${uid}` }, spec: { selector: sel, template: {} } } as Stored<JobObj>;
}

describe('JobSelectors.mayMatch', () => {
  it('is true whenever jobsMatching finds a Job', () => {
    fc.assert(
      fc.property(fc.array(jobOp, { maxLength: 12 }), fc.array(pod, { minLength: 1, maxLength: 12 }), (ops, pods) => {
        const s = new JobSelectors();
        for (const o of ops) {
          if (o.forget) s.forget(o.uid);
          else s.observe(job(o.uid, o.namespace, o.selector));
        }
        for (const p of pods) {
          const obj: Pod = { metadata: { namespace: p.namespace, ...(p.labels !== undefined ? { labels: p.labels } : {}) } };
          if (!s.mayMatch(obj)) expect(s.jobsMatching(obj)).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers both ways on known cases', () => {
    const s = new JobSelectors();
    s.observe(job('u1', 'default', { matchLabels: { [ControllerUidLabel]: 'u1' } }));
    const mine: Pod = { metadata: { namespace: 'default', labels: { [ControllerUidLabel]: 'u1' } } };
    expect(s.mayMatch(mine)).toBe(true);
    expect(s.jobsMatching(mine).map((j) => j.uid)).toEqual(['u1']);
    // A bare pod (no controller-uid label) in a namespace with no manual-selector Job: no Job can match.
    expect(s.mayMatch({ metadata: { namespace: 'default', labels: { app: 'a' } } })).toBe(false);
    expect(s.mayMatch({ metadata: { namespace: 'other', labels: { [ControllerUidLabel]: 'u1' } } })).toBe(false);
    s.observe(job('u2', 'other', { matchLabels: { app: 'a' } }));
    expect(s.mayMatch({ metadata: { namespace: 'other', labels: { app: 'a' } } })).toBe(true);
    s.forget('u2');
    expect(s.mayMatch({ metadata: { namespace: 'other', labels: { app: 'a' } } })).toBe(false);
  });
});
