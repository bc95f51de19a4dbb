// One node-selector validator: required node-affinity values are label values and
// are checked on create; preferred terms are not (upstream's allowInvalidLabelValue).
import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/api/errors.ts';
import { validateAffinity } from '../../src/api/validation.ts';

const expr = (values: string[]) => ({ matchExpressions: [{ key: 'zone', operator: 'In', values }] });

describe('node affinity validation', () => {
  it('required terms: values must be valid label values', () => {
    const errs = validateAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr(['eu 1a'])] } } }, 'spec.affinity').map(formatFieldError);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^spec\.affinity\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.values\[0\]: Invalid value: "eu 1a": a valid label must be an empty string or consist of alphanumeric characters/);
  });

  it('preferred terms: values are not checked as label values, the weight is', () => {
    const errs = validateAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: expr(['eu 1a']) }] } }, 'spec.affinity').map(formatFieldError);
    expect(errs).toEqual(['spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100']);
  });

  it('operators and matchFields as upstream', () => {
    const errs = validateAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1', '2'] }], matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['x'] }] }],
          },
        },
      },
      'p',
    ).map(formatFieldError);
    expect(errs).toEqual([
      "p.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'p.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key',
    ]);
  });
});
