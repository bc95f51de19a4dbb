import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, NodeSelector, NodeSelectorRequirement, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import {
  NodeSelectorError,
  compileNodeSelector,
  compilePreferredSchedulingTerms,
  validateNodeSelector,
  validatePreferredSchedulingTerms,
} from '../../src/api/nodeSelector.ts';
import { formatFieldError } from '../../src/api/errors.ts';

const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function node(name: string, labels?: Record<string, string>): Node {
  return { metadata: { name, ...(labels ? { labels } : {}) } };
}

function expr(key: string, operator: string, values?: string[]): NodeSelectorRequirement {
  return values === undefined ? { key, operator } : { key, operator, values };
}

function matches(ns: NodeSelector, n: Node): boolean {
  return compileNodeSelector(ns).matches(n);
}

describe('compileNodeSelector (nodeaffinity TestNodeSelectorMatch, TestPodMatchesNodeSelectorAndAffinityTerms)', () => {
  const labelAndField: NodeSelector = {
    nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] }],
  };

  it('requirements in a term are ANDed', () => {
    expect(matches(labelAndField, node('host_1'))).toBe(false); // field matches, labels do not
    expect(matches(labelAndField, node('host_1', { label_1: 'label_1_val' }))).toBe(true);
    expect(matches(labelAndField, node('host_2', { label_1: 'label_1_val' }))).toBe(false);
  });

  it('terms are ORed', () => {
    const ns: NodeSelector = {
      nodeSelectorTerms: [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }, { matchFields: [expr('metadata.name', 'In', ['host_1'])] }],
    };
    expect(matches(ns, node('host_1'))).toBe(true);
    expect(matches(ns, node('host_2', { label_1: 'label_1_val' }))).toBe(true);
    expect(matches(ns, node('host_2'))).toBe(false);
  });

  it('nil, empty term lists and empty terms match nothing', () => {
    expect(matches({ nodeSelectorTerms: [] }, node('n', { foo: 'bar' }))).toBe(false);
    expect(matches({ nodeSelectorTerms: [{}] }, node('n', { foo: 'bar' }))).toBe(false);
    expect(matches({ nodeSelectorTerms: [{ matchExpressions: [] }] }, node('n', { foo: 'bar' }))).toBe(false);
    expect(matches({ nodeSelectorTerms: [{ matchExpressions: [], matchFields: [] }] }, node('n'))).toBe(false);
  });

  it.each<[string, NodeSelectorRequirement, Record<string, string>, boolean]>([
    ['In matches', expr('foo', 'In', ['bar', 'value2']), { foo: 'bar' }, true],
    ['In does not match', expr('foo', 'In', ['value1', 'value2']), { foo: 'bar' }, false],
    ['In on a missing label', expr('foo', 'In', ['bar']), {}, false],
    ['Gt with leading zeros', expr('kernel-version', 'Gt', ['0204']), { 'kernel-version': '0206' }, true],
    ['Gt equal is false', expr('v', 'Gt', ['5']), { v: '5' }, false],
    ['Lt', expr('v', 'Lt', ['5']), { v: '-3' }, true],
    ['Lt false', expr('v', 'Lt', ['5']), { v: '7' }, false],
    ['Gt on a non-integer label never matches', expr('v', 'Gt', ['1']), { v: '1.5' }, false],
    ['Gt on a missing label', expr('v', 'Gt', ['1']), {}, false],
    ['NotIn matches other values', expr('mem-type', 'NotIn', ['DDR', 'DDR2']), { 'mem-type': 'DDR3' }, true],
    ['NotIn matches a missing label', expr('mem-type', 'NotIn', ['DDR']), {}, true],
    ['NotIn rejects listed values', expr('mem-type', 'NotIn', ['DDR', 'DDR2']), { 'mem-type': 'DDR2' }, false],
    ['Exists', expr('GPU', 'Exists'), { GPU: 'NVIDIA-GRID-K1' }, true],
    ['Exists missing', expr('GPU', 'Exists'), {}, false],
    ['DoesNotExist', expr('GPU', 'DoesNotExist'), {}, true],
    ['DoesNotExist present', expr('GPU', 'DoesNotExist'), { GPU: '' }, false],
  ])('%s', (_name, req, labels, want) => {
    expect(matches({ nodeSelectorTerms: [{ matchExpressions: [req] }] }, node('n', labels))).toBe(want);
  });

  it('matchFields: metadata.name In/NotIn, other fields are empty, nameless nodes skip fields', () => {
    const sel = (r: NodeSelectorRequirement): NodeSelector => ({ nodeSelectorTerms: [{ matchFields: [r] }] });
    expect(matches(sel(expr('metadata.name', 'NotIn', ['host_1'])), node('host_1'))).toBe(false);
    expect(matches(sel(expr('metadata.name', 'NotIn', ['host_1'])), node('host_2'))).toBe(true);
    expect(matches(sel(expr('metadata.uid', 'In', ['x'])), node('host_2'))).toBe(false);
    expect(matches(sel(expr('metadata.uid', 'NotIn', ['x'])), node('host_2'))).toBe(true);
    // upstream only checks fields when the node's field set is non-empty
    expect(matches(sel(expr('metadata.name', 'In', ['host_1'])), { metadata: {} })).toBe(true);
  });

  it('a term that fails to parse never matches; the others still do; errors are kept', () => {
    const ns: NodeSelector = {
      nodeSelectorTerms: [
        { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] },
        { matchExpressions: [expr('invalid key', 'In', ['label_value'])] },
        { matchExpressions: [expr('v', 'Gt', ['1', '2'])] },
        { matchExpressions: [expr('v', 'Foo', ['1'])] },
        { matchExpressions: [expr('ok', 'Exists')] },
      ],
    };
    const c = compileNodeSelector(ns);
    expect(c.matches(node('host_1', { 'invalid key': 'label_value', v: '5' }))).toBe(false);
    expect(c.matches(node('host_1', { ok: '' }))).toBe(true);
    expect(c.parseErrors.map(formatFieldError)).toEqual([
      'nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["host_1","host_2"]: must have one element',
      `nodeSelectorTerms[1].matchExpressions[0].key: Invalid value: "invalid key": ${QNAME_MSG}`,
      `nodeSelectorTerms[2].matchExpressions[0].values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`,
      'nodeSelectorTerms[3].matchExpressions[0].operator: Unsupported value: "Foo"',
    ]);
  });

  it('invalid label values in a requirement make the term fail to parse (NewRequirement validation)', () => {
    const c = compileNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [expr('k', 'In', ['-bad'])] }] });
    expect(c.matches(node('n', { k: '-bad' }))).toBe(false);
    expect(c.parseErrors[0]?.path).toBe('nodeSelectorTerms[0].matchExpressions[0].values[0][k]');
  });
});

describe('compilePreferredSchedulingTerms (TestPreferredSchedulingTermsScore)', () => {
  it('sums the weights of matching terms', () => {
    const terms: PreferredSchedulingTerm[] = [
      { weight: 5, preference: { matchFields: [expr('metadata.name', 'In', ['host_1'])] } },
      { weight: 7, preference: { matchExpressions: [expr('unknown_label', 'In', ['unknown_label_val'])] } },
      { weight: 11, preference: { matchExpressions: [expr('label_1', 'In', ['label_1_val'])] } },
      { weight: 13, preference: {} }, // empty preference matches nothing
    ];
    expect(compilePreferredSchedulingTerms(terms).score(node('host_1', { label_1: 'label_1_val' }))).toBe(16);
    expect(compilePreferredSchedulingTerms(terms).score(node('host_2'))).toBe(0);
    expect(compilePreferredSchedulingTerms([]).score(node('x'))).toBe(0);
  });

  it('reports parse errors, except for zero-weight terms', () => {
    const bad: PreferredSchedulingTerm[] = [
      { weight: 1, preference: { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] } },
      { weight: 1, preference: { matchExpressions: [expr('label_1', 'In', ['label_1_val'])] } },
      { weight: 1, preference: { matchExpressions: [expr('invalid key', 'In', ['label_value'])] } },
    ];
    let err: unknown;
    try {
      compilePreferredSchedulingTerms(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NodeSelectorError);
    expect((err as NodeSelectorError).errors.map((e) => e.path)).toEqual(['[0].matchFields[0].values', '[2].matchExpressions[0].key']);
    expect((err as Error).message).toBe(
      `[[0].matchFields[0].values: Invalid value: []string{"host_1", "host_2"}: must have one element, [2].matchExpressions[0].key: Invalid value: "invalid key": ${QNAME_MSG}]`,
    );
    expect(() =>
      compilePreferredSchedulingTerms([{ weight: 0, preference: { matchFields: [expr('metadata.name', 'In', ['a', 'b'])] } }]),
    ).not.toThrow();
  });
});

describe('validation (core validation)', () => {
  it('validateNodeSelector', () => {
    expect(validateNodeSelector({ nodeSelectorTerms: [] }, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution').map(formatFieldError)).toEqual([
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ]);
    const errs = validateNodeSelector(
      {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              expr('a', 'In'),
              expr('b', 'Exists', ['x']),
              expr('c', 'Gt', ['1', '2']),
              expr('d', 'Foo'),
              expr('bad key', 'In', ['-v']),
            ],
            matchFields: [expr('metadata.name', 'In', ['a', 'b']), expr('metadata.uid', 'Exists'), expr('metadata.name', 'NotIn', ['Bad_Name'])],
          },
        ],
      },
      'r',
    ).map(formatFieldError);
    expect(errs).toEqual([
      "r.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "r.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      "r.nodeSelectorTerms[0].matchExpressions[2].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'r.nodeSelectorTerms[0].matchExpressions[3].operator: Invalid value: "Foo": not a valid selector operator',
      `r.nodeSelectorTerms[0].matchExpressions[4].key: Invalid value: "bad key": ${QNAME_MSG}`,
      `r.nodeSelectorTerms[0].matchExpressions[4].values[0]: Invalid value: "-v": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      "r.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
      'r.nodeSelectorTerms[0].matchFields[1].operator: Invalid value: "Exists": not a valid selector operator',
      'r.nodeSelectorTerms[0].matchFields[1].key: Invalid value: "metadata.uid": not a valid field selector key',
      "r.nodeSelectorTerms[0].matchFields[2].values[0]: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(validateNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [expr('k', 'In', ['-v'])] }] }, 'r', { allowInvalidLabelValue: true })).toEqual([]);
  });

  it('validatePreferredSchedulingTerms', () => {
    const errs = validatePreferredSchedulingTerms(
      [
        { weight: 0, preference: { matchExpressions: [expr('k', 'In', ['-v'])] } },
        { weight: 101, preference: { matchExpressions: [expr('k', 'In')] } },
        { weight: 100, preference: {} },
      ],
      'p',
    ).map(formatFieldError);
    expect(errs).toEqual([
      'p[0].weight: Invalid value: 0: must be in the range 1-100',
      'p[1].weight: Invalid value: 101: must be in the range 1-100',
      "p[1].preference.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });
});

describe('properties', () => {
  const keyArb = fc.constantFrom('a', 'b', 'zone');
  const valArb = fc.constantFrom('x', 'y', '1', '7');
  const reqArb: fc.Arbitrary<NodeSelectorRequirement> = fc.oneof(
    fc.tuple(keyArb, fc.constantFrom('In', 'NotIn'), fc.uniqueArray(valArb, { minLength: 1, maxLength: 3 })).map(([k, o, v]) => expr(k, o, v)),
    fc.tuple(keyArb, fc.constantFrom('Exists', 'DoesNotExist')).map(([k, o]) => expr(k, o)),
    fc.tuple(keyArb, fc.constantFrom('Gt', 'Lt'), fc.nat(9)).map(([k, o, n]) => expr(k, o, [String(n)])),
  );
  const termArb = fc.array(reqArb, { minLength: 1, maxLength: 3 });
  const nodeArb = fc.dictionary(keyArb, valArb).map((labels) => node('n', labels));

  it('terms are ORed and requirements ANDed', () => {
    fc.assert(
      fc.property(fc.array(termArb, { minLength: 1, maxLength: 3 }), nodeArb, (terms, n) => {
        const whole = matches({ nodeSelectorTerms: terms.map((t) => ({ matchExpressions: t })) }, n);
        const perTerm = terms.some((t) => t.every((r) => matches({ nodeSelectorTerms: [{ matchExpressions: [r] }] }, n)));
        expect(whole).toBe(perTerm);
      }),
    );
  });

  it('preferred score is the sum of the weights of terms that match as required selectors', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), termArb), { maxLength: 4 }), nodeArb, (wts, n) => {
        const prefs = wts.map(([weight, t]) => ({ weight, preference: { matchExpressions: t } }));
        const expected = wts.reduce((s, [w, t]) => s + (matches({ nodeSelectorTerms: [{ matchExpressions: t }] }, n) ? w : 0), 0);
        expect(compilePreferredSchedulingTerms(prefs).score(n)).toBe(expected);
      }),
    );
  });
});
