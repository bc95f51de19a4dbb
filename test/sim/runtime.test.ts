import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { WorkQueue } from '../../src/sim/runtime.ts';
import type { Controller, KObject, ReconcileResult } from '../../src/sim/types.ts';
import { obj, pod } from './helpers.ts';

describe('WorkQueue (client-go semantics)', () => {
  it('de-duplicates queued keys and re-queues keys changed while processing', () => {
    let ready = 0;
    const q = new WorkQueue(() => ready++);
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(q.get()).toBe('a');
    q.add('a'); // while processing: remembered, not queued
    expect(q.length).toBe(1);
    expect(q.get()).toBe('b');
    q.done('b');
    q.done('a');
    expect(q.length).toBe(1);
    expect(q.get()).toBe('a');
    expect(q.get()).toBeUndefined();
  });

  /** client-go's Type as it is written there: a dirty set, a processing set and a FIFO. */
  class ModelQueue {
    readonly items: string[] = [];
    readonly dirty = new Set<string>();
    readonly processing = new Set<string>();
    ready = 0;
    add(key: string): void {
      if (this.dirty.has(key)) return;
      this.dirty.add(key);
      if (this.processing.has(key)) return;
      this.items.push(key);
      this.ready++;
    }
    get(): string | undefined {
      const key = this.items.shift();
      if (key === undefined) return undefined;
      this.processing.add(key);
      this.dirty.delete(key);
      return key;
    }
    done(key: string): void {
      this.processing.delete(key);
      if (this.dirty.has(key)) {
        this.items.push(key);
        this.ready++;
      }
    }
  }

  it('its one map of key bits answers as the dirty and processing sets, over any adds, gets and dones', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('add' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ op: fc.constant('get' as const), key: fc.constant('') }),
      // Done of the key taken last (as the worker does), or of any key (a caller's mistake, answered alike).
      fc.record({ op: fc.constant('done' as const), key: fc.constantFrom('', '', 'a', 'b', 'c', 'd') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000, size: 'medium' }), (ops) => {
        let ready = 0;
        const q = new WorkQueue(() => ready++);
        const m = new ModelQueue();
        let last = '';
        for (const o of ops) {
          if (o.op === 'add') {
            q.add(o.key);
            m.add(o.key);
          } else if (o.op === 'get') {
            const k = q.get();
            expect(k).toBe(m.get());
            if (k !== undefined) last = k;
          } else {
            const k = o.key === '' ? last : o.key;
            q.done(k);
            m.done(k);
          }
          expect(q.length).toBe(m.items.length);
          expect(ready).toBe(m.ready);
          for (const k of ['a', 'b', 'c', 'd']) {
            expect(q.isQueued(k)).toBe(m.dirty.has(k));
            expect(q.isProcessing(k)).toBe(m.processing.has(k));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('informers', () => {
  it('deliver changes watchLatency after commit, in commit order; listers lag the store', () => {
    const sim = Simulation.create({ timing: { watchLatency: 5 } });
    const seen: string[] = [];
    const lister = sim.runtime.informer('Pod', {
      onAdd: (p) => seen.push(`add ${p.metadata.name}@${sim.now}`),
      onUpdate: (o, n) => seen.push(`update ${n.metadata.name} ${o.metadata.resourceVersion}->${n.metadata.resourceVersion}@${sim.now}`),
      onDelete: (p) => seen.push(`delete ${p.metadata.name}@${sim.now}`),
    }, 'test');
    sim.store.create(pod('a'));
    expect(lister.get('default', 'a')).toBeUndefined();
    sim.runUntil(2);
    sim.store.patch('Pod', 'default', 'a', (d: KObject) => {
      d.metadata.labels = { x: '1' };
    });
    sim.store.create(pod('b'));
    sim.runUntil(4);
    expect(lister.list()).toEqual([]);
    sim.runUntil(5);
    expect(lister.get('default', 'a')!.metadata.resourceVersion).toBe('1');
    sim.store.delete('Pod', 'default', 'b');
    sim.runUntilQuiet();
    expect(seen).toEqual(['add a@5', 'update a 1->2@7', 'add b@7', 'delete b@10']);
    expect(lister.list().map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('a handler registered later gets the cache contents first, then changes', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a'));
    sim.store.create(pod('b'));
    const seen: string[] = [];
    sim.runtime.informer('Pod', { onAdd: (p) => seen.push(`add ${p.metadata.name}`), onDelete: (p) => seen.push(`delete ${p.metadata.name}`) }, 'late');
    sim.store.delete('Pod', 'default', 'a');
    sim.runUntilQuiet();
    expect(seen).toEqual(['add a', 'add b', 'delete a']);
  });
});

function counter(name: string, kind: string, reconcile: (key: string) => ReconcileResult | void, extra: Partial<Controller> = {}): Controller & { calls: string[] } {
  const calls: string[] = [];
  return {
    name,
    watches: [{ kind }],
    calls,
    reconcile(key, ctx) {
      calls.push(`${key}@${ctx.now}`);
      return reconcile(key);
    },
    ...extra,
  };
}

describe('controllers', () => {
  it('reconcile runs reconcileLatency after the key is taken; bursts collapse into one reconcile', () => {
    const sim = Simulation.create({ timing: { watchLatency: 1, reconcileLatency: 10 } });
    const c = counter('c', 'ConfigMap', () => {});
    sim.runtime.register(c);
    sim.store.create(obj('ConfigMap', 'x'));
    for (let i = 0; i < 5; i++) {
      sim.store.patch('ConfigMap', 'default', 'x', (d: KObject) => {
        d['data'] = { i: String(i) };
      });
    }
    sim.runUntilQuiet();
    // all six changes are delivered at t=1 while the key is queued: one reconcile at 1 + 10
    expect(c.calls).toEqual(['default/x@11']);
  });

  it('a key changed while it is being reconciled is reconciled again afterwards', () => {
    const sim = Simulation.create({ timing: { watchLatency: 1, reconcileLatency: 10 } });
    const c = counter('c', 'ConfigMap', () => {});
    sim.runtime.register(c);
    sim.store.create(obj('ConfigMap', 'x'));
    sim.runUntil(5); // key taken at t=1, reconcile runs at 11
    sim.store.patch('ConfigMap', 'default', 'x', (d: KObject) => {
      d['data'] = { v: '2' };
    });
    sim.runUntilQuiet();
    expect(c.calls).toEqual(['default/x@11', 'default/x@21']);
  });

  it('listers in reconcile are stale by the watch latency', () => {
    const sim = Simulation.create({ timing: { watchLatency: 5, reconcileLatency: 0 } });
    const observed: Array<string | undefined> = [];
    sim.runtime.register({
      name: 'stale',
      watches: [{ kind: 'ConfigMap' }],
      reconcile(key, ctx) {
        const cm = ctx.lister('ConfigMap').get('default', key.split('/')[1]!);
        const inStore = ctx.store.get('ConfigMap', 'default', key.split('/')[1]!);
        observed.push(`${(cm?.['data'] as { v?: string } | undefined)?.v}/${(inStore?.['data'] as { v?: string } | undefined)?.v}`);
      },
    });
    sim.store.create(obj('ConfigMap', 'x', { data: { v: '1' } }));
    sim.runUntil(5); // reconcile at 5 sees v=1 in both
    sim.runUntil(7);
    sim.store.patch('ConfigMap', 'default', 'x', (d: KObject) => {
      d['data'] = { v: '2' };
    });
    sim.runUntil(9);
    sim.store.patch('ConfigMap', 'default', 'x', (d: KObject) => {
      d['data'] = { v: '3' };
    });
    sim.runUntilQuiet();
    // at t=12 the lister holds v=2 while the store already has v=3
    expect(observed).toEqual(['1/1', '2/3', '3/3']);
  });

  it('requeueAfter re-adds the key after the delay', () => {
    const sim = Simulation.create({ timing: { watchLatency: 1, reconcileLatency: 1 } });
    let n = 0;
    const c = counter('poll', 'ConfigMap', () => (++n < 3 ? { requeueAfter: 100 } : undefined));
    sim.runtime.register(c);
    sim.store.create(obj('ConfigMap', 'x'));
    sim.runUntilQuiet();
    expect(c.calls).toEqual(['default/x@2', 'default/x@103', 'default/x@204']);
  });

  it('requeue and ApiErrors back off exponentially from 5 ms; success forgets', () => {
    const sim = Simulation.create({ timing: { watchLatency: 1, reconcileLatency: 0 } });
    let n = 0;
    const c = counter('flaky', 'ConfigMap', () => {
      n++;
      if (n === 1) return { requeue: true };
      if (n <= 4) throw ApiError.conflict('ConfigMap', 'x');
      return undefined;
    });
    sim.runtime.register(c);
    sim.store.create(obj('ConfigMap', 'x'));
    sim.runUntilQuiet();
    // t=1, then +5, +10, +20, +40
    expect(c.calls).toEqual(['default/x@1', 'default/x@6', 'default/x@16', 'default/x@36', 'default/x@76']);
  });

  it('other errors thrown by reconcile propagate (bugs are not swallowed)', () => {
    const sim = Simulation.create();
    sim.runtime.register(counter('buggy', 'ConfigMap', () => {
      throw new TypeError('oops');
    }));
    sim.store.create(obj('ConfigMap', 'x'));
    expect(() => sim.runUntilQuiet()).toThrow(TypeError);
  });

  it('toKeys maps events to other keys', () => {
    const sim = Simulation.create();
    const c: Controller & { calls: string[] } = {
      name: 'owner',
      calls: [],
      watches: [{ kind: 'Pod', toKeys: (ev) => [`default/${ev.object.metadata.labels?.['app'] ?? 'none'}`] }],
      reconcile(key) {
        c.calls.push(key);
      },
    };
    sim.runtime.register(c);
    sim.store.create({ ...pod('p1'), metadata: { name: 'p1', labels: { app: 'web' } } });
    sim.store.create({ ...pod('p2'), metadata: { name: 'p2', labels: { app: 'web' } } });
    sim.runUntilQuiet();
    expect(c.calls).toEqual(['default/web']);
  });

  it('resync re-queues every cached object periodically without keeping the run alive', () => {
    const sim = Simulation.create({ timing: { watchLatency: 1, reconcileLatency: 1 } });
    const c = counter('resync', 'ConfigMap', () => {}, { resyncPeriod: 1000 });
    sim.runtime.register(c);
    sim.store.create(obj('ConfigMap', 'a'));
    sim.store.create(obj('ConfigMap', 'b'));
    expect(sim.runUntilQuiet()).toBe(true);
    expect(c.calls).toEqual(['default/a@2', 'default/b@3']);
    sim.runUntil(2500);
    expect(c.calls).toEqual(['default/a@2', 'default/b@3', 'default/a@1001', 'default/b@1002', 'default/a@2001', 'default/b@2002']);
  });

  it('rejects duplicate controller names', () => {
    const sim = Simulation.create();
    sim.runtime.register(counter('x', 'Pod', () => {}));
    expect(() => sim.runtime.register(counter('x', 'Pod', () => {}))).toThrow(/already registered/);
  });
});
