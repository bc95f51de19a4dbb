// podutil.UpdatePodCondition (pkg/api/v1/pod): a table of its rules, and podConditionWouldChange
// (the check without a write) agreeing with it on generated conditions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PodCondition } from 'kubernetes-types/core/v1';
import { podConditionWouldChange, updatePodCondition } from '../../src/api/podCondition.ts';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const scheduledFalse: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available', lastProbeTime: null as unknown as string, lastTransitionTime: T0 };

describe('updatePodCondition', () => {
  it.each<[string, PodCondition[] | undefined, PodCondition, boolean, string | undefined]>([
    ['adds a condition the status lacks', undefined, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }, true, T1],
    ['the same status, reason and message: no change', [scheduledFalse], { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }, false, T0],
    ['a new message keeps the transition time', [scheduledFalse], { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available' }, true, T0],
    ['a new status moves the transition time', [scheduledFalse], { type: 'PodScheduled', status: 'True' }, true, T1],
    ['an observedGeneration the old one lacks is a change', [scheduledFalse], { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available', observedGeneration: 2 } as PodCondition, true, T0],
    ['another type is added beside it', [scheduledFalse], { type: 'Ready', status: 'False' }, true, T1],
  ])('%s', (_name, conditions, cond, changed, ltt) => {
    const status = { ...(conditions ? { conditions: conditions.slice() } : {}) };
    expect(podConditionWouldChange(conditions, cond, T1)).toBe(changed);
    expect(updatePodCondition(status, cond, T1)).toBe(changed);
    expect(status.conditions!.find((c) => c.type === cond.type)?.lastTransitionTime).toBe(ltt);
  });
});

const cond = fc.record(
  {
    type: fc.constantFrom('PodScheduled', 'Ready', 'Initialized'),
    status: fc.constantFrom('True', 'False', 'Unknown'),
    reason: fc.constantFrom('', 'Unschedulable', 'SchedulerError'),
    message: fc.constantFrom('', 'a', 'b'),
    lastTransitionTime: fc.constantFrom(T0, T1),
    observedGeneration: fc.constantFrom(1, 2),
  },
  { requiredKeys: ['type', 'status'] },
) as fc.Arbitrary<PodCondition>;

describe('podConditionWouldChange', () => {
  it('answers as updatePodCondition does, and changes nothing (300 runs)', () => {
    fc.assert(
      fc.property(fc.option(fc.array(cond, { maxLength: 4 }), { nil: undefined }), cond, fc.constantFrom(T0, T1), (conditions, c, now) => {
        const before = JSON.stringify(conditions);
        const would = podConditionWouldChange(conditions, c, now);
        expect(JSON.stringify(conditions)).toBe(before);
        const status = conditions ? { conditions: conditions.slice() } : {};
        expect(would).toBe(updatePodCondition(status, c, now));
      }),
      { numRuns: 300 },
    );
  });
});
