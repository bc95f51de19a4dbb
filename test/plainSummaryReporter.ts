/**
 * Prints one plain closing line, `tests: N passed, N failed[, N skipped]`,
 * after vitest's own report, so that any tool reading the end of a CI log
 * sees the counts without parsing vitest's formatting.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class PlainSummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    this.line = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // The default reporter prints its summary after this hook; print last, once the process is done.
    process.once('beforeExit', () => process.stdout.write(`\n${this.line}\n`));
  }
}
