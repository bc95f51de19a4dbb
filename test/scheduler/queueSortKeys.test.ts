// The queue's heaps compare by sort keys kept in their entries (activeQ: PrioritySort's
// negated priority and timestamp; the backoff heaps: the pod's backoff expiry, then with
// PopFromBackoffQ the activeQ order). A queue built with fastPath: false compares with the
// sort functions only. Over generated adds, updates, pops, failures (with and without a
// rejecting plugin), node events, time steps, flushes and deletes, both queues pop the same
// pods in the same order and report the same places and backoff expiries, with the gate on and off.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import type { PriorityQueue } from '../../src/scheduler/queue/schedulingQueue.ts';
import { nodeWatcherQueue } from './nodeWatcherQueue.ts';
import { Events } from '../../src/scheduler/queue/events.ts';

type P = Stored<Pod & KObject>;
const pod = (name: string, priority: number | undefined, version: number): P =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'd', uid: name, resourceVersion: String(version), labels: { v: String(version) } },
    spec: { containers: [{ name: 'c' }], ...(priority === undefined ? {} : { priority }) },
  }) as P;

function makeQueue(fastPath: boolean, popFromBackoffQ: boolean, clock: { now: number }): PriorityQueue {
  return nodeWatcherQueue({ now: () => clock.now, popFromBackoffQ, fastPath });
}

const op = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.nat(40), priority: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }) }) },
  // Pop and fail every pod activeQ holds, all rejected or none (so the backoff heaps fill up).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('failAll' as const), rejected: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), key: fc.nat(40) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('popFail' as const), rejected: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('popDone' as const) }) },
  // Steps shorter than the 1 s ordering window too, so one window holds pods that failed at different
  // times; in quarter seconds, so pods that failed at different times with different attempts share an expiry.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 16 })).map((q) => q * 250) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nodeAdd' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(40) }) },
);

describe('queue heaps with sort keys', () => {
  for (const popFromBackoffQ of [true, false]) {
    it(`pop the same pods in the same order as the sort functions alone (PopFromBackoffQ ${popFromBackoffQ ? 'on' : 'off'}, 400 runs)`, () => {
      fc.assert(
        fc.property(fc.array(op, { minLength: 20, maxLength: 120, size: 'large' }), (ops) => {
          const clock = { now: 0 };
          const fast = makeQueue(true, popFromBackoffQ, clock);
          const plain = makeQueue(false, popFromBackoffQ, clock);
          const current = new Map<string, P>();
          let version = 1;
          const both = (f: (q: PriorityQueue) => unknown): void => {
            const a = f(fast);
            const b = f(plain);
            expect(a).toEqual(b);
          };
          for (const o of ops) {
            if (o.kind === 'add') {
              const name = `p${o.key}`;
              if (current.has(name)) continue;
              const p = pod(name, o.priority, version++);
              current.set(name, p);
              both((q) => q.add(p));
            } else if (o.kind === 'update') {
              const name = `p${o.key}`;
              const old = current.get(name);
              if (!old) continue;
              const p = pod(name, old.spec?.priority, version++);
              current.set(name, p);
              both((q) => q.update(old, p));
            } else if (o.kind === 'delete') {
              const name = `p${o.key}`;
              const old = current.get(name);
              if (!old) continue;
              current.delete(name);
              both((q) => q.delete(old));
            } else if (o.kind === 'failAll') {
              for (let guard = 0; guard < 60; guard++) {
                const a = fast.pop();
                const b = plain.pop();
                expect(a?.key).toBe(b?.key);
                if (!a || !b) break;
                if (o.rejected) for (const q of [a, b]) q.unschedulablePlugins.add('NodeWatcher');
                expect(fast.addUnschedulableIfNotPresent(a)).toBe(plain.addUnschedulableIfNotPresent(b));
                if (guard % 3 === 2) clock.now += 250;
              }
              // A node event sends the rejected pods, still backing off, to podBackoffQ; with
              // PopFromBackoffQ and activeQ empty the next pops come from there in its order.
              if (o.rejected) {
                both((q) => q.moveAllToActiveOrBackoffQueue(Events.nodeAdd));
                for (let i = 0; i < 4; i++)
                  both((q) => {
                    const x = q.pop();
                    if (x) q.done(x.key);
                    return x?.key;
                  });
              }
            } else if (o.kind === 'popFail' || o.kind === 'popDone') {
              const a = fast.pop();
              const b = plain.pop();
              expect(a?.key).toBe(b?.key);
              if (!a || !b) continue;
              if (o.kind === 'popDone') {
                fast.done(a.key);
                plain.done(b.key);
                continue;
              }
              for (const q of [a, b]) if (o.kind === 'popFail' && o.rejected) q.unschedulablePlugins.add('NodeWatcher');
              expect(fast.addUnschedulableIfNotPresent(a)).toBe(plain.addUnschedulableIfNotPresent(b));
            } else if (o.kind === 'tick') {
              clock.now += o.ms;
              both((q) => {
                q.flushBackoffQCompleted();
                q.flushUnschedulablePodsLeftover();
              });
            } else both((q) => q.moveAllToActiveOrBackoffQueue(Events.nodeAdd));
            both((q) => [q.stats(), q.nextBackoffExpiry()]);
          }
          // Drain: every pod left comes out in the same order.
          for (let i = 0; i < 40; i++) {
            clock.now += 10_000;
            both((q) => q.flushBackoffQCompleted());
            both((q) => {
              const x = q.pop();
              if (x) q.done(x.key);
              return x?.key;
            });
          }
        }),
        { numRuns: 400 },
      );
    });
  }
});
