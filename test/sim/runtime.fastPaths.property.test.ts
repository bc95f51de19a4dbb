/**
 * The controller runtime's fast paths against the general path they replace: the same generated
 * workload (timing, controllers with delayed watches, requeues, errors, writes from reconciles, outside
 * queue adds, resyncs) is run with each fast path on and off, and the reconciles (controller, key, time,
 * in order) and the store's final contents must be the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { runtimeTuning } from '../../src/sim/runtime.ts';
import { Priority, type Controller, type KObject, type ReconcileResult, type WatchEvent } from '../../src/sim/types.ts';
import { obj } from './helpers.ts';

const NAMES = ['a', 'b', 'c', 'd'];

interface Action {
  at: number;
  /** The band the action runs in at its instant: before, among or after the deliveries and reconciles. */
  priority: number;
  op: 'create' | 'patch' | 'delete' | 'enqueue';
  name: string;
  controller: number;
  v: number;
}

interface ControllerSpec {
  /** Watch delay: none, fixed, or only for updates. */
  delay: 0 | 1 | 2 | 3;
  delayMs: number;
  /** Reconcile outcome per call number: 0 nothing, 1 requeueAfter, 2 requeue, 3 ApiError, 4 write another object. */
  outcomes: number[];
  requeueAfter: number;
  resync: number;
  /** Also watch a second kind mapped to several keys. */
  fanOut: boolean;
}

/**
 * An informer whose handlers schedule an event at their instant (during a watch delivery, in any band, so
 * that an instant's events precede or follow a worker's take), which traces and may queue a key.
 */
interface InformerSpec {
  /** Registered before the controllers (its handlers run first in a delivery) or after. */
  first: boolean;
  priority: number;
  enqueue: boolean;
}

interface Workload {
  watchLatency: number;
  reconcileLatency: number;
  informer: InformerSpec | null;
  controllers: ControllerSpec[];
  actions: Action[];
}

const controllerSpec: fc.Arbitrary<ControllerSpec> = fc.record({
  delay: fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3),
  delayMs: fc.integer({ min: 1, max: 5 }),
  outcomes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
  requeueAfter: fc.integer({ min: 1, max: 7 }),
  resync: fc.constantFrom(0, 0, 13, 29),
  fanOut: fc.boolean(),
});

const BANDS = [Priority.Timeline, Priority.ApiServer, Priority.WatchDelivery, Priority.Controller, Priority.Scheduler, Priority.Kubelet, Priority.Periodic];

const workload: fc.Arbitrary<Workload> = fc.record({
  watchLatency: fc.integer({ min: 0, max: 2 }),
  reconcileLatency: fc.integer({ min: 0, max: 3 }),
  informer: fc.option(fc.record({ first: fc.boolean(), priority: fc.constantFrom(...BANDS, Priority.Controller), enqueue: fc.boolean() })),
  controllers: fc.array(controllerSpec, { minLength: 1, maxLength: 3 }),
  actions: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 40 }),
      priority: fc.constantFrom(Priority.Timeline, Priority.Timeline, ...BANDS),
      op: fc.constantFrom<Action['op']>('create', 'patch', 'patch', 'delete', 'enqueue'),
      name: fc.constantFrom(...NAMES),
      controller: fc.integer({ min: 0, max: 2 }),
      v: fc.integer({ min: 0, max: 9 }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
});

function tryWrite(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** Run the workload; the trace of reconciles and the store's final contents. */
function run(w: Workload): string[] {
  const sim = Simulation.create({ timing: { watchLatency: w.watchLatency, reconcileLatency: w.reconcileLatency } });
  const trace: string[] = [];
  const informer = (): void => {
    const spec = w.informer;
    if (spec === null) return;
    let n = 0;
    const onChange = (o: KObject): void => {
      const i = n++;
      sim.engine.after(
        0,
        () => {
          trace.push(`informer ${i} ${o.kind}/${o.metadata.name}@${sim.engine.now}`);
          if (spec.enqueue) sim.runtime.queueOf(`c${i % w.controllers.length}`)?.add(`default/${o.metadata.name ?? ''}`);
        },
        { priority: spec.priority, source: 'test-informer' },
      );
    };
    for (const kind of ['ConfigMap', 'Secret']) sim.runtime.informer(kind, { onAdd: onChange, onUpdate: (_old, o) => onChange(o), onDelete: onChange }, 'test');
  };
  if (w.informer?.first) informer();
  w.controllers.forEach((spec, ci) => {
    const calls = new Map<string, number>();
    const name = `c${ci}`;
    const delay =
      spec.delay === 0 ? undefined : spec.delay === 1 ? () => spec.delayMs : spec.delay === 2 ? (ev: WatchEvent) => (ev.type === 'MODIFIED' ? spec.delayMs : 0) : (ev: WatchEvent) => ((ev.object.metadata.name ?? '') < 'c' ? spec.delayMs : 0);
    const c: Controller = {
      name,
      watches: [
        { kind: 'ConfigMap', ...(delay ? { delay } : {}) },
        ...(spec.fanOut ? [{ kind: 'Secret', toKeys: (ev: WatchEvent) => [`default/${ev.object.metadata.name ?? ''}`, 'default/a', `default/${ev.object.metadata.name ?? ''}`] }] : []),
      ],
      ...(spec.resync ? { resyncPeriod: spec.resync } : {}),
      reconcile(key, ctx): ReconcileResult | void {
        const n = calls.get(key) ?? 0;
        calls.set(key, n + 1);
        trace.push(`${name} ${key}@${ctx.now}`);
        const outcome = n < 12 ? spec.outcomes[n % spec.outcomes.length]! : 0;
        if (outcome === 1) return { requeueAfter: spec.requeueAfter };
        if (outcome === 2) return { requeue: true };
        if (outcome === 3) throw ApiError.conflict('ConfigMap', key);
        if (outcome === 4) {
          const other = NAMES[(NAMES.indexOf(key.slice(8)) + 1 + ci) % NAMES.length]!;
          tryWrite(() => {
            if (ctx.store.get('Secret', 'default', other)) ctx.store.patch('Secret', 'default', other, (d: KObject) => void (d['data'] = { n: String(n) }));
            else ctx.store.create(obj('Secret', other, { data: { n: String(n) } }));
          });
        }
      },
    };
    sim.runtime.register(c);
  });
  if (w.informer && !w.informer.first) informer();
  w.actions.forEach((a, ai) => {
    sim.engine.at(
      a.at,
      () => {
        trace.push(`action ${ai}@${sim.engine.now}`);
        if (a.op === 'enqueue') {
          sim.runtime.queueOf(`c${a.controller % w.controllers.length}`)?.add(`default/${a.name}`);
          return;
        }
        tryWrite(() => {
          if (a.op === 'create') sim.store.create(obj('ConfigMap', a.name, { data: { v: String(a.v) } }));
          else if (a.op === 'patch') sim.store.patch('ConfigMap', 'default', a.name, (d: KObject) => void (d['data'] = { v: String(a.v) }));
          else sim.store.delete('ConfigMap', 'default', a.name);
        });
      },
      { priority: a.priority, source: 'test' },
    );
  });
  sim.runUntil(400);
  for (const kind of ['ConfigMap', 'Secret']) for (const o of sim.store.list(kind)) trace.push(`${kind} ${o.metadata.name} ${o.metadata.resourceVersion}`);
  return trace;
}

describe('controller runtime fast paths give the general path’s runs', () => {
  afterEach(() => {
    runtimeTuning.takeAtEventEnd = true;
  });

  it('taking the next key at the end of an event (no take event) reconciles the same keys at the same times', () => {
    fc.assert(
      fc.property(workload, (w) => {
        runtimeTuning.takeAtEventEnd = false;
        const general = run(w);
        runtimeTuning.takeAtEventEnd = true;
        const fast = run(w);
        expect(fast).toEqual(general);
      }),
      { numRuns: 400 },
    );
  });
});
