/**
 * StatefulSet properties over random small sets and operations (200 runs):
 *  - at most one pod per identity at any time, and it carries that identity
 *    (name `<set>-<ordinal>`, pod-name and pod-index labels);
 *  - OrderedReady: a pod is created only when every lower ordinal in range
 *    is Running and Ready;
 *  - when the run settles, exactly the ordinals [start, start+replicas) exist,
 *    all Running, at the update revision (RollingUpdate, partition 0);
 *  - the same seed gives a byte-identical run.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { KObject } from '../../src/sim/types.ts';
import { cluster, statefulSet } from './statefulset.helpers.ts';

const RUNS = 200;

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('image' as const), version: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('deletePod' as const), ordinal: fc.integer({ min: 0, max: 4 }) }),
);
const caseArb = fc.record({
  policy: fc.constantFrom('OrderedReady', 'Parallel'),
  start: fc.integer({ min: 0, max: 2 }),
  replicas: fc.integer({ min: 0, max: 4 }),
  maxUnavailable: fc.integer({ min: 1, max: 3 }),
  ops: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 4000 }), op: opArb }), { maxLength: 4 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

interface Case {
  policy: string;
  start: number;
  replicas: number;
  maxUnavailable: number;
  ops: Array<{ gap: number; op: { kind: 'scale'; replicas: number } | { kind: 'image'; version: number } | { kind: 'deletePod'; ordinal: number } }>;
  seed: number;
}

function run(c: Case): { violations: string[]; final: string; trace: string } {
  const sim = cluster(2, c.seed);
  const violations: string[] = [];
  const trace: string[] = [];
  const live = new Map<string, string>();
  let replicas = c.replicas;
  let version = 1;
  const spec = () => ({
    replicas,
    podManagementPolicy: c.policy,
    ordinals: { start: c.start },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: c.maxUnavailable } },
  });
  sim.store.watch('Pod', (ev) => {
    const p = ev.object as Pod & KObject;
    const name = p.metadata.name ?? '';
    trace.push(`${sim.engine.now} ${ev.type} ${name} ${p.status?.phase ?? ''} ${p.metadata.deletionTimestamp ? 'T' : ''}`);
    if (ev.type === 'ADDED') {
      if (live.has(name)) violations.push(`second pod for identity ${name}`);
      live.set(name, p.metadata.uid ?? '');
      const m = /^web-(\d+)$/.exec(name);
      if (!m) violations.push(`bad name ${name}`);
      if (p.metadata.labels?.['statefulset.kubernetes.io/pod-name'] !== name || p.metadata.labels?.['apps.kubernetes.io/pod-index'] !== m?.[1]) violations.push(`bad identity labels on ${name}`);
      if (c.policy === 'OrderedReady' && m) {
        const ord = Number(m[1]);
        for (let o = c.start; o < ord; o++) {
          const prev = sim.get<Pod & KObject>('Pod', 'default', `web-${o}`);
          const ready = prev?.status?.phase === 'Running' && prev.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
          if (!ready) violations.push(`web-${ord} created while web-${o} was not Running and Ready`);
        }
      }
    } else if (ev.type === 'DELETED') {
      live.delete(name);
    }
  });
  sim.apply(statefulSet('web', spec(), `img:${version}`));
  let t = 0;
  for (const { gap, op } of c.ops) {
    t += gap;
    sim.runUntil(t);
    if (op.kind === 'scale') replicas = op.replicas;
    if (op.kind === 'image') version = op.version;
    if (op.kind === 'deletePod') {
      if (sim.get('Pod', 'default', `web-${op.ordinal}`)) sim.store.delete('Pod', 'default', `web-${op.ordinal}`);
      continue;
    }
    sim.apply(statefulSet('web', spec(), `img:${version}`));
  }
  sim.runUntilQuiet(t + 600_000);
  const pods = (sim.list('Pod', 'default') as Array<Pod & KObject>).filter((p) => p.metadata.name?.startsWith('web-'));
  const want = Array.from({ length: replicas }, (_, i) => `web-${c.start + i}`).sort();
  const got = pods.map((p) => p.metadata.name ?? '').sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) violations.push(`settled with ${got.join(',')} instead of ${want.join(',')}`);
  for (const p of pods) {
    if (p.status?.phase !== 'Running') violations.push(`${p.metadata.name} settled ${p.status?.phase}`);
    if (p.spec?.containers[0]?.image !== `img:${version}`) violations.push(`${p.metadata.name} settled at ${p.spec?.containers[0]?.image}`);
  }
  const st = (sim.get('StatefulSet', 'default', 'web') as StatefulSet & KObject).status;
  if (st?.replicas !== replicas || st?.readyReplicas !== replicas || st?.currentRevision !== st?.updateRevision) violations.push(`settled status ${JSON.stringify(st)}`);
  return { violations, final: JSON.stringify(pods.map((p) => [p.metadata.name, p.metadata.uid, p.spec?.nodeName])), trace: trace.join('\n') };
}

describe('StatefulSet properties', () => {
  it('one pod per identity, ordered creation, convergence to the spec', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = run(c as Case);
        expect(r.violations).toEqual([]);
      }),
      { numRuns: RUNS, seed: 6 },
    );
  });

  it('the same seed gives a byte-identical run', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = run(c as Case);
        const b = run(c as Case);
        expect(b.trace).toBe(a.trace);
        expect(b.final).toBe(a.final);
      }),
      { numRuns: 10, seed: 7 },
    );
  });
});
