import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Simulation } from '../../src/sim/simulation.ts';
import { applyMergePatch, FileRunLogSink, MemoryRunLogSink, mergePatch, NULL_RUN_LOG } from '../../src/sim/runLog.ts';
import type { KObject, RunLogRecord } from '../../src/sim/types.ts';
import { obj, pod } from './helpers.ts';

function scenario(log: MemoryRunLogSink | FileRunLogSink | typeof NULL_RUN_LOG, seed = 1): Simulation {
  const sim = Simulation.create({ log, seed });
  sim.runtime.register({
    name: 'labeler',
    watches: [{ kind: 'Pod' }],
    reconcile(key, ctx) {
      const [ns, name] = key.split('/') as [string, string];
      const p = ctx.lister('Pod').get(ns, name);
      if (p && !p.metadata.labels?.['seen']) {
        ctx.store.patch('Pod', ns, name, (d: KObject) => {
          d.metadata.labels = { ...d.metadata.labels, seen: 'yes' };
        }, { actor: 'labeler' });
        ctx.recorder.event(p, 'Normal', 'Labeled', `labeled ${name}`, { component: 'labeler' });
      }
    },
  });
  for (let i = 0; i < 5; i++) sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'p-' }, spec: {} }, { actor: 'test' });
  sim.store.create(obj('ConfigMap', 'cm'));
  sim.store.delete('ConfigMap', 'default', 'cm');
  sim.log({ t: sim.now, type: 'note', message: 'done creating' });
  sim.runUntilQuiet();
  return sim;
}

describe('run log', () => {
  it('is byte-for-byte deterministic for the same seed', () => {
    const a = new MemoryRunLogSink();
    const b = new MemoryRunLogSink();
    scenario(a);
    scenario(b);
    expect(a.toNDJSON()).toBe(b.toNDJSON());
    const c = new MemoryRunLogSink();
    scenario(c, 2);
    expect(c.toNDJSON()).not.toBe(a.toNDJSON());
  });

  it('records creates with the object, updates as merge patches, deletes, events and notes, each with t and time first', () => {
    const log = new MemoryRunLogSink();
    scenario(log);
    const types = log.records.map((r) => r.type);
    expect(types.filter((t) => t === 'create')).toHaveLength(6);
    expect(types.filter((t) => t === 'update')).toHaveLength(5);
    expect(types.filter((t) => t === 'delete')).toHaveLength(1);
    expect(types.filter((t) => t === 'event')).toHaveLength(5);
    expect(types).toContain('note');
    for (const r of log.records) expect(Object.keys(r).slice(0, 2)).toEqual(['t', 'time']);
    const upd = log.records.find((r) => r.type === 'update') as RunLogRecord & { actor?: string; patch?: unknown };
    expect(upd.actor).toBe('labeler');
    expect(upd.patch).toMatchObject({ metadata: { labels: { seen: 'yes' } } });
  });

  it('replaying creates and merge patches reproduces the final store', () => {
    const log = new MemoryRunLogSink();
    const sim = scenario(log);
    const state = new Map<string, unknown>();
    for (const r of log.records) {
      if (r.type !== 'create' && r.type !== 'update' && r.type !== 'delete') continue;
      const key = `${r.kind}/${r.namespace}/${r.name}`;
      if (r.type === 'create') state.set(key, r.object);
      else if (r.type === 'update') state.set(key, applyMergePatch(state.get(key), r.patch));
      else state.delete(key);
    }
    const snap = sim.snapshot();
    expect([...state.keys()].sort()).toEqual([...snap.keys()].sort());
    for (const [k, v] of snap) expect(state.get(k)).toEqual(JSON.parse(JSON.stringify(v)));
  });

  it('mergePatch/applyMergePatch round-trip on JSON objects', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.boolean(), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
      object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(json.object, json.object, (a, b) => {
        const p = mergePatch(a, b);
        expect(p === undefined ? a : applyMergePatch(a, p)).toEqual(b);
      }),
    );
  });

  it('the file sink writes the same NDJSON as the memory sink', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-runlog-'));
    const file = path.join(dir, 'run.ndjson');
    const sink = new FileRunLogSink(file, 256);
    scenario(sink);
    sink.close();
    const mem = new MemoryRunLogSink();
    scenario(mem);
    expect(fs.readFileSync(file, 'utf8')).toBe(mem.toNDJSON());
    fs.rmSync(dir, { recursive: true });
  });

  it('with no log (or the null sink) nothing is recorded and the run is the same', () => {
    const a = scenario(NULL_RUN_LOG);
    const b = scenario(new MemoryRunLogSink());
    expect(a.logging).toBe(false);
    expect(b.logging).toBe(true);
    expect([...a.snapshot().values()]).toEqual([...b.snapshot().values()]);
  });
});

describe('Simulation façade', () => {
  it('apply creates, then updates in place keeping uid, status and unspecified metadata', () => {
    const sim = Simulation.create();
    const [c] = sim.apply(obj('Deployment', 'web', { spec: { replicas: 1, paused: true } }, 'apps/v1'));
    sim.store.patch('Deployment', 'default', 'web', (d: KObject) => {
      d['status'] = { replicas: 1 };
      d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    });
    const [u] = sim.apply({ ...obj('Deployment', 'web', { spec: { replicas: 3 } }, 'apps/v1'), metadata: { name: 'web', labels: { tier: 'web' } } });
    expect(u!.metadata.uid).toBe(c!.metadata.uid);
    expect(u!['spec']).toEqual({ replicas: 3 });
    expect(u!['status']).toEqual({ replicas: 1 });
    expect(u!.metadata.labels).toEqual({ tier: 'web' });
    expect(u!.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(u!.metadata.generation).toBe(2);
    expect(sim.apply([pod('a'), pod('b')]).map((p) => p.metadata.name)).toEqual(['a', 'b']);
  });

  it('timestamps follow startTime; runUntilQuiet is bounded by maxTime', () => {
    const sim = Simulation.create({ startTime: '2024-02-29T23:59:59Z' });
    expect(sim.timestamp()).toBe('2024-02-29T23:59:59Z');
    expect(sim.timestamp(1000)).toBe('2024-03-01T00:00:00Z');
    const poll = (): void => {
      sim.engine.after(1000, poll, { priority: 30, source: 'poller' });
    };
    poll();
    expect(sim.runUntilQuiet(10_500)).toBe(false);
    expect(sim.now).toBe(10_500);
  });

  it('use() starts components once each and rejects duplicate names', () => {
    const sim = Simulation.create();
    const started: string[] = [];
    sim.use({ name: 'a', start: (s) => started.push(`a@${s.now}`) });
    expect(() => sim.use({ name: 'a', start: () => {} })).toThrow(/already in use/);
    expect(started).toEqual(['a@0']);
    expect(sim.components.map((c) => c.name)).toEqual(['a']);
  });

  it('snapshot maps kind/namespace/name to the stored (frozen) objects', () => {
    const sim = Simulation.create();
    const p = sim.store.create(pod('a'));
    const n = sim.store.create(obj('Node', 'n1'));
    const snap = sim.snapshot();
    expect([...snap.keys()]).toEqual(['Node//n1', 'Pod/default/a']);
    expect(snap.get('Pod/default/a')).toBe(p);
    expect(snap.get('Node//n1')).toBe(n);
  });

  it('guard-rail errors carry the virtual time as RFC3339', () => {
    const sim = Simulation.create({ limits: { maxEventsPerInstant: 100 } });
    const spin = (): void => {
      sim.engine.after(0, spin, { priority: 30, source: 'controller/spinner' });
    };
    sim.runUntil(5000);
    spin();
    expect(() => sim.runUntilQuiet()).toThrow(/t=5000ms \(2025-01-01T00:00:05Z\).*"controller\/spinner"/);
  });
});
