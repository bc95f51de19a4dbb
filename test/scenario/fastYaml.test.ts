/**
 * The loader's YAML fast path (src/scenario/fastYaml.ts) against the `yaml`
 * package it stands in for: on any text, it either leaves a document (or the
 * whole stream) to `yaml`, or gives exactly the value `yaml` gives, with the
 * same document count, and never accepts a document `yaml` rejects.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAIL, fastParseStream, resolvePlain } from '../../src/scenario/fastYaml.ts';
import { parse } from 'yaml';
import { parseYamlFile, parseYamlStream } from '../../src/scenario/source.ts';
import type { Problem } from '../../src/scenario/problems.ts';

/** Deep equality with Object.is for scalars (NaN, -0) and the same key order. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

/**
 * Why reading the text through the fast path (parseYamlFile) differs from
 * reading it with `yaml` alone (parseYamlStream, what the loader always did),
 * or undefined when documents, values and problems are all the same.
 */
function disagreement(text: string): string | undefined {
  const pf: Problem[] = [];
  const ps: Problem[] = [];
  const fast = parseYamlFile('x.yaml', text, pf);
  const slow = parseYamlStream('x.yaml', text, ps);
  if (JSON.stringify(pf) !== JSON.stringify(ps)) return `problems ${JSON.stringify(pf)} != yaml's ${JSON.stringify(ps)}`;
  if (fast.length !== slow.length) return `${fast.length} documents, yaml has ${slow.length}`;
  for (let i = 0; i < fast.length; i++) {
    if (fast[i]!.index !== slow[i]!.index) return `document ${slow[i]!.index} numbered ${fast[i]!.index}`;
    if (!same(fast[i]!.value, slow[i]!.value)) return `document ${slow[i]!.index}: ${JSON.stringify(fast[i]!.value)} != yaml's ${JSON.stringify(slow[i]!.value)}`;
  }
  return undefined;
}

const TRICKY = [
  '',
  '\n',
  '# c\n',
  'a: 1\n---\n',
  '---\n',
  '---\n---\n',
  '\n---\na: 1',
  '# c\n---\na: 1\n',
  'a: 1\n---\n# c\n',
  'a: 1\n--- # x\nb: 2\n',
  '--- a\n',
  '---   \na: 1\n',
  'a: 1\n...\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: |\n  x\n\n\n',
  'a: |\n  x\n---\nb: 1',
  'a: |\nb: 1',
  'a: |+\n\n',
  'a: |+\n  x\n\n\nb: 1\n',
  'a: |-\n  x\n\n',
  'a: |2\n   x\n',
  'a: |\n\n    x\n  y\n',
  'a: |\n    \n  x\n',
  'a: |\n  x\n    \n  y\n',
  'a: >\n  x\n  y\n',
  '- |\n x\n',
  '- |\n x\n- y\n',
  'a:\n  b\n',
  'a:\n  b\n  c\n',
  'a: b\n  c\n',
  'a: b\n   # c\n  d: 1\n',
  'a: b\n  # c\nc: d\n',
  "k: 'x'#c\n",
  'k: "x" #c\n',
  'k: [a, b,]\n',
  'k: {a: 1, b}\n',
  'k: {a: 1, a: 2}\n',
  'k: {"a":1}\n',
  'k: [a: b]\n',
  'k: [a, [b, {c: d}], {}, []]\n',
  'k: [a\n  , b]\n',
  'a: 1\na: 2\n',
  '"a": 1\na: 2\n',
  '1: a\n',
  'true: a\n',
  '~: a\n',
  '__proto__: a\n',
  '<<: {a: 1}\n',
  '? a\n: b\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: b: c\n',
  'a: b:\n',
  'a: b:c\nd: http://x#y\n',
  'a: - b\n',
  'a: -1\nb: -.5\nc: +1\nd: 0o17\ne: 0x1F\nf: 1e3\ng: .inf\nh: -.Inf\ni: .NaN\nj: 1.\nk: 1_000\nl: 0b1\nm: 00\nn: -0\n',
  'a: ~\nb: null\nc: Null\nd: NULL\ne: nUll\nf: true\ng: True\nh: TRUE\ni: tRue\nj: yes\nk:\n',
  'a: "\\u00e9\\x41\\U0001F600\\n\\t\\\\\\"\\/\\0\\N\\_\\L\\P\\ "\n',
  'a: "\\q"\n',
  'a: "\\uD800"\n',
  "a: 'it''s'\n",
  "a: ''''\n",
  'a: "unterminated\n',
  "a: 'multi\n  line'\n",
  'a: "multi\n  line"\n',
  '- - a\n  - b\n- c\n',
  '- a: 1\n  b: 2\n- c: 3\n',
  '- a:\n  - x\n  b: 1\n',
  '- a:\n- x\n',
  'a:\n- x\n- y\nb: 1\n',
  'a:\n  - x\n - y\n',
  'a:\n    b: 1\n  c: 2\n',
  '  a: 1\n  b: 2\n',
  '  a: 1\n b: 2\n',
  '- a\nb: 1\n',
  'a: 1\n- b\n',
  'x\n',
  '"x"\n',
  '[a, b]\n',
  'a\tb: c\n',
  'a:\tb\n',
  'a: b\r\nc: d\r\n',
  'a: b\rc: d\n',
  'a: \u0085b\n',
  'a: b # c\n',
  'a: b#c\n',
  'a #b: c\n',
  'a[0]: x\nb,c: y\nd{e}: z\n',
  'a: x]\n',
  'a: x, y\n',
  'a: [x]y\n',
  'a: @x\n',
  'a: `x\n',
  'a: %x\n',
  'a: ,x\n',
  'a: ?x\n',
  'a: :x\n',
  'a: x:\n',
  "'a b': c\n",
  '"a":b\n',
  '-a: 1\n',
  '-\n',
  '- \n- # c\n-\n  a: 1\n',
  'a:   \n  # c\n  b: 1\n',
  'a  : b\n',
  '"a\\tb": 1\n',
  'a: [ ]\nb: { }\nc: [a b, c#d]\nd: [a,b]\n',
  '---\n# c\n---\n',
  'a: |\n    x\n  # c\n    y\n',
  'a: |\n  # not a comment\n  x\n',
  '- a: |\n    x\n  b: 1\n',
  '  a: |\n  b: 1\n',
  'a: |\n\nb: 1\n',
  'a: |\n\n\n',
  'a: |\n  \nb: 1\n',
  'a: |-\n\nb: 1\n',
  '- |\n\n- x\n',
  'root: [-]\n',
  'root: [a, -]\n',
  'root: {a: -}\n',
  'root: -]\n',
  'root: [-a, -1]\n',
  'a: 😀\nb: "é😀\\u00e9"\nc: [😀, \'ü\']\n😀: x\n',
];

describe('YAML fast path', () => {
  it.each(TRICKY.map((t) => [JSON.stringify(t), t]))('agrees with yaml on %s', (_name, text) => {
    expect(disagreement(text)).toBeUndefined();
  });

  it('resolves plain scalars as the core schema does', () => {
    const words = ['', '~', 'null', 'Null', 'NULL', 'nUll', 'nul', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'n', 'y', 'yes', 'no', 'on', 'off', 'fals', 'nulls', 'trueish'];
    const numbers = ['0', '-0', '+0', '00', '007', '1', '-1', '+1', '10', '0o17', '0o8', '0O17', '0x1F', '0xg', '0X1F', '-0x1F', '1.', '.5', '-.5', '+.5', '.', '-.', '1.0', '1.50', '1e3', '1E3', '1e+3', '1e-3', '1.5e3', '.5e3', '1e', 'e3', '.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '.NAN', '-.nan', '.Nan', '1_000', '1,000', '100m', '200Mi', '32Gi', '1.5Gi', '12345678901234567890', '0x', '0o', '1e1000', '+', '2024-01-01', '1:30', '0b101'];
    for (const w of [...words, ...numbers]) {
      const expected: unknown = w === '' ? null : parse(`v: ${w}`).v;
      expect([w, resolvePlain(w)]).toEqual([w, expected]);
    }
  });

  it('reads the usual manifest forms itself (no fallback)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web, "tier": backend}\nspec:\n  containers:\n  - name: c\n    image: "nginx:1.27"\n    args: [--port, "8080"]\n    resources:\n      requests:\n        cpu: 100m\n        memory: 200Mi\n  tolerations:\n  - key: example.com/dedicated\n    operator: Exists\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  script: |\n    echo hi\n\n    exit 0\n';
    const fast = fastParseStream(text)!;
    expect(fast.map((d) => d.value === BAIL)).toEqual([false, false]);
    expect(disagreement(text)).toBeUndefined();
    expect((fast[1]!.value as { data: { script: string } }).data.script).toBe('echo hi\n\nexit 0\n');
  });

  it('reads kubectl get -o yaml output itself (managedFields keys, quoted timestamps, a JSON annotation block)', () => {
    const text = [
      'apiVersion: v1',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    annotations:',
      '      kubectl.kubernetes.io/last-applied-configuration: |',
      '        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"}}',
      '    creationTimestamp: "2024-05-01T10:00:00Z"',
      '    managedFields:',
      '    - apiVersion: v1',
      '      fieldsV1:',
      '        f:metadata:',
      '          f:labels:',
      '            .: {}',
      '            f:app: {}',
      '        f:status:',
      '          f:conditions:',
      '            k:{"type":"Ready"}:',
      '              .: {}',
      '    name: web',
      '    resourceVersion: "12345"',
      '  spec:',
      '    containers:',
      '    - image: nginx:1.27',
      '      ports:',
      '      - containerPort: 80',
      '      resources: {}',
      '    tolerations:',
      '    - effect: NoExecute',
      '      tolerationSeconds: 300',
      'kind: List',
      'metadata:',
      '  resourceVersion: ""',
      '',
    ].join('\n');
    expect(fastParseStream(text)!.map((d) => d.value === BAIL)).toEqual([false]);
    expect(disagreement(text)).toBeUndefined();
  });

  it('agrees with yaml on every scenario shipped', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(f)) files.push(p);
      }
    };
    walk('scenarios');
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect([f, disagreement(readFileSync(f, 'utf8'))]).toEqual([f, undefined]);
  });

  // Generated documents in many styles, then mutated by inserting YAML's special characters anywhere.
  const scalar = fc.constantFrom(
    'a', 'b c', '1', '-1', '0x1F', '0o17', '1.5', '.5', '1e3', '.inf', '-.Inf', '.nan', '~', 'null', 'true', 'False', 'yes', '2024-01-01',
    'a:b', 'a: b', 'a #b', 'a#b', '#x', '- x', '-x', '?x', ':x', 'x:', '[a]', '{a}', 'a,b', '"q"', "'s'", "it's", 'é', '', ' lead', 'trail ',
    '*x', '&x', '!x', '|', '>', '%x', '@x', '`x', '<<', '__proto__', '0', '00', '+1', '1_000', '1.', 'line\nbreak', 'tab\there', 'back\\slash',
    'a\n\nb', '😀 x', 'ü:ü', '  indented\nx', 'x\n', 'x\n\n', '\nlead', 'a\n  b\n', '# not a comment\n', '---\n', 'x\n  \ny',
  );
  const key = fc.constantFrom('a', 'b', 'name', 'app.kubernetes.io/name', 'a b', '1', 'true', 'null', '-k', 'k:v', 'k #c', '__proto__', '<<', "it's", 'é', '');
  /** Generated values: scalars, lists, and maps as { pairs } (so they are told apart from lists). */
  type Gen = unknown[] | { pairs: Array<[string, Gen]> } | string | number | boolean | null;
  const value: fc.Arbitrary<Gen> = fc.letrec<{ v: Gen; seq: Gen[]; map: { pairs: Array<[string, Gen]> } }>((tie) => ({
    v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('seq'), tie('map')),
    seq: fc.array(tie('v'), { maxLength: 4 }),
    map: fc.record({ pairs: fc.array(fc.tuple(key, tie('v')), { maxLength: 4 }) }),
  })).v;

  function renderScalar(v: unknown, style: number): string {
    if (typeof v !== 'string') return String(v);
    if (style % 4 === 1) return `'${v.replace(/'/g, "''")}'`;
    if (style % 4 === 2) return JSON.stringify(v);
    return v;
  }
  function renderFlow(v: Gen, style: number): string {
    if (Array.isArray(v)) return `[${v.map((x, i) => renderFlow(x as Gen, style + i + 1)).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{${v.pairs.map(([k, x], i) => `${renderScalar(k, style + i)}: ${renderFlow(x, style + i + 2)}`).join(', ')}}`;
    return renderScalar(v, style);
  }
  /** A literal block scalar for a string: "|", "|-" or "|+" by its trailing line breaks, blank lines left empty. */
  function literal(x: string, indent: string): string {
    const trailing = /\n*$/.exec(x)![0].length;
    const header = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
    const body = trailing === 0 ? x : x.slice(0, -1);
    return ` ${header}\n${body.split('\n').map((l) => (l === '' ? '\n' : `${indent}${l}\n`)).join('')}`;
  }
  /** The text after "key:" or "-": a flow value on the line, or a block collection on the next lines. */
  function render(v: Gen, indent: string, style: number): string {
    if (typeof v === 'string' && style % 3 === 0) return literal(v, indent);
    if (Array.isArray(v) && v.length > 0 && style % 7 !== 3) {
      return `\n${v.map((x, i) => `${indent}-${render(x as Gen, `${indent}  `, style * 5 + i)}`).join('')}`;
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && v.pairs.length > 0 && style % 7 !== 3) {
      return `\n${v.pairs.map(([k, x], i) => `${indent}${renderScalar(k, style + i)}:${render(x, `${indent}  `, style * 3 + i)}`).join('')}`;
    }
    return ` ${renderFlow(v, style)}\n`;
  }
  const INSERTS = ['\t', '#', ' #', ':', ': ', '- ', '-', '|', '|-', '|+', '>', '&a ', '*a', '!!str ', '? ', '---\n', '--- x\n', '...\n', '%YAML 1.2\n', '"', "'", '\r\n', '\r', '\n', '\n  ', '  ', '[', ']', '{', '}', ',', '\\', '\u0085', '\ufeff'];
  const doc = fc.tuple(value, fc.nat(1000), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INSERTS), fc.boolean()), { maxLength: 3 })).map(([v, style, edits]) => {
    let text = `root:${render(v, '  ', style)}`;
    for (const [at, ins, del] of edits) {
      const p = at % (text.length + 1);
      text = text.slice(0, p) + ins + text.slice(del ? p + 1 : p);
    }
    return text;
  });

  it('never disagrees with yaml on generated and mutated streams', () => {
    let total = 0;
    let fastDocs = 0;
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.constantFrom('---\n', '--- # c\n', '\n---\n\n', '---   \n'), (docs, sep) => {
        const text = docs.join(sep);
        const why = disagreement(text);
        if (why !== undefined) throw new Error(`${why}\n--- text: ${JSON.stringify(text)}`);
        const fast = fastParseStream(text);
        total += docs.length;
        fastDocs += fast ? fast.filter((d) => d.value !== BAIL).length : 0;
      }),
      { numRuns: 8000, seed: 11 },
    );
    // The generated documents exercise the fast path, not only the fallback.
    expect(fastDocs / total).toBeGreaterThan(0.3);
  });
});

describe('parseYamlFile', () => {
  it('gives the problems yaml gives in context when a document has an error, with the other documents kept', () => {
    const problems: Problem[] = [];
    const docs = parseYamlFile('x.yaml', 'a: 1\n---\nb: [1\n---\nc: 3\n', problems);
    expect(docs.map((d) => [d.index, d.value])).toEqual([
      [1, { a: 1 }],
      [3, { c: 3 }],
    ]);
    const reference: Problem[] = [];
    parseYamlStream('x.yaml', 'a: 1\n---\nb: [1\n---\nc: 3\n', reference);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toEqual(reference);
    expect(problems[0]).toMatchObject({ file: 'x.yaml', document: 2 });
  });

  it('finds positions lazily, in file lines, for documents the fast path read', () => {
    const problems: Problem[] = [];
    const docs = parseYamlFile('x.yaml', '# head\na: 1\n---\nb:\n  c: [1, 2]\n  d: x\n', problems);
    expect(problems).toEqual([]);
    const d = docs[1]!;
    const root = d.source.root as { range: [number, number, number] } | null;
    expect(root).not.toBeNull();
    expect(d.source.lineCounter.linePos(root!.range[0])).toEqual({ line: 4, col: 1 });
  });
});
