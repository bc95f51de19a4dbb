/**
 * The human-readable result of a run (`ksim run`, the default output): a
 * header, nodes as `kubectl get nodes` + `kubectl describe node`'s
 * "Allocated resources" would show them, pods by phase per namespace,
 * events by reason, and expectations. Large clusters are summarised.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { getBorderCharacters, table } from 'table';
import { formatDuration } from '../../api/duration.ts';
import { Quantity } from '../../api/quantity.ts';
import { podRequests } from '../../api/resources.ts';
import type { RunResult } from '../../scenario/run.ts';
import { summarySections, type SummaryOptions } from './summary.ts';

/** Above this many nodes the node table is summarised. */
export const NODE_DETAIL_LIMIT = 50;
export const TOP_NODES = 10;

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/** kubectl-like columns: no borders, blank padding between columns, no trailing blank lines. */
export function grid(rows: string[][]): string {
  return table(rows, {
    border: getBorderCharacters('void'),
    columnDefault: { paddingLeft: 0, paddingRight: 3 },
    drawHorizontalLine: () => false,
  })
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l, i, all) => l !== '' || i < all.length - 1)
    .join('\n');
}

/**
 * `kubectl get nodes` STATUS: Ready/NotReady (Unknown without a Ready
 * condition), plus ",SchedulingDisabled" when cordoned.
 */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  let s = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

export interface NodeUsage {
  name: string;
  status: string;
  cpu: string;
  memory: string;
  cpuMilli: number;
  pods: string;
}

function isTerminated(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** "900m (60%)": requests and their share of allocatable, truncated as kubectl describe does. */
function allocated(req: Quantity | undefined, alloc: Quantity | undefined, milli: boolean): string {
  const q = req ?? Quantity.zero();
  const r = milli ? q.milliValue() : q.value();
  const a = alloc ? (milli ? alloc.milliValue() : alloc.value()) : 0;
  const pct = a !== 0 ? Math.trunc((r / a) * 100) : 0;
  return `${q.toString()} (${pct}%)`;
}

export function nodeUsage(nodes: readonly Node[], pods: readonly Pod[]): NodeUsage[] {
  const requestsOf = podRequestsMemo();
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n || isTerminated(p)) continue;
    let list = byNode.get(n);
    if (!list) byNode.set(n, (list = []));
    list.push(p);
  }
  return nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const onNode = byNode.get(name) ?? [];
    // Summed as kubectl's getPodsTotalRequestsAndLimits: the first value copied, the rest added.
    let cpu: Quantity | undefined;
    let memory: Quantity | undefined;
    for (const p of onNode) {
      const req = requestsOf(p);
      const c = req.get('cpu');
      const m = req.get('memory');
      if (c) cpu = cpu ? cpu.add(c) : c;
      if (m) memory = memory ? memory.add(m) : m;
    }
    const alloc = (node.status?.allocatable ?? {}) as Record<string, string>;
    const allocQ = (k: string): Quantity | undefined => (alloc[k] !== undefined ? Quantity.tryParse(alloc[k]) : undefined);
    return {
      name,
      status: nodeStatus(node),
      cpu: allocated(cpu, allocQ('cpu'), true),
      memory: allocated(memory, allocQ('memory'), false),
      cpuMilli: cpu?.milliValue() ?? 0,
      pods: `${onNode.length}/${alloc['pods'] ?? '?'}`,
    };
  });
}

/**
 * podRequests, answered again for a pod whose spec parts it reads (containers,
 * init containers, pod-level resources, overhead) are the very objects of the
 * previous pod's. Stored pods are frozen, and a binding copies only the spec's
 * top level, so the pods of one template share those parts: 150,000 pods were
 * 150,000 parses of the same quantities into new Maps when the table was drawn.
 */
function podRequestsMemo(): (p: Pod) => ReturnType<typeof podRequests> {
  let last: { containers: unknown; init: unknown; resources: unknown; overhead: unknown; req: ReturnType<typeof podRequests> } | undefined;
  return (p) => {
    const spec = p.spec as (Pod['spec'] & { resources?: unknown }) | undefined;
    // Identity stands for content only for frozen (stored) parts.
    if (spec === undefined || !Object.isFrozen(spec.containers) || !fixed(spec.initContainers) || !fixed(spec.resources) || !fixed(spec.overhead)) return podRequests(p);
    if (last && last.containers === spec.containers && last.init === spec.initContainers && last.resources === spec.resources && last.overhead === spec.overhead) return last.req;
    const req = podRequests(p);
    last = { containers: spec.containers, init: spec.initContainers, resources: spec.resources, overhead: spec.overhead, req };
    return req;
  };
}

/** Absent, or a frozen object. */
function fixed(v: unknown): boolean {
  return v === undefined || (typeof v === 'object' && v !== null && Object.isFrozen(v));
}

export function renderTable(r: RunResult, opts: SummaryOptions = {}): string {
  const store = r.sim.store;
  const nodes = store.list('Node') as unknown as Node[];
  const pods = store.list('Pod') as unknown as Pod[];
  const out: string[] = [];
  out.push(`Scenario: ${r.name}`);
  out.push(`Seed:     ${r.seed}`);
  out.push(`End:      ${formatDuration(r.endTimeMs)} (${r.endTime})`);

  const usage = nodeUsage(nodes, pods);
  const header = ['NAME', 'STATUS', 'CPU REQUESTS', 'MEMORY REQUESTS', 'PODS'];
  const row = (u: NodeUsage): string[] => [u.name, u.status, u.cpu, u.memory, u.pods];
  out.push('', `Nodes (${nodes.length})`);
  if (nodes.length === 0) out.push('  (none)');
  else if (nodes.length <= NODE_DETAIL_LIMIT) out.push(grid([header, ...usage.map(row)]));
  else {
    const counts = new Map<string, number>();
    for (const u of usage) counts.set(u.status, (counts.get(u.status) ?? 0) + 1);
    out.push(`More than ${NODE_DETAIL_LIMIT} nodes: counts by status, then the ${TOP_NODES} nodes with the most CPU requested.`);
    out.push(grid([['STATUS', 'NODES'], ...[...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([s, n]) => [s, String(n)])]));
    out.push('');
    const top = [...usage].sort((a, b) => b.cpuMilli - a.cpuMilli || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, TOP_NODES);
    out.push(grid([header, ...top.map(row)]));
  }

  out.push('', `Pods (${pods.length})`);
  if (pods.length === 0) out.push('  (none)');
  else {
    const byNs = new Map<string, number[]>();
    for (const p of pods) {
      const ns = p.metadata?.namespace ?? 'default';
      let c = byNs.get(ns);
      if (!c) byNs.set(ns, (c = PHASES.map(() => 0)));
      const i = PHASES.indexOf(p.status?.phase ?? 'Pending');
      c[i < 0 ? PHASES.length - 1 : i]!++;
    }
    const rows = [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ns, c]) => [ns, ...c.map(String), String(c.reduce((x, y) => x + y, 0))]);
    out.push(grid([['NAMESPACE', ...PHASES.map((p) => p.toUpperCase()), 'TOTAL'], ...rows]));
  }

  // Which pods are not Running and why, and the workloads' READY counts.
  out.push(...summarySections(r, grid, opts));

  const events = r.sim.events();
  out.push('', `Events (${events.length})`);
  if (events.length === 0) out.push('  (none)');
  else {
    const byReason = new Map<string, { type: string; reason: string; count: number }>();
    for (const e of events) {
      const k = `${e.type}\u0000${e.reason}`;
      const g = byReason.get(k) ?? { type: e.type, reason: e.reason, count: 0 };
      g.count += e.count;
      byReason.set(k, g);
    }
    const rows = [...byReason.values()].sort((a, b) => (a.type !== b.type ? (a.type < b.type ? -1 : 1) : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    out.push(grid([['TYPE', 'REASON', 'COUNT'], ...rows.map((g) => [g.type, g.reason, String(g.count)])]));
  }

  if (r.expectations.length > 0) {
    const passed = r.expectations.filter((e) => e.passed).length;
    out.push('', `Expectations (${passed}/${r.expectations.length} passed)`);
    out.push(
      grid([
        ['RESULT', 'AT', 'EXPECTATION', 'ACTUAL'],
        ...r.expectations.map((e) => [e.passed ? 'PASS' : 'FAIL', e.at, e.expectation + (e.note ? ` (${e.note})` : ''), e.actual]),
      ]),
    );
  }
  if (r.warnings.length > 0) {
    out.push('', 'Warnings');
    for (const w of r.warnings) out.push(`  ${w}`);
  }
  return `${out.join('\n')}\n`;
}
