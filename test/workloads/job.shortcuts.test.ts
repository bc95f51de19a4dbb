/**
 * The Job and TTL-after-finished controllers' shortcuts held to the plain way
 * they replace (fast-check):
 *  - cachingParse gives what the parse it wraps gives (RFC3339 to virtual time), for
 *    repeated texts, texts of one minute (its per-minute shortcut), near-canonical
 *    and bad texts, and past its capacity; a bad text throws the same error every time;
 *  - newlyFinishedPods (one pass) gives the two getValidPodsWithFilter lists
 *    of two passes, in the same order;
 *  - getFinishedTime (statuses walked in place) gives what the version with a
 *    set of sidecar names and a joined status list gave;
 *  - metadataWithout leaves what `delete` leaves, key order included (the
 *    run log's bytes follow it).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { cachingParse } from '../../src/workloads/controllerutils/parseCache.ts';
import { formatRFC3339, parseRFC3339 } from '../../src/sim/time.ts';
import { createJobController, JobTrackingFinalizer, metadataWithout, newlyFinishedPods } from '../../src/workloads/job/jobController.ts';
import { getFinishedTime } from '../../src/workloads/job/backoff.ts';
import { getCompletionIndex, JobCompletionIndexAnnotation, UnknownCompletionIndex } from '../../src/workloads/job/indexes.ts';
import type { JobObj, PodObj } from './job.helpers.ts';

describe('cachingParse', () => {
  it('answers as the plain parse, texts repeated and past its capacity; bad texts throw every time', () => {
    const two = (n: number): string => String(n).padStart(2, '0');
    const text = fc.oneof(
      // canonical texts a few seconds and minutes apart (the per-minute shortcut)
      fc.integer({ min: 0, max: 200 }).map((s) => formatRFC3339(1_735_689_600_000 + s * 1000)),
      // near-canonical ones: any two-digit second, a lowercase t, invalid dates and times, fractions, offsets
      fc
        .record({
          day: fc.constantFrom('2025-01-01', '2025-02-28', '2025-02-30', '2024-02-29', '2025-13-01'),
          t: fc.constantFrom('T', 't'),
          hour: fc.constantFrom(0, 23, 24),
          min: fc.constantFrom(0, 59, 60),
          sec: fc.integer({ min: 0, max: 99 }),
          tail: fc.constantFrom('Z', 'Z', 'z', '.5Z', '+01:00', ''),
        })
        .map((r) => `${r.day}${r.t}${two(r.hour)}:${two(r.min)}:${two(r.sec)}${r.tail}`),
      fc.constantFrom('not a time', '', '2025-01-01T00:00:5Z', '2025-01-01T00:00:0aZ', '2025-01-01T00:0:005Z'),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (texts, capacity) => {
        let calls = 0;
        const plain = (s: string): number => {
          calls++;
          return parseRFC3339(s) - 1_735_689_600_000;
        };
        const cached = cachingParse(plain, capacity);
        for (const s of texts) {
          let want: number | Error;
          try {
            want = plain(s);
          } catch (e) {
            want = e as Error;
          }
          if (want instanceof Error) expect(() => cached(s)).toThrow(want.message);
          else expect(cached(s)).toBe(want);
        }
        return calls > 0 || texts.length === 0;
      }),
      { numRuns: 300 },
    );
  });

  it('remembers: a repeated text is parsed once', () => {
    let calls = 0;
    const cached = cachingParse((s) => {
      calls++;
      return s.length;
    });
    for (let i = 0; i < 5; i++) cached('2025-01-01T00:00:00Z');
    expect(calls).toBe(1);
  });
});

const uids = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];

const podArb = fc.record({
  uid: fc.constantFrom(...uids),
  name: fc.constantFrom('a', 'b', 'c', 'd'),
  phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', undefined),
  deleting: fc.boolean(),
  finalizer: fc.boolean(),
  index: fc.constantFrom(undefined, '0', '1', '2', '5', '-1', 'x'),
});

interface PodRec {
  uid: string;
  name: string;
  phase: string | undefined;
  deleting: boolean;
  finalizer: boolean;
  index: string | undefined;
}

function pod(r: PodRec): PodObj {
  const metadata: PodObj['metadata'] = {
    name: r.name,
    namespace: 'default',
    uid: r.uid,
    ...(r.finalizer ? { finalizers: [JobTrackingFinalizer] } : {}),
    ...(r.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    ...(r.index !== undefined ? { annotations: { [JobCompletionIndexAnnotation]: r.index } } : {}),
  };
  return { apiVersion: 'v1', kind: 'Pod', metadata, status: r.phase === undefined ? {} : { phase: r.phase } } as PodObj;
}

/** The plain getValidPodsWithFilter, as upstream: one pass per list. */
function validPodsPlain(job: JobObj, pods: readonly PodObj[], uncounted: ReadonlySet<string>, expectedRm: ReadonlySet<string>, filter: (p: PodObj) => boolean): PodObj[] {
  const out: PodObj[] = [];
  const completions = job.spec?.completions ?? 0;
  for (const p of pods) {
    const uid = p.metadata.uid ?? '';
    if (!(p.metadata.finalizers ?? []).includes(JobTrackingFinalizer) || uncounted.has(uid) || expectedRm.has(uid)) continue;
    if (job.spec?.completionMode === 'Indexed') {
      const ix = getCompletionIndex(p);
      if (ix === UnknownCompletionIndex || ix >= completions) continue;
    }
    if (filter(p)) out.push(p);
  }
  return out;
}

function isPodFailedPlain(p: Pod, job: JobObj): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined) return false;
  return p.metadata?.deletionTimestamp !== undefined && p.status?.phase !== 'Succeeded';
}

describe('newlyFinishedPods', () => {
  it('gives the two lists of two getValidPodsWithFilter passes, in pod order', () => {
    const uidSet = fc.subarray(uids).map((a) => new Set(a));
    fc.assert(
      fc.property(
        fc.array(podArb, { maxLength: 8 }),
        uidSet,
        uidSet,
        uidSet,
        fc.boolean(),
        fc.constantFrom(undefined, 1, 3),
        fc.constantFrom(undefined, 'Failed', 'TerminatingOrFailed'),
        (rs, uncSucc, uncFail, expectedRm, indexed, completions, replacement) => {
          const job = {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name: 'j', namespace: 'default' },
            spec: { template: {}, ...(indexed ? { completionMode: 'Indexed' } : {}), ...(completions !== undefined ? { completions } : {}), ...(replacement ? { podReplacementPolicy: replacement } : {}) },
          } as JobObj;
          const pods = rs.map(pod);
          const got = newlyFinishedPods(job, pods, uncSucc, uncFail, expectedRm);
          expect(got.newSucceeded).toEqual(validPodsPlain(job, pods, uncSucc, expectedRm, (p) => p.status?.phase === 'Succeeded'));
          expect(got.newFailed).toEqual(validPodsPlain(job, pods, uncFail, expectedRm, (p) => isPodFailedPlain(p, job)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** getFinishedTime before its statuses were walked in place. */
function latestFinishTimePlain(pod: Pod, parse: (s: string) => number): number | undefined {
  let finish: number | undefined;
  const regular: readonly ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const init = (pod.status?.initContainerStatuses ?? []).filter((cs) => sidecars.has(cs.name));
  for (const cs of [...regular, ...init]) {
    const at = cs.state?.terminated?.finishedAt;
    if (!at) return undefined;
    const t = parse(at);
    if (finish === undefined || finish < t) finish = t;
  }
  return finish;
}

describe('getFinishedTime', () => {
  it('takes the latest finish of the regular containers and sidecars, as the plain version', () => {
    const status = fc.record({
      name: fc.constantFrom('a', 'b', 's1', 's2', 'i1'),
      finished: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    });
    const initSpec = fc.record({ name: fc.constantFrom('s1', 's2', 'i1'), sidecar: fc.boolean() });
    fc.assert(
      fc.property(fc.array(status, { maxLength: 3 }), fc.array(status, { maxLength: 3 }), fc.option(fc.array(initSpec, { maxLength: 3 }), { nil: undefined }), (regular, init, specs) => {
        const cs = (s: { name: string; finished: number | undefined }): ContainerStatus =>
          ({ name: s.name, image: 'x', imageID: '', ready: false, restartCount: 0, state: s.finished === undefined ? { running: {} } : { terminated: { exitCode: 0, finishedAt: formatRFC3339(1_735_689_600_000 + s.finished * 1000) } } }) as ContainerStatus;
        const p: Pod = {
          metadata: { name: 'p', creationTimestamp: '2025-01-01T00:00:00Z' },
          spec: { containers: [], ...(specs ? { initContainers: specs.map((x) => ({ name: x.name, ...(x.sidecar ? { restartPolicy: 'Always' } : {}) })) } : {}) },
          status: { containerStatuses: regular.map(cs), initContainerStatuses: init.map(cs) },
        };
        const parse = (s: string): number => parseRFC3339(s) - 1_735_689_600_000;
        const plain = latestFinishTimePlain(p, parse);
        const got = getFinishedTime(p, parse);
        if (plain !== undefined) expect(got).toBe(plain);
        else expect(got).toBe(0); // no finish time from the containers: the creation time
      }),
      { numRuns: 500 },
    );
  });
});

describe('metadataWithout', () => {
  it('is a delete of the field: the same other fields, in the same order', () => {
    const keys = ['name', 'generateName', 'namespace', 'labels', 'finalizers', 'ownerReferences', 'uid', 'resourceVersion'];
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...keys)), fc.constantFrom(...keys), (present, field) => {
        const meta: Record<string, unknown> = {};
        for (const k of present) meta[k] = k === 'labels' ? { a: k } : `${k}-value`;
        const deleted = { ...meta };
        delete deleted[field];
        const got = metadataWithout(meta as PodObj['metadata'], field) as Record<string, unknown>;
        expect(Object.keys(got)).toEqual(Object.keys(deleted));
        expect(JSON.stringify(got)).toBe(JSON.stringify(deleted));
        expect(Object.keys(meta)).toEqual(present); // the original is left as it was
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Job controller pod watch', () => {
  it("maps a pod event to its controller Job's key, as `${namespace}/${name}` of its reference, when upstream's pod handlers sync the Job, and an orphaned tracking finalizer to an orphan-pod key", () => {
    const ev = fc.oneof(
      fc.record({
        what: fc.constant('pod' as const),
        type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'),
        pod: fc.constantFrom('p1', 'p2', 'p3'),
        ns: fc.constantFrom('default', 'other'),
        owner: fc.constantFrom('u1', 'u2', undefined),
        name: fc.constantFrom('a', 'b'),
        kind: fc.constantFrom('Job', 'Job', 'ReplicaSet'),
        finalizer: fc.boolean(),
        deleting: fc.boolean(),
      }),
      // The Job informer's changes, delivered to the Job watch before the pod events after them.
      fc.record({
        what: fc.constant('job' as const),
        type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'),
        uid: fc.constantFrom('u1', 'u2'),
        ns: fc.constantFrom('default', 'other'),
        name: fc.constantFrom('a', 'b'),
        finished: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 30 }), (evs) => {
        // A controller per run: its caches of Jobs and pods start empty.
        const ctl = createJobController({ timestamp: () => '2025-01-01T00:00:00Z', virtualTime: () => 0 });
        const toKeys = ctl.watches.find((w) => w.kind === 'Pod')!.toKeys!;
        const jobKeys = ctl.watches.find((w) => w.kind === 'Job')!.toKeys!;
        // The model: the cached Jobs by uid (resolveControllerRef), and upstream's rules (addPod, updatePod, deletePod).
        const cached = new Map<string, { ns: string; name: string; finished: boolean }>();
        for (const e of evs) {
          if (e.what === 'job') {
            const conditions = e.finished ? [{ type: 'Complete', status: 'True' }] : [];
            const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: e.name, namespace: e.ns, uid: e.uid, generation: 1 }, spec: {}, status: { conditions } } as unknown as PodObj;
            jobKeys({ type: e.type as 'ADDED', object: job, oldObject: job });
            if (e.type === 'DELETED') cached.delete(e.uid);
            else cached.set(e.uid, { ns: e.ns, name: e.name, finished: e.finished });
            continue;
          }
          const refs = e.owner === undefined ? [] : [{ apiVersion: e.kind === 'Job' ? 'batch/v1' : 'apps/v1', kind: e.kind, name: e.name, uid: e.owner, controller: true }];
          const meta = {
            name: e.pod,
            namespace: e.ns,
            uid: `${e.pod}-uid`,
            ownerReferences: refs,
            ...(e.finalizer ? { finalizers: ['batch.kubernetes.io/job-tracking'] } : {}),
            ...(e.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
          };
          const pod = { apiVersion: 'v1', kind: 'Pod', metadata: meta } as unknown as PodObj;
          const keys = toKeys({ type: e.type as 'ADDED', object: pod });
          const job = e.owner === undefined ? undefined : cached.get(e.owner);
          const resolved = job !== undefined && job.ns === e.ns && job.name === e.name ? job : undefined;
          // deletePod: a finished Job's pod being deleted is not synced; one with the tracking finalizer goes to the
          // orphan queue instead (ksim: an orphan-pod key; none once deleted, as the pod is gone by then).
          const finishedDeletion = resolved !== undefined && (e.type === 'DELETED' || e.deleting) && resolved.finished;
          const orphanKey = `orphan-pod:${e.ns}/${e.pod}`;
          let want: string[];
          if (e.owner === undefined) want = e.finalizer && e.type !== 'DELETED' ? [orphanKey] : []; // an orphan without labels: no Job can adopt it
          else if (e.kind !== 'Job') want = [];
          else if (e.finalizer) want = finishedDeletion ? (e.type === 'DELETED' ? [] : [orphanKey]) : [`${e.ns}/${e.name}`];
          else want = resolved !== undefined && !finishedDeletion ? [`${e.ns}/${e.name}`] : [];
          expect([...keys]).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
