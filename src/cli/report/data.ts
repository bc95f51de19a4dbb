/**
 * The figures and time series of a report, read from a run log (the NDJSON
 * `ksim run --log` writes, or the records of a run in progress) in one pass:
 * objects are replayed from their create records and merge patches, so the
 * same data comes from a finished run and from its saved log.
 *
 * Definitions (written into the report next to each chart):
 *   - time Pending: from a pod's creation until its phase first leaves Pending;
 *   - time to bind: from a pod's creation until spec.nodeName is set;
 *   - allocation: the pod requests (PodRequests, as the scheduler counts them) of the
 *     pods bound to a node and not Succeeded/Failed, over the node's allocatable;
 *   - usage: NodeMetrics usage (metrics.k8s.io) over allocatable, when the run has it;
 *   - a scheduling attempt: a binding, or a FailedScheduling Event (new or counted again);
 *   - evictions: kubelet `Evicted`, taint-based `TaintManagerEviction` "Marking for
 *     deletion", `Preempted` Events, and timeline `evict` actions.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { podRequests } from '../../api/resources.ts';
import { Quantity } from '../../api/quantity.ts';
import { applyMergePatch } from '../../sim/runLog.ts';
import type { RunLogRecord, Time } from '../../sim/types.ts';
import { Buckets } from './timeline.ts';

export const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type Phase = (typeof PHASES)[number];

export interface ExpectationRow {
  at: string;
  expectation: string;
  passed: boolean;
  actual: string;
  note?: string;
}

/** What `ksim run` knows beyond the log: written into the log as a final `run result` note. */
export interface RunSummary {
  name?: string;
  seed?: number;
  startTime?: string;
  endTimeMs?: Time;
  expectations?: ExpectationRow[];
  warnings?: string[];
}

export const RUN_RESULT_NOTE = 'run result';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface HpaSeries {
  name: string;
  /** (time, replicas) at each change of status.currentReplicas. */
  replicas: Array<[Time, number]>;
  desired: Array<[Time, number]>;
  /** (time, value) of the first metric's current value: utilization % or average value. */
  load: Array<[Time, number]>;
  loadLabel: string;
  min: number;
  max: number;
}

export interface ReportData {
  summary: RunSummary;
  endMs: Time;
  bucketWidth: Time;
  buckets: number;
  podsByPhase: Record<Phase, number[]>;
  podsCreated: number;
  maxNodes: number;
  bindings: number[];
  failedAttempts: number[];
  pendingTime: Percentiles;
  bindTime: Percentiles;
  /** Pods still Pending at the end (no time Pending measured for them). */
  stillPending: number;
  pendingHistogram: { edges: number[]; counts: number[] };
  nodes: string[];
  cpuAlloc: number[][];
  memAlloc: number[][];
  cpuUse?: number[][];
  memUse?: number[][];
  events: Array<{ reason: string; type: string; counts: number[]; total: number }>;
  eventTotal: number;
  evictions: Array<{ reason: string; counts: number[]; total: number }>;
  hpas: HpaSeries[];
}

interface PodState {
  phase: Phase;
  node: string;
  cpu: number;
  mem: number;
  created: Time;
  leftPending: boolean;
  bound: boolean;
}

interface NodeState {
  cpuAlloc: number;
  memAlloc: number;
  cpuCap: number;
  memCap: number;
  cpuUse: number;
  memUse: number;
  series: { cpuAlloc: number[]; memAlloc: number[]; cpuUse: number[]; memUse: number[] };
}

function qty(v: unknown, milli: boolean): number {
  const q = Quantity.tryParse(v);
  if (!q) return 0;
  return milli ? q.milliValue() : q.value();
}

function asPhase(v: unknown): Phase {
  return (PHASES as readonly string[]).includes(v as string) ? (v as Phase) : 'Pending';
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  return { count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : 0 };
}

/** Names in natural order (node-2 before node-10), by code points otherwise: the same everywhere. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const EVENT_REASONS_SHOWN = 8;

/** Builds ReportData from run log records fed in order. */
export class ReportBuilder {
  private readonly b = new Buckets();
  private readonly objects = new Map<string, unknown>();
  private readonly pods = new Map<string, PodState>();
  private readonly nodes = new Map<string, NodeState>();
  private readonly phaseCount: Record<Phase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  private readonly phaseSeries: Record<Phase, number[]>;
  private readonly bindings: number[];
  private readonly failed: number[];
  private readonly eventSeries = new Map<string, { type: string; counts: number[]; total: number }>();
  private readonly evictionSeries = new Map<string, { counts: number[]; total: number }>();
  private readonly hpas = new Map<string, HpaSeries>();
  private readonly pendingTimes: number[] = [];
  private readonly bindTimes: number[] = [];
  private current = 0;
  private merges = 0;
  private lastT: Time = 0;
  private podsCreated = 0;
  private maxNodes = 0;
  private eventTotal = 0;
  private sawMetrics = false;
  summary: RunSummary = {};

  constructor() {
    this.phaseSeries = { Pending: this.b.add('last'), Running: this.b.add('last'), Succeeded: this.b.add('last'), Failed: this.b.add('last'), Unknown: this.b.add('last') };
    this.bindings = this.b.add('sum');
    this.failed = this.b.add('sum');
  }

  /** Snapshot the state into every bucket before `i` not yet filled. */
  private advance(t: Time): number {
    const i = this.b.index(t);
    // index() may have merged buckets in pairs: the bucket in progress moves with them.
    if (this.b.merges > this.merges) {
      this.current = Math.floor(this.current / 2 ** (this.b.merges - this.merges));
      this.merges = this.b.merges;
    }
    while (this.current < i) this.snapshot(this.current++);
    return i;
  }

  private snapshot(i: number): void {
    for (const p of PHASES) this.phaseSeries[p][i] = this.phaseCount[p];
    for (const s of [this.bindings, this.failed]) if (s[i] === undefined) s[i] = 0;
    for (const n of this.nodes.values()) {
      n.series.cpuAlloc[i] = n.cpuCap > 0 ? n.cpuAlloc / n.cpuCap : 0;
      n.series.memAlloc[i] = n.memCap > 0 ? n.memAlloc / n.memCap : 0;
      n.series.cpuUse[i] = n.cpuCap > 0 ? n.cpuUse / n.cpuCap : 0;
      n.series.memUse[i] = n.memCap > 0 ? n.memUse / n.memCap : 0;
    }
    for (const s of this.eventSeries.values()) if (s.counts[i] === undefined) s.counts[i] = 0;
    for (const s of this.evictionSeries.values()) if (s.counts[i] === undefined) s.counts[i] = 0;
  }

  private bump(series: number[], i: number): void {
    series[i] = (series[i] ?? 0) + 1;
  }

  add(r: RunLogRecord): void {
    this.lastT = Math.max(this.lastT, r.t);
    const i = this.advance(r.t);
    if (r.type === 'note') {
      if (r.message === RUN_RESULT_NOTE && typeof r.detail === 'object' && r.detail !== null) this.summary = r.detail as RunSummary;
      return;
    }
    if (r.type === 'action') {
      if (r.action === 'evict') {
        const errors = (r.detail as { errors?: unknown[] } | undefined)?.errors;
        if (!errors || errors.length === 0) this.evicted('evict (timeline)', i);
      }
      return;
    }
    if (r.type === 'event') {
      const e = r.event;
      this.eventTotal++;
      const s = this.eventSeriesFor(e.reason, e.type);
      this.bump(s.counts, i);
      s.total++;
      if (e.reason === 'FailedScheduling') this.bump(this.failed, i);
      if (e.reason === 'Evicted' || e.reason === 'Preempted' || (e.reason === 'TaintManagerEviction' && e.message.startsWith('Marking for deletion'))) this.evicted(e.reason, i);
      return;
    }
    if (r.kind !== 'Pod' && r.kind !== 'Node' && r.kind !== 'NodeMetrics' && r.kind !== 'HorizontalPodAutoscaler') return;
    const key = `${r.kind}/${r.namespace}/${r.name}`;
    let obj: unknown;
    if (r.type === 'create') obj = r.object;
    else if (r.type === 'update') obj = applyMergePatch(this.objects.get(key), r.patch);
    if (r.type === 'delete') this.objects.delete(key);
    else this.objects.set(key, obj);
    if (r.kind === 'Pod') this.pod(key, r.type === 'delete' ? undefined : (obj as Pod), r.t, i, r.type === 'update' && typeof r.patch === 'object' && r.patch !== null && 'spec' in r.patch);
    else if (r.kind === 'Node') this.node(r.name, r.type === 'delete' ? undefined : (obj as Node), i);
    else if (r.kind === 'NodeMetrics') this.nodeMetrics(r.name, r.type === 'delete' ? undefined : obj);
    else this.hpa(`${r.namespace}/${r.name}`, r.type === 'delete' ? undefined : obj, r.t);
  }

  private eventSeriesFor(reason: string, type: string): { type: string; counts: number[]; total: number } {
    let s = this.eventSeries.get(reason);
    if (!s) {
      s = { type, counts: this.b.add('sum'), total: 0 };
      this.eventSeries.set(reason, s);
    }
    return s;
  }

  private evicted(reason: string, i: number): void {
    let s = this.evictionSeries.get(reason);
    if (!s) {
      s = { counts: this.b.add('sum'), total: 0 };
      this.evictionSeries.set(reason, s);
    }
    this.bump(s.counts, i);
    s.total++;
  }

  private place(p: PodState, sign: 1 | -1): void {
    if (!p.node || p.phase === 'Succeeded' || p.phase === 'Failed') return;
    const n = this.nodes.get(p.node);
    if (!n) return;
    n.cpuAlloc += sign * p.cpu;
    n.memAlloc += sign * p.mem;
  }

  private pod(key: string, pod: Pod | undefined, t: Time, i: number, specChanged: boolean): void {
    const old = this.pods.get(key);
    if (old) {
      this.place(old, -1);
      this.phaseCount[old.phase]--;
    }
    if (!pod) {
      this.pods.delete(key);
      return;
    }
    let cpu = old?.cpu ?? 0;
    let mem = old?.mem ?? 0;
    if (!old || specChanged) {
      const req = podRequests(pod);
      cpu = req.get('cpu')?.milliValue() ?? 0;
      mem = req.get('memory')?.value() ?? 0;
    }
    const phase = asPhase(pod.status?.phase);
    const node = pod.spec?.nodeName ?? '';
    const next: PodState = { phase, node, cpu, mem, created: old?.created ?? t, leftPending: old?.leftPending ?? false, bound: old?.bound ?? false };
    if (!old) this.podsCreated++;
    if (node && !next.bound) {
      next.bound = true;
      this.bindTimes.push(t - next.created);
      this.bump(this.bindings, i);
    }
    if (phase !== 'Pending' && !next.leftPending) {
      next.leftPending = true;
      this.pendingTimes.push(t - next.created);
    }
    this.pods.set(key, next);
    this.phaseCount[phase]++;
    this.place(next, 1);
  }

  private node(name: string, node: Node | undefined, i: number): void {
    let n = this.nodes.get(name);
    if (!node) {
      // A deleted node keeps its row; it reads as empty from here on.
      if (n) n.cpuCap = n.memCap = 0;
      return;
    }
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    if (!n) {
      const pad = (): number[] => {
        const v = this.b.add('last');
        for (let j = 0; j < i; j++) v[j] = Number.NaN;
        return v;
      };
      n = { cpuAlloc: 0, memAlloc: 0, cpuCap: 0, memCap: 0, cpuUse: 0, memUse: 0, series: { cpuAlloc: pad(), memAlloc: pad(), cpuUse: pad(), memUse: pad() } };
      this.nodes.set(name, n);
      this.maxNodes = Math.max(this.maxNodes, this.nodes.size);
      // Pods bound before their node was seen now count on it.
      for (const p of this.pods.values()) if (p.node === name && p.phase !== 'Succeeded' && p.phase !== 'Failed') (n.cpuAlloc += p.cpu), (n.memAlloc += p.mem);
    }
    n.cpuCap = qty(alloc['cpu'], true);
    n.memCap = qty(alloc['memory'], false);
  }

  private nodeMetrics(name: string, m: unknown): void {
    const n = this.nodes.get(name);
    if (!n) return;
    const usage = (m as { usage?: { cpu?: string; memory?: string } } | undefined)?.usage;
    this.sawMetrics = this.sawMetrics || usage !== undefined;
    n.cpuUse = usage ? qty(usage.cpu, true) : 0;
    n.memUse = usage ? qty(usage.memory, false) : 0;
  }

  private hpa(name: string, obj: unknown, t: Time): void {
    if (!obj) return;
    const h = obj as {
      spec?: { minReplicas?: number; maxReplicas?: number; metrics?: Array<{ type?: string; resource?: { name?: string; target?: { type?: string } } }> };
      status?: { currentReplicas?: number; desiredReplicas?: number; currentMetrics?: Array<Record<string, { current?: { averageUtilization?: number; averageValue?: string; value?: string }; name?: string; metric?: { name?: string } }>> };
    };
    let s = this.hpas.get(name);
    if (!s) {
      s = { name, replicas: [], desired: [], load: [], loadLabel: 'load', min: h.spec?.minReplicas ?? 1, max: h.spec?.maxReplicas ?? 0 };
      this.hpas.set(name, s);
    }
    s.min = h.spec?.minReplicas ?? 1;
    s.max = h.spec?.maxReplicas ?? s.max;
    const push = (xs: Array<[Time, number]>, v: number | undefined): void => {
      if (v === undefined || !Number.isFinite(v)) return;
      const last = xs[xs.length - 1];
      if (last && last[1] === v) return;
      if (last && last[0] === t) last[1] = v;
      else xs.push([t, v]);
    };
    push(s.replicas, h.status?.currentReplicas);
    push(s.desired, h.status?.desiredReplicas);
    const m = h.status?.currentMetrics?.[0];
    if (m) {
      const type = Object.keys(m).find((k) => k !== 'type');
      const body = type ? m[type] : undefined;
      const cur = body?.current;
      const what = body?.name ?? body?.metric?.name ?? type ?? 'metric';
      if (cur?.averageUtilization !== undefined) {
        s.loadLabel = `${what} utilization (% of request)`;
        push(s.load, cur.averageUtilization);
      } else if (cur?.averageValue !== undefined || cur?.value !== undefined) {
        s.loadLabel = `${what} ${cur.averageValue !== undefined ? 'average value' : 'value'}`;
        push(s.load, qty(cur.averageValue ?? cur.value, false));
      }
    }
  }

  finish(endMs?: Time): ReportData {
    const end = Math.max(endMs ?? this.summary.endTimeMs ?? this.lastT, this.lastT);
    const last = this.advance(end);
    this.snapshot(last);
    const buckets = last + 1;
    const fill = (v: number[]): number[] => Array.from({ length: buckets }, (_, j) => v[j] ?? 0);
    const names = [...this.nodes.keys()].sort(naturalCompare);
    const grid = (pick: (n: NodeState) => number[]): number[][] => names.map((nm) => Array.from({ length: buckets }, (_, j) => pick(this.nodes.get(nm)!)[j] ?? Number.NaN));
    const events = [...this.eventSeries].map(([reason, s]) => ({ reason, type: s.type, counts: fill(s.counts), total: s.total }));
    events.sort((a, b) => b.total - a.total || (a.reason < b.reason ? -1 : 1));
    let shown = events;
    if (events.length > EVENT_REASONS_SHOWN) {
      const rest = events.slice(EVENT_REASONS_SHOWN - 1);
      shown = [...events.slice(0, EVENT_REASONS_SHOWN - 1), { reason: `${rest.length} other reasons`, type: 'Normal', counts: fill([]).map((_, j) => rest.reduce((a, e) => a + e.counts[j]!, 0)), total: rest.reduce((a, e) => a + e.total, 0) }];
    }
    const pendingSorted = [...this.pendingTimes].sort((a, b) => a - b);
    const stillPending = [...this.pods.values()].filter((p) => !p.leftPending).length;
    return {
      summary: this.summary,
      endMs: end,
      bucketWidth: this.b.width,
      buckets,
      podsByPhase: { Pending: fill(this.phaseSeries.Pending), Running: fill(this.phaseSeries.Running), Succeeded: fill(this.phaseSeries.Succeeded), Failed: fill(this.phaseSeries.Failed), Unknown: fill(this.phaseSeries.Unknown) },
      podsCreated: this.podsCreated,
      maxNodes: this.maxNodes,
      bindings: fill(this.bindings),
      failedAttempts: fill(this.failed),
      pendingTime: percentiles(this.pendingTimes),
      bindTime: percentiles(this.bindTimes),
      stillPending,
      pendingHistogram: histogram(pendingSorted),
      nodes: names,
      cpuAlloc: grid((n) => n.series.cpuAlloc),
      memAlloc: grid((n) => n.series.memAlloc),
      ...(this.sawMetrics ? { cpuUse: grid((n) => n.series.cpuUse), memUse: grid((n) => n.series.memUse) } : {}),
      events: shown,
      eventTotal: this.eventTotal,
      evictions: [...this.evictionSeries].map(([reason, s]) => ({ reason, counts: fill(s.counts), total: s.total })).sort((a, b) => (a.reason < b.reason ? -1 : 1)),
      hpas: [...this.hpas.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  }
}

/** Up to 12 bins of equal width over [0, max] (ms). */
function histogram(sorted: readonly number[]): { edges: number[]; counts: number[] } {
  if (sorted.length === 0) return { edges: [], counts: [] };
  const max = sorted[sorted.length - 1]!;
  const bins = Math.min(12, Math.max(1, sorted.length));
  const width = Math.max(1, Math.ceil((max + 1) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const x of sorted) counts[Math.min(bins - 1, Math.floor(x / width))]!++;
  return { edges: Array.from({ length: bins + 1 }, (_, k) => k * width), counts };
}

/** Read a run log's NDJSON text into report data; a line that is not a record is an error naming it. */
export function reportFromNdjson(text: string, source: string): ReportData {
  const b = new ReportBuilder();
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new ReportInputError(`${source}:${lineNo}: not a JSON line (is this a run log from 'ksim run --log'?)`);
    }
    if (typeof r !== 'object' || r === null || typeof (r as { t?: unknown }).t !== 'number' || typeof (r as { type?: unknown }).type !== 'string') {
      throw new ReportInputError(`${source}:${lineNo}: not a run log record (want an object with t and type)`);
    }
    b.add(r as RunLogRecord);
  }
  if (lineNo === 0 || text.trim() === '') throw new ReportInputError(`${source}: the run log is empty`);
  return b.finish();
}

export class ReportInputError extends Error {}
