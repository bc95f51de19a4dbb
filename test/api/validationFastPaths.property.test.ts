/**
 * Label, annotation and finalizer validation first look for an error without
 * building a list per check (validateLabels, validateAnnotations,
 * validateObjectMeta's finalizers): every created object passes there and
 * almost none has an error. Each fast answer must be what the full check
 * gives: the predicates against the message lists they stand for, and the
 * validators against their full sorted passes, over inputs near every rule's
 * edge (63-byte values, multi-byte characters, the 256 KiB annotation limit);
 * and the DNS-1123 subdomain scan that checks every object name against the
 * length count and regular expression it stands for.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dns1123SubdomainErrors, dns1123SubdomainIsValid, isDNS1123Subdomain, isQualifiedName, isValidQualifiedName, nameIsDNSSubdomain } from '../../src/api/names.ts';
import { isValidLabelValue, labelValueIsValid, validateLabels, validateLabelsInFull } from '../../src/api/labels.ts';
import { validateAnnotations, validateAnnotationsInFull, validateObjectMeta } from '../../src/api/validation.ts';

const piece = fc.constantFrom('a', 'A', 'z9', '-', '_', '.', '/', 'é', '😀', ' ', 'example.com', 'k8s.io/', 'a'.repeat(31), 'b'.repeat(62), 'c'.repeat(63));
const text = fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((ps) => ps.join('')),
  fc.string({ maxLength: 70 }),
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.nat({ max: 80 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.nat({ max: 66 }), fc.constantFrom('é', '😀', '-', '.')).map(([n, c]) => `${'v'.repeat(n)}${c}`),
);

describe('validation fast paths', () => {
  it('isValidQualifiedName and labelValueIsValid say what the message lists say (fast-check)', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(isValidQualifiedName(t)).toBe(isQualifiedName(t).length === 0);
        expect(labelValueIsValid(t)).toBe(isValidLabelValue(t).length === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('validateLabels gives its full sorted pass (fast-check)', () => {
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 6 }), (labels) => {
        expect(validateLabels(labels, 'metadata.labels')).toEqual(validateLabelsInFull(labels, 'metadata.labels'));
      }),
      { numRuns: 500 },
    );
  });

  it('validateAnnotations gives its full sorted pass, sizes near the 256 KiB limit included (fast-check)', () => {
    const limit = 256 * 1024;
    // A value that brings the total to within a few bytes of the limit, in one-, two- or four-byte characters.
    const big = fc.tuple(fc.integer({ min: -8, max: 8 }), fc.constantFrom('x', 'é', '😀')).map(([d, ch]) => {
      const per = Buffer.byteLength(ch);
      return ch.repeat(Math.max(0, Math.floor((limit - 40 + d) / per)));
    });
    const annotations = fc.tuple(fc.dictionary(text, text, { maxKeys: 4 }), fc.option(big, { nil: undefined })).map(([a, b]) => (b === undefined ? a : { ...a, 'ksim.dev/big': b }));
    fc.assert(
      fc.property(annotations, (a) => {
        expect(validateAnnotations(a, 'metadata.annotations')).toEqual(validateAnnotationsInFull(a, 'metadata.annotations'));
      }),
      { numRuns: 300 },
    );
  });

  it('validateObjectMeta reports a finalizer as isQualifiedName does (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (finalizers) => {
        const errs = validateObjectMeta({ name: 'p', namespace: 'default', finalizers }, true, nameIsDNSSubdomain).filter((e) => e.path === 'metadata.finalizers');
        const want = finalizers.flatMap((f) => isQualifiedName(f).map((detail) => ({ path: 'metadata.finalizers', type: 'Invalid', value: f, detail })));
        expect(errs).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('DNS-1123 subdomain scan', () => {
  const dnsPiece = fc.constantFrom('a', 'z', '0', '9', '-', '.', 'A', '_', 'é', 'ab', 'x-y', 'example', 'com', 'd'.repeat(63), 'e'.repeat(126));
  const name = fc.oneof(
    fc.array(dnsPiece, { maxLength: 8 }).map((ps) => ps.join('')),
    fc.string({ maxLength: 30 }),
    fc.tuple(fc.nat({ max: 260 }), fc.constantFrom('', 'a', '.', '-', 'é')).map(([n, tail]) => `${'q'.repeat(n)}${tail}`),
  );
  it('dns1123SubdomainIsValid says what the full check says, and isDNS1123Subdomain gives its messages (fast-check)', () => {
    fc.assert(
      fc.property(name, (t) => {
        expect(dns1123SubdomainIsValid(t)).toBe(dns1123SubdomainErrors(t).length === 0);
        expect(isDNS1123Subdomain(t)).toEqual(dns1123SubdomainErrors(t));
      }),
      { numRuns: 3000 },
    );
  });
});
