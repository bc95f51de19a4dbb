// Defaulting cases after upstream tables: pkg/apis/batch/v1/defaults_test.go TestSetDefaultJob
// (v1.31 shape, JobPodReplacementPolicy and JobBackoffLimitPerIndex enabled as by default),
// TestSetDefaultCronJob, pkg/apis/apps/v1/defaults_test.go (Deployment, StatefulSet, DaemonSet),
// pkg/apis/core/v1/defaults_test.go (pull policy, probes incl. the generated GRPCAction.service
// default, requests from limits for Pods only).
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { applyDefaults, defaultImagePullPolicy } from '../../src/api/defaults.ts';

type Any = { [k: string]: Any; [i: number]: Any };
function defaulted(obj: object): Any {
  const o = structuredClone(obj) as KObject;
  applyDefaults(o);
  return o as unknown as Any;
}
const tmpl = { metadata: { labels: { default: 'default' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
const job = (spec: object, labels?: Record<string, string>) =>
  defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', ...(labels ? { labels } : {}) }, spec: { template: tmpl, ...spec } });

describe('TestSetDefaultJob', () => {
  const base = { completionMode: 'NonIndexed', suspend: false, manualSelector: false };
  it.each([
    ['All unspecified', {}, { completions: 1, parallelism: 1, backoffLimit: 6, podReplacementPolicy: 'TerminatingOrFailed', ...base }],
    ['suspend set', { suspend: true }, { completions: 1, parallelism: 1, backoffLimit: 6, ...base, suspend: true }],
    ['WQ: parallelism 0, completions unset', { parallelism: 0 }, { parallelism: 0, backoffLimit: 6, ...base }],
    ['WQ: parallelism 2, completions unset', { parallelism: 2 }, { parallelism: 2, backoffLimit: 6, ...base }],
    ['completions 2', { completions: 2 }, { completions: 2, parallelism: 1, backoffLimit: 6, ...base }],
    ['backoffLimit 5', { backoffLimit: 5 }, { completions: 1, parallelism: 1, backoffLimit: 5, ...base }],
    [
      'backoffLimitPerIndex without backoffLimit -> MaxInt32',
      { completions: 11, parallelism: 10, backoffLimitPerIndex: 1, completionMode: 'Indexed' },
      { completions: 11, parallelism: 10, backoffLimit: 2147483647, backoffLimitPerIndex: 1, completionMode: 'Indexed' },
    ],
    [
      'all set, flipped -> no change',
      { completions: 11, parallelism: 10, backoffLimit: 9, completionMode: 'Indexed', suspend: true, podReplacementPolicy: 'Failed', manualSelector: true },
      { completions: 11, parallelism: 10, backoffLimit: 9, completionMode: 'Indexed', suspend: true, podReplacementPolicy: 'Failed', manualSelector: true },
    ],
  ])('%s', (_n, spec, want) => {
    const j = job(spec);
    expect(j.spec).toMatchObject(want);
    if (!('completions' in want)) expect(j.spec.completions).toBeUndefined();
    expect(j.metadata.labels).toEqual({ default: 'default' });
  });

  it('pod failure policy: onPodConditions status defaults to True, podReplacementPolicy to Failed', () => {
    const j = job({
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }, { type: 'MemoryLimitExceeded', status: 'False' }, { type: 'DiskLimitExceeded' }] },
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } },
        ],
      },
    });
    expect((j.spec.podFailurePolicy.rules[0].onPodConditions as unknown as Array<{ status: string }>).map((p) => p.status)).toEqual(['True', 'False', 'True']);
    expect(j.spec.podReplacementPolicy).toBe('Failed');
  });

  it('existing job labels are not replaced by template labels', () => {
    expect(job({}, { mylabel: 'myvalue' }).metadata.labels).toEqual({ mylabel: 'myvalue' });
  });
});

describe('TestSetDefaultCronJob', () => {
  it('unset fields', () => {
    const c = defaulted({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tmpl } } } });
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // SetDefaults_Job does not run on a job template
    expect(c.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
  });
  it('set fields stay', () => {
    const c = defaulted({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 5, jobTemplate: { spec: { template: tmpl } } },
    });
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 5 });
  });
});

describe('apps/v1 defaults', () => {
  it('Deployment: RollingUpdate 25%/25%, replicas 1, history 10, deadline 600', () => {
    const d = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: tmpl } });
    expect(d.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
  });
  it('Deployment: Recreate gets no rollingUpdate', () => {
    const d = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' }, template: tmpl } });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });
  it('DaemonSet: RollingUpdate maxUnavailable 1, maxSurge 0; OnDelete left alone', () => {
    const ds = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: tmpl } });
    expect(ds.spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    const od = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { updateStrategy: { type: 'OnDelete' }, template: tmpl } });
    expect(od.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });
  it('StatefulSet: OrderedReady, RollingUpdate partition 0, retention Retain/Retain', () => {
    const s = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: tmpl } });
    expect(s.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    // MaxUnavailableStatefulSet is alpha (off) in v1.31
    expect(s.spec.updateStrategy.rollingUpdate.maxUnavailable).toBeUndefined();
    const od = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { updateStrategy: { type: 'OnDelete' }, template: tmpl } });
    expect(od.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });
});

describe('core/v1 container and probe defaults', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['registry.k8s.io/pause:3.9', 'IfNotPresent'],
    ['localhost:5000/img', 'Always'],
    ['localhost:5000/img:v1', 'IfNotPresent'],
    ['img@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['img:latest@sha256:' + 'a'.repeat(64), 'Always'],
    ['', 'IfNotPresent'],
    // an upper-case first component is a registry host (splitDockerDomain); upper case in the path is invalid
    ['UPPER/case', 'Always'],
    ['library/UPPER', 'IfNotPresent'],
    ['Busybox', 'IfNotPresent'],
  ])('imagePullPolicy for %j is %s', (image, want) => {
    expect(defaultImagePullPolicy(image)).toBe(want);
  });

  it('probes: thresholds, httpGet path/scheme, grpc service ""', () => {
    const p = defaulted({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x:1', readinessProbe: { grpc: { port: 9000 } }, livenessProbe: { httpGet: { port: 80 }, periodSeconds: 5 } }] },
    });
    const c = p.spec.containers[0];
    expect(c.readinessProbe).toEqual({ grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, periodSeconds: 5 });
  });

  it('requests copy limits on Pods, not on templates (TestSetDefaultRequestsPod / ...ReplicationController)', () => {
    const spec = { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '100m' } } }] };
    const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '100m' });
    const rc = defaulted({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec } } });
    expect(rc.spec.template.spec.containers[0].resources.requests).toBeUndefined();
  });

  it('SetDefaults_ResourceList rounds up to milli, negatives away from zero (Quantity.RoundUp)', () => {
    const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1', resources: { requests: { cpu: '0.1m', memory: '-0.5m' } } }] } });
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '1m', memory: '-1m' });
  });
});
