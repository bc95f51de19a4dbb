import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LabelSelectorError,
  everything,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorAsSelector,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromRequirements,
  selectorFromSet,
  validateLabelSelector,
  validateLabels,
  type Requirement,
  type SelectionOperator,
} from '../../src/api/labels.ts';
import { formatFieldError } from '../../src/api/errors.ts';

const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function parseError(s: string): string {
  try {
    parseSelector(s);
  } catch (e) {
    expect(e).toBeInstanceOf(LabelSelectorError);
    return (e as Error).message;
  }
  return 'parsed';
}

describe('labels.Parse (upstream selector_test.go)', () => {
  // TestSelectorParse
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('accepts %j', (s) => {
    expect(() => parseSelector(s)).not.toThrow();
  });
  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('rejects %j', (s) => {
    expect(() => parseSelector(s)).toThrow(LabelSelectorError);
  });

  it('is deterministic (TestDeterministicParse)', () => {
    expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
    expect(parseSelector('x=a,a=x').toString()).toBe('a=x,x=a');
  });

  // TestSetSelectorParser: input -> canonical string (requirements sorted by key, values sorted)
  it.each([
    ['', ''],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a', 'x=a'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x==a', 'x==a'],
    ['notin=in', 'notin=in'],
  ])('parses %j as %j', (input, out) => {
    expect(parseSelector(input).toString()).toBe(out);
  });

  it.each(['x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '('])(
    'rejects %j',
    (s) => {
      expect(() => parseSelector(s)).toThrow(LabelSelectorError);
    },
  );

  it('reports upstream error messages', () => {
    expect(parseError('a b')).toBe('unable to parse requirement: found \'b\', expected: in, notin, =, ==, !=, gt, lt');
    expect(parseError('x in (a b)')).toBe("unable to parse requirement: found 'b', expected: ',' or ')'");
    expect(parseError('x=(a)')).toBe("unable to parse requirement: found '(', expected: identifier");
    expect(parseError('x,')).toBe("found '', expected: identifier after ','");
    expect(parseError(',x')).toBe("found ',', expected: !, identifier, or 'end of string'");
    expect(parseError('!x=y')).toBe("found '=', expected: ',' or 'end of string'");
    expect(parseError('x in in')).toBe("unable to parse requirement: found 'in' expected: '('");
    expect(parseError('x=a@b')).toBe(`unable to parse requirement: values[0][x]: Invalid value: "a@b": ${LABEL_VALUE_MSG}`);
    expect(parseError('x<a')).toBe(
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
    expect(parseError('-x')).toBe(`unable to parse requirement: : Invalid value: "-x": name part ${QNAME_MSG}`);
  });

  // TestSelectorMatches
  it.each<[string, Record<string, string>, boolean]>([
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x>1', {}, false],
    ['x notin (a)', {}, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', {}, false],
    ['foo=bar', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x>9007199254740993', { x: '9007199254740994' }, true],
    ['x<9007199254740993', { x: '9007199254740994' }, false],
    ['x>1', { x: '99999999999999999999' }, false], // overflows int64: no match
  ])('%j matches %j: %s', (sel, labels, want) => {
    expect(parseSelector(sel).matches(labels)).toBe(want);
  });
});

describe('Requirement.String and NewRequirement (TestToString, TestRequirementConstructor)', () => {
  const sel = (...reqs: Array<[string, SelectionOperator, string[]]>): string =>
    selectorFromRequirements(reqs.map(([k, o, v]) => newRequirement(k, o, v))).toString();
  it('renders canonically', () => {
    expect(sel(['x', 'in', ['def', 'abc']], ['y', 'notin', ['jkl']], ['z', 'exists', []])).toBe('x in (abc,def),y notin (jkl),z');
    expect(sel(['x', 'notin', ['abc', 'def']], ['y', '!=', ['jkl']], ['z', '!', []])).toBe('x notin (abc,def),y!=jkl,!z');
    expect(sel(['x', 'notin', ['abc']], ['y', 'in', ['jkl', 'mno']], ['z', 'notin', ['']])).toBe('x notin (abc),y in (jkl,mno),z notin ()');
    expect(sel(['x', '=', ['abc']], ['y', '==', ['jkl']], ['z', '!=', ['a']], ['z', 'exists', []])).toBe('x=abc,y==jkl,z!=a,z');
    expect(sel(['x', 'gt', ['2']], ['y', 'lt', ['8']], ['z', 'exists', []])).toBe('x>2,y<8,z');
  });

  it.each<[string, SelectionOperator, string[], string]>([
    ['x1', 'in', [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['x2', 'notin', [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['x3', '=', ['a', 'b'], 'values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value'],
    ['x4', 'exists', ['a'], 'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist'],
    ['x5', 'gt', ['1', '2'], "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required"],
    ['x6', 'lt', ['a'], "values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x7', 'in', ['a b'], `values[0][x7]: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
    ['', 'exists', [], `key: Invalid value: "": name part must be non-empty; name part ${QNAME_MSG}`],
  ])('newRequirement(%j, %s, %j) fails: %s', (k, op, vals, msg) => {
    expect(() => newRequirement(k, op, vals)).toThrow(msg);
  });

  it('aggregates several errors in brackets', () => {
    expect(() => newRequirement('-', 'in', [])).toThrow(
      `[key: Invalid value: "-": name part ${QNAME_MSG}, values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty]`,
    );
  });

  it('accepts long prefixed keys and 63-char names', () => {
    expect(() => newRequirement(`${'a'.repeat(200)}.io/${'b'.repeat(63)}`, 'exists', [])).not.toThrow();
    expect(() => newRequirement('k', '=', ['v'.repeat(64)])).toThrow('must be no more than 63 characters');
  });
});

describe('LabelSelectorAsSelector', () => {
  it('nil matches nothing, empty matches everything', () => {
    expect(labelSelectorAsSelector(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorAsSelector(null).matches({})).toBe(false);
    expect(labelSelectorAsSelector(null).empty).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorAsSelector({}).matches(undefined)).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).empty).toBe(true);
    expect(everything().empty).toBe(true);
    expect(nothing().toString()).toBe('');
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(s.toString()).toBe('app=web,env notin (prod),!legacy,team,tier in (be,fe)');
    expect(s.matches({ app: 'web', tier: 'fe', team: 'x' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'fe', team: 'x', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'fe', team: 'x', legacy: '' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'qa', team: 'x' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'fe' })).toBe(false);
    expect(s.matches(undefined)).toBe(false);
    expect(s.requirements.map((r) => r.key)).toEqual(['app', 'env', 'legacy', 'team', 'tier']);
  });

  it('rejects unknown operators and invalid requirements', () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow(
      '"Gt" is not a valid label selector operator',
    );
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] })).toThrow(LabelSelectorError);
    expect(() => labelSelectorAsSelector({ matchLabels: { 'a/b/c': 'x' } })).toThrow(LabelSelectorError);
  });

  it('matches many In values through the same rule', () => {
    const vals = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const s = labelSelectorAsSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: vals }] });
    expect(s.matches({ k: 'v13' })).toBe(true);
    expect(s.matches({ k: 'v20' })).toBe(false);
    // inherited properties are not labels
    expect(parseSelector('constructor').matches({})).toBe(false);
  });
});

describe('validation (metav1 validation)', () => {
  it('validateLabelSelector', () => {
    const errs = validateLabelSelector(
      {
        matchLabels: { 'bad key!': 'ok', good: 'bad value!' },
        matchExpressions: [
          { key: 'a', operator: 'In' },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Gt', values: ['1'] },
          { key: 'd', operator: 'NotIn', values: ['-x'] },
        ],
      },
      'spec.selector',
    ).map(formatFieldError);
    expect(errs).toEqual([
      `spec.selector.matchLabels: Invalid value: "bad key!": name part ${QNAME_MSG}`,
      `spec.selector.matchLabels: Invalid value: "bad value!": ${LABEL_VALUE_MSG}`,
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].values[0]: Invalid value: "-x": ${LABEL_VALUE_MSG}`,
    ]);
    expect(validateLabelSelector(undefined, 'x')).toEqual([]);
    expect(
      validateLabelSelector({ matchExpressions: [{ key: 'd', operator: 'In', values: ['-x'] }] }, 'x', {
        allowInvalidLabelValueInSelector: true,
      }),
    ).toEqual([]);
  });

  it('validateLabels and the qualified-name rules', () => {
    expect(validateLabels({ 'example.com/app': 'web', app: '' }, 'metadata.labels')).toEqual([]);
    expect(validateLabels(undefined, 'metadata.labels')).toEqual([]);
    expect(isQualifiedName('Example.com/app')).toEqual([
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isQualifiedName('/app')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(isQualifiedName('a/b/c')).toEqual([
      `a qualified name ${QNAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isValidLabelValue('a_b.c-d')).toEqual([]);
    expect(isValidLabelValue('é')).toEqual([LABEL_VALUE_MSG]);
  });
});

// ---- properties --------------------------------------------------------------------------------

const KEYS = ['a', 'b', 'app', 'example.com/tier'];
const VALUES = ['', 'v1', 'v2', 'in', '3', '17'];
const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);
const labelSetArb = fc.dictionary(keyArb, valueArb, { maxKeys: KEYS.length });

const requirementArb: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('in', 'notin'), fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 })).map(
    ([k, o, v]) => newRequirement(k, o, v),
  ),
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('=', '==', '!='), valueArb).map(([k, o, v]) => newRequirement(k, o, [v])),
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('exists', '!')).map(([k, o]) => newRequirement(k, o, [])),
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('gt', 'lt'), fc.nat(20)).map(([k, o, n]) => newRequirement(k, o, [String(n)])),
);

describe('properties', () => {
  it('a selector built from a label set matches that set', () => {
    fc.assert(
      fc.property(labelSetArb, labelSetArb, (set, extra) => {
        expect(selectorFromSet(set).matches(set)).toBe(true);
        expect(labelSelectorAsSelector({ matchLabels: set }).matches(set)).toBe(true);
        // adding unrelated labels keeps the match
        expect(selectorFromSet(set).matches({ ...extra, ...set })).toBe(true);
      }),
    );
  });

  it('parse(toString(s)) matches the same label sets as s', () => {
    fc.assert(
      fc.property(fc.array(requirementArb, { maxLength: 5 }), fc.array(labelSetArb, { minLength: 1, maxLength: 8 }), (reqs, sets) => {
        const s = selectorFromRequirements(reqs);
        const back = parseSelector(s.toString());
        expect(back.toString()).toBe(s.toString());
        for (const l of sets) expect(back.matches(l)).toBe(s.matches(l));
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateLabels looks for errors before sorting', () => {
  it('gives what visiting the keys in sorted order gives, valid or not (fast-check)', async () => {
    const { validateLabels, validateLabelName } = await import('../../src/api/labels.ts');
    const part = fc.constantFrom('app', 'tier', 'a/b', 'example.com/x', '-bad', 'Bad Key', '', 'v1', 'x_y', 'z'.repeat(70));
    fc.assert(
      fc.property(fc.dictionary(part, part, { maxKeys: 5 }), (labels) => {
        const expected = Object.keys(labels)
          .sort()
          .flatMap((k) => [...validateLabelName(k, 'metadata.labels'), ...isValidLabelValue(labels[k]!).map((detail) => ({ path: 'metadata.labels', type: 'Invalid', value: labels[k], detail }))]);
        expect(validateLabels(labels, 'metadata.labels')).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
