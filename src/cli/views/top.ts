/**
 * `kubectl top nodes|pods` (kubectl's metricsutil printer): usage from the
 * metrics-server's NodeMetrics/PodMetrics objects, CPU in millicores and
 * memory in Mi (integer division), node percentages of allocatable
 * truncated; every column tab-terminated, as kubectl writes them. Nodes
 * without metrics get <unknown> columns. No metrics objects at all is
 * kubectl's "error: Metrics API not available".
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.ts';
import type { KObject } from '../../sim/types.ts';
import type { ClusterView } from './cluster.ts';
import type { ViewOutput } from './get.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

interface Usage {
  cpu?: string;
  memory?: string;
}

function q(s: string | undefined): Quantity {
  return (s !== undefined ? Quantity.tryParse(s) : undefined) ?? Quantity.zero();
}

const cpuCell = (x: Quantity): string => `${x.milliValue()}m`;
const memCell = (x: Quantity): string => `${Math.trunc(x.value() / (1024 * 1024))}Mi`;

export function runTop(view: ClusterView, what: 'nodes' | 'pods', namespace: string | undefined): ViewOutput {
  const nodeMetrics = view.list('NodeMetrics');
  const podMetrics = view.list('PodMetrics', what === 'pods' ? namespace : undefined);
  if (nodeMetrics.length === 0 && view.list('PodMetrics').length === 0) return { stdout: '', stderr: 'error: Metrics API not available\n', exitCode: 1 };
  const lines: string[] = [];
  if (what === 'nodes') {
    const byName = new Map(nodeMetrics.map((m) => [m.metadata?.name ?? '', m]));
    const nodes = view.list('Node') as unknown as Node[];
    lines.push('NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t');
    const missing: string[] = [];
    for (const n of nodes) {
      const name = n.metadata?.name ?? '';
      const m = byName.get(name) as (KObject & { usage?: Usage }) | undefined;
      if (!m) {
        missing.push(name);
        continue;
      }
      const alloc = (n.status?.allocatable ?? {}) as Record<string, string>;
      const cpu = q(m.usage?.cpu);
      const mem = q(m.usage?.memory);
      const pctOf = (v: Quantity, a: string | undefined): string => {
        const av = q(a).milliValue();
        return `${av === 0 ? 0 : Math.trunc((v.milliValue() / av) * 100)}%`;
      };
      lines.push(`${name}\t${cpuCell(cpu)}\t${pctOf(cpu, alloc['cpu'])}\t${memCell(mem)}\t${pctOf(mem, alloc['memory'])}\t`);
    }
    for (const name of missing) lines.push(`${name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t`);
  } else {
    if (podMetrics.length === 0) {
      return { stdout: '', stderr: namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`, exitCode: 0 };
    }
    const withNs = namespace === undefined;
    lines.push(`${withNs ? 'NAMESPACE\t' : ''}NAME\tCPU(cores)\tMEMORY(bytes)\t`);
    for (const m of podMetrics as (KObject & { containers?: { usage?: Usage }[] })[]) {
      let cpu = Quantity.zero();
      let mem = Quantity.zero();
      for (const c of m.containers ?? []) {
        cpu = cpu.add(q(c.usage?.cpu));
        mem = mem.add(q(c.usage?.memory));
      }
      lines.push(`${withNs ? `${m.metadata?.namespace ?? ''}\t` : ''}${m.metadata?.name ?? ''}\t${cpuCell(cpu)}\t${memCell(mem)}\t`);
    }
  }
  return { stdout: tabwrite(`${lines.join('\n')}\n`, GET_TABWRITER), stderr: '', exitCode: 0 };
}
