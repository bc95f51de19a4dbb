/**
 * The status post's shared conditions (NodeHeartbeats.postedConditions, src/kubelet/nodeLease.ts): a post takes
 * the previous post's frozen result when it was computed at the same time from conditions that sameConditions
 * calls the same. That is exact only if sameConditions never calls two lists the same when heartbeatConditions
 * would give them different results (values, key order, lengths): checked here on generated pairs, the second
 * list a copy of the first (as the Nodes registered together hold) with at most one change of each kind.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { heartbeatConditions, sameConditions } from '../../src/kubelet/nodeLease.ts';

const type = fc.constantFrom('MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready', 'NetworkUnavailable', 'Custom');
const status = fc.constantFrom('True', 'False', 'Unknown');
const stamp = fc.constantFrom('2025-01-01T00:00:00Z', '2025-01-01T00:05:00Z');
/** The setters' layout, keys in their order (the only one sameConditions compares by value). */
const setter = fc.record({ type, status, lastHeartbeatTime: stamp, lastTransitionTime: stamp, reason: fc.constantFrom('A', 'B'), message: fc.constantFrom('m', 'n') });
const reordered = setter.map(({ type: t, status: st, lastHeartbeatTime, lastTransitionTime, reason, message }) => ({ type: t, status: st, lastTransitionTime, lastHeartbeatTime, reason, message }));
const fewer = setter.map(({ message: _m, ...rest }) => rest);
const extra = setter.map((c) => ({ ...c, extra: 'x' }));
const cond: fc.Arbitrary<NodeCondition> = fc.oneof(setter, setter, setter, reordered, fewer, extra);

/** How the second list differs from a field-for-field copy of the first. */
type Change =
  | { k: 'none' }
  | { k: 'value'; at: number; field: 'type' | 'status' | 'lastHeartbeatTime' | 'lastTransitionTime' | 'reason' | 'message'; to: string }
  | { k: 'layout'; at: number; how: 'reorder' | 'drop' | 'extra' }
  | { k: 'length'; add: NodeCondition | undefined }
  | { k: 'shared'; at: number };

const field = fc.constantFrom('type' as const, 'status' as const, 'lastHeartbeatTime' as const, 'lastTransitionTime' as const, 'reason' as const, 'message' as const);
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.constant({ k: 'none' as const }),
  fc.record({ k: fc.constant('value' as const), at: fc.nat(), field, to: fc.constantFrom('Ready', 'True', 'False', 'Unknown', 'A', 'B', 'm', '2025-01-01T00:00:00Z', '2025-01-01T00:05:00Z') }),
  fc.record({ k: fc.constant('layout' as const), at: fc.nat(), how: fc.constantFrom('reorder' as const, 'drop' as const, 'extra' as const) }),
  fc.record({ k: fc.constant('length' as const), add: fc.option(cond, { nil: undefined }) }),
  fc.record({ k: fc.constant('shared' as const), at: fc.nat() }),
);

/** A copy of `a` (new objects, same keys in the same order) with change `c` made. */
function changed(a: readonly NodeCondition[], c: Change): NodeCondition[] {
  const b = a.map((x) => ({ ...x }));
  if (b.length === 0) return c.k === 'length' && c.add !== undefined ? [c.add] : b;
  switch (c.k) {
    case 'none':
      break;
    case 'value':
      (b[c.at % b.length] as Record<string, unknown>)[c.field] = c.to;
      break;
    case 'layout': {
      const i = c.at % b.length;
      const x = b[i]! as Record<string, unknown>;
      if (c.how === 'extra') x['extra'] = 'x';
      else if (c.how === 'drop') delete x['message'];
      else {
        const { type: t, ...rest } = x;
        b[i] = { ...rest, type: t } as NodeCondition;
      }
      break;
    }
    case 'length':
      if (c.add !== undefined) b.push(c.add);
      else b.pop();
      break;
    case 'shared':
      // The very object of the first list at one place (two Nodes that took the same post's conditions).
      b[c.at % b.length] = a[c.at % a.length]!;
      break;
  }
  return b;
}

describe('sameConditions (the status post sharing its conditions)', () => {
  it('calls two lists the same only when heartbeatConditions gives them the same result, key for key', () => {
    let same = 0;
    fc.assert(
      fc.property(fc.array(cond, { maxLength: 7 }), change, stamp, (a, c, time) => {
        const b = changed(a, c);
        if (!sameConditions(b, a)) return;
        same++;
        expect(JSON.stringify(heartbeatConditions(b, time))).toBe(JSON.stringify(heartbeatConditions(a, time)));
      }),
      { numRuns: 500 },
    );
    // Not trivially true: copies of the setters' layout are taken as the same (how the sharing ever happens).
    expect(same).toBeGreaterThan(0);
  });

  it('takes an unchanged copy of the setters\' layout, and no list whose content differs', () => {
    const a: NodeCondition[] = [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 't0', lastTransitionTime: 't0', reason: 'R', message: 'm' },
      { type: 'Ready', status: 'True', lastHeartbeatTime: 't0', lastTransitionTime: 't0', reason: 'KubeletReady', message: 'ok' },
    ];
    expect(sameConditions(changed(a, { k: 'none' }), a)).toBe(true);
    expect(sameConditions(changed(a, { k: 'shared', at: 1 }), a)).toBe(true);
    for (const f of ['type', 'status', 'lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'] as const) {
      expect(sameConditions(changed(a, { k: 'value', at: 1, field: f, to: 'other' }), a)).toBe(false);
    }
    for (const how of ['reorder', 'drop', 'extra'] as const) expect(sameConditions(changed(a, { k: 'layout', at: 0, how }), a)).toBe(false);
    expect(sameConditions(changed(a, { k: 'length', add: undefined }), a)).toBe(false);
  });
});
