/**
 * Shared helpers of the workload controllers, following upstream's
 * pkg/controller/controller_utils.go and controller_ref_manager.go:
 *   expectations.ts   ControllerExpectations / UIDTrackingControllerExpectations
 *                     (add/del counts, satisfied when observed or after 5 min)
 *   slowStart.ts      slowStartBatch (batches 1, 2, 4, ... stopping at the first error)
 *   controllerRef.ts  getControllerOf, newControllerRef, claimObjects (adopt / release,
 *                     RecheckDeletionTimestamp)
 *   pods.ts           isPodActive, filterActivePods, isPodReady, isPodAvailable
 *                     (minReadySeconds), getPodsPrefix, getPodFromTemplate
 *                     (generateName; the store's SimpleNameGenerator names the pod)
 *   ranking.ts        ActivePodsWithRanks ordering for scale-down (deletion cost,
 *                     co-located pods, logarithmic ready/creation time), getPodsToDelete
 *   jobFinished.ts    IsJobFinished (the True Complete or Failed condition)
 *   ownerIndex.ts     OwnerIndex: a kind's objects by controller uid + orphans per
 *                     namespace, fed from watch events (no O(pods) scans per sync)
 *   hash.ts           ComputeHash-style template hash (FNV-32a + collisionCount,
 *                     SafeEncodeString)
 *   clone.ts          cloneJson: a deep copy of API data (templates) without structuredClone
 *   parseCache.ts     cachingParse: RFC3339 -> virtual time, remembering recent texts
 */
export * from './expectations.ts';
export * from './slowStart.ts';
export * from './controllerRef.ts';
export * from './pods.ts';
export * from './ranking.ts';
export * from './ownerIndex.ts';
export * from './hash.ts';
export * from './clone.ts';
export * from './parseCache.ts';
