// Input limits and encodings: bad input stops with a clear message (exit 2) before
// memory runs out, never an internal-wording message or a V8 trace.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, STACK_LINE } from '../cli/helpers.ts';
import { decodeUtf8, InputError, readInputFile } from '../../src/scenario/input.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';

const dir = mkdtempSync(join(tmpdir(), 'ksim-input-'));

function problemsOf(text: string): string[] {
  try {
    loadScenarioFromText([{ file: 's.yaml', text }]);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => `${p.path ?? ''}: ${p.message}`);
  }
}

describe('input limits', () => {
  it('ksim run /dev/zero stops at the size limit with exit 2', () => {
    const r = runCli(['validate', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/dev/zero: the file is larger than ksim's input limit of 128 MiB per file");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a file over a given limit is refused as it is read', () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, 'x'.repeat(2000));
    expect(() => readInputFile(f, 1000, 'the test limit')).toThrow('is larger than the test limit');
    expect(readInputFile(f, 2000)).toHaveLength(2000);
  });

  it('node groups that would total more than 100,000 nodes are refused before any node is built', () => {
    const groups = Array.from({ length: 3 }, (_, i) => `    - {count: 40000, namePrefix: g${i}, capacity: {cpu: "1", memory: 1Gi}}`).join('\n');
    const got = problemsOf(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  nodes:\n${groups}\n`);
    expect(got).toEqual(["spec.nodes[2].count: Invalid value: 40000: the node groups would total 120000 nodes, more than ksim's limit of 100000 for one scenario"]);
  });

  it('an integer too large to hold says so, not "expected integer, got integer"', () => {
    const got = problemsOf(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  seed: 123456789012345678901234567890\n`);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^spec\.seed: Invalid value: .*must be an integer of at most 9007199254740991 in magnitude/);
    expect(got[0]).not.toContain('got integer');
  });
});

describe('encodings', () => {
  it('UTF-8 with or without a BOM is read', () => {
    expect(decodeUtf8(Buffer.from('\ufeffkind: Pod', 'utf8'))).toBe('kind: Pod');
    expect(decodeUtf8(Buffer.from('name: café', 'utf8'))).toBe('name: café');
  });

  it('UTF-16 is named as such', () => {
    const f = join(dir, 'utf16.yaml');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: Pod\n', 'utf16le')]));
    const r = runCli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}: the file is UTF-16 text; ksim reads UTF-8`);
  });

  it('Latin-1 bytes point at their line', () => {
    expect(() => decodeUtf8(Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]))).toThrow(new InputError('is not UTF-8 text (invalid byte 0xe9 at line 3, byte offset 7); ksim reads UTF-8'));
  });

  it('an included file that is not UTF-8 is reported at its include', () => {
    const inc = join(dir, 'latin1.yaml');
    writeFileSync(inc, Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
    const scen = join(dir, 'scen.yaml');
    writeFileSync(scen, `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  include: [latin1.yaml]\n`);
    const r = runCli(['validate', scen]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec\.include\[0\]: Invalid value: "latin1\.yaml": .*latin1\.yaml is not UTF-8 text \(invalid byte 0xe9 at line 1, byte offset 3\)/);
  });
});
