// Name validators: k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label/Subdomain, IsQualifiedName)
// and apiserver names.SimpleNameGenerator, v1.31.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GENERATED_NAME_ALPHABET,
  generateName,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  maskTrailingDash,
  nameIsDNSSubdomain,
  randomNameSuffix,
} from '../../src/api/names.ts';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('DNS-1123', () => {
  it('subdomain: exact upstream message', () => {
    expect(isDNS1123Subdomain('Foo_Bar')).toEqual([SUBDOMAIN_MSG]);
    expect(isDNS1123Subdomain('a.b-c.d')).toEqual([]);
  });
  it('subdomain: too long gets the length message too', () => {
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });
  it('label: exact upstream message (with its double space)', () => {
    expect(isDNS1123Label('-abc')).toEqual([LABEL_MSG]);
  });
  it('label: a valid subdomain with dots says so', () => {
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
  });
  it('label: length', () => {
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Label('a'.repeat(63))).toEqual([]);
  });
  it('property: every generated label is a valid subdomain', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/), (s) => {
      expect(isDNS1123Label(s)).toEqual([]);
      expect(isDNS1123Subdomain(s)).toEqual([]);
    }));
  });
});

describe('qualified names', () => {
  it('valid', () => {
    for (const n of ['a', 'A', 'example.com/MyName', 'my.name', '123-abc', 'kubernetes.io/hostname']) expect(isQualifiedName(n)).toEqual([]);
  });
  it('empty prefix / name', () => {
    expect(isQualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/')).toContain('name part must be non-empty');
  });
  it('too many slashes', () => {
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of alphanumeric characters/);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  });
  it('name part too long', () => {
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });
});

describe('generateName (SimpleNameGenerator)', () => {
  it('appends the suffix', () => expect(generateName('web-', 'x7k2p')).toBe('web-x7k2p'));
  it('truncates the base to 58 characters', () => {
    const n = generateName('a'.repeat(70), 'bcdfg');
    expect(n).toHaveLength(63);
    expect(n.endsWith('bcdfg')).toBe(true);
  });
  it('random suffix draws from the upstream alphabet', () => {
    let i = 0;
    const s = randomNameSuffix(() => (i++ * 0.37) % 1);
    expect(s).toHaveLength(5);
    for (const ch of s) expect(GENERATED_NAME_ALPHABET).toContain(ch);
  });
  it('a generateName prefix may end in a dash', () => {
    expect(maskTrailingDash('web-')).toBe('wea');
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_MSG]);
  });
});
