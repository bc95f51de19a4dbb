/**
 * Table tests for the StatefulSet controller's pure rules, with cases from
 * upstream's stateful_set_utils_test.go (TestGetParentNameAndOrdinal,
 * TestIdentityMatches naming, TestClaimOwnerMatchesSetAndPod /
 * TestUpdateClaimOwnerRefForSetAndPod, TestGetStatefulSetMaxUnavailable).
 */
import { describe, expect, it } from 'vitest';
import type { KObject, Stored } from '../../src/sim/types.ts';
import {
  claimEventMessage,
  claimOwnerRefs,
  eventReason,
  getParentNameAndOrdinal,
  getPersistentVolumeClaimName,
  getPodName,
  getStatefulSetMaxUnavailable,
  isUnavailable,
  newStatefulSetPod,
  podEventMessage,
  podInOrdinalRange,
  type SetObj,
} from '../../src/workloads/statefulset/statefulSetUtils.ts';
import { fnv32, hashRevisionData, safeEncodeString, templatePatch } from '../../src/workloads/appsutil/controllerHistory.ts';

function set(replicas: number, extra: Record<string, unknown> = {}): Stored<SetObj> {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'set-uid' },
    spec: { replicas, serviceName: 'governing', selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...extra },
  } as Stored<SetObj>;
}

describe('naming and ordinals', () => {
  it.each([
    ['foo-0', 'foo', 0],
    ['foo-12', 'foo', 12],
    ['foo-bar-3', 'foo-bar', 3],
    ['foo', '', -1],
    ['foo-', '', -1],
    ['foo-x', '', -1],
  ])('getParentNameAndOrdinal(%s) = (%s, %i)', (name, parent, ordinal) => {
    expect(getParentNameAndOrdinal({ metadata: { name } })).toEqual({ parent, ordinal });
  });

  it('pods are <set>-<ordinal>, claims <template>-<set>-<ordinal>', () => {
    expect(getPodName(set(3), 2)).toBe('foo-2');
    expect(getPersistentVolumeClaimName(set(3), 'data', 2)).toBe('data-foo-2');
  });

  it.each([
    // [start, replicas, ordinal, in range]
    [0, 3, 0, true],
    [0, 3, 2, true],
    [0, 3, 3, false],
    [5, 2, 4, false],
    [5, 2, 5, true],
    [5, 2, 6, true],
    [5, 2, 7, false],
  ])('ordinals.start %i, replicas %i: ordinal %i in range = %s', (start, replicas, ordinal, inRange) => {
    const s = set(replicas, { ordinals: { start } });
    expect(podInOrdinalRange({ metadata: { name: `foo-${ordinal}` } }, s)).toBe(inRange);
  });

  it('a new pod carries the identity labels, hostname, subdomain, controller reference and claim volumes', () => {
    const s = set(3, { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
    const pod = newStatefulSetPod(s, s.spec!.template, 1, 'foo-abc');
    expect(pod.metadata.name).toBe('foo-1');
    expect(pod.metadata.labels).toEqual({
      app: 'foo',
      'statefulset.kubernetes.io/pod-name': 'foo-1',
      'apps.kubernetes.io/pod-index': '1',
      'controller-revision-hash': 'foo-abc',
    });
    expect(pod.spec?.hostname).toBe('foo-1');
    expect(pod.spec?.subdomain).toBe('governing');
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
    expect(pod.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-foo-1' } }]);
  });
});

describe('getStatefulSetMaxUnavailable (MaxUnavailableStatefulSet, on by default since v1.35)', () => {
  it.each([
    [undefined, 10, 1],
    [1, 10, 1],
    [3, 10, 3],
    ['10%', 25, 2], // 2.5 rounds down
    ['50%', 5, 2],
    ['1%', 5, 1], // rounds down to 0, at least 1
    ['100%', 5, 5],
  ])('maxUnavailable %s of %i replicas = %i', (v, replicas, want) => {
    expect(getStatefulSetMaxUnavailable(v as number | string | undefined, replicas)).toBe(want);
  });
});

describe('persistentVolumeClaimRetentionPolicy owner references (updateClaimOwnerRefForSetAndPod)', () => {
  const pod = (ordinal: number): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `foo-${ordinal}`, uid: `pod-${ordinal}` } });
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
  const podRef = (o: number) => ({ apiVersion: 'v1', kind: 'Pod', name: `foo-${o}`, uid: `pod-${o}`, controller: true, blockOwnerDeletion: true });
  it.each([
    // [whenDeleted, whenScaled, replicas, ordinal, expected refs]
    ['Retain', 'Retain', 3, 1, []],
    ['Retain', 'Retain', 1, 2, []],
    ['Delete', 'Retain', 3, 1, [setRef]],
    ['Delete', 'Retain', 1, 2, []],
    ['Retain', 'Delete', 3, 1, []],
    ['Retain', 'Delete', 1, 2, [podRef(2)]],
    ['Delete', 'Delete', 3, 1, [setRef]],
    ['Delete', 'Delete', 1, 2, [podRef(2)]],
  ] as const)('whenDeleted %s, whenScaled %s, replicas %i, pod ordinal %i', (whenDeleted, whenScaled, replicas, ordinal, want) => {
    const s = set(replicas, { persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
    expect(claimOwnerRefs({ metadata: { name: `data-foo-${ordinal}` } }, s, pod(ordinal))).toEqual(want);
  });
  it('scrubs stale references to the set and pod, keeps others', () => {
    const s = set(3, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'x' };
    const stale = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'foo', uid: 'old-set' };
    expect(claimOwnerRefs({ metadata: { ownerReferences: [other, stale] } }, s, pod(0))).toEqual([other, setRef]);
    // A stale *controller* reference counts as an unexpected controller (hasUnexpectedController): ours are only removed.
    expect(claimOwnerRefs({ metadata: { ownerReferences: [other, { ...stale, controller: true }] } }, s, pod(0))).toEqual([other]);
  });
  it('leaves a claim controlled by something else without our references', () => {
    const s = set(3, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    const foreign = { apiVersion: 'v1', kind: 'Thing', name: 'x', uid: 'x', controller: true };
    expect(claimOwnerRefs({ metadata: { ownerReferences: [foreign, setRef] } }, s, pod(0))).toEqual([foreign]);
  });
});

describe('availability', () => {
  const epoch = 0;
  const running = (readySince: string) => ({
    metadata: { name: 'foo-0' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] },
  });
  it.each([
    [0, 0, false],
    [10, 5_000, true],
    [10, 10_000, false],
    [10, 12_000, false],
  ])('minReadySeconds %i at t=%i ms: unavailable = %s', (minReady, now, want) => {
    expect(isUnavailable(running('1970-01-01T00:00:00Z'), minReady, now, epoch)).toBe(want);
  });
  it('a terminating or not-ready pod is unavailable', () => {
    expect(isUnavailable({ ...running('1970-01-01T00:00:00Z'), metadata: { name: 'foo-0', deletionTimestamp: '1970-01-01T00:00:00Z' } }, 0, 0, epoch)).toBe(true);
    expect(isUnavailable({ metadata: { name: 'foo-0' }, status: { phase: 'Pending' } }, 0, 0, epoch)).toBe(true);
  });
});

describe('events and revision names', () => {
  it('event messages are upstream word for word', () => {
    expect(eventReason('create', false)).toBe('SuccessfulCreate');
    expect(eventReason('delete', true)).toBe('FailedDelete');
    expect(podEventMessage('create', 'web-0', 'web')).toBe('create Pod web-0 in StatefulSet web successful');
    expect(podEventMessage('delete', 'web-2', 'web')).toBe('delete Pod web-2 in StatefulSet web successful');
    expect(podEventMessage('create', 'web-0', 'web', 'boom')).toBe('create Pod web-0 in StatefulSet web failed error: boom');
    expect(claimEventMessage('create', 'data-web-0', 'web-0', 'web')).toBe('create Claim data-web-0 Pod web-0 in StatefulSet web success');
  });
  it('FNV-32 (hash/fnv New32) known values and SafeEncodeString', () => {
    expect(fnv32('')).toBe(0x811c9dc5);
    expect(fnv32('a')).toBe(0x050c5d7e);
    expect(fnv32('foobar')).toBe(0x31f0b262);
    // '0' is byte 48, 48 % 27 = 21: the 22nd character of "bcdfghjklmnpqrstvwxz2456789".
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('the revision hash depends on the template and the collision count only', () => {
    const a = templatePatch({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } });
    const b = templatePatch({ spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'x' } } });
    const c = templatePatch({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:2' }] } });
    expect(hashRevisionData(a, 0)).toBe(hashRevisionData(b, 0));
    expect(hashRevisionData(a, 0)).not.toBe(hashRevisionData(c, 0));
    expect(hashRevisionData(a, 0)).not.toBe(hashRevisionData(a, 1));
    expect(hashRevisionData(a, 0)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
