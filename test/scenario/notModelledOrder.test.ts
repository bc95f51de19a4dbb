// The not-modelled field warnings group objects by kind for speed (150,000 pods); the lines and
// their order must be those of a plain scan in input order: checked against that scan on
// generated mixes of pods and workload templates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_RULES, notModelledWarnings } from '../../src/scenario/notModelled.ts';
import type { KObject } from '../../src/sim/types.ts';
import type { LoadedObject } from '../../src/scenario/types.ts';

/** The straightforward scan: every rule over every object in input order. */
function reference(objects: readonly LoadedObject[]): string[] {
  const out: string[] = [];
  const valuesAt = (root: unknown, path: string): unknown[] => {
    let cur: unknown[] = [root];
    for (const raw of path.split('.')) {
      const each = raw.endsWith('[]');
      const key = each ? raw.slice(0, -2) : raw;
      const next: unknown[] = [];
      for (const c of cur) {
        if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
        const v = (c as Record<string, unknown>)[key];
        if (v === undefined || v === null) continue;
        if (each) {
          if (Array.isArray(v)) for (const x of v) next.push(x);
        } else next.push(v);
      }
      cur = next;
    }
    return cur;
  };
  const isSet = (v: unknown): boolean => {
    if (v === undefined || v === null || v === '' || v === false) return false;
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === 'object') return Object.keys(v).length > 0;
    return true;
  };
  for (const rule of FIELD_RULES) {
    const hits = new Map<string, Set<string>>();
    for (const lo of objects) {
      if (!rule.kinds.includes(lo.object.kind)) continue;
      if (!valuesAt(lo.object, rule.path).some((v) => (rule.when ? rule.when(v) : isSet(v)))) continue;
      let l = hits.get(lo.object.kind);
      if (!l) hits.set(lo.object.kind, (l = new Set()));
      const ns = lo.object.metadata.namespace;
      l.add(`${ns ? `${ns}/` : ''}${lo.object.metadata.name ?? ''}`);
    }
    for (const [kind, names] of hits) {
      const list = [...names];
      const shown = list.slice(0, 3).join(', ');
      out.push(`${kind} ${rule.path} is not modelled (${list.length > 3 ? `${shown}, and ${list.length - 3} more` : shown}): ${rule.not}`);
    }
  }
  return out;
}

const KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob', 'Service'];
const spec = fc.record(
  {
    runtimeClassName: fc.constantFrom('gvisor', ''),
    hostNetwork: fc.boolean(),
    dnsConfig: fc.constantFrom({}, { nameservers: ['1.1.1.1'] }),
    containers: fc.array(fc.record({ name: fc.constant('c'), lifecycle: fc.constantFrom({ postStart: { exec: {} } }, {}) }, { requiredKeys: ['name'] }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

function object(kind: string, name: string, s: Record<string, unknown>): KObject {
  const meta = { name, namespace: 'default' };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: meta, spec: s } as KObject;
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata: meta, spec: { jobTemplate: { spec: { template: { spec: s } } } } } as KObject;
    case 'Service':
      return { apiVersion: 'v1', kind, metadata: meta, spec: { type: s['hostNetwork'] ? 'NodePort' : 'ClusterIP' } } as KObject;
    default:
      return { apiVersion: 'apps/v1', kind, metadata: meta, spec: { template: { spec: s } } } as KObject;
  }
}

describe('not-modelled warnings by kind', () => {
  it('are the lines of a scan in input order, in the same order', () => {
    let multiKind = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.nat(5), spec), { maxLength: 30 }), (list) => {
        const objects: LoadedObject[] = list.map(([kind, n, s], i) => ({
          object: object(kind, `o-${n}-${i % 4}`, s),
          origin: { file: 'x.yaml', document: i + 1, basePath: '', source: { root: null, lineCounter: { linePos: () => ({ line: 1, col: 1 }) } } },
        }));
        const fields = notModelledWarnings(objects, {}).filter((w) => w.includes(' is not modelled ('));
        expect(fields).toEqual(reference(objects));
        // A rule hit in two template kinds: their order is the one a scan finds them in.
        const kindsOf = (rule: string): number => fields.filter((w) => w.includes(` ${rule} is not modelled`)).length;
        if (kindsOf('spec.template.spec.runtimeClassName') >= 2) multiKind++;
      }),
      { numRuns: 300, seed: 10 },
    );
    expect(multiKind).toBeGreaterThan(20);
  });
});
