/**
 * The loader's contract on garbage: it returns a LoadedScenario or throws a
 * ScenarioError, never anything else (fast-check generated inputs).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';

const noFiles = (p: string): string => {
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
};

function loadsOrScenarioError(text: string): void {
  try {
    loadScenarioFromText([{ file: 'fuzz.yaml', text }], { readFile: noFiles });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p.file).toBe('fuzz.yaml');
      expect(typeof p.message).toBe('string');
      // These mark an exception escaping a checker (turned into a problem by the loader's safety net).
      expect(p.message).not.toMatch(/^(internal error while loading|cannot validate|cannot check|cannot compute)/);
    }
  }
}

const VALID = {
  apiVersion: 'ksim.dev/v1alpha1',
  kind: 'Scenario',
  metadata: { name: 'fuzz' },
  spec: {
    seed: 3,
    until: '10m',
    nodes: [{ count: 3, namePrefix: 'n', capacity: { cpu: '4', memory: '8Gi' }, labels: { zone: 'z-{{ index % 2 }}' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }],
    objects: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } },
    ],
    timeline: [
      { at: '1m', cordon: 'n-0' },
      { at: '2m', delete: { kind: 'Pod', name: 'web' } },
      { at: '3m', apply: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } } },
    ],
    expect: [
      { at: '30s', kind: 'Pod', name: 'web', path: 'status.phase', equals: 'Running' },
      { at: '5m', kind: 'Pod', fieldSelector: 'status.phase=Running', count: 0 },
    ],
  },
};

const yamlish = fc.stringOf(
  fc.constantFrom('a', 'b', ':', ' ', '  ', '\n', '- ', '---\n', '{', '}', '[', ']', ',', '"', "'", '\t', '#', '&x', '*x', '!!', '|', '>', '?', 'kind: Pod\n', 'apiVersion: v1\n', 'metadata:\n  name: x\n', '1', '-1', 'null', '~', '{{', '}}'),
  { maxLength: 60 },
);

type Json = unknown;
function mutate(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number' && value.length > 0) {
    const copy = [...value];
    copy[head % value.length] = mutate(copy[head % value.length], rest, replacement);
    return copy;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return replacement;
    const k = typeof head === 'string' ? head : keys[(head as number) % keys.length]!;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (replacement === undefined && rest.length === 0) delete copy[k];
    else copy[k] = mutate(copy[k], rest, replacement);
    return copy;
  }
  return replacement;
}

describe('loader on garbage', () => {
  it('the unmutated scenario loads', () => {
    const loaded = loadScenarioFromText([{ file: 'fuzz.yaml', text: stringify(VALID) }], { readFile: noFiles });
    expect(loaded.objects.length).toBe(4);
  });

  it('YAML-ish strings', () => {
    fc.assert(fc.property(yamlish, (s) => loadsOrScenarioError(s)), { numRuns: 300 });
  });

  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => loadsOrScenarioError(s)));
  });

  it('random JSON values as documents', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 3 }), (docs) => {
        loadsOrScenarioError(docs.map((d) => stringify(d)).join('---\n'));
      }),
    );
  });

  it('random objects with Kubernetes-looking heads', () => {
    const kinds = fc.constantFrom('Pod', 'Node', 'Namespace', 'Deployment', 'PriorityClass', 'Scenario', 'Foo');
    const versions = fc.constantFrom('v1', 'apps/v1', 'scheduling.k8s.io/v1', 'ksim.dev/v1alpha1', 'x/v1');
    fc.assert(
      fc.property(versions, kinds, fc.dictionary(fc.constantFrom('metadata', 'spec', 'status', 'extra'), fc.jsonValue({ maxDepth: 3 })), (apiVersion, kind, rest) => {
        loadsOrScenarioError(stringify({ apiVersion, kind, ...rest }));
      }),
    );
  });

  it('random mutations of a valid scenario', () => {
    const step = fc.oneof(fc.nat(20), fc.constantFrom('spec', 'metadata', 'nodes', 'timeline', 'expect', 'objects', 'capacity', 'count', 'at', 'labels', 'path'));
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant(undefined),
      fc.constantFrom('-1', '5 minutes', '{{ index / 0 }}', 'lots', '1m', 'node-99', '', 'status..phase', -5, 1e308, 'Pod', 'apply'),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), replacement, (path, rep) => {
        loadsOrScenarioError(stringify(mutate(VALID, path, rep)) ?? '');
      }),
      { numRuns: 300 },
    );
  });
});
