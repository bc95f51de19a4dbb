/** ksim's testing kit for maintainers: arbitraries, invariants, replayable counterexamples. */
export * from './arbitraries.ts';
export * from './invariants.ts';
export * from './replay.ts';
