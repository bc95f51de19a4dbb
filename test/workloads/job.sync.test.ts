/**
 * One syncJob against a fake API client, in the manner of upstream's
 * TestControllerSyncJob (pkg/controller/job/job_controller_test.go): a Job and
 * its pods in given phases go in; the pods created, deleted and patched
 * (tracking finalizer removed) and the status written come out. Rows follow
 * upstream's cases (job start, too few/many active pods, finished pods
 * counted, backoff limit, suspend and resume, deleting Job, Indexed mode)
 * with the newest release's interim conditions.
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { createJobController, JobTrackingFinalizer } from '../../src/workloads/job/jobController.ts';
import { formatRFC3339, parseRFC3339 } from '../../src/sim/time.ts';
import type { KObject, ReconcileContext, RecordedEvent, Store } from '../../src/sim/types.ts';

type JobObj = Job & KObject;
type PodObj = Pod & KObject;

const EPOCH = parseRFC3339('2025-01-01T00:00:00Z');
const NOW = 3_600_000; // an hour in: old failures no longer hold back new pods

interface Row {
  parallelism: number;
  completions?: number;
  backoffLimit?: number;
  indexed?: boolean;
  suspend?: boolean;
  wasSuspended?: boolean;
  deleting?: boolean;
  pending?: number;
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  activeIndexes?: number[];
  succeededIndexes?: number[];
  want: {
    creations?: number;
    deletions?: number;
    patches?: number;
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
    terminating?: number;
    conditions?: string[];
    createdIndexes?: string[];
    completedIndexes?: string;
  };
}

const rows: Record<string, Row> = {
  'job start': { parallelism: 2, completions: 5, want: { creations: 2, active: 2, ready: 0 } },
  'WQ job start': { parallelism: 2, want: { creations: 2, active: 2 } },
  'pending pods': { parallelism: 2, completions: 5, pending: 2, want: { active: 2 } },
  'correct # of pods': { parallelism: 2, completions: 5, active: 2, ready: 2, want: { active: 2, ready: 2 } },
  'too few active pods': { parallelism: 2, completions: 5, active: 1, succeeded: 1, want: { creations: 1, active: 2, succeeded: 1, patches: 1 } },
  'new failed pod': { parallelism: 2, completions: 5, active: 1, failed: 1, want: { creations: 1, active: 2, failed: 1, patches: 1 } },
  'failed + succeed pods': { parallelism: 2, completions: 5, active: 1, succeeded: 1, failed: 1, want: { creations: 1, active: 2, succeeded: 1, failed: 1, patches: 2 } },
  'job finish': { parallelism: 2, completions: 5, succeeded: 5, want: { succeeded: 5, patches: 5, conditions: ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached'] } },
  'WQ job finishing': { parallelism: 2, active: 1, succeeded: 1, want: { active: 1, succeeded: 1, patches: 1 } },
  'WQ job all finished': { parallelism: 2, succeeded: 2, want: { succeeded: 2, patches: 2, conditions: ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached'] } },
  'WQ job all finished despite one failure': { parallelism: 2, succeeded: 1, failed: 1, want: { succeeded: 1, failed: 1, patches: 2, conditions: ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached'] } },
  'more active pods than parallelism': { parallelism: 2, completions: 5, active: 10, want: { deletions: 8, patches: 8, active: 2, terminating: 8 } },
  'more active pods than remaining completions': { parallelism: 3, completions: 4, active: 3, succeeded: 2, want: { deletions: 1, patches: 3, active: 2, succeeded: 2, terminating: 1 } },
  'status change': { parallelism: 2, completions: 5, active: 2, succeeded: 2, want: { active: 2, succeeded: 2, patches: 2 } },
  'deleting job': { parallelism: 2, completions: 5, deleting: true, pending: 1, active: 1, succeeded: 1, want: { active: 2, succeeded: 1, patches: 3 } },
  'too many job failures': {
    parallelism: 2,
    completions: 5,
    backoffLimit: 0,
    active: 1,
    failed: 1,
    want: { deletions: 1, patches: 2, active: 0, failed: 2, terminating: 1, conditions: ['FailureTarget=True/BackoffLimitExceeded'] },
  },
  'suspending a job with satisfied expectations': { parallelism: 2, completions: 4, suspend: true, active: 2, want: { deletions: 2, patches: 2, active: 0, terminating: 2, conditions: ['Suspended=True/JobSuspended'] } },
  'resuming a suspended job': { parallelism: 2, completions: 4, wasSuspended: true, want: { creations: 2, active: 2, conditions: ['Suspended=False/JobResumed'] } },
  'indexed job start': { parallelism: 2, completions: 5, indexed: true, want: { creations: 2, active: 2, createdIndexes: ['0', '1'] } },
  'indexed job some succeeded': { parallelism: 2, completions: 5, indexed: true, succeededIndexes: [0, 2], want: { creations: 2, active: 2, succeeded: 2, patches: 2, createdIndexes: ['1', '3'], completedIndexes: '0,2' } },
  'indexed job repeated indexes': { parallelism: 3, completions: 5, indexed: true, activeIndexes: [0, 0, 1], want: { deletions: 1, patches: 1, active: 2, terminating: 1 } },
  'indexed job with index beyond completions': { parallelism: 2, completions: 2, indexed: true, activeIndexes: [0, 1, 3], want: { deletions: 1, patches: 1, active: 2, terminating: 1 } },
};

const rfc = (virtual: number): string => formatRFC3339(EPOCH + virtual);

function run(row: Row) {
  const job: JobObj = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'foobar', namespace: 'default', uid: 'job-uid', resourceVersion: '1', creationTimestamp: rfc(0), ...(row.deleting ? { deletionTimestamp: rfc(NOW) } : {}) },
    spec: {
      parallelism: row.parallelism,
      ...(row.completions !== undefined ? { completions: row.completions } : {}),
      backoffLimit: row.backoffLimit ?? 6,
      completionMode: row.indexed ? 'Indexed' : 'NonIndexed',
      suspend: row.suspend ?? false,
      podReplacementPolicy: 'TerminatingOrFailed',
      // As upstream's newJob: a selector its pods match (getPodsForJob claims by it).
      selector: { matchLabels: { foo: 'bar' } },
      template: { metadata: { labels: { foo: 'bar' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'foo/bar' }] } },
    },
    status: {
      startTime: rfc(0),
      ...(row.wasSuspended ? { conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }] } : {}),
    } as JobStatus,
  };
  const pods: PodObj[] = [];
  let n = 0;
  const add = (phase: string, opts: { ready?: boolean; index?: number } = {}): void => {
    const p: PodObj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `foobar-${n}`,
        namespace: 'default',
        uid: `pod-${n++}`,
        creationTimestamp: rfc(0),
        labels: { foo: 'bar' },
        finalizers: [JobTrackingFinalizer],
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'foobar', uid: 'job-uid', controller: true }],
        ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
      },
      spec: { nodeName: phase === 'Pending' ? undefined : 'node', containers: [{ name: 'app', image: 'foo/bar' }] },
      status: { phase, ...(opts.ready ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc(0) }] } : {}) },
    } as PodObj;
    pods.push(p);
  };
  for (let i = 0; i < (row.pending ?? 0); i++) add('Pending');
  const ready = row.ready ?? 0;
  for (let i = 0; i < (row.active ?? 0); i++) add('Running', { ready: i < ready });
  for (const ix of row.activeIndexes ?? []) add('Running', { index: ix });
  for (let i = 0; i < (row.succeeded ?? 0); i++) add('Succeeded');
  for (const ix of row.succeededIndexes ?? []) add('Succeeded', { index: ix });
  for (let i = 0; i < (row.failed ?? 0); i++) add('Failed');

  const created: PodObj[] = [];
  const deleted: string[] = [];
  const patched: string[] = [];
  let status: JobStatus | undefined;
  const events: RecordedEvent[] = [];
  const store = {
    create(p: PodObj) {
      const c = { ...p, metadata: { ...p.metadata, name: `${p.metadata.generateName}${created.length}`, uid: `new-${created.length}` } } as PodObj;
      created.push(c);
      return c;
    },
    delete(_k: string, _ns: string, name: string) {
      deleted.push(name);
      return undefined;
    },
    patch(_k: string, _ns: string, name: string, mutate: (d: PodObj) => void) {
      const p = structuredClone(pods.find((x) => x.metadata.name === name)!);
      mutate(p);
      if (!p.metadata.finalizers?.includes(JobTrackingFinalizer)) patched.push(name);
      return p;
    },
    update(obj: JobObj) {
      status = obj.status;
      return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(Number(obj.metadata.resourceVersion) + 1) } };
    },
    get: () => undefined,
  } as unknown as Store;
  const controller = createJobController({ timestamp: (t = 0) => rfc(t), virtualTime: (s) => parseRFC3339(s) - EPOCH });
  for (const p of pods) controller.watches[1]!.toKeys!({ type: 'ADDED', object: p });
  const ctx: ReconcileContext = {
    now: NOW,
    store,
    lister: <T extends KObject>() => ({ get: () => job as unknown as Readonly<T>, list: () => [job as unknown as Readonly<T>] }),
    recorder: { event: (_o, type, reason, message, source) => events.push({ type, reason, message, source, involvedObject: { kind: 'Job', namespace: 'default', name: 'foobar' }, count: 1, firstTimestamp: 0, lastTimestamp: 0 }), events: () => events },
    rng: () => {
      throw new Error('no randomness in a Job sync');
    },
  };
  controller.reconcile('default/foobar', ctx);
  return { created, deleted, patched, status, events };
}

describe('syncJob (rows after upstream TestControllerSyncJob)', () => {
  it.each(Object.entries(rows))('%s', (_name, row) => {
    const r = run(row);
    const w = row.want;
    expect(r.created.length, 'creations').toBe(w.creations ?? 0);
    expect(r.deleted.length, 'deletions').toBe(w.deletions ?? 0);
    expect(r.patched.length, 'finalizer patches').toBe(w.patches ?? 0);
    const s = r.status ?? {};
    expect(s.active ?? 0, 'active').toBe(w.active ?? 0);
    if (w.ready !== undefined) expect(s.ready, 'ready').toBe(w.ready);
    expect(s.succeeded ?? 0, 'succeeded').toBe(w.succeeded ?? 0);
    expect(s.failed ?? 0, 'failed').toBe(w.failed ?? 0);
    expect(s.terminating ?? 0, 'terminating').toBe(w.terminating ?? 0);
    expect((s.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`), 'conditions').toEqual(w.conditions ?? []);
    if (w.createdIndexes) expect(r.created.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual(w.createdIndexes);
    if (w.completedIndexes !== undefined) expect(s.completedIndexes).toBe(w.completedIndexes);
    for (const p of r.created) {
      expect(p.metadata.finalizers).toContain(JobTrackingFinalizer);
      expect(p.metadata.ownerReferences?.[0]?.uid).toBe('job-uid');
    }
  });
});
