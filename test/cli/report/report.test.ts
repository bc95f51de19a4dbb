import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { naturalCompare, percentile, ReportBuilder } from '../../../src/cli/report/data.ts';
import { renderReport } from '../../../src/cli/report/html.ts';
import { Buckets } from '../../../src/cli/report/timeline.ts';
import type { RunLogRecord } from '../../../src/sim/types.ts';
import { runCli, STACK_LINE } from '../helpers.ts';

const lab = join(import.meta.dirname, 'lab.yaml');

describe('report data', () => {
  it('nearest-rank percentiles', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const table: Array<[number, number]> = [[50, 5], [90, 9], [95, 10], [99, 10], [100, 10], [10, 1], [0, 1]];
    for (const [p, want] of table) expect(percentile(xs, p)).toBe(want);
    expect(percentile([], 50)).toBe(0);
  });

  it('node names in natural order', () => {
    expect(['node-10', 'node-2', 'node-1', 'a'].sort(naturalCompare)).toEqual(['a', 'node-1', 'node-2', 'node-10']);
  });

  it('buckets merge in pairs: sums add, states keep the later value', () => {
    const b = new Buckets(10, 4);
    const sum = b.add('sum');
    const last = b.add('last');
    for (let t = 0; t < 40; t += 10) {
      const i = b.index(t);
      sum[i] = (sum[i] ?? 0) + 1;
      last[i] = t;
    }
    expect(b.index(45)).toBe(2);
    expect(b.width).toBe(20);
    expect(sum).toEqual([2, 2]);
    expect(last).toEqual([10, 30]);
  });

  it('replays pods, nodes and Events from records: times, allocation, attempts, evictions', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '2', memory: '4Gi' } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' } } }] }, status: { phase: 'Pending' } };
    const ev = (t: number, reason: string, message = 'm'): RunLogRecord => ({
      t,
      type: 'event',
      event: { type: 'Normal', reason, message, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' }, source: { component: 'x' }, count: 1, firstTimestamp: t, lastTimestamp: t },
    });
    const recs: RunLogRecord[] = [
      { t: 0, type: 'create', kind: 'Node', namespace: '', name: 'n1', resourceVersion: '1', object: node },
      { t: 0, type: 'create', kind: 'Pod', namespace: 'default', name: 'p', resourceVersion: '2', object: pod },
      ev(50, 'FailedScheduling'),
      { t: 100, type: 'update', kind: 'Pod', namespace: 'default', name: 'p', resourceVersion: '3', patch: { spec: { nodeName: 'n1' } } },
      { t: 1100, type: 'update', kind: 'Pod', namespace: 'default', name: 'p', resourceVersion: '4', patch: { status: { phase: 'Running' } } },
      ev(1500, 'TaintManagerEviction', 'Cancelling deletion of Pod default/p'),
      ev(1600, 'TaintManagerEviction', 'Marking for deletion Pod default/p'),
      ev(1700, 'Evicted', 'The node was low on resource: memory.'),
    ];
    const b = new ReportBuilder();
    for (const r of recs) b.add(r);
    const d = b.finish(2000);
    expect(d.bindTime).toMatchObject({ count: 1, p50: 100, max: 100 });
    expect(d.pendingTime).toMatchObject({ count: 1, p50: 1100 });
    expect(d.bindings.reduce((a, v) => a + v, 0)).toBe(1);
    expect(d.failedAttempts.reduce((a, v) => a + v, 0)).toBe(1);
    expect(d.cpuAlloc[0]![d.buckets - 1]).toBe(0.5);
    expect(d.memAlloc[0]![d.buckets - 1]).toBe(0.25);
    // Before the binding the node carries nothing.
    expect(d.cpuAlloc[0]![0]).toBe(0);
    expect(d.podsByPhase.Running[d.buckets - 1]).toBe(1);
    expect(d.podsByPhase.Pending[0]).toBe(1);
    expect(d.evictions.map((e) => [e.reason, e.total])).toEqual([['Evicted', 1], ['TaintManagerEviction', 1]]);
    const html = renderReport(d);
    expect(html).toContain('<th>Time to bind p50 / p90 / p99 / max</th><td class="n">100ms / 100ms / 100ms / 100ms</td>');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('ksim report / ksim run --report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-report-'));

  it('the report of a run and the report of its saved log are the same bytes, and a second run gives them again', () => {
    const a = runCli(['run', lab, '--log', join(dir, 'a.ndjson'), '--report', join(dir, 'a.html')]);
    expect(a.code).toBe(1); // one expectation fails on purpose
    const r = runCli(['report', join(dir, 'a.ndjson'), '-o', join(dir, 'b.html')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${join(dir, 'b.html')}\n`);
    const html = readFileSync(join(dir, 'a.html'), 'utf8');
    expect(readFileSync(join(dir, 'b.html'), 'utf8')).toBe(html);
    runCli(['run', lab, '--report', join(dir, 'c.html')]);
    expect(readFileSync(join(dir, 'c.html'), 'utf8')).toBe(html);
    // The figures and the expectations as the run reported them.
    expect(html).toContain('<th>Expectations</th><td class="n">2 of 3 passed</td>');
    expect(html).toContain('<td class="fail">FAILED</td>');
    expect(html).toContain('<th>Nodes (most at once)</th><td class="n">3</td>');
    expect(html).toMatch(/<th>Failed scheduling attempts<\/th><td class="n">[1-9]\d*<\/td>/);
    for (const chart of ['pods-by-phase', 'pending-time', 'cpu-allocation', 'memory-allocation', 'cpu-usage', 'scheduling', 'events', 'hpa-default/php-apache', 'evictions']) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
  });

  it('bad input is a clear message, exit 2, never a stack trace', () => {
    const notLog = join(dir, 'x.ndjson');
    writeFileSync(notLog, '{"t":0,"type":"note","message":"m"}\nhello\n');
    const cases: Array<[string[], RegExp]> = [
      [['report', notLog], /-o OUT.html is required/],
      [['report', '-o', join(dir, 'o.html')], /exactly one RUNLOG file is required/],
      [['report', join(dir, 'missing.ndjson'), '-o', join(dir, 'o.html')], /cannot read the run log/],
      [['report', notLog, '-o', join(dir, 'o.html')], /x\.ndjson:2: not a JSON line/],
      [['report', notLog.replace('x.ndjson', ''), '-o', join(dir, 'o.html')], /cannot read the run log/],
    ];
    cases.push([['run', lab, '--report', join(dir, 'no', 'such', 'dir.html')], /cannot write the report/]);
    for (const [args, want] of cases) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });
});
