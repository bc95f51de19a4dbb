import type { Rng } from '../../src/sim/types.ts';

/** An rng answering int(n) from a fixed list (mod n), recording each n it was asked for (shared by the selectHost tests). */
export function scripted(answers: readonly number[]): { rng: Rng; asked: number[] } {
  const asked: number[] = [];
  let i = 0;
  const rng: Rng = {
    next: () => 0,
    int: (n) => {
      asked.push(n);
      return answers.length === 0 ? 0 : answers[i++ % answers.length]! % n;
    },
    alphanumeric: () => '',
  };
  return { rng, asked };
}
