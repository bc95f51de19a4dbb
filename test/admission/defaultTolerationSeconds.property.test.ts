/**
 * DefaultTolerationSeconds builds only the list it keeps (no literal key list,
 * iterator or spread per pod): on generated toleration lists it adds exactly
 * what the straightforward form of upstream's rule adds, in the same order,
 * and leaves a pod that tolerates both taints untouched.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { defaultTolerationSecondsAdmission, TaintNodeNotReady, TaintNodeUnreachable } from '../../src/admission/defaultTolerationSeconds.ts';
import type { AdmissionRequest, KObject } from '../../src/sim/types.ts';

/** The rule written plainly: for each taint not tolerated (key and effect, empty matching anything), a 300 s toleration. */
function reference(existing: Toleration[] | undefined): Toleration[] | undefined {
  const list = existing ?? [];
  const tolerated = (key: string): boolean => list.some((t) => (t.key === key || (t.key ?? '') === '') && (t.effect === 'NoExecute' || (t.effect ?? '') === ''));
  const added: Toleration[] = [];
  for (const key of [TaintNodeNotReady, TaintNodeUnreachable]) {
    if (!tolerated(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  return added.length > 0 ? [...list, ...added] : existing;
}

const tolerationArb: fc.Arbitrary<Toleration> = fc.record(
  {
    key: fc.constantFrom(TaintNodeNotReady, TaintNodeUnreachable, '', 'example.com/other'),
    operator: fc.constantFrom('Exists', 'Equal'),
    effect: fc.constantFrom('NoExecute', 'NoSchedule', ''),
    tolerationSeconds: fc.nat(600),
  },
  { requiredKeys: ['operator'] },
);

describe('DefaultTolerationSeconds', () => {
  it('adds what the plain rule adds, in order, for any existing tolerations (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.array(tolerationArb, { maxLength: 5 }), { nil: undefined }), fc.boolean(), (existing, frozen) => {
        const given = existing && frozen ? Object.freeze(existing.map((t) => Object.freeze({ ...t }))) : existing;
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...(given ? { tolerations: given } : {}) } } as unknown as KObject & { spec: { tolerations?: Toleration[] } };
        const expected = reference(existing ? existing.map((t) => ({ ...t })) : undefined);
        defaultTolerationSecondsAdmission.mutate!({ operation: 'CREATE', kind: 'Pod', object: pod } as unknown as AdmissionRequest);
        expect(pod.spec.tolerations).toEqual(expected);
        // The given list itself is never changed (a frozen one would throw).
        if (existing) expect(given).toEqual(existing);
      }),
      { numRuns: 300 },
    );
  });
});
