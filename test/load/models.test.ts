import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate, noise, parseLoadSpec, parseTraceCSV, type LoadModel } from '../../src/load/index.ts';
import { formatFieldError } from '../../src/api/errors.ts';

const H = 3_600_000;

function model(raw: unknown): LoadModel {
  const r = parseLoadSpec([{ series: 's', model: raw }]);
  expect(r.errors.map(formatFieldError)).toEqual([]);
  return r.spec.series[0]!.model;
}

describe('load models: values over time', () => {
  it('constant, step and ramp', () => {
    expect(evaluate(model('250m'), 0)).toBe(0.25);
    const step = model({ type: 'step', from: '100Mi', to: '200Mi', at: '10m' });
    expect(evaluate(step, 599_999)).toBe(100 * 2 ** 20);
    expect(evaluate(step, 600_000)).toBe(200 * 2 ** 20);
    const ramp = model({ type: 'ramp', from: 0, to: 100, start: '1h', duration: '1h' });
    expect([0, H, 1.5 * H, 2 * H, 5 * H].map((t) => evaluate(ramp, t))).toEqual([0, 0, 50, 100, 100]);
  });

  it('sine: a diurnal cycle with a 24h default period, peak a quarter period after the phase', () => {
    const m = model({ type: 'sine', base: '500m', amplitude: '250m', phase: '6h' });
    expect(evaluate(m, 6 * H)).toBeCloseTo(0.5, 9);
    expect(evaluate(m, 12 * H)).toBeCloseTo(0.75, 9);
    expect(evaluate(m, 24 * H)).toBeCloseTo(0.25, 9);
    expect(evaluate(m, 30 * H)).toBeCloseTo(0.5, 9);
  });

  it('leak: start + rate per period on the container clock, capped at max', () => {
    const m = model({ type: 'leak', start: '100Mi', rate: '10Mi', per: '1m', max: '150Mi' });
    expect(m.clock).toBe('container');
    expect(evaluate(m, 3 * 60_000)).toBe(130 * 2 ** 20);
    expect(evaluate(m, H)).toBe(150 * 2 ** 20);
  });

  it('trace: linear and step interpolation, repeat', () => {
    const lin = model({ type: 'trace', points: [['0s', 0], ['10s', 100], ['20s', 0]] });
    expect([0, 5000, 10_000, 15_000, 30_000].map((t) => evaluate(lin, t))).toEqual([0, 50, 100, 50, 0]);
    const step = model({ type: 'trace', interpolation: 'step', repeat: true, points: [{ at: '0s', value: 1 }, { at: '10s', value: 2 }, { at: '20s', value: 3 }] });
    // The trace loops with period last - first = 20s: 25s reads as 5s, 35s as 15s.
    expect([0, 9999, 10_000, 25_000, 35_000].map((t) => evaluate(step, t))).toEqual([1, 1, 2, 1, 2]);
  });

  it('CSV traces: header skipped, durations or seconds, quantities', () => {
    expect(parseTraceCSV('time,value\n0,100m\n30s,200m\n# comment\n90,1\n')).toEqual({ points: [[0, 0.1], [30_000, 0.2], [90_000, 1]] });
    expect(parseTraceCSV('0,1\nten,2\n')).toEqual({ error: 'line 2: expected "time,value" (a duration or seconds, and a quantity), got "ten,2"' });
  });

  it('random walk and spikes are seeded: the same seed and key give the same values, another seed others', () => {
    const walk = model({ type: 'randomWalk', start: 100, step: 10, interval: '1m', min: 50, max: 150 });
    const a = [1, 5, 60].map((m) => evaluate(walk, m * 60_000, noise(7, 'default/web-0/cpu')));
    const b = [1, 5, 60].map((m) => evaluate(walk, m * 60_000, noise(7, 'default/web-0/cpu')));
    const c = [1, 5, 60].map((m) => evaluate(walk, m * 60_000, noise(8, 'default/web-0/cpu')));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const spikes = model({ type: 'spikes', base: 1, peak: 10, every: '10m', duration: '1m' });
    const vals = Array.from({ length: 600 }, (_, i) => evaluate(spikes, i * 10_000, noise(1, 'k')));
    // Exactly one spike of one minute (6 samples) per 10-minute window with probability 1.
    expect(vals.filter((v) => v === 10).length).toBe(60);
  });

  it('property: a random walk stays within [min, max] and moves at most `step` per interval (>= 200 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 500 }), (seed, steps) => {
        const walk = model({ type: 'randomWalk', start: 100, step: 7, interval: '1m', min: 20, max: 130 });
        const n = noise(seed, 'walk');
        let prev = evaluate(walk, 0, n);
        for (let i = 1; i <= Math.min(steps, 60); i++) {
          const v = evaluate(walk, i * 60_000, n);
          if (v < 20 || v > 130 || Math.abs(v - prev) > 7 + 1e-9) return false;
          prev = v;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('spec.load validation: located errors', () => {
  const errs = (load: unknown[]) => parseLoadSpec(load).errors.map(formatFieldError);

  it('reports unknown types, missing fields, bad quantities and durations by path', () => {
    expect(errs([{ namespace: 'default', cpu: { type: 'wave', base: 1 } }])).toEqual([
      'spec.load[0].cpu.type: Unsupported value: "wave": supported values: "constant", "step", "ramp", "sine", "randomWalk", "spikes", "leak", "trace"',
    ]);
    expect(errs([{ namespace: 'default', memory: { type: 'leak', start: 'lots', per: 'soon' } }])).toEqual([
      `spec.load[0].memory.start: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      'spec.load[0].memory.rate: Required value',
      'spec.load[0].memory.per: Invalid value: "soon": time: invalid duration "soon"',
    ]);
  });

  it('needs a target and a model; forbids cpu both from demand and a model', () => {
    expect(errs([{ cpu: '1' }])).toEqual(['spec.load[0].selector: Required value: a load entry selects its pods by namespace, selector and/or workload']);
    expect(errs([{ namespace: 'default' }])).toEqual(['spec.load[0].cpu: Required value: a load entry models at least one of cpu, memory, ephemeralStorage, pids or demand']);
    expect(errs([{ workload: { kind: 'Deployment', name: 'web' }, cpu: '1', demand: { requests: 100, cpuPerRequest: '1m' } }])).toEqual([
      'spec.load[0].cpu: Forbidden: cpu comes from demand.cpuPerRequest; give one or the other',
    ]);
    expect(errs([{ workload: { kind: 'Pod', name: 'web' }, cpu: '1' }])[0]).toContain('spec.load[0].workload.kind: Unsupported value: "Pod"');
  });

  it('series names are unique; unknown fields are reported', () => {
    expect(errs([{ series: 'q', model: 1 }, { series: 'q', model: 2, extra: true }])).toEqual(['spec.load[1].extra: Unknown field', 'spec.load[1].series: Duplicate value: "q"']);
  });
});

describe('spec.load never throws', () => {
  it('property: arbitrary input gives field errors or a spec, never an exception (>= 200 runs)', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constantFrom('1Gi', '250m', '10s', '-5m', '1h', 'sine', 'leak', 'trace', 'randomWalk', 'spikes'));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('type', 'value', 'from', 'to', 'at', 'start', 'rate', 'per', 'points', 'file', 'base', 'amplitude', 'period', 'step', 'interval', 'min', 'max', 'every', 'duration', 'peak', 'probability', 'clock', 'repeat', 'interpolation'), tie('v'), { maxKeys: 5 })),
    })).v;
    const entry = fc.dictionary(fc.constantFrom('namespace', 'selector', 'workload', 'containers', 'cpu', 'memory', 'ephemeralStorage', 'pids', 'demand', 'series', 'model', 'name'), value, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(fc.oneof(entry, scalar), { maxLength: 4 }), (raw) => {
        const r = parseLoadSpec(raw, 'spec.load', { readFile: () => '0,1\n' });
        return Array.isArray(r.errors) && r.errors.every((e) => e.path.startsWith('spec.load'));
      }),
      { numRuns: 300 },
    );
  });
});
