/**
 * Round 16 (create path): validateJobSpec remembers its errors by the frozen spec
 * object (a Job's metadata patches keep the stored spec), validateObjectMeta and
 * validatePodTemplateSpec ask whether labels and annotations are valid before
 * making a path, and annotationsAreValid bounds the size by 3 bytes a UTF-16
 * unit before measuring it. Each must answer what the general path answers:
 * a frozen Job (remembered, asked twice) against an unfrozen copy of it (the
 * uncached evaluation), annotationsAreValid against the full sorted pass
 * over sizes on both sides of the 256 KiB limit in 1-, 2-, 3- and 4-byte characters,
 * and validateObjectMeta's name errors (a valid DNS subdomain answered by the
 * scan) against the name validator's messages.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { annotationsAreValid, validateAnnotationsInFull, validateObject, validateObjectMeta } from '../../src/api/validation.ts';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../../src/api/names.ts';
import type { KObject } from '../../src/sim/types.ts';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

const count = fc.option(fc.integer({ min: -3, max: 5 }), { nil: undefined });
const labelMap = fc.dictionary(fc.constantFrom('app', 'tier', 'Bad Key', 'example.com/x', '-no'), fc.constantFrom('batch', 'web', '', 'bad value', '-x'), { maxKeys: 3 });
const podSpec = fc.record(
  {
    restartPolicy: fc.constantFrom('Never', 'OnFailure', 'Always', 'Sometimes'),
    terminationGracePeriodSeconds: fc.integer({ min: -1, max: 30 }),
    containers: fc.array(
      fc.record({ name: fc.constantFrom('task', 'Task', 'a'), image: fc.constant('registry.k8s.io/pause:3.10'), resources: fc.constant({ requests: { cpu: '100m', memory: '128Mi' } }) }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['containers'] },
);
const jobSpec = fc.record(
  {
    parallelism: count,
    completions: count,
    backoffLimit: count,
    activeDeadlineSeconds: fc.option(fc.integer({ min: -2, max: 100 }), { nil: undefined }),
    completionMode: fc.option(fc.constantFrom('NonIndexed', 'Indexed', 'Odd'), { nil: undefined }),
    manualSelector: fc.option(fc.boolean(), { nil: undefined }),
    selector: fc.option(fc.record({ matchLabels: labelMap }), { nil: undefined }),
    template: fc.record({ metadata: fc.record({ labels: labelMap, annotations: fc.dictionary(fc.constantFrom('a', 'k8s.io/b', 'Bad Key'), fc.constant('v'), { maxKeys: 2 }) }), spec: podSpec }),
  },
  { requiredKeys: ['template'] },
);
const job = jobSpec.map((spec) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec }) as unknown as KObject);

describe('validateJobSpec remembered by the frozen spec', () => {
  it('a frozen Job, asked twice, gets what an unfrozen copy gets (fast-check)', () => {
    let withErrors = 0;
    fc.assert(
      fc.property(job, (j) => {
        const want = validateObject(structuredClone(j));
        const frozen = deepFreeze(structuredClone(j));
        const first = validateObject(frozen);
        expect(first).toEqual(want);
        // The caller owns what it is given: editing it must not change the remembered answer.
        for (const e of first) e.detail = 'edited';
        expect(validateObject(frozen)).toEqual(want);
        // The same spec object under other metadata (a metadata patch keeps the stored spec).
        const patched = Object.freeze({ ...frozen, metadata: Object.freeze({ name: 'j', namespace: 'default', finalizers: Object.freeze(['foregroundDeletion']) }) }) as KObject;
        expect(validateObject(patched)).toEqual(validateObject(structuredClone(patched)));
        if (want.length > 0) withErrors++;
      }),
      { numRuns: 400 },
    );
    // Not trivially empty: most generated specs carry some error (a negative count, a bad label or policy).
    expect(withErrors).toBeGreaterThan(0);
  });
});

describe('annotationsAreValid', () => {
  it('says what the full sorted pass says, sizes on both sides of the limit (fast-check)', () => {
    const limit = 256 * 1024;
    // A value whose UTF-8 size is within a few bytes of the limit, in characters of 1 to 4 bytes
    // (a lone surrogate is written as the 3-byte replacement character).
    const big = fc.tuple(fc.integer({ min: -12, max: 12 }), fc.constantFrom('x', 'é', '€', '😀', '\ud800')).map(([d, ch]) => {
      const per = Buffer.byteLength(ch);
      return ch.repeat(Math.max(0, Math.floor((limit - 20 + d) / per)));
    });
    const annotations = fc.tuple(fc.dictionary(fc.constantFrom('a', 'b/c', 'Bad Key', 'k8s.io/x'), fc.constantFrom('', 'v', 'value-12'), { maxKeys: 3 }), fc.option(big, { nil: undefined })).map(([a, b]) =>
      b === undefined ? a : { ...a, 'ksim.dev/big': b },
    );
    fc.assert(
      fc.property(annotations, (a) => {
        expect(annotationsAreValid(a)).toBe(validateAnnotationsInFull(a, 'metadata.annotations').length === 0);
      }),
      { numRuns: 400 },
    );
  });
});

describe('validateObjectMeta names', () => {
  it('reports a name as its validator does (fast-check)', () => {
    const piece = fc.constantFrom('a', 'z9', '-', '.', 'A', '_', 'é', 'task-1', 'x'.repeat(63), 'y'.repeat(200));
    const name = fc.oneof(fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('')), fc.string({ minLength: 1, maxLength: 20 }));
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(name, fc.constantFrom(nameIsDNSSubdomain, nameIsDNSLabel), (n, fn) => {
        const errs = validateObjectMeta({ name: n, namespace: 'default' }, true, fn).filter((e) => e.path === 'metadata.name');
        const want = fn(n, false).map((detail) => ({ path: 'metadata.name', type: 'Invalid', value: n, detail }));
        expect(errs).toEqual(want);
        if (want.length === 0) valid++;
        else invalid++;
      }),
      { numRuns: 500 },
    );
    expect(valid).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);
  });
});
