import { describe, expect, it } from 'vitest';
import { humanDuration, since } from '../../../src/cli/views/humanDuration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

// apimachinery's duration_test.go TestHumanDuration cases, plus the boundaries of each branch.
const CASES: [number, string][] = [
  [1 * S, '1s'],
  [70 * S, '70s'],
  [190 * S, '3m10s'],
  [70 * M, '70m'],
  [47 * H, '47h'],
  [49 * H, '2d1h'],
  [(8 * 24 + 2) * H, '8d'],
  [367 * 24 * H, '367d'],
  [(365 * 2 * 24 + 25) * H, '2y1d'],
  [(365 * 8 * 24 + 2) * H, '8y'],
  [0, '0s'],
  [999, '0s'],
  [-1500, '0s'],
  [-2000, '<invalid>'],
  [119 * S, '119s'],
  [120 * S, '2m'],
  [150 * S, '2m30s'],
  [9 * M + 59 * S, '9m59s'],
  [10 * M + 30 * S, '10m'],
  [179 * M, '179m'],
  [3 * H, '3h'],
  [3 * H + 30 * M, '3h30m'],
  [8 * H + 30 * M, '8h'],
  [48 * H, '2d'],
  [365 * 2 * 24 * H, '2y'],
];

describe('humanDuration (kubectl AGE)', () => {
  it.each(CASES)('%i ms is %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('an unset timestamp is <unknown>', () => {
    expect(since(undefined, 5000)).toBe('<unknown>');
    expect(since(1000, 46_000)).toBe('45s');
  });
});
