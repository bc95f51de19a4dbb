/**
 * A pod update that keeps the stored spec object validates only the metadata
 * (src/admission/apiServer.ts keepsPodSpec): the outcome must be what the full
 * validation of the whole object gives, for any metadata, and a spec change
 * must still be validated in full.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { defaultAdmissionChain } from '../../src/admission/apiServer.ts';
import { validateObject } from '../../src/api/validation.ts';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { obj, pod } from './helpers.ts';

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };

/** A simulation with the API server's admission chain, a node, and a pod bound to it by the binding subresource. */
function boundPod(): { sim: Simulation; bound: Stored } {
  const sim = Simulation.create({ seed: 3 });
  for (const p of defaultAdmissionChain(sim.store)) sim.store.addAdmission(p);
  sim.store.create(obj('Namespace', 'default'));
  sim.store.create(obj('Node', 'node-1', { status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } }));
  const p = sim.store.create(pod('job-pod', { finalizers: ['batch.kubernetes.io/job-tracking'] }));
  const bound = sim.store.update({ ...p, spec: { ...(p['spec'] as object), nodeName: 'node-1' } }, { subresource: 'binding' });
  return { sim, bound };
}

function outcome(fn: () => Stored): { ok: true; obj: Stored } | { ok: false; message: string } {
  try {
    return { ok: true, obj: fn() };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, message: e.message };
    throw e;
  }
}

const keyChars = fc.constantFrom('a', 'b', 'z', '0', '-', '.', '_', '/', 'X', ' ', '!');
const word = fc.array(keyChars, { minLength: 0, maxLength: 8 }).map((cs) => cs.join(''));
const metaArb: fc.Arbitrary<Meta> = fc.record(
  {
    labels: fc.dictionary(word, word, { maxKeys: 3 }),
    annotations: fc.dictionary(word, word, { maxKeys: 2 }),
    finalizers: fc.array(fc.oneof(word, fc.constant('batch.kubernetes.io/job-tracking')), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('metadata-only pod patches validate the metadata only', () => {
  it('removes a bound pod\'s finalizer keeping the stored spec object', () => {
    const { sim, bound } = boundPod();
    const after = sim.store.patch<KObject>('Pod', 'default', 'job-pod', (d) => {
      d.metadata.finalizers = [];
    });
    expect(after['spec']).toBe(bound['spec']);
    expect(after.metadata.finalizers).toEqual([]);
  });

  it('still refuses invalid metadata on such a patch', () => {
    const { sim } = boundPod();
    expect(() =>
      sim.store.patch<KObject>('Pod', 'default', 'job-pod', (d) => {
        d.metadata.finalizers = ['not a finalizer!'];
      }),
    ).toThrow(/metadata\.finalizers/);
    expect(() =>
      sim.store.patch<KObject>('Pod', 'default', 'job-pod', (d) => {
        d.metadata.labels = { 'bad key!': 'x' };
      }),
    ).toThrow(/metadata\.labels/);
  });

  it('still validates a changed spec in full', () => {
    const { sim } = boundPod();
    expect(() =>
      sim.store.patch<KObject>('Pod', 'default', 'job-pod', (d) => {
        (d['spec'] as { containers: { name: string }[] }).containers[0]!.name = 'Bad_Name';
      }),
    ).toThrow(/spec\.containers\[0\]\.name/);
  });

  it('gives the outcome of validating the whole object, for any metadata (property)', () => {
    fc.assert(
      fc.property(metaArb, (meta) => {
        const { sim, bound } = boundPod();
        const edit = (m: Record<string, unknown>): void => {
          if (meta.labels !== undefined) m['labels'] = meta.labels;
          if (meta.annotations !== undefined) m['annotations'] = meta.annotations;
          if (meta.finalizers !== undefined) m['finalizers'] = meta.finalizers;
        };
        const got = outcome(() => sim.store.patch<KObject>('Pod', 'default', 'job-pod', (d) => edit(d.metadata as Record<string, unknown>)));
        // The straightforward path: the whole object, spec included, through validateObject.
        const candidate = { ...bound, metadata: { ...bound.metadata } } as KObject;
        edit(candidate.metadata as Record<string, unknown>);
        const errs = validateObject(candidate);
        if (errs.length === 0) {
          expect(got.ok).toBe(true);
          if (got.ok) expect(got.obj['spec']).toBe(bound['spec']);
        } else {
          expect(got).toEqual({ ok: false, message: ApiError.invalid('Pod', 'job-pod', errs, 'v1').message });
        }
      }),
      { numRuns: 200 },
    );
  });
});
