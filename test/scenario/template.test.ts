import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileTemplate, TemplateError } from '../../src/scenario/template.ts';

const render = (t: string, index: number, count = 10): string => compileTemplate(t).render({ index, count });

describe('node group templates', () => {
  it.each([
    ['node-{{ index }}', 7, 'node-7'],
    ['node-{{index}}', 0, 'node-0'],
    ['zone-{{ index % 3 }}', 4, 'zone-1'],
    ['rack-{{ index / 40 }}', 79, 'rack-1'],
    ['rack-{{ index / 40 }}', 80, 'rack-2'],
    ['{{ (index + 1) * 2 }}', 3, '8'],
    ['{{ index + 1 * 2 }}', 3, '5'],
    ['{{ count - index - 1 }}', 3, '6'],
    ['{{ -index / 2 }}', 3, '-1'], // Go integer division truncates toward zero
    ['{{ -index % 2 }}', 3, '-1'], // Go's % takes the dividend's sign
    ['{{ cycle "a" "b" "c" }}', 4, 'b'],
    ['{{ cycle "eu-1a" }}-{{ index }}', 2, 'eu-1a-2'],
    ['plain', 5, 'plain'],
  ])('%s at index %i renders %s', (t, i, want) => {
    expect(render(t, i)).toBe(want);
  });

  it.each([
    ['{{ index %% 3 }}', 'unexpected "%"'],
    ['{{ index', 'unclosed "{{"'],
    ['index }}', 'unexpected "}}"'],
    ['{{ }}', 'empty expression'],
    ['{{ zone }}', 'unknown name "zone"'],
    ['{{ index.name }}', 'unexpected "."'],
    ['{{ (index + 1 }}', 'expected ")"'],
    ['{{ cycle }}', 'cycle needs at least one value'],
    ['{{ cycle a b }}', 'cycle takes quoted strings'],
    ['{{ index + cycle "a" }}', 'cycle must be the whole expression'],
    ['{{ 99999999999999999999 }}', 'too large'],
    ['{{ constructor }}', 'unknown name'],
  ])('rejects %s', (t, msg) => {
    expect(() => compileTemplate(t)).toThrow(TemplateError);
    expect(() => compileTemplate(t)).toThrow(msg);
  });

  it('reports division by zero when rendering', () => {
    const t = compileTemplate('{{ 10 / index }}');
    expect(t.render({ index: 2, count: 3 })).toBe('5');
    expect(() => t.render({ index: 0, count: 3 })).toThrow('integer divide by zero');
  });

  it('never throws anything but TemplateError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(1000), (s, i) => {
        try {
          compileTemplate(s).render({ index: i, count: 1000 });
        } catch (e) {
          expect(e).toBeInstanceOf(TemplateError);
        }
      }),
    );
  });

  it('index % n cycles through 0..n-1 (property)', () => {
    fc.assert(fc.property(fc.nat(100000), fc.integer({ min: 1, max: 50 }), (i, n) => render(`{{ index % ${n} }}`, i) === String(i % n)));
  });
});
