// PriorityQueue behaviour after upstream pkg/scheduler/backend/queue/scheduling_queue_test.go:
// backoff durations, flushes, queueing-hint driven moves, in-flight events, PreEnqueue gating.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { loadSchedulerConfig } from '../../src/scheduler/config.ts';
import { buildFramework } from '../../src/scheduler/profile.ts';
import { PriorityQueue } from '../../src/scheduler/queue/schedulingQueue.ts';
import { Events } from '../../src/scheduler/queue/events.ts';
import { KeyedHeap } from '../../src/scheduler/queue/heap.ts';
import { ActionType, type Plugin, type PluginFactory } from '../../src/scheduler/framework/types.ts';
import { fakeStoreReader } from '../../src/scheduler/framework/testing.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import { DefaultBinder } from '../../src/scheduler/plugins/DefaultBinder.ts';
import { SchedulingGates } from '../../src/scheduler/plugins/SchedulingGates.ts';
import fc from 'fast-check';

type P = Stored<Pod & KObject>;
const pod = (name: string, extra: Partial<NonNullable<Pod['spec']>> = {}, labels: Record<string, string> = {}): P =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name, labels, resourceVersion: '1' }, spec: { containers: [{ name: 'c' }], ...extra } }) as P;

function setup() {
  let now = 0;
  const reg = new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
    ['SchedulingGates', () => new SchedulingGates()],
    // Interested in node adds only when the node has label ok=true.
    ['NodeWatcher', () =>
      ({
        name: 'NodeWatcher',
        filter: () => null,
        eventsToRegister: () => [
          { event: { resource: 'Node', actionType: ActionType.Add }, hint: (_p: unknown, _o: unknown, n: Stored | undefined) => (n?.metadata.labels?.['ok'] === 'true' ? 'Queue' : 'QueueSkip') },
        ],
      }) as unknown as Plugin],
    ['PodLabelWatcher', () => ({ name: 'PodLabelWatcher', filter: () => null, eventsToRegister: () => [{ event: { resource: 'Pod', actionType: ActionType.UpdatePodLabel } }] }) as unknown as Plugin],
  ]);
  const prof = loadSchedulerConfig({
    profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'SchedulingGates' }, { name: 'PrioritySort' }, { name: 'NodeWatcher' }, { name: 'PodLabelWatcher' }, { name: 'DefaultBinder' }] } } }],
  }).profiles[0]!;
  const snap = new Snapshot([]);
  const fw = buildFramework(prof, 0, reg, { snapshot: () => snap, store: () => fakeStoreReader([]), nominator: () => ({ nominatedPodsForNode: () => [] }), now: () => now });
  const q = new PriorityQueue({ profiles: new Map([['default-scheduler', fw]]), now: () => now });
  return { q, setNow: (t: number) => (now = t), getNow: () => now };
}

describe('backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10000],
    [12, 10000],
  ])('attempt %i backs off %i ms (initial 1s, max 10s)', (attempts, ms) => {
    const { q } = setup();
    const qp = q.newQueuedPod(pod('a'));
    qp.attempts = attempts;
    expect(q.backoffDuration(qp)).toBe(ms);
  });

  it('no backoff before the first attempt', () => {
    const { q } = setup();
    expect(q.backoffDuration(q.newQueuedPod(pod('a')))).toBe(0);
  });
});

describe('PriorityQueue', () => {
  it('pops by priority then timestamp', () => {
    const { q, setNow } = setup();
    q.add(pod('low', { priority: 1 }));
    setNow(5);
    q.add(pod('high', { priority: 10 }));
    q.add(pod('low2', { priority: 1 }));
    expect([q.pop()!.key, q.pop()!.key, q.pop()!.key]).toEqual(['high', 'low', 'low2']);
  });

  it('an unschedulable pod waits for a matching event whose hint says Queue, then backs off', () => {
    const { q, setNow } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    qp.unschedulablePlugins.add('NodeWatcher');
    setNow(100);
    expect(q.addUnschedulableIfNotPresent(qp)).toBe('unschedulablePods');
    // Irrelevant event and QueueSkip hint: stays.
    q.moveAllToActiveOrBackoffQueue(Events.assignedPodAdd, undefined, pod('x'));
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: {} } });
    expect(q.whereIs(qp.podInfo.pod)).toBe('unschedulablePods');
    // Matching with Queue: still backing off (timestamp 100 + 1s) -> backoffQ.
    setNow(500);
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { ok: 'true' } } });
    expect(q.whereIs(qp.podInfo.pod)).toBe('backoffQ');
    expect(q.nextBackoffExpiry()).toBe(1100);
    setNow(1099);
    q.flushBackoffQCompleted();
    expect(q.whereIs(qp.podInfo.pod)).toBe('backoffQ');
    setNow(1100);
    q.flushBackoffQCompleted();
    expect(q.whereIs(qp.podInfo.pod)).toBe('activeQ');
  });

  it('goes straight to activeQ when the backoff has already expired', () => {
    const { q, setNow } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    qp.unschedulablePlugins.add('NodeWatcher');
    q.addUnschedulableIfNotPresent(qp);
    setNow(5000);
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { ok: 'true' } } });
    expect(q.whereIs(qp.podInfo.pod)).toBe('activeQ');
  });

  it('flushes pods unschedulable for more than 5 minutes (strictly)', () => {
    const { q, setNow } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    qp.unschedulablePlugins.add('NodeWatcher');
    q.addUnschedulableIfNotPresent(qp);
    setNow(300_000);
    q.flushUnschedulablePodsLeftover();
    expect(q.whereIs(qp.podInfo.pod)).toBe('unschedulablePods');
    setNow(300_001);
    q.flushUnschedulablePodsLeftover();
    expect(q.whereIs(qp.podInfo.pod)).toBe('activeQ');
  });

  it('an event during the attempt sends the pod to backoff instead of unschedulable', () => {
    const { q, setNow } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { ok: 'true' } } });
    qp.unschedulablePlugins.add('NodeWatcher');
    setNow(10);
    expect(q.addUnschedulableIfNotPresent(qp)).toBe('backoffQ');
  });

  it('an irrelevant in-flight event does not', () => {
    const { q } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: {} } });
    qp.unschedulablePlugins.add('NodeWatcher');
    expect(q.addUnschedulableIfNotPresent(qp)).toBe('unschedulablePods');
  });

  it('a failure without rejecting plugins (an error) backs off', () => {
    const { q } = setup();
    q.add(pod('a'));
    const qp = q.pop()!;
    expect(q.addUnschedulableIfNotPresent(qp)).toBe('backoffQ');
    expect(q.hasEventDrivenBackoff()).toBe(false);
  });

  it('an update of the unschedulable pod itself is checked with the hints', () => {
    const { q, setNow } = setup();
    const a = pod('a', {}, { x: '1' });
    q.add(a);
    const qp = q.pop()!;
    qp.unschedulablePlugins.add('PodLabelWatcher');
    q.addUnschedulableIfNotPresent(qp);
    setNow(5000);
    const b = { ...a, metadata: { ...a.metadata, resourceVersion: '2', labels: { x: '2' } } } as P;
    q.update(a, b);
    expect(q.whereIs(b)).toBe('activeQ');
  });

  it('gates pods with scheduling gates until an update removes them', () => {
    const { q } = setup();
    const g = pod('g', { schedulingGates: [{ name: 'a' }, { name: 'b' }] });
    q.add(g);
    expect(q.whereIs(g)).toBe('unschedulablePods');
    expect(q.get(g)!.gated).toBe(true);
    expect(q.stats().gated).toBe(1);
    // Cluster events do not release gated pods.
    q.moveAllToActiveOrBackoffQueue(Events.unschedulableTimeout);
    expect(q.whereIs(g)).toBe('unschedulablePods');
    const ungated = { ...g, metadata: { ...g.metadata, resourceVersion: '2' }, spec: { ...g.spec, schedulingGates: [] } } as P;
    q.update(g, ungated);
    expect(q.whereIs(ungated)).toBe('activeQ');
    expect(q.get(ungated)!.gated).toBe(false);
  });
});

describe('SchedulingGates', () => {
  it('reports the gates as upstream', () => {
    const s = new SchedulingGates().preEnqueue(pod('g', { schedulingGates: [{ name: 'a' }, { name: 'b' }] }));
    expect(s!.reasons).toEqual(['waiting for scheduling gates: [a b]']);
    expect(s!.code).toBe(3);
    expect(new SchedulingGates().preEnqueue(pod('x'))).toBeNull();
  });
});

describe('KeyedHeap', () => {
  it('pops in order under random add/update/delete (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1000 }), fc.boolean())), (ops) => {
        const h = new KeyedHeap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
        const model = new Map<string, number>();
        for (const [k, v, del] of ops) {
          if (del) {
            h.delete(String(k));
            model.delete(String(k));
          } else {
            h.addOrUpdate({ k: String(k), v });
            model.set(String(k), v);
          }
        }
        const out: number[] = [];
        for (let x = h.pop(); x; x = h.pop()) out.push(x.v);
        expect(out).toEqual([...model.values()].sort((a, b) => a - b));
      }),
    );
  });

  it('breaks ties by first arrival, kept across updates, with pops interleaved; list() holds exactly the live items (property)', () => {
    type Op = { kind: 'put' | 'del' | 'pop'; k: number; v: number };
    const op = fc.record({ kind: fc.constantFrom<Op['kind']>('put', 'put', 'del', 'pop'), k: fc.integer({ min: 0, max: 15 }), v: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const h = new KeyedHeap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
        // The model: live key -> (value, arrival); arrival is the key's first add since it was last removed.
        const model = new Map<string, { v: number; arrival: number }>();
        let arrivals = 0;
        const smallest = (): string | undefined =>
          [...model].sort((a, b) => a[1].v - b[1].v || a[1].arrival - b[1].arrival)[0]?.[0];
        for (const { kind, k, v } of ops) {
          const key = String(k);
          if (kind === 'put') {
            h.addOrUpdate({ k: key, v });
            const was = model.get(key);
            model.set(key, { v, arrival: was ? was.arrival : arrivals++ });
          } else if (kind === 'del') {
            expect(h.delete(key)?.k).toBe(model.has(key) ? key : undefined);
            model.delete(key);
          } else {
            const want = smallest();
            expect(h.peek()?.k).toBe(want);
            expect(h.pop()?.k).toBe(want);
            if (want !== undefined) model.delete(want);
          }
          expect(h.length).toBe(model.size);
          expect(h.list().map((x) => x.k).sort()).toEqual([...model.keys()].sort());
          for (const [mk, mv] of model) expect(h.get(mk)?.v).toBe(mv.v);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('in-flight events over long runs (property)', () => {
  // A failed pod sees exactly the events that happened while it was in flight, however many pods were
  // popped and done meanwhile: the queue's trimming of old events (by the oldest in-flight pod, past
  // 1024 entries compacted) never drops one an in-flight pod still needs. The model: each in-flight pod
  // remembers whether a Node its plugin cares about (ok=true) was added since it was popped.
  type Op = { kind: 'add' | 'pop' | 'fail' | 'succeed' | 'nodeOk' | 'nodeNo'; i: number };
  // 'pop' adds a pod first, so runs pop well past the 1024 entries where the queue compacts its lists.
  const opArb = fc.record({ kind: fc.constantFrom<Op['kind']>('add', 'pop', 'pop', 'pop', 'pop', 'fail', 'succeed', 'succeed', 'succeed', 'nodeOk', 'nodeNo'), i: fc.nat() });
  const node = (ok: boolean): Stored => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: ok ? { ok: 'true' } : {} } }) as Stored;
  it('a failure goes to backoff exactly when a relevant event happened during its attempt', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { minLength: 50, maxLength: 4000, size: 'max' }), (anchored, ops) => {
        const { q } = setup();
        let made = 0;
        const inFlight: Array<{ qp: ReturnType<PriorityQueue['pop']> & object; saw: boolean }> = [];
        const popOne = (): void => {
          const qp = q.pop();
          if (qp) inFlight.push({ qp, saw: false });
        };
        const finish = (at: number, fail: boolean): void => {
          const [{ qp, saw }] = inFlight.splice(at, 1) as [(typeof inFlight)[number]];
          if (!fail) return q.done(qp.key);
          qp.unschedulablePlugins.add('NodeWatcher');
          expect(q.addUnschedulableIfNotPresent(qp)).toBe(saw ? 'backoffQ' : 'unschedulablePods');
        };
        // Anchored: the last in-flight pod is never finished before the end, so the lists never drain
        // and the oldest in-flight pod keeps moving (its stale predecessors are skipped, then compacted).
        const keep = anchored ? 1 : 0;
        for (const { kind, i } of ops) {
          if (kind === 'add') q.add(pod(`p${made++}`));
          else if (kind === 'pop') {
            q.add(pod(`p${made++}`));
            popOne();
          }
          else if (kind === 'nodeOk' || kind === 'nodeNo') {
            q.moveAllToActiveOrBackoffQueue(Events.nodeAdd, undefined, node(kind === 'nodeOk'));
            if (kind === 'nodeOk') for (const f of inFlight) f.saw = true;
          } else if (inFlight.length > keep) finish(i % inFlight.length, kind === 'fail');
        }
        while (inFlight.length > 0) finish(inFlight.length - 1, true);
      }),
      { numRuns: 200 },
    );
  });
});
