/**
 * Main-resource patches with `metadataOnly` give the change a copy of only the
 * top level and metadata (the rest is the stored, frozen object's) and run the
 * mutating admission on that first, falling back to a private copy of the
 * whole edited object when a mutator writes into a frozen part. For any stored
 * object and any change keeping that option's contract (set or delete
 * top-level and metadata fields, placing new values), the outcome must be the
 * plain way's: the same stored object (JSON, key order), the same error, the
 * same run log; the result deeply frozen and sharing with the stored object at
 * least what the plain way's shares.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { startApiServer } from '../../src/components.ts';
import type { KObject, RunLogRecord, Stored } from '../../src/sim/types.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The objects patched: a bound pod with status, a Job, a Deployment, a Node and a Namespace (each kind has its own defaulting). */
function seed(sim: Simulation): void {
  const store = sim.store;
  store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'a' } }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } } as KObject);
  const p = store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'a' }, finalizers: ['batch.kubernetes.io/job-tracking'], ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u2' }] },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '0.2' } } }], restartPolicy: 'Never' },
  } as KObject);
  const b = store.update({ ...p, spec: { ...(p['spec'] as object), nodeName: 'n1' } }, { subresource: 'binding' });
  store.update({ ...b, status: { ...((b as KObject)['status'] as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
  store.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default' },
    spec: { template: { metadata: { labels: { app: 'j' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } },
  } as KObject);
  store.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  } as KObject);
}

const TARGETS: ReadonlyArray<readonly [string, string, string]> = [
  ['Pod', 'default', 'p'],
  ['Job', 'default', 'j'],
  ['Deployment', 'default', 'd'],
  ['Node', '', 'n1'],
  // Namespace defaulting writes its name label into the stored (frozen) labels map: the fallback to a whole copy.
  ['Namespace', '', 'default'],
];

const value = fc.oneof(fc.constantFrom<Json>(null, true, 0, 1, 'x', '', '250m', 'Always', 'busybox', 'example.com/f'), fc.constant<Json>({}), fc.constant<Json>(['a']));

/** One change step of the kinds metadataOnly allows: metadata lists filtered or extended, maps replaced, fields deleted or moved, a top-level field replaced. */
const editArb = fc.record({
  op: fc.constantFrom('finalizerAdd', 'finalizerDrop', 'ownerDrop', 'ownerAdd', 'label', 'labelsDelete', 'annotation', 'metaDelete', 'metaMove', 'topSet', 'topDelete', 'specCopy'),
  key: fc.constantFrom('a', 'app', 'zone', 'x', 'cpu'),
  index: fc.nat(9),
  value,
});
type Edit = { op: string; key: string; index: number; value: Json };

function applyEdit(root: Record<string, Json>, e: Edit): void {
  const m = root['metadata'] as Record<string, Json>;
  const fresh = (): Json => structuredClone(e.value); // a new value each time: the store freezes what it keeps
  switch (e.op) {
    case 'finalizerAdd':
      m['finalizers'] = [...((m['finalizers'] as string[] | undefined) ?? []), typeof e.value === 'string' ? e.value : 'example.com/f'];
      break;
    case 'finalizerDrop': {
      const left = ((m['finalizers'] as string[] | undefined) ?? []).filter((f, i) => i !== e.index % 3);
      if (left.length === 0) delete m['finalizers'];
      else m['finalizers'] = left;
      break;
    }
    case 'ownerDrop': {
      const refs = (m['ownerReferences'] as Json[] | undefined) ?? [];
      const left = refs.filter((_, i) => i !== e.index % 3);
      if (left.length === 0) delete m['ownerReferences'];
      else m['ownerReferences'] = left;
      break;
    }
    case 'ownerAdd':
      m['ownerReferences'] = [...((m['ownerReferences'] as Json[] | undefined) ?? []), { apiVersion: 'v1', kind: 'ConfigMap', name: `c${e.index}`, uid: `u-${e.index}` }];
      break;
    case 'label':
      m['labels'] = { ...((m['labels'] as Record<string, Json> | undefined) ?? {}), [e.key]: typeof e.value === 'string' ? e.value : 'v' };
      break;
    case 'labelsDelete':
      delete m['labels'];
      break;
    case 'annotation':
      m['annotations'] = { ...((m['annotations'] as Record<string, Json> | undefined) ?? {}), [e.key]: typeof e.value === 'string' ? e.value : 'v' };
      break;
    case 'metaDelete': {
      const keys = Object.keys(m).filter((k) => k !== 'name' && k !== 'namespace');
      const k = keys[e.index % Math.max(1, keys.length)];
      if (k !== undefined) delete m[k];
      break;
    }
    case 'metaMove': {
      // Delete a field and add it back: only the key order changes.
      const keys = Object.keys(m);
      const k = keys[e.index % keys.length]!;
      const v = m[k]!;
      delete m[k];
      m[k] = v;
      break;
    }
    case 'topSet':
      root[e.key] = fresh();
      break;
    case 'topDelete':
      delete root[e.key === 'x' ? 'status' : e.key];
      break;
    case 'specCopy': {
      // A new spec: a private copy with one field changed (a defaulted field dropped or a quantity in another form).
      const spec = root['spec'];
      if (typeof spec !== 'object' || spec === null) break;
      const copy = structuredClone(spec) as Record<string, Json>;
      const keys = Object.keys(copy);
      if (keys.length > 0) delete copy[keys[e.index % keys.length]!];
      root['spec'] = copy;
      break;
    }
  }
}

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.values(v).every(deeplyFrozen);
}

/** Every path where `plain` shares the base's object, `probe` shares it too. */
function sharesAtLeast(plain: unknown, probe: unknown, base: unknown): boolean {
  if (typeof plain !== 'object' || plain === null || typeof base !== 'object' || base === null) return true;
  if (plain === base) return probe === base;
  if (typeof probe !== 'object' || probe === null) return true;
  for (const k of Object.keys(plain)) {
    if (!sharesAtLeast((plain as Record<string, unknown>)[k], (probe as Record<string, unknown>)[k], (base as Record<string, unknown>)[k])) return false;
  }
  return true;
}

type Outcome = { ok: true; obj: Stored } | { ok: false; message: string };

function run(metadataOnly: boolean, steps: Array<{ target: number; edits: Edit[] }>): { outcomes: Outcome[]; olds: Stored[]; log: string } {
  const log: RunLogRecord[] = [];
  const sim = Simulation.create({ seed: 5, log: { write: (r) => void log.push(r) } });
  startApiServer(sim);
  seed(sim);
  const outcomes: Outcome[] = [];
  const olds: Stored[] = [];
  for (const s of steps) {
    const [kind, ns, name] = TARGETS[s.target % TARGETS.length]!;
    olds.push(sim.store.get(kind, ns, name)!);
    try {
      outcomes.push({ ok: true, obj: sim.store.patch<KObject>(kind, ns, name, (d) => { for (const e of s.edits) applyEdit(d as unknown as Record<string, Json>, e); }, { actor: 't', metadataOnly }) });
    } catch (e) {
      // A recipe that removes metadata breaks the store either way: the same error is expected.
      outcomes.push({ ok: false, message: `${e instanceof ApiError ? 'ApiError' : (e as Error).name}: ${(e as Error).message}` });
    }
  }
  return { outcomes, olds, log: JSON.stringify(log) };
}

describe('metadataOnly main-resource patches', () => {
  it('gives the plain way\'s outcome, frozen, sharing at least what the plain way shares', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ target: fc.nat(4), edits: fc.array(editArb, { maxLength: 3 }) }), { minLength: 1, maxLength: 4 }), (steps) => {
        const plain = run(false, steps);
        const probe = run(true, steps);
        expect(probe.log).toBe(plain.log);
        for (let i = 0; i < steps.length; i++) {
          const a = plain.outcomes[i]!;
          const b = probe.outcomes[i]!;
          expect(b.ok).toBe(a.ok);
          if (!a.ok || !b.ok) {
            expect(b).toEqual(a);
            continue;
          }
          expect(JSON.stringify(b.obj)).toBe(JSON.stringify(a.obj));
          expect(deeplyFrozen(b.obj)).toBe(true);
          expect(sharesAtLeast(a.obj, b.obj, probe.olds[i])).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('a finalizer patch of a bound pod copies only its metadata', () => {
    const sim = Simulation.create({ seed: 5 });
    startApiServer(sim);
    seed(sim);
    const before = sim.store.get<KObject>('Pod', 'default', 'p')!;
    const after = sim.store.patch<KObject>('Pod', 'default', 'p', (d) => {
      d.metadata.finalizers = [];
    }, { metadataOnly: true });
    expect(after['spec']).toBe(before['spec']);
    expect(after['status']).toBe(before['status']);
    expect(after.metadata.ownerReferences).toBe(before.metadata.ownerReferences);
    expect(after.metadata.finalizers).toEqual([]);
  });

  it('a change editing a nested stored part in place is refused and stores nothing', () => {
    const sim = Simulation.create({ seed: 5 });
    startApiServer(sim);
    seed(sim);
    const before = sim.store.get<KObject>('Pod', 'default', 'p')!;
    expect(() =>
      sim.store.patch<KObject>('Pod', 'default', 'p', (d) => {
        (d.metadata.finalizers as string[]).push('example.com/x');
      }, { metadataOnly: true }),
    ).toThrow(TypeError);
    expect(sim.store.get<KObject>('Pod', 'default', 'p')).toBe(before);
  });
});
