/**
 * The Deployment controller's step functions against upstream's own tables:
 * rolling_test.go (reconcileNewReplicaSet, reconcileOldReplicaSets,
 * cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate) and
 * sync_test.go (TestScale's proportional scaling, TestDeploymentController_cleanupDeployment).
 */
import { describe, expect, it } from 'vitest';
import { Harness, newDeployment, type IntOrStr, type RsSpec } from './deploymentHarness.ts';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate } from '../../src/workloads/deployment/rolling.ts';
import { maxSurge, setReplicasAnnotations } from '../../src/workloads/deployment/util.ts';

describe('reconcileNewReplicaSet (TestDeploymentController_reconcileNewReplicaSet)', () => {
  const table: Array<[deploymentReplicas: number, maxSurge: IntOrStr, oldReplicas: number, newReplicas: number, scaleExpected: boolean, expectedNewReplicas?: number]> = [
    [10, 0, 10, 0, false],
    [10, 2, 10, 0, true, 2],
    [10, 2, 5, 0, true, 7],
    [10, 2, 10, 2, false],
    [10, 2, 2, 11, true, 10],
  ];
  for (const [dr, surge, oldR, newR, scaleExpected, expected] of table) {
    it(`${dr} replicas, surge ${surge}, old ${oldR}, new ${newR}`, () => {
      const h = new Harness();
      const [newRS, oldRS] = h.replicaSets([{ name: 'foo-v2', replicas: newR }, { name: 'foo-v1', replicas: oldR }]);
      const d = newDeployment('foo', dr, { maxSurge: surge, maxUnavailable: 0 });
      const scaled = reconcileNewReplicaSet(h.sync(d, [newRS!, oldRS!]), [newRS, oldRS], newRS!);
      expect(scaled).toBe(scaleExpected);
      if (scaleExpected) expect(h.writes).toEqual([{ name: 'foo-v2', replicas: expected }]);
      else expect(h.writes).toEqual([]);
    });
  }
});

describe('reconcileOldReplicaSets (TestDeploymentController_reconcileOldReplicaSets)', () => {
  const table: Array<[deploymentReplicas: number, maxUnavailable: IntOrStr, oldReplicas: number, newReplicas: number, readyOld: number, readyNew: number, scaleExpected: boolean, expectedOldReplicas?: number]> = [
    [10, 0, 10, 0, 10, 0, true, 9],
    [10, 2, 10, 0, 10, 0, true, 8],
    [10, 2, 10, 0, 8, 0, true, 8], // unhealthy replicas of the old ReplicaSet cleaned up
    [10, 2, 10, 0, 9, 0, true, 8], // one unhealthy cleaned up, one ready scaled down
    [10, 2, 8, 2, 8, 0, false], // the new ReplicaSet's unavailable pods block further scale-down
  ];
  for (const [dr, mu, oldR, newR, readyOld, readyNew, scaleExpected, expectedOld] of table) {
    it(`${dr} replicas, maxUnavailable ${mu}, old ${oldR} (${readyOld} ready), new ${newR} (${readyNew} ready)`, () => {
      const h = new Harness();
      const [oldRS, newRS] = h.replicaSets([
        { name: 'foo-old', replicas: oldR, available: readyOld },
        { name: 'foo-new', replicas: newR, available: readyNew },
      ]);
      const d = newDeployment('foo', dr, { maxSurge: 0, maxUnavailable: mu, selector: { foo: 'new' } });
      const s = h.sync(d, [oldRS!, newRS!]);
      const scaled = reconcileOldReplicaSets(s, [oldRS, newRS], [oldRS!], newRS!);
      expect(scaled).toBe(scaleExpected);
      if (expectedOld !== undefined) expect(h.sizes([oldRS!])['foo-old']).toBe(expectedOld);
    });
  }
});

describe('cleanupUnhealthyReplicas (TestDeploymentController_cleanupUnhealthyReplicas)', () => {
  const table: Array<[oldReplicas: number, readyPods: number, maxCleanupCount: number, cleanupCountExpected: number]> = [
    [10, 8, 1, 1],
    [10, 8, 3, 2],
    [10, 8, 0, 0],
    [10, 10, 3, 0],
  ];
  for (const [oldR, ready, max, expected] of table) {
    it(`old ${oldR}, ${ready} available, max ${max} -> ${expected}`, () => {
      const h = new Harness();
      const [oldRS] = h.replicaSets([{ name: 'foo-v2', replicas: oldR, available: ready }]);
      const d = newDeployment('foo', 10, { maxSurge: 2, maxUnavailable: 2 });
      const r = cleanupUnhealthyReplicas(h.sync(d, [oldRS!]), [oldRS!], max);
      expect(r?.[1]).toBe(expected);
    });
  }
});

describe('scaleDownOldReplicaSetsForRollingUpdate (TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate)', () => {
  const table: Array<[deploymentReplicas: number, maxUnavailable: IntOrStr, readyPods: number, oldReplicas: number, scaleExpected: boolean, expectedOldReplicas?: number]> = [
    [10, 0, 10, 10, true, 9],
    [10, 2, 10, 10, true, 8],
    [10, 2, 8, 10, false],
    [10, 2, 10, 0, false],
    [10, 2, 1, 10, false],
  ];
  for (const [dr, mu, ready, oldR, scaleExpected, expectedOld] of table) {
    it(`${dr} replicas, maxUnavailable ${mu}, ${ready} ready of ${oldR} old`, () => {
      const h = new Harness();
      const [oldRS] = h.replicaSets([{ name: 'foo-v2', replicas: oldR, available: ready }]);
      const d = newDeployment('foo', dr, { maxSurge: 0, maxUnavailable: mu });
      const scaled = scaleDownOldReplicaSetsForRollingUpdate(h.sync(d, [oldRS!]), [oldRS], [oldRS!]);
      expect((scaled ?? 0) > 0).toBe(scaleExpected);
      if (scaleExpected) expect(h.writes).toEqual([{ name: 'foo-v2', replicas: expectedOld }]);
      else expect(h.writes).toEqual([]);
    });
  }
});

describe('scale: proportional scaling (TestScale)', () => {
  interface Case {
    name: string;
    deployment: [replicas: number, maxSurge?: number, maxUnavailable?: number];
    old: [replicas: number, maxSurge?: number, maxUnavailable?: number];
    newRS?: [name: string, replicas: number, available?: number];
    oldRSs: Array<[name: string, replicas: number]>;
    expectedNew?: number;
    expectedOld: number[];
    wasntUpdated?: string[];
    desiredAnnotations?: Record<string, number>;
    templateChanged?: boolean;
  }
  // Timestamps: new at hour 2, old at hour 1, older at hour 0, as upstream's newTimestamp/oldTimestamp/olderTimestamp.
  const table: Case[] = [
    { name: 'normal scaling event: 10 -> 12', deployment: [12], old: [10], newRS: ['foo-v1', 10], oldRSs: [], expectedNew: 12, expectedOld: [] },
    { name: 'normal scaling event: 10 -> 5', deployment: [5], old: [10], newRS: ['foo-v1', 10], oldRSs: [], expectedNew: 5, expectedOld: [] },
    { name: 'proportional scaling: 5 -> 10', deployment: [10], old: [5], newRS: ['foo-v2', 2], oldRSs: [['foo-v1', 3]], expectedNew: 4, expectedOld: [6] },
    { name: 'proportional scaling: 5 -> 3', deployment: [3], old: [5], newRS: ['foo-v2', 2], oldRSs: [['foo-v1', 3]], expectedNew: 1, expectedOld: [2] },
    { name: 'proportional scaling: 9 -> 4', deployment: [4], old: [9], newRS: ['foo-v2', 8], oldRSs: [['foo-v1', 1]], expectedNew: 4, expectedOld: [0] },
    { name: 'proportional scaling: 7 -> 10', deployment: [10], old: [7], newRS: ['foo-v3', 2], oldRSs: [['foo-v2', 3], ['foo-v1', 2]], expectedNew: 3, expectedOld: [4, 3] },
    { name: 'proportional scaling: 13 -> 8', deployment: [8], old: [13], newRS: ['foo-v3', 2], oldRSs: [['foo-v2', 8], ['foo-v1', 3]], expectedNew: 1, expectedOld: [5, 2] },
    { name: 'leftover distribution: 3 -> 4', deployment: [4], old: [3], newRS: ['foo-v3', 1], oldRSs: [['foo-v2', 1], ['foo-v1', 1]], expectedNew: 2, expectedOld: [1, 1] },
    { name: 'leftover distribution: 3 -> 2', deployment: [2], old: [3], newRS: ['foo-v3', 1], oldRSs: [['foo-v2', 1], ['foo-v1', 1]], expectedNew: 1, expectedOld: [1, 0] },
    { name: 'proportional scaling (no new rs): 4 -> 5', deployment: [5], old: [4], oldRSs: [['foo-v2', 2], ['foo-v1', 2]], expectedOld: [3, 2] },
    { name: 'proportional scaling: 6 -> 0', deployment: [0], old: [6], newRS: ['foo-v3', 3], oldRSs: [['foo-v2', 2], ['foo-v1', 1]], expectedNew: 0, expectedOld: [0, 0] },
    { name: 'proportional scaling: 0 -> 6', deployment: [6], old: [6], newRS: ['foo-v3', 0], oldRSs: [['foo-v2', 0], ['foo-v1', 0]], expectedNew: 6, expectedOld: [0, 0], wasntUpdated: ['foo-v2', 'foo-v1'] },
    {
      name: 'failed rs update',
      deployment: [5],
      old: [5],
      newRS: ['foo-v3', 2],
      oldRSs: [['foo-v2', 1], ['foo-v1', 1]],
      expectedNew: 2,
      expectedOld: [2, 1],
      wasntUpdated: ['foo-v3', 'foo-v1'],
      desiredAnnotations: { 'foo-v2': 3 },
    },
    { name: 'deployment with surge pods', deployment: [20, 2], old: [10, 2], newRS: ['foo-v2', 6], oldRSs: [['foo-v1', 6]], expectedNew: 11, expectedOld: [11] },
    { name: 'change both surge and size', deployment: [50, 6], old: [10, 3], newRS: ['foo-v2', 5], oldRSs: [['foo-v1', 8]], expectedNew: 22, expectedOld: [34] },
    { name: 'change both size and template', deployment: [14], old: [10], oldRSs: [['foo-v2', 7], ['foo-v1', 3]], expectedOld: [10, 4], templateChanged: true },
    { name: 'saturated but broken new replica set does not affect old pods', deployment: [2, 1, 1], old: [2, 1, 1], newRS: ['foo-v2', 2, 0], oldRSs: [['foo-v1', 1]], expectedNew: 2, expectedOld: [1] },
  ];
  for (const c of table) {
    it(c.name, () => {
      const h = new Harness();
      const oldD = newDeployment('foo', c.old[0], { maxSurge: c.old[1], maxUnavailable: c.old[2] });
      const d = newDeployment('foo', c.deployment[0], { maxSurge: c.deployment[1], maxUnavailable: c.deployment[2] });
      const annotations = (name: string): Record<string, string> => {
        const desired = c.desiredAnnotations?.[name] ?? c.old[0];
        const o = { metadata: { annotations: {} as Record<string, string> } };
        setReplicasAnnotations(o, desired, desired + maxSurge(oldD));
        return o.metadata.annotations;
      };
      // In TestScale's "change both size and template" both ReplicaSets are old; its newest one is at newTimestamp.
      const hours = c.templateChanged ? [2, 1] : [1, 0];
      const specs: RsSpec[] = c.oldRSs.map(([name, replicas], i) => ({ name, replicas, hour: hours[i], annotations: annotations(name), available: 0 }));
      if (c.newRS) specs.push({ name: c.newRS[0], replicas: c.newRS[1], hour: 2, annotations: annotations(c.newRS[0]), available: c.newRS[2] ?? 0 });
      const created = h.replicaSets(specs);
      const oldRSs = created.slice(0, c.oldRSs.length);
      const newRS = c.newRS ? created[c.oldRSs.length] : undefined;
      h.sync(d, created).scale(newRS, oldRSs);
      const sizes = h.sizes(created);
      for (const w of c.wasntUpdated ?? []) sizes[w] = created.find((r) => r.metadata.name === w)!.spec!.replicas!;
      if (c.newRS) expect(sizes[c.newRS[0]]).toBe(c.expectedNew);
      expect(c.oldRSs.map(([n]) => sizes[n])).toEqual(c.expectedOld);
    });
  }
});

describe('cleanupDeployment (TestDeploymentController_cleanupDeployment)', () => {
  const rs = (name: string, specReplicas: number, statusReplicas: number, deleting = false): RsSpec => ({ name, replicas: specReplicas, statusReplicas, deleting });
  const table: Array<[oldRSs: RsSpec[], revisionHistoryLimit: number, expectedDeletions: number]> = [
    [[rs('foo-1', 0, 0), rs('foo-2', 0, 0), rs('foo-3', 0, 0)], 1, 2],
    [[rs('foo-1', 0, 0), rs('foo-2', 0, 1), rs('foo-3', 1, 0), rs('foo-4', 1, 1)], 0, 1],
    [[rs('foo-1', 0, 0), rs('foo-2', 0, 0)], 0, 2],
    [[rs('foo-1', 1, 1), rs('foo-2', 1, 1)], 0, 0],
    [[rs('foo-1', 0, 0, true)], 0, 0],
    [[rs('foo-1', 0, 0), rs('foo-2', 0, 0), rs('foo-3', 0, 0)], 2147483647, 0],
  ];
  table.forEach(([specs, limit, expected], i) => {
    it(`scenario ${i}: limit ${limit} -> ${expected} deletions`, () => {
      const h = new Harness();
      const old = h.replicaSets(specs);
      h.deleted.length = 0;
      const d = newDeployment('foo', 1, { revisionHistoryLimit: limit });
      h.sync(d, old).cleanupDeployment(old);
      expect(h.deleted.length).toBe(expected);
    });
  });
});
