import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError, SimulationLimitError } from '../../src/sim/errors.ts';
import type { KObject, WatchEvent } from '../../src/sim/types.ts';
import { obj, pod } from './helpers.ts';

function expectApiError(fn: () => unknown, reason: string, message?: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ApiError);
  expect((caught as ApiError).reason).toBe(reason);
  if (message !== undefined) {
    if (typeof message === 'string') expect((caught as ApiError).message).toBe(message);
    else expect((caught as ApiError).message).toMatch(message);
  }
}

describe('store create', () => {
  it('fills system metadata from the virtual clock and the rng streams', () => {
    const sim = Simulation.create();
    sim.runUntil(61_500);
    const p = sim.store.create(pod('web-0'));
    expect(p.metadata.resourceVersion).toBe('1');
    expect(p.metadata.generation).toBe(1);
    expect(p.metadata.creationTimestamp).toBe('2025-01-01T00:01:01Z');
    expect(p.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.isFrozen(p) && Object.isFrozen(p.metadata) && Object.isFrozen((p['spec'] as { containers: unknown[] }).containers[0])).toBe(true);
    expect(sim.store.create(pod('web-1')).metadata.resourceVersion).toBe('2');
  });

  it('does not freeze or keep a reference to the caller\'s object', () => {
    const sim = Simulation.create();
    const input = pod('a');
    const stored = sim.store.create(input);
    expect(Object.isFrozen(input)).toBe(false);
    (input.metadata as { name: string }).name = 'b';
    expect(stored.metadata.name).toBe('a');
    expect(sim.store.create(input).metadata.name).toBe('b');
  });

  it('rejects a duplicate name with upstream AlreadyExists wording', () => {
    const sim = Simulation.create();
    sim.store.create(pod('web-0'));
    expectApiError(() => sim.store.create(pod('web-0')), 'AlreadyExists', 'pods "web-0" already exists');
    // a different namespace is a different object
    expect(sim.store.create(pod('web-0', { namespace: 'other' })).metadata.namespace).toBe('other');
  });

  it('generateName: prefix + 5 chars of the k8s alphabet, prefix truncated to 58', () => {
    const sim = Simulation.create();
    const p = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-' }, spec: {} } as KObject);
    expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const long = 'x'.repeat(70);
    const q = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: long }, spec: {} } as KObject);
    expect(q.metadata.name).toHaveLength(63);
    expect(q.metadata.name!.startsWith('x'.repeat(58))).toBe(true);
  });

  it('generated names are a pure function of the seed', () => {
    const names = (seed: number): string[] => {
      const sim = Simulation.create({ seed });
      return Array.from({ length: 5 }, () => sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'p-' } } as KObject).metadata.name!);
    };
    expect(names(3)).toEqual(names(3));
    expect(names(3)).not.toEqual(names(4));
  });

  it('requires a name or generateName', () => {
    const sim = Simulation.create();
    expectApiError(() => sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: {} }), 'Invalid', 'Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('defaults the namespace of namespaced kinds and drops it for cluster-scoped ones', () => {
    const sim = Simulation.create();
    const p = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } } as KObject);
    expect(p.metadata.namespace).toBe('default');
    const n = sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'x' } } as KObject);
    expect(n.metadata.namespace).toBeUndefined();
    expect(sim.store.get('Node', '', 'n1')).toBe(n);
    expect(sim.store.get('Node', 'whatever', 'n1')).toBe(n);
  });

  it('enforces maxObjects with a SimulationLimitError', () => {
    const sim = Simulation.create({ limits: { maxObjects: 2 } });
    sim.store.create(pod('a'));
    sim.store.create(pod('b'));
    expect(() => sim.store.create(pod('c'))).toThrow(SimulationLimitError);
    expect(() => sim.store.create(pod('c'))).toThrow(/object limit reached: 2 objects stored/);
  });

  it('dryRun admits but stores nothing', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('a'), { dryRun: true });
    expect(p.metadata.name).toBe('a');
    expect(sim.store.get('Pod', 'default', 'a')).toBeUndefined();
  });
});

describe('store lists', () => {
  it('lists sorted by namespace then name, per namespace or all', () => {
    const sim = Simulation.create();
    for (const [ns, n] of [['b', 'z'], ['a', 'y'], ['b', 'a'], ['a', 'b']] as const) sim.store.create(pod(n, { namespace: ns }));
    expect(sim.list('Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['a/b', 'a/y', 'b/a', 'b/z']);
    expect(sim.list('Pod', 'b').map((p) => p.metadata.name)).toEqual(['a', 'z']);
    expect(sim.list('Pod', 'none')).toEqual([]);
    expect(sim.store.kinds()).toEqual(['Pod']);
  });

  it('list reflects updates and deletes and returns arrays callers may mutate', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('create', 'update', 'delete'), fc.integer({ min: 0, max: 9 })), { maxLength: 60 }), (ops) => {
        const sim = Simulation.create();
        const model = new Map<string, string>();
        for (const [op, i] of ops) {
          const name = `p${i}`;
          if (op === 'create' && !model.has(name)) {
            sim.store.create(pod(name));
            model.set(name, 'v0');
          } else if (op === 'update' && model.has(name)) {
            const v = `v${Number(model.get(name)!.slice(1)) + 1}`;
            sim.store.patch('Pod', 'default', name, (d: KObject) => {
              d.metadata.labels = { v };
            });
            model.set(name, v);
          } else if (op === 'delete' && model.has(name)) {
            sim.store.delete('Pod', 'default', name);
            model.delete(name);
          }
          const listed = sim.list('Pod');
          listed.reverse();
        }
        const expected = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        expect(sim.list('Pod').map((p) => [p.metadata.name, p.metadata.labels?.['v'] ?? 'v0'])).toEqual(expected);
      }),
    );
  });
});

describe('store update', () => {
  it('rejects a stale resourceVersion with Conflict and accepts an empty one', () => {
    const sim = Simulation.create();
    const p1 = sim.store.create(pod('x'));
    const p2 = sim.store.update({ ...p1, metadata: { ...p1.metadata, labels: { a: '1' } } });
    expect(p2.metadata.resourceVersion).toBe('2');
    expectApiError(
      () => sim.store.update({ ...p1, metadata: { ...p1.metadata, labels: { a: '2' } } }),
      'Conflict',
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    const { resourceVersion: _rv, ...meta } = p1.metadata;
    expect(sim.store.update({ ...p1, metadata: { ...meta, labels: { a: '3' } } }).metadata.labels).toEqual({ a: '3' });
  });

  it('NotFound for a missing object', () => {
    const sim = Simulation.create();
    expectApiError(() => sim.store.update(pod('ghost')), 'NotFound', 'pods "ghost" not found');
    expectApiError(() => sim.store.patch('Pod', 'default', 'ghost', () => {}), 'NotFound', 'pods "ghost" not found');
    expectApiError(() => sim.store.delete('Pod', 'default', 'ghost'), 'NotFound', 'pods "ghost" not found');
  });

  it('bumps generation only for changes outside metadata and status', () => {
    const sim = Simulation.create();
    const d0 = sim.store.create(obj('Deployment', 'web', { spec: { replicas: 1 } }, 'apps/v1'));
    const d1 = sim.store.patch('Deployment', 'default', 'web', (d: KObject) => {
      d.metadata.labels = { x: 'y' };
    });
    expect(d1.metadata.generation).toBe(1);
    const d2 = sim.store.patch('Deployment', 'default', 'web', (d: KObject) => {
      (d['spec'] as { replicas: number }).replicas = 3;
    });
    expect(d2.metadata.generation).toBe(2);
    const d3 = sim.store.patch('Deployment', 'default', 'web', (d: KObject) => {
      d['status'] = { replicas: 3 };
    });
    expect(d3.metadata.generation).toBe(2);
    // a replace with an equal-but-new spec object is not a spec change
    const d4 = sim.store.update({ ...d3, spec: { replicas: 3 }, metadata: { ...d3.metadata, annotations: { a: 'b' } } });
    expect(d4.metadata.generation).toBe(2);
    expect(d0.metadata.generation).toBe(1);
  });

  it('status subresource writes take only status and never bump generation', () => {
    const sim = Simulation.create();
    const d0 = sim.store.create(obj('Deployment', 'web', { spec: { replicas: 1 } }, 'apps/v1'));
    const d1 = sim.store.update(
      { ...d0, spec: { replicas: 9 }, metadata: { ...d0.metadata, labels: { sneaky: 'yes' } }, status: { readyReplicas: 1 } },
      { subresource: 'status' },
    );
    expect(d1['spec']).toEqual({ replicas: 1 });
    expect(d1.metadata.labels).toBeUndefined();
    expect(d1['status']).toEqual({ readyReplicas: 1 });
    expect(d1.metadata.generation).toBe(1);
    expect(d1.metadata.resourceVersion).toBe('2');
  });

  it('keeps uid and creationTimestamp; a different uid is Invalid', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('x'));
    sim.runUntil(5000);
    const u = sim.store.update({ ...p, metadata: { ...p.metadata, creationTimestamp: '2030-01-01T00:00:00Z', labels: { a: 'b' } } });
    expect(u.metadata.creationTimestamp).toBe(p.metadata.creationTimestamp);
    expect(u.metadata.uid).toBe(p.metadata.uid);
    expectApiError(() => sim.store.update({ ...u, metadata: { ...u.metadata, uid: 'other' } }), 'Invalid', 'Pod "x" is invalid: metadata.uid: Invalid value: "other": field is immutable');
  });

  it('a write that changes nothing is a no-op: same object, no new resourceVersion, no watch event', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('x'));
    const events: WatchEvent[] = [];
    sim.store.watch('Pod', (e) => events.push(e));
    expect(sim.store.patch('Pod', 'default', 'x', () => {})).toBe(p);
    expect(sim.store.patch('Pod', 'default', 'x', (d: KObject) => {
      d.metadata.name = 'x';
    })).toBe(p);
    expect(sim.store.update({ ...p, spec: { containers: [{ name: 'c', image: 'busybox' }] } })).toBe(p);
    expect(events).toEqual([]);
  });

  it('patch with a stale resourceVersion is a Conflict', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('x'));
    sim.store.patch('Pod', 'default', 'x', (d: KObject) => {
      d.metadata.labels = { a: '1' };
    });
    expectApiError(() => sim.store.patch('Pod', 'default', 'x', (d: KObject) => {
      d.metadata.labels = { a: '2' };
    }, { resourceVersion: p.metadata.resourceVersion! }), 'Conflict');
  });
});

describe('store delete', () => {
  it('unbound pods and plain objects are removed at once', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a'));
    expect(sim.store.delete('Pod', 'default', 'a')).toBeUndefined();
    expect(sim.get('Pod', 'default', 'a')).toBeUndefined();
    sim.store.create(obj('ConfigMap', 'cm'));
    expect(sim.store.delete('ConfigMap', 'default', 'cm')).toBeUndefined();
  });

  it('bound pods are deleted gracefully until deleted again with grace 0', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a', { nodeName: 'n1', grace: 10 }));
    sim.runUntil(2000);
    const d = sim.store.delete('Pod', 'default', 'a')!;
    expect(d.metadata.deletionTimestamp).toBe('2025-01-01T00:00:12Z');
    expect(d.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(d.metadata.generation).toBe(2);
    // deleting again without a shorter grace is a no-op
    expect(sim.store.delete('Pod', 'default', 'a')).toBe(d);
    // a shorter grace moves the deadline
    const shorter = sim.store.delete('Pod', 'default', 'a', { gracePeriodSeconds: 4 })!;
    expect(shorter.metadata.deletionTimestamp).toBe('2025-01-01T00:00:06Z');
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(4);
    // the kubelet's final delete
    expect(sim.store.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 })).toBeUndefined();
    expect(sim.get('Pod', 'default', 'a')).toBeUndefined();
  });

  it('grace defaults to 30 s; option overrides; terminated pods go at once', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a', { nodeName: 'n1' }));
    expect(sim.store.delete('Pod', 'default', 'a')!.metadata.deletionGracePeriodSeconds).toBe(30);
    sim.store.create(pod('b', { nodeName: 'n1', grace: 30 }));
    expect(sim.store.delete('Pod', 'default', 'b', { gracePeriodSeconds: 5 })!.metadata.deletionGracePeriodSeconds).toBe(5);
    sim.store.create(pod('c', { nodeName: 'n1' }));
    sim.store.patch('Pod', 'default', 'c', (d: KObject) => {
      d['status'] = { phase: 'Succeeded' };
    });
    expect(sim.store.delete('Pod', 'default', 'c')).toBeUndefined();
    sim.store.create(pod('d', { nodeName: 'n1' }));
    expect(sim.store.delete('Pod', 'default', 'd', { gracePeriodSeconds: -5 })!.metadata.deletionGracePeriodSeconds).toBe(1);
  });

  it('objects with finalizers get deletionTimestamp and go when the last finalizer is removed', () => {
    const sim = Simulation.create();
    sim.store.create(obj('ConfigMap', 'cm', {}, 'v1'));
    sim.store.patch('ConfigMap', 'default', 'cm', (d: KObject) => {
      d.metadata.finalizers = ['example.com/a', 'example.com/b'];
    });
    sim.runUntil(3000);
    const d = sim.store.delete('ConfigMap', 'default', 'cm')!;
    expect(d.metadata.deletionTimestamp).toBe('2025-01-01T00:00:03Z');
    expect(d.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(d.metadata.generation).toBe(2);
    // an update cannot clear deletionTimestamp
    const u = sim.store.update({ ...d, metadata: { ...d.metadata, deletionTimestamp: undefined, finalizers: ['example.com/b'] } });
    expect(u.metadata.deletionTimestamp).toBe('2025-01-01T00:00:03Z');
    sim.store.patch('ConfigMap', 'default', 'cm', (x: KObject) => {
      x.metadata.finalizers = [];
    });
    expect(sim.get('ConfigMap', 'default', 'cm')).toBeUndefined();
  });

  it('a bound pod with a finalizer stays after the grace-0 delete until the finalizer goes', () => {
    const sim = Simulation.create();
    sim.store.create(pod('a', { nodeName: 'n1', finalizers: ['batch.kubernetes.io/job-tracking'] }));
    sim.store.delete('Pod', 'default', 'a');
    // removing the finalizer while grace is still running does not delete it
    sim.store.patch('Pod', 'default', 'a', (d: KObject) => {
      d.metadata.finalizers = [];
    });
    expect(sim.get('Pod', 'default', 'a')).toBeDefined();
    sim.store.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
    expect(sim.get('Pod', 'default', 'a')).toBeUndefined();

    sim.store.create(pod('b', { nodeName: 'n1', finalizers: ['f'] }));
    sim.store.delete('Pod', 'default', 'b');
    const b = sim.store.delete('Pod', 'default', 'b', { gracePeriodSeconds: 0 })!;
    expect(b.metadata.deletionGracePeriodSeconds).toBe(0);
    sim.store.patch('Pod', 'default', 'b', (d: KObject) => {
      delete d.metadata.finalizers;
    });
    expect(sim.get('Pod', 'default', 'b')).toBeUndefined();
  });

  it('preconditions are checked with rest.BeforeDelete wording', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('a'));
    expectApiError(
      () => sim.store.delete('Pod', 'default', 'a', { preconditions: { uid: 'nope' } }),
      'Conflict',
      `Operation cannot be fulfilled on Pod "a": the UID in the precondition (nope) does not match the UID in record (${p.metadata.uid}). The object might have been deleted and then recreated`,
    );
    expectApiError(() => sim.store.delete('Pod', 'default', 'a', { preconditions: { resourceVersion: '99' } }), 'Conflict', /the ResourceVersion in the precondition \(99\) does not match the ResourceVersion in record \(1\)/);
    expect(sim.store.delete('Pod', 'default', 'a', { preconditions: { uid: p.metadata.uid! } })).toBeUndefined();
  });

  it('propagation policy adds orphan / foregroundDeletion finalizers; batch/v1 Jobs orphan by default', () => {
    const sim = Simulation.create();
    sim.store.create(obj('ReplicaSet', 'rs', {}, 'apps/v1'));
    expect(sim.store.delete('ReplicaSet', 'default', 'rs', { propagationPolicy: 'Foreground' })!.metadata.finalizers).toEqual(['foregroundDeletion']);
    sim.store.create(obj('ReplicaSet', 'rs2', {}, 'apps/v1'));
    expect(sim.store.delete('ReplicaSet', 'default', 'rs2', { propagationPolicy: 'Orphan' })!.metadata.finalizers).toEqual(['orphan']);
    sim.store.create(obj('Job', 'j', {}, 'batch/v1'));
    expect(sim.store.delete('Job', 'default', 'j')!.metadata.finalizers).toEqual(['orphan']);
    sim.store.create(obj('Job', 'j2', {}, 'batch/v1'));
    expect(sim.store.delete('Job', 'default', 'j2', { propagationPolicy: 'Background' })).toBeUndefined();
  });
});

describe('store watch', () => {
  it('fans out synchronously in commit order to kind and * subscribers; nested writes keep the order', () => {
    const sim = Simulation.create();
    const seen: string[] = [];
    const fmt = (who: string) => (e: WatchEvent) => seen.push(`${who}:${e.type}:${e.object.kind}/${e.object.metadata.name}@${e.object.metadata.resourceVersion}`);
    sim.store.watch('*', fmt('all'));
    // a watcher that writes when it sees the pod: the ConfigMap event must come after every watcher saw the pod
    sim.store.watch('Pod', (e) => {
      if (e.type === 'ADDED') sim.store.create(obj('ConfigMap', `for-${e.object.metadata.name}`));
    });
    sim.store.watch('Pod', fmt('pods'));
    sim.store.create(pod('a'));
    sim.store.patch('Pod', 'default', 'a', (d: KObject) => {
      d.metadata.labels = { x: '1' };
    });
    sim.store.delete('Pod', 'default', 'a');
    expect(seen).toEqual([
      'all:ADDED:Pod/a@1',
      'pods:ADDED:Pod/a@1',
      'all:ADDED:ConfigMap/for-a@2',
      'all:MODIFIED:Pod/a@3',
      'pods:MODIFIED:Pod/a@3',
      'all:DELETED:Pod/a@4',
      'pods:DELETED:Pod/a@4',
    ]);
  });

  it('MODIFIED carries the old object; unsubscribe stops delivery', () => {
    const sim = Simulation.create();
    const events: WatchEvent[] = [];
    const stop = sim.store.watch('Pod', (e) => events.push(e));
    const a = sim.store.create(pod('a'));
    sim.store.patch('Pod', 'default', 'a', (d: KObject) => {
      d.metadata.labels = { x: '1' };
    });
    expect(events[1]!.oldObject).toBe(a);
    stop();
    sim.store.delete('Pod', 'default', 'a');
    expect(events).toHaveLength(2);
  });
});

describe('admission chain', () => {
  it('runs mutating plugins in order, then validating ones; validation errors reject the write', () => {
    const order: string[] = [];
    const sim = Simulation.create({
      admission: [
        {
          name: 'label',
          kinds: ['Pod'],
          mutate: (req) => {
            order.push(`mutate1:${req.operation}`);
            req.object.metadata.labels = { ...req.object.metadata.labels, admitted: 'yes' };
          },
        },
        {
          name: 'check',
          validate: (req) => {
            order.push(`validate:${req.operation}`);
            if (req.object.metadata.labels?.['bad']) throw ApiError.forbidden(req.kind, req.object.metadata.name ?? '', 'bad label');
          },
        },
        { name: 'm2', mutate: () => void order.push('mutate2') },
      ],
    });
    const p = sim.store.create(pod('a'));
    expect(p.metadata.labels).toEqual({ admitted: 'yes' });
    expect(order).toEqual(['mutate1:CREATE', 'mutate2', 'validate:CREATE']);
    expectApiError(() => sim.store.create({ ...pod('b'), metadata: { name: 'b', labels: { bad: '1' } } }), 'Forbidden', 'pods "b" is forbidden: bad label');
    expect(sim.get('Pod', 'default', 'b')).toBeUndefined();
    // non-Pod kinds skip the Pod-only plugin
    expect(sim.store.create(obj('ConfigMap', 'c')).metadata.labels).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('creates with the kubernetes finalizer; content in a terminating namespace is Forbidden', () => {
    const sim = Simulation.create();
    const ns = sim.store.create(obj('Namespace', 'team'));
    expect(ns['spec']).toEqual({ finalizers: ['kubernetes'] });
    expect(ns['status']).toEqual({ phase: 'Active' });
    sim.store.create(pod('a', { namespace: 'team', nodeName: 'n1' }));
    const t = sim.store.delete('Namespace', '', 'team')!;
    expect((t['status'] as { phase: string }).phase).toBe('Terminating');
    expectApiError(
      () => sim.store.create(pod('b', { namespace: 'team' })),
      'Forbidden',
      'pods "b" is forbidden: unable to create new content in namespace team because it is being terminated',
    );
  });
});
