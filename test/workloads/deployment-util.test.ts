/**
 * pkg/controller/deployment/util's rules against upstream's tables in
 * deployment_util_test.go (TestResolveFenceposts, TestMaxUnavailable,
 * TestNewRSNewReplicas, TestDeploymentComplete, TestDeploymentProgressing,
 * TestDeploymentTimedOut, TestGetReplicaCountForReplicaSets, TestAnnotationUtils,
 * TestEqualIgnoreHash) and the pod-template-hash.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  equalIgnoreHash,
  getActualReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getScaledValueFromIntOrPercent,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  setNewReplicaSetAnnotations,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  getProportion,
} from '../../src/workloads/deployment/util.ts';
import { computeHash } from '../../src/workloads/controllerutils/index.ts';

describe('ResolveFenceposts', () => {
  const table: Array<[surge: string | undefined, unavailable: string | undefined, desired: number, expectSurge: number, expectUnavailable: number, expectError: boolean]> = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  for (const [s, u, desired, es, eu, err] of table) {
    it(`surge ${s} unavailable ${u} of ${desired}`, () => {
      if (err) {
        expect(() => resolveFenceposts(s, u, desired)).toThrow();
        return;
      }
      expect(resolveFenceposts(s, u, desired)).toEqual([es, eu]);
    });
  }
  it('25% defaults: surge rounds up, unavailable down', () => {
    expect(resolveFenceposts('25%', '25%', 3)).toEqual([1, 0]);
    expect(resolveFenceposts('25%', '25%', 10)).toEqual([3, 2]);
    expect(resolveFenceposts('25%', '25%', 1)).toEqual([1, 0]);
    expect(getScaledValueFromIntOrPercent(5, 100, false)).toBe(5);
  });
});

function dep(replicas: number, ru: { maxUnavailable?: number | string; maxSurge?: number | string } | 'Recreate', status: DeploymentStatus = {}, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { generation: 1 },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: ru === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: ru.maxSurge ?? 1, maxUnavailable: ru.maxUnavailable ?? 0 } },
      ...extra,
    },
    status,
  };
}

describe('MaxUnavailable', () => {
  const table: Array<[string, Deployment, number]> = [
    ['maxUnavailable less than replicas', dep(10, { maxUnavailable: 5 }), 5],
    ['maxUnavailable equal replicas', dep(10, { maxUnavailable: 10 }), 10],
    ['maxUnavailable greater than replicas', dep(5, { maxUnavailable: 10 }), 5],
    ['maxUnavailable with replicas is 0', dep(0, { maxUnavailable: 10 }), 0],
    ['maxUnavailable with Recreate deployment strategy', dep(10, 'Recreate'), 0],
    ['maxUnavailable less than replicas with percents', dep(10, { maxUnavailable: '50%' }), 5],
    ['maxUnavailable equal replicas with percents', dep(10, { maxUnavailable: '100%' }), 10],
    ['maxUnavailable greater than replicas with percents', dep(5, { maxUnavailable: '100%' }), 5],
  ];
  for (const [name, d, expected] of table) it(name, () => expect(maxUnavailable(d)).toBe(expected));
});

const rsOf = (replicas: number, statusReplicas = 0): ReplicaSet => ({ spec: { replicas, selector: {} }, status: { replicas: statusReplicas } });

describe('NewRSNewReplicas', () => {
  const table: Array<[string, 'RollingUpdate' | 'Recreate', number, number, number, number]> = [
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
    ['recreate - no need to scale up', 'Recreate', 3, 1, 1, 3],
    ['recreate - to depReplicas', 'Recreate', 3, 5, 1, 3],
  ];
  for (const [name, type, depReplicas, newRSReplicas, surge, expected] of table) {
    it(name, () => {
      const d = dep(depReplicas, type === 'Recreate' ? 'Recreate' : { maxUnavailable: 1, maxSurge: surge });
      expect(newRSNewReplicas(d, [rsOf(5)], rsOf(newRSReplicas))).toBe(expected);
    });
  }
});

describe('replica counts', () => {
  it('GetReplicaCountForReplicaSets / GetActualReplicaCountForReplicaSets', () => {
    const rss = [rsOf(1, 2), rsOf(1, 1), rsOf(2, 3), undefined];
    expect(getReplicaCountForReplicaSets(rss)).toBe(4);
    expect(getActualReplicaCountForReplicaSets(rss)).toBe(6);
    expect(getReplicaCountForReplicaSets([rsOf(1, 2)])).toBe(1);
  });
});

describe('DeploymentComplete', () => {
  const d = (desired: number, current: number, updated: number, available: number, mu: number, ms: number): Deployment =>
    dep(desired, { maxUnavailable: mu, maxSurge: ms }, { replicas: current, updatedReplicas: updated, availableReplicas: available, observedGeneration: 1 });
  const table: Array<[string, Deployment, boolean]> = [
    ['not complete: min but not all pods become available', d(5, 5, 5, 4, 1, 0), false],
    ['not complete: min availability is not honored', d(5, 5, 5, 3, 1, 0), false],
    ['complete', d(5, 5, 5, 5, 0, 0), true],
    ['not complete: all pods are available but not updated', d(5, 5, 4, 5, 0, 0), false],
    ['not complete: still running old pods', d(1, 2, 1, 1, 0, 1), false],
    ['not complete: one replica deployment never comes up', d(1, 1, 1, 0, 1, 1), false],
  ];
  for (const [name, x, expected] of table) it(name, () => expect(deploymentComplete(x, x.status!)).toBe(expected));
});

describe('DeploymentProgressing', () => {
  const st = (replicas: number, updatedReplicas: number, readyReplicas: number, availableReplicas: number): DeploymentStatus => ({ replicas, updatedReplicas, readyReplicas, availableReplicas });
  const table: Array<[string, DeploymentStatus, DeploymentStatus, boolean]> = [
    ['progressing: updated pods', st(10, 4, 4, 4), st(10, 6, 4, 4), true],
    ['not progressing', st(10, 4, 4, 4), st(10, 4, 4, 4), false],
    ['progressing: old pods removed', st(10, 4, 6, 6), st(8, 4, 6, 6), true],
    ['not progressing: less new pods', st(10, 7, 3, 3), st(10, 6, 3, 3), false],
    ['progressing: less overall but more new pods', st(10, 4, 7, 7), st(8, 8, 5, 5), true],
    ['progressing: more ready pods', st(10, 10, 9, 8), st(10, 10, 10, 8), true],
    ['progressing: more available pods', st(10, 10, 10, 9), st(10, 10, 10, 10), true],
  ];
  for (const [name, old, next, expected] of table) it(name, () => expect(deploymentProgressing(dep(10, {}, old), next)).toBe(expected));
});

describe('DeploymentTimedOut', () => {
  // time.Date(2016, 1, 1, 0, min, sec): as virtual seconds from an epoch of 2016-01-01T00:00:00Z.
  const at = (min: number, sec: number): number => (min * 60 + sec) * 1000;
  const ts = (min: number, sec: number): string => `2016-01-01T00:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}Z`;
  const parse = (s: string): number => Date.parse(s) - Date.parse('2016-01-01T00:00:00Z');
  const d = (reason: string, pds: number | undefined, from: [number, number]): Deployment =>
    dep(1, {}, { conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: ts(...from) }] }, pds === undefined ? {} : { progressDeadlineSeconds: pds });
  const table: Array<[string, Deployment, number, boolean]> = [
    ['nil progressDeadlineSeconds specified - no timeout', d('', undefined, [1, 9]), at(1, 20), false],
    ['infinite progressDeadlineSeconds specified - no timeout', d('', 2147483647, [1, 9]), at(1, 20), false],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s', d('', 10, [1, 9]), at(1, 20), true],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s', d('', 10, [1, 11]), at(1, 20), false],
    ['exactly at the deadline is not yet timed out (Before is strict)', d('', 10, [1, 10]), at(1, 20), false],
    ['previous status was a successful rollout', d('NewReplicaSetAvailable', 10, [1, 9]), at(1, 20), false],
    ['already timed out', d('ProgressDeadlineExceeded', 10, [1, 19]), at(1, 20), true],
  ];
  for (const [name, x, now, expected] of table) it(name, () => expect(deploymentTimedOut(x, x.status!, now, parse)).toBe(expected));
});

describe('annotations', () => {
  it('SetNewReplicaSetAnnotations copies annotations, raises the revision and keeps the history on rollback', () => {
    const d: Deployment = { ...dep(3, { maxSurge: 1 }), metadata: { annotations: { team: 'a', [RevisionAnnotation]: '9', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    const rs: ReplicaSet = { metadata: { annotations: { [RevisionAnnotation]: '1' } } };
    expect(setNewReplicaSetAnnotations(d, rs as { metadata: { annotations: Record<string, string> } }, '4', true)).toBe(true);
    expect(rs.metadata!.annotations).toEqual({ team: 'a', [RevisionAnnotation]: '4', [RevisionHistoryAnnotation]: '1' });
    expect(setNewReplicaSetAnnotations(d, rs as { metadata: { annotations: Record<string, string> } }, '6', true)).toBe(true);
    expect(rs.metadata!.annotations![RevisionHistoryAnnotation]).toBe('1,4');
    // A lower revision never replaces a higher one (revisions compare as integers: "10" > "9").
    const rs2: ReplicaSet = { metadata: { annotations: { [RevisionAnnotation]: '10' } } };
    setNewReplicaSetAnnotations(d, rs2 as { metadata: { annotations: Record<string, string> } }, '9', true);
    expect(rs2.metadata!.annotations![RevisionAnnotation]).toBe('10');
    // A new ReplicaSet gets desired and max replicas.
    const fresh: { metadata: { annotations?: Record<string, string> } } = { metadata: {} };
    setNewReplicaSetAnnotations(d, fresh, '1', false);
    expect(fresh.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  });
  it('GetProportion bounds the fraction by what is left to add', () => {
    const d = dep(10, { maxSurge: 0, maxUnavailable: 1 }, { replicas: 5 });
    const rs: ReplicaSet = { metadata: { annotations: { 'deployment.kubernetes.io/max-replicas': '5' } }, spec: { replicas: 3, selector: {} } };
    expect(getProportion(rs, d, 5, 0)).toBe(3);
    expect(getProportion(rs, d, 5, 4)).toBe(1);
    expect(getProportion(rs, d, 0, 0)).toBe(0);
  });
});

describe('EqualIgnoreHash and the pod-template-hash', () => {
  const t = (labels: Record<string, string>, image = 'nginx') => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image }] } });
  it('ignores only the pod-template-hash label', () => {
    expect(equalIgnoreHash(t({ a: 'b', 'pod-template-hash': '123' }), t({ a: 'b' }))).toBe(true);
    expect(equalIgnoreHash(t({ a: 'b', c: 'd' }), t({ a: 'b' }))).toBe(false);
    expect(equalIgnoreHash(t({ a: 'b' }), t({ a: 'b' }, 'nginx:2'))).toBe(false);
    expect(equalIgnoreHash({ metadata: { labels: { 'pod-template-hash': 'x' } }, spec: { containers: [] } }, { metadata: {}, spec: { containers: [] } })).toBe(true);
  });
  it('hash is deterministic, in the SafeEncodeString alphabet, and changes with collisionCount', () => {
    const h0 = computeHash(t({ app: 'web' }), undefined);
    expect(h0).toBe(computeHash(t({ app: 'web' }), undefined));
    expect(h0).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(computeHash(t({ app: 'web' }), 0)).not.toBe(h0);
    expect(computeHash(t({ app: 'web' }, 'nginx:2'), undefined)).not.toBe(h0);
  });
});
