// Quantities beyond JavaScript's safe integers are valid Kubernetes input: defaulting rounds
// them up to milli precision exactly (SetDefaults_ResourceList) instead of failing with
// "fromMilli: expected a safe integer".
import { describe, expect, it } from 'vitest';
import { Quantity } from '../../src/api/quantity.ts';
import { defaultResourceList } from '../../src/api/defaults.ts';

describe('RoundUp to milli precision', () => {
  it.each([
    ['100000000000000000000', '100E'],
    ['99999999999999999999.0001', '99999999999999999999001m'],
    ['1.0001', '1001m'],
    ['0.0001', '1m'],
    ['-0.0001', '-1m'],
    ['1Ei', '1Ei'],
    ['5', '5'],
  ])('%s -> %s', (input, want) => {
    const list: Record<string, string> = { cpu: input };
    defaultResourceList(list);
    expect(list['cpu']).toBe(want);
  });

  it('roundUp keeps values already at the scale', () => {
    const q = Quantity.parse('250m');
    expect(q.roundUp(-3)).toBe(q);
  });
});
