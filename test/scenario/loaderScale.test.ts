/**
 * The loader at scale and when it fails inside: many objects from one include
 * (no argument spreads of unbounded arrays), the three layouts giving the same
 * objects, and a bug while loading reported as an internal error (exit 70),
 * never as a problem with the user's input (exit 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';
import { reportError } from '../../src/cli/main.ts';
import { buildSimulation } from '../../src/scenario/run.ts';
import { parseYamlFile, positionLookup } from '../../src/scenario/source.ts';
import { findSequenceItem } from '../../src/scenario/fastYaml.ts';
import type { Problem } from '../../src/scenario/problems.ts';
import { runCli } from '../cli/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ksim-loader-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pod(i: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p-${i}
  labels: {app: a-${i % 7}}
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.10
    resources:
      requests: {cpu: 10m, memory: 20Mi}
  tolerations:
  - key: example.com/dedicated
    operator: Exists
`;
}

describe('loader at scale', () => {
  // 130,000 objects from one included List document: past what an argument spread can take (about 125,000 here).
  it('loads an include with 130,000 objects', () => {
    const n = 130_000;
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(`- {apiVersion: v1, kind: ConfigMap, metadata: {name: c-${i}}}\n`);
    writeFileSync(join(dir, 'many.yaml'), `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`);
    writeFileSync(join(dir, 'many-scenario.yaml'), 'apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nspec:\n  include: [many.yaml]\n');
    const loaded = loadScenario(join(dir, 'many-scenario.yaml'));
    expect(loaded.objects.length).toBe(n);
    expect(loaded.objects[n - 1]!.object.metadata.name).toBe(`c-${n - 1}`);
  }, 60_000);

  it('inline, include and plain manifests give the same objects', () => {
    const docs = Array.from({ length: 50 }, (_, i) => pod(i));
    writeFileSync(join(dir, 'pods.yaml'), docs.map((d) => `---\n${d}`).join(''));
    writeFileSync(join(dir, 'inc.yaml'), 'apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nspec:\n  include: [pods.yaml]\n');
    const indented = docs.map((d) => `    - ${d.trimEnd().split('\n').join('\n      ')}\n`).join('');
    writeFileSync(join(dir, 'inline.yaml'), `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nspec:\n  objects:\n${indented}`);
    const plain = loadScenario(join(dir, 'pods.yaml')).objects.map((o) => o.object);
    const inc = loadScenario(join(dir, 'inc.yaml')).objects.map((o) => o.object);
    const inline = loadScenario(join(dir, 'inline.yaml')).objects.map((o) => o.object);
    expect(plain).toHaveLength(50);
    expect(inc).toEqual(plain);
    expect(inline).toEqual(plain);
    expect(plain[3]).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p-3', namespace: 'default', labels: { app: 'a-3' } },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '20Mi' } } }], tolerations: [{ key: 'example.com/dedicated', operator: 'Exists' }] },
    });
  });

  it('building a cluster leaves the loaded objects as they were (they are given to the store uncopied)', () => {
    const loaded = loadScenario(join(dir, 'pods.yaml'));
    const before = JSON.stringify(loaded.objects.map((o) => o.object));
    const a = buildSimulation(loaded);
    const b = buildSimulation(loaded);
    expect(JSON.stringify(loaded.objects.map((o) => o.object))).toBe(before);
    expect(loaded.objects.every((o) => !Object.isFrozen(o.object) && !Object.isFrozen(o.object.metadata))).toBe(true);
    const pods = (s: typeof a): string => JSON.stringify(s.store.list('Pod'));
    expect(pods(a)).toBe(pods(b));
    expect(a.store.list('Pod')).toHaveLength(50);
  });

  it('locates a problem in a large file by line, as before', () => {
    const docs = Array.from({ length: 300 }, (_, i) => pod(i));
    docs[250] = docs[250]!.replace('cpu: 10m', 'cpu: lots');
    const text = docs.map((d) => `---\n${d}`).join('');
    writeFileSync(join(dir, 'bad.yaml'), text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('cpu: lots')) + 1;
    const column = lines[line - 1]!.indexOf('lots') + 1;
    const r = runCli(['validate', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bad.yaml: document 251 (Pod default/p-250), line ${line}, column ${column}: spec.containers[0].resources.requests[cpu]: Invalid value: "lots"`);
  });
});

describe('positions in a huge scenario document', () => {
  function problemsOf(text: string): Problem[] {
    try {
      loadScenarioFromText([{ file: 'big.yaml', text }]);
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems;
      throw e;
    }
    return [];
  }

  it('come from the one spec.objects item a problem is in, exactly as from the whole document', () => {
    const n = 4000;
    const docs = Array.from({ length: n }, (_, i) => pod(i));
    docs[10] = docs[10]!.replace('cpu: 10m', 'cpu: lots');
    docs[3000] = docs[3000]!.replace('app: a-', 'app: -bad-');
    docs[3999] = docs[3999]!.replace('operator: Exists', 'operator: Sometimes');
    docs[2500] = docs[2500]!.replace('kind: Pod', 'kind: Pod\nbogus: 1');
    const indented = docs.map((d) => `  - ${d.trimEnd().split('\n').join('\n    ')}\n`).join('');
    const text = `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nspec:\n  seed: 1\n  objects:\n${indented}  until: 1m\n`;
    expect(text.length).toBeGreaterThan(positionLookup.narrowAboveChars);
    const narrowed = problemsOf(text);
    const saved = positionLookup.narrowAboveChars;
    positionLookup.narrowAboveChars = Number.POSITIVE_INFINITY;
    let whole: Problem[];
    try {
      whole = problemsOf(text);
    } finally {
      positionLookup.narrowAboveChars = saved;
    }
    expect(narrowed.length).toBe(4);
    expect(narrowed.every((p) => p.line !== undefined)).toBe(true);
    expect(narrowed).toEqual(whole);
    const lines = text.split('\n');
    const lots = narrowed.find((p) => p.message.includes('"lots"'))!;
    expect(lots.line).toBe(lines.findIndex((l) => l.includes('cpu: lots')) + 1);
    // The narrowed lookup is the one taken: item 3000's lines alone, with file line numbers.
    const range = findSequenceItem(text, 0, text.length, ['spec', 'objects'], 3000)!;
    expect(text.slice(range.start, range.end)).toMatch(/^ {2}- apiVersion: v1\n {4}kind: Pod\n {4}metadata:\n {6}name: p-3000\n[^]*\n$/);
    expect(text.slice(range.end)).toMatch(/^ {2}- apiVersion: v1\n {4}kind: Pod\n {4}metadata:\n {6}name: p-3001\n/);
    expect(findSequenceItem(text, 0, text.length, ['spec', 'objects'], n - 1)!.end).toBe(text.indexOf('  until: 1m'));
    expect(findSequenceItem(text, 0, text.length, ['spec', 'objects'], n)).toBeUndefined();
    const [doc] = parseYamlFile('big.yaml', text, []);
    const item = doc!.source.item!(['spec', 'objects'], 3000)!;
    expect(item).toBeDefined();
    const start = (item.node as unknown as { range: [number, number, number] }).range[0];
    expect(item.lineCounter.linePos(start)).toEqual({ line: lines.findIndex((l) => l.includes('name: p-3000')) - 2, col: 5 });
  }, 60_000);
});

describe('an internal failure while loading', () => {
  it('is not a ScenarioError, and the CLI reports it as an internal error, exit 70', () => {
    const text = 'apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nspec:\n  include: [x.yaml]\n';
    // A reader returning something that is not text stands in for a bug inside the loader.
    const broken = (): string => null as unknown as string;
    let err: unknown;
    try {
      loadScenarioFromText([{ file: 's.yaml', text }], { readFile: broken });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(/^while loading s\.yaml: /);
    let stderr = '';
    const code = reportError(err, 'validate', { stdout: () => undefined, stderr: (s) => void (stderr += s), env: {} });
    expect(code).toBe(70);
    expect(stderr).toMatch(/^ksim: internal error: while loading s\.yaml: /);
  });
});
