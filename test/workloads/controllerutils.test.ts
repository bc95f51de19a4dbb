/**
 * controllerutils: upstream's tables from pkg/controller/controller_utils_test.go
 * (expectations, slow start, ActivePodsWithRanks ordering) as data.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import {
  ControllerExpectations,
  ExpectationsTimeout,
  UIDTrackingControllerExpectations,
  computeHash,
  getPodsPrefix,
  getPodsToDelete,
  logarithmicRankDiff,
  podDeletionLess,
  safeEncodeString,
  slowStartBatch,
  OwnerIndex,
  claimObjects,
  isPodActive,
  isPodAvailable,
  podAvailableAt,
  type RankedPod,
} from '../../src/workloads/controllerutils/index.ts';
import { parseRFC3339 } from '../../src/sim/time.ts';
import { labelSelectorAsSelector } from '../../src/api/labels.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';

const EPOCH = parseRFC3339('2025-01-01T00:00:00Z');
const parseTime = (s: string): number => parseRFC3339(s) - EPOCH;
const ts = (sec: number): string => new Date(EPOCH + sec * 1000).toISOString().replace('.000Z', 'Z');

describe('ControllerExpectations', () => {
  it('is satisfied with no expectations, waits for observations, and expires after 5 minutes', () => {
    const e = new ControllerExpectations();
    expect(e.satisfiedExpectations('ns/rs', 0)).toBe(true);
    e.expectCreations('ns/rs', 3, 0);
    expect(e.satisfiedExpectations('ns/rs', 0)).toBe(false);
    e.creationObserved('ns/rs');
    e.creationObserved('ns/rs');
    expect(e.satisfiedExpectations('ns/rs', 1)).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfiedExpectations('ns/rs', 1)).toBe(true);
    e.expectDeletions('ns/rs', 2, 10);
    expect(e.satisfiedExpectations('ns/rs', 10 + ExpectationsTimeout)).toBe(false);
    expect(e.satisfiedExpectations('ns/rs', 10 + ExpectationsTimeout + 1)).toBe(true);
    e.raiseExpectations('ns/rs', 1, 0);
    expect(e.getExpectations('ns/rs')).toMatchObject({ add: 1, del: 2 });
    e.deleteExpectations('ns/rs');
    expect(e.getExpectations('ns/rs')).toBeUndefined();
  });

  it('UID tracking lowers a deletion once per expected pod key', () => {
    const e = new UIDTrackingControllerExpectations();
    e.expectDeletionsOf('ns/rs', ['ns/a', 'ns/b'], 0);
    e.deletionObservedOf('ns/rs', 'ns/a');
    e.deletionObservedOf('ns/rs', 'ns/a');
    e.deletionObservedOf('ns/rs', 'ns/zzz');
    expect(e.satisfiedExpectations('ns/rs', 0)).toBe(false);
    e.deletionObservedOf('ns/rs', 'ns/b');
    expect(e.satisfiedExpectations('ns/rs', 0)).toBe(true);
  });
});

describe('slowStartBatch', () => {
  // TestSlowStartBatch's cases: count, initial batch, calls that fail -> successes, calls made.
  const table: Array<{ name: string; count: number; fail?: (call: number) => boolean; successes: number; calls: number }> = [
    { name: 'all succeed', count: 10, successes: 10, calls: 10 },
    { name: 'first fails', count: 10, fail: (i) => i === 0, successes: 0, calls: 1 },
    { name: 'fails in batch of 4 (calls 3..6)', count: 10, fail: (i) => i === 4, successes: 6, calls: 7 },
    { name: 'zero', count: 0, successes: 0, calls: 0 },
    { name: 'fails in batch of 2', count: 5, fail: (i) => i >= 1, successes: 1, calls: 3 },
  ];
  for (const c of table) {
    it(c.name, () => {
      let calls = 0;
      const r = slowStartBatch(c.count, 1, () => {
        const i = calls++;
        if (c.fail?.(i)) throw new Error(`call ${i}`);
      });
      expect([r.successes, calls]).toEqual([c.successes, c.calls]);
      expect(r.error !== undefined).toBe(c.fail !== undefined && c.calls > 0);
    });
  }
});

describe('names and hashes', () => {
  it('getPodsPrefix adds a dash when valid', () => {
    expect(getPodsPrefix('web-7c9d5')).toBe('web-7c9d5-');
    expect(getPodsPrefix('a'.repeat(254))).toBe('a'.repeat(254)); // maskTrailingDash shortens by one: 253 + '-' is still valid
    // The last answer is remembered by the name: asking again, or for another name in between, gives the same answers.
    expect(getPodsPrefix('a'.repeat(254))).toBe('a'.repeat(254));
    expect(getPodsPrefix('web-7c9d5')).toBe('web-7c9d5-');
    expect(getPodsPrefix('web-7c9d5')).toBe('web-7c9d5-');
  });
  it('SafeEncodeString maps digits as upstream', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
  it('ComputeHash depends on template and collisionCount only', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const t2 = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    expect(computeHash(t, undefined)).toBe(computeHash(t2, undefined));
    expect(computeHash(t, undefined)).not.toBe(computeHash(t, 1));
    expect(computeHash(t, 1)).not.toBe(computeHash(t, 2));
    expect(computeHash(t, undefined)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

function rpod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; restarts?: number; cost?: string; rank?: number; uid?: string } = {}): RankedPod {
  const pod: Pod = {
    metadata: { name, namespace: 'ns', uid: o.uid ?? name, creationTimestamp: ts(o.created ?? 0), ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}) },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      ...(o.phase ? { phase: o.phase } : {}),
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: ts(o.readySince ?? 0) }] : [],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, image: 'x', imageID: '', ready: !!o.ready }],
    },
  };
  return { pod, rank: o.rank ?? 0 };
}

describe('ActivePodsWithRanks', () => {
  const now = 100_000_000; // ~27.7 h after the epoch
  // Each row: a should be deleted before b (TestSortingActivePodsWithRanks's pairs).
  const table: Array<[string, RankedPod, RankedPod]> = [
    ['unassigned < assigned', rpod('a', { phase: 'Pending' }), rpod('b', { node: 'n', phase: 'Pending' })],
    ['pending < unknown', rpod('a', { node: 'n', phase: 'Pending' }), rpod('b', { node: 'n', phase: 'Unknown' })],
    ['unknown < running', rpod('a', { node: 'n', phase: 'Unknown' }), rpod('b', { node: 'n', phase: 'Running' })],
    ['not ready < ready', rpod('a', { node: 'n', phase: 'Running' }), rpod('b', { node: 'n', phase: 'Running', ready: true })],
    ['lower deletion cost < higher', rpod('a', { node: 'n', phase: 'Running', ready: true, cost: '-10' }), rpod('b', { node: 'n', phase: 'Running', ready: true, cost: '5' })],
    ['more co-located < fewer', rpod('a', { node: 'n', phase: 'Running', ready: true, rank: 3 }), rpod('b', { node: 'm', phase: 'Running', ready: true, rank: 1 })],
    ['ready recently < ready long ago (different log2 bucket)', rpod('a', { node: 'n', phase: 'Running', ready: true, readySince: 99_990 }), rpod('b', { node: 'n', phase: 'Running', ready: true, readySince: 10 })],
    ['same bucket: uid breaks the tie', rpod('a', { node: 'n', phase: 'Running', ready: true, readySince: 50_000, uid: 'u1' }), rpod('b', { node: 'n', phase: 'Running', ready: true, readySince: 50_001, uid: 'u2' })],
    ['more restarts < fewer', rpod('a', { node: 'n', phase: 'Running', ready: true, restarts: 5 }), rpod('b', { node: 'n', phase: 'Running', ready: true, restarts: 1 })],
    ['newer < older', rpod('a', { node: 'n', phase: 'Running', created: 99_000 }), rpod('b', { node: 'n', phase: 'Running', created: 0 })],
    ['invalid cost counts as 0', rpod('a', { node: 'n', phase: 'Running', cost: 'abc' }), rpod('b', { node: 'n', phase: 'Running', cost: '1' })],
  ];
  for (const [name, a, b] of table) {
    it(name, () => {
      expect(podDeletionLess(a, b, now, parseTime)).toBe(true);
      expect(podDeletionLess(b, a, now, parseTime)).toBe(false);
    });
  }
  it('logarithmicRankDiff uses nanoseconds and -1 for non-positive durations', () => {
    expect(logarithmicRankDiff(1000, 1000, 1000)).toBe(0);
    expect(logarithmicRankDiff(1000, 0, 1000)).toBe(-1 - Math.trunc(Math.log2(1000 * 1e6)));
    expect(logarithmicRankDiff(0, 500, 1000)).toBe(Math.trunc(Math.log2(1e9)) - Math.trunc(Math.log2(5e8)));
  });
  it('getPodsToDelete ranks by co-located related pods', () => {
    const p = (name: string, node: string) => rpod(name, { node, phase: 'Running', ready: true }).pod;
    const mine = [p('a', 'n1'), p('b', 'n2'), p('c', 'n2')];
    const related = [...mine, p('x', 'n2'), p('y', 'n1')];
    const out = getPodsToDelete(mine, related, 1, now, parseTime);
    expect(out.map((x) => x.metadata!.name)).toEqual(['b']);
  });
});

describe('claimObjects and OwnerIndex', () => {
  it('adopts matching orphans, releases non-matching owned pods, ignores others', () => {
    const sim = Simulation.create({ seed: 1 });
    const owner = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: {} } as KObject);
    const other = sim.store.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'other', namespace: 'default' }, spec: {} } as KObject);
    const ref = (o: KObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true });
    const mk = (name: string, labels: Record<string, string>, refs?: unknown[]) =>
      sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels, ...(refs ? { ownerReferences: refs } : {}) }, spec: { containers: [{ name: 'c' }] } } as unknown as KObject);
    const index = new OwnerIndex();
    sim.store.watch('Pod', (ev) => index.observe(ev));
    mk('orphan-match', { app: 'web' });
    mk('orphan-other', { app: 'db' });
    mk('mine-match', { app: 'web' }, [ref(owner)]);
    mk('mine-stale', { app: 'db' }, [ref(owner)]);
    mk('theirs', { app: 'web' }, [ref(other)]);
    const candidates = [...index.owned(owner.metadata.uid!), ...index.orphansIn('default')];
    const r = claimObjects(candidates, { store: sim.store, controller: owner, selector: labelSelectorAsSelector({ matchLabels: { app: 'web' } }), actor: 't' });
    expect(r.errors).toEqual([]);
    expect(r.claimed.map((p) => p.metadata.name).sort()).toEqual(['mine-match', 'orphan-match']);
    expect(sim.get('Pod', 'default', 'orphan-match')!.metadata.ownerReferences).toEqual([{ ...ref(owner), blockOwnerDeletion: true }]);
    expect(sim.get('Pod', 'default', 'mine-stale')!.metadata.ownerReferences).toBeUndefined();
    expect(index.owned(owner.metadata.uid!).map((p) => p.metadata.name).sort()).toEqual(['mine-match', 'orphan-match']);
    expect(index.orphansIn('default').map((p) => p.metadata.name)).toEqual(['mine-stale', 'orphan-other']);
  });
});

describe('pod availability', () => {
  const pod = (ready: boolean, since: number): Pod => ({ metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ts(since) }] } });
  // IsPodAvailable: minReadySeconds 0 means available once Ready; otherwise lastTransitionTime + minReadySeconds must be strictly before now.
  const table: Array<[string, Pod, number, number, boolean]> = [
    ['not ready', pod(false, 0), 0, 100_000, false],
    ['ready, no minReadySeconds', pod(true, 10), 0, 10_000, true],
    ['ready for less than minReadySeconds', pod(true, 10), 5, 14_000, false],
    ['ready for exactly minReadySeconds', pod(true, 10), 5, 15_000, false],
    ['ready for longer than minReadySeconds', pod(true, 10), 5, 15_001, true],
  ];
  for (const [name, p, minReady, now, expected] of table) it(name, () => expect(isPodAvailable(p, minReady, now, parseTime)).toBe(expected));
  it('podAvailableAt is the first instant isPodAvailable holds', () => {
    const p = pod(true, 10);
    const at = podAvailableAt(p, 5, parseTime)!;
    expect(isPodAvailable(p, 5, at, parseTime)).toBe(true);
    expect(isPodAvailable(p, 5, at - 1, parseTime)).toBe(false);
  });
  it('isPodActive excludes terminal and deleting pods', () => {
    expect(isPodActive({ status: { phase: 'Running' } })).toBe(true);
    expect(isPodActive({ status: { phase: 'Succeeded' } })).toBe(false);
    expect(isPodActive({ status: { phase: 'Failed' } })).toBe(false);
    expect(isPodActive({ metadata: { deletionTimestamp: ts(1) }, status: { phase: 'Running' } })).toBe(false);
  });
});
