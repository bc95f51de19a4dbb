/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no
 * script, nothing fetched), the run's figures in a table at the top, then a
 * section per chart with a sentence saying what is drawn. Deterministic:
 * the bytes depend only on the ReportData.
 */
import { formatDuration } from '../../api/duration.ts';
import { PHASES, type ReportData } from './data.ts';
import { barChart, esc, heatmap, num, stepChart, timeSeriesChart } from './svg.ts';

function ms(v: number): string {
  return formatDuration(Math.round(v));
}

function section(id: string, title: string, text: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2><p>${text}</p>${body}</section>\n`;
}

function none(text: string): string {
  return `<p class="none">${esc(text)}</p>`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:820px;color:#222}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin:28px 0 4px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#2e7d32;font-weight:600}.fail{color:#c62828;font-weight:600}
p.none{color:#777;font-style:italic}svg.chart{display:block;margin:6px 0;max-width:100%;height:auto}p.sub{color:#555;margin-top:0}`;

export function renderReport(d: ReportData): string {
  const s = d.summary;
  const title = s.name ? `ksim report: ${s.name}` : 'ksim report';
  const endPhase = (p: (typeof PHASES)[number]): number => d.podsByPhase[p][d.buckets - 1] ?? 0;
  const evictions = d.evictions.reduce((a, e) => a + e.total, 0);
  const failed = d.failedAttempts.reduce((a, v) => a + v, 0);
  const bindings = d.bindings.reduce((a, v) => a + v, 0);
  const exp = s.expectations;
  const figures: Array<[string, string]> = [
    ['Virtual duration', ms(d.endMs)],
    ...(s.seed !== undefined ? ([['Seed', String(s.seed)]] as Array<[string, string]>) : []),
    ...(s.startTime ? ([['Start time', s.startTime]] as Array<[string, string]>) : []),
    ['Nodes (most at once)', String(d.maxNodes)],
    ['Pods created', String(d.podsCreated)],
    ['Pods at the end', PHASES.filter((p) => endPhase(p) > 0).map((p) => `${p} ${endPhase(p)}`).join(', ') || 'none'],
    ['Bindings', String(bindings)],
    ['Failed scheduling attempts', String(failed)],
    ['Time to bind p50 / p90 / p99 / max', d.bindTime.count ? `${ms(d.bindTime.p50)} / ${ms(d.bindTime.p90)} / ${ms(d.bindTime.p99)} / ${ms(d.bindTime.max)}` : '-'],
    ['Time Pending p50 / p90 / p99 / max', d.pendingTime.count ? `${ms(d.pendingTime.p50)} / ${ms(d.pendingTime.p90)} / ${ms(d.pendingTime.p99)} / ${ms(d.pendingTime.max)}` : '-'],
    ['Pods never out of Pending', String(d.stillPending)],
    ['Evictions', String(evictions)],
    ['Events recorded', String(d.eventTotal)],
    ['Expectations', exp ? `${exp.filter((e) => e.passed).length} of ${exp.length} passed` : 'not in this run log'],
  ];
  let html = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>\n`;
  html += `<h1>${esc(title)}</h1><p class="sub">A deterministic simulation run; all times are virtual. Each time bucket below is ${esc(ms(d.bucketWidth))} wide.</p>\n`;
  html += `<table class="figures"><tbody>${figures.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="n">${esc(v)}</td></tr>`).join('')}</tbody></table>\n`;
  if (s.warnings && s.warnings.length > 0) html += `<h2>Warnings</h2><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>\n`;

  const phases = PHASES.filter((p) => d.podsByPhase[p].some((v) => v > 0));
  html += section(
    'pods-by-phase',
    'Pods by phase over time',
    'The number of pods in each phase at the end of each time bucket (stacked).',
    phases.length ? timeSeriesChart('pods-by-phase', 'Pods by phase over time', phases.map((p) => ({ name: p, values: d.podsByPhase[p] })), d.bucketWidth, d.endMs, 'pods', true) : none('No pods in this run.'),
  );

  const pct = ['p50', 'p90', 'p95', 'p99', 'max'] as const;
  html += section(
    'pending-time',
    'Pending time distribution',
    `Percentiles (nearest rank) of the time from a pod's creation until it is bound (spec.nodeName set) and until its phase leaves Pending; ${d.stillPending} pod(s) never left Pending and are not counted.`,
    d.bindTime.count || d.pendingTime.count
      ? barChart('pending-time', 'Pending time percentiles', [...pct], [
          { name: 'time to bind', values: pct.map((k) => d.bindTime[k] / 1000) },
          { name: 'time Pending', values: pct.map((k) => d.pendingTime[k] / 1000) },
        ], 'seconds', (v) => `${num(v)}s`) +
          (d.pendingHistogram.counts.length
            ? '<h3>Histogram of time Pending</h3>' + barChart('pending-histogram', 'Histogram of time Pending', d.pendingHistogram.counts.map((_, i) => `<${ms(d.pendingHistogram.edges[i + 1]!)}`), [{ name: 'pods', values: d.pendingHistogram.counts }], 'pods')
            : '')
      : none('No pod was bound in this run.'),
  );

  const heat = (key: string, what: string, values: number[][] | undefined): string =>
    values && d.nodes.length ? heatmap(key, what, d.nodes, values, d.bucketWidth, d.endMs) : '';
  html += section(
    'node-allocation',
    'Per-node CPU and memory allocation',
    `Requests of the pods bound to each node (not Succeeded or Failed) over its allocatable, at the end of each bucket; one row per node${d.nodes.length > 48 ? ' (rows average groups of nodes in name order)' : ''}. Grey: the node did not exist.`,
    d.nodes.length
      ? `<h3>CPU requests / allocatable</h3>${heat('cpu-allocation', 'CPU allocation by node', d.cpuAlloc)}<h3>Memory requests / allocatable</h3>${heat('memory-allocation', 'Memory allocation by node', d.memAlloc)}` +
          (d.cpuUse ? `<h3>CPU usage / allocatable (NodeMetrics)</h3>${heat('cpu-usage', 'CPU usage by node', d.cpuUse)}<h3>Memory usage / allocatable (NodeMetrics)</h3>${heat('memory-usage', 'Memory usage by node', d.memUse)}` : '<p class="none">No NodeMetrics in this run (usage appears when the scenario runs the metrics server).</p>')
      : none('No nodes in this run.'),
  );

  html += section(
    'scheduling',
    'Scheduling throughput and attempts',
    'Per time bucket: pods bound, and scheduling attempts (bindings plus FailedScheduling Events, each new or counted-again Event being one failed attempt).',
    bindings + failed > 0
      ? timeSeriesChart('scheduling', 'Scheduling throughput and attempts', [
          { name: 'bindings', values: d.bindings },
          { name: 'attempts', values: d.bindings.map((b, i) => b + (d.failedAttempts[i] ?? 0)) },
        ], d.bucketWidth, d.endMs, `per ${ms(d.bucketWidth)}`)
      : none('No scheduling in this run.'),
  );

  html += section(
    'events',
    'Events over time by reason',
    'Events recorded per time bucket (a repeated Event counts each time its count goes up), the most frequent reasons first.',
    d.events.length ? timeSeriesChart('events', 'Events over time by reason', d.events.map((e) => ({ name: e.reason, values: e.counts })), d.bucketWidth, d.endMs, `events per ${ms(d.bucketWidth)}`) : none('No Events in this run.'),
  );

  html += section(
    'autoscalers',
    'Replicas against load for each HorizontalPodAutoscaler',
    'status.currentReplicas and status.desiredReplicas (left axis) and the first metric\'s current value (right axis, dashed), as the autoscaler wrote them.',
    d.hpas.length
      ? d.hpas
          .map((h) => `<h3>${esc(h.name)} (min ${h.min}, max ${h.max})</h3>${stepChart(`hpa-${h.name}`, `Replicas and load of ${h.name}`, d.endMs, { label: 'replicas', series: [{ name: 'current replicas', points: h.replicas }, { name: 'desired replicas', points: h.desired }] }, h.load.length ? { label: h.loadLabel, series: [{ name: h.loadLabel, points: h.load }] } : undefined)}`)
          .join('')
      : none('No HorizontalPodAutoscaler in this run.'),
  );

  html += section(
    'evictions',
    'Evictions',
    'Per time bucket: kubelet evictions (Evicted), taint-based evictions (TaintManagerEviction, marking for deletion), preemptions (Preempted) and timeline evict actions.',
    evictions > 0 ? timeSeriesChart('evictions', 'Evictions over time', d.evictions.map((e) => ({ name: `${e.reason} (${e.total})`, values: e.counts })), d.bucketWidth, d.endMs, `per ${ms(d.bucketWidth)}`) : none('No evictions in this run.'),
  );

  html += section(
    'expectations',
    'Expectations',
    exp ? `${exp.filter((e) => e.passed).length} of ${exp.length} passed.` : 'This run log has no run result (it is written by ksim run --log at the end of a run).',
    exp && exp.length
      ? `<table class="expectations"><thead><tr><th>At</th><th>Expectation</th><th>Result</th><th>Actual</th></tr></thead><tbody>${exp
          .map((e) => `<tr><td>${esc(e.at)}</td><td>${esc(e.expectation)}</td><td class="${e.passed ? 'pass' : 'fail'}">${e.passed ? 'passed' : 'FAILED'}</td><td>${esc(e.actual)}${e.note ? ` <em>(${esc(e.note)})</em>` : ''}</td></tr>`)
          .join('')}</tbody></table>`
      : '',
  );
  html += '</body></html>\n';
  return html;
}
