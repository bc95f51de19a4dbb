/**
 * ksim's model of a node's NUMA layout. Upstream has no API object for this: the
 * kubelet reads it from cAdvisor (MachineInfo.Topology) and its CPU, memory and
 * device managers act on it. ksim stores the layout on the Node as JSON in the
 * `ksim.dev/numa-topology` annotation so kubelet models (topology manager and its
 * hint providers, v1.31 semantics) can read it. Memory and hugepages are
 * Quantity strings; devices are counts of an extended resource per NUMA node.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { fieldPath, type FieldError } from './errors.ts';
import { Quantity } from './quantity.ts';

export const NUMA_TOPOLOGY_ANNOTATION = 'ksim.dev/numa-topology';

export interface NumaNode {
  id: number;
  cpus: number[];
  memory: string;
  hugepages?: Record<string, string>;
  devices?: Record<string, number>;
  /** The socket (physical package) holding this NUMA node; default: the NUMA node's own id. */
  socket?: number;
  /** NUMA distances (SLIT) indexed by NUMA node id, as cAdvisor reports them; default 10 to itself, 20 to others. */
  distances?: number[];
}

export interface NumaLayout {
  nodes: NumaNode[];
  threadsPerCore?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Check a layout's shape and consistency: unique NUMA ids and CPU ids, valid
 * quantities, and, when the node's capacity is given, CPUs that add up to the cpu
 * capacity and memory that fits in the memory capacity.
 */
export function validateNumaLayout(layout: unknown, path: string, capacity?: Record<string, string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(layout)) return [{ path, type: 'TypeInvalid', value: layout, detail: 'must be an object' }];
  for (const k of Object.keys(layout)) {
    if (k !== 'nodes' && k !== 'threadsPerCore') errs.push({ path: fieldPath.child(path, k), type: 'FieldValueUnknown', detail: '' });
  }
  const tpc = layout['threadsPerCore'];
  if (tpc !== undefined && (!isNonNegInt(tpc) || tpc < 1)) {
    errs.push({ path: fieldPath.child(path, 'threadsPerCore'), type: 'Invalid', value: tpc, detail: 'must be greater than or equal to 1' });
  }
  const nodesPath = fieldPath.child(path, 'nodes');
  const nodes = layout['nodes'];
  if (!Array.isArray(nodes)) {
    errs.push(nodes === undefined ? { path: nodesPath, type: 'Required', detail: '' } : { path: nodesPath, type: 'TypeInvalid', value: nodes, detail: 'must be an array' });
    return errs;
  }
  if (nodes.length === 0) errs.push({ path: nodesPath, type: 'Required', detail: 'at least one NUMA node is required' });
  const ids = new Set<number>();
  const cpus = new Set<number>();
  let totalMem = Quantity.zero('BinarySI');
  nodes.forEach((n, i) => {
    const p = fieldPath.index(nodesPath, i);
    if (!isRecord(n)) return void errs.push({ path: p, type: 'TypeInvalid', value: n, detail: 'must be an object' });
    for (const k of Object.keys(n)) {
      if (!['id', 'cpus', 'memory', 'hugepages', 'devices', 'socket', 'distances'].includes(k)) errs.push({ path: fieldPath.child(p, k), type: 'FieldValueUnknown', detail: '' });
    }
    const id = n['id'];
    if (!isNonNegInt(id)) errs.push({ path: fieldPath.child(p, 'id'), type: 'Invalid', value: id, detail: 'must be a non-negative integer' });
    else if (ids.has(id)) errs.push({ path: fieldPath.child(p, 'id'), type: 'Duplicate', value: id, detail: '' });
    else ids.add(id);
    const c = n['cpus'];
    if (!Array.isArray(c)) {
      errs.push({ path: fieldPath.child(p, 'cpus'), type: c === undefined ? 'Required' : 'TypeInvalid', value: c, detail: c === undefined ? '' : 'must be an array' });
    } else {
      c.forEach((cpu, j) => {
        const cp = fieldPath.index(fieldPath.child(p, 'cpus'), j);
        if (!isNonNegInt(cpu)) errs.push({ path: cp, type: 'Invalid', value: cpu, detail: 'must be a non-negative integer' });
        else if (cpus.has(cpu)) errs.push({ path: cp, type: 'Duplicate', value: cpu, detail: '' });
        else cpus.add(cpu);
      });
    }
    const mem = n['memory'];
    const mq = typeof mem === 'string' || typeof mem === 'number' ? Quantity.tryParse(mem) : undefined;
    if (mem === undefined) errs.push({ path: fieldPath.child(p, 'memory'), type: 'Required', detail: '' });
    else if (mq === undefined) errs.push({ path: fieldPath.child(p, 'memory'), type: 'Invalid', value: mem, detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
    else if (mq.sign() < 0) errs.push({ path: fieldPath.child(p, 'memory'), type: 'Invalid', value: mem, detail: 'must be greater than or equal to 0' });
    else totalMem = totalMem.add(mq);
    const hp = n['hugepages'];
    if (hp !== undefined) {
      if (!isRecord(hp)) errs.push({ path: fieldPath.child(p, 'hugepages'), type: 'TypeInvalid', value: hp, detail: 'must be an object' });
      else
        for (const [k, v] of Object.entries(hp)) {
          const kp = fieldPath.key(fieldPath.child(p, 'hugepages'), k);
          if (!k.startsWith('hugepages-')) errs.push({ path: kp, type: 'Invalid', value: k, detail: 'must be a hugepages resource name (hugepages-<size>)' });
          const q = typeof v === 'string' || typeof v === 'number' ? Quantity.tryParse(v) : undefined;
          if (q === undefined || q.sign() < 0) errs.push({ path: kp, type: 'Invalid', value: v, detail: 'must be a non-negative quantity' });
        }
    }
    const socket = n['socket'];
    if (socket !== undefined && !isNonNegInt(socket)) errs.push({ path: fieldPath.child(p, 'socket'), type: 'Invalid', value: socket, detail: 'must be a non-negative integer' });
    const dist = n['distances'];
    if (dist !== undefined && (!Array.isArray(dist) || dist.length !== nodes.length || !dist.every(isNonNegInt))) {
      errs.push({ path: fieldPath.child(p, 'distances'), type: 'Invalid', value: dist, detail: `must list one non-negative integer distance per NUMA node (${nodes.length})` });
    }
    const dev = n['devices'];
    if (dev !== undefined) {
      if (!isRecord(dev)) errs.push({ path: fieldPath.child(p, 'devices'), type: 'TypeInvalid', value: dev, detail: 'must be an object' });
      else
        for (const [k, v] of Object.entries(dev)) {
          if (!isNonNegInt(v)) errs.push({ path: fieldPath.key(fieldPath.child(p, 'devices'), k), type: 'Invalid', value: v, detail: 'must be a non-negative integer' });
        }
    }
  });
  // Sockets hold equally many CPUs on real machines, and the CPU Manager assumes it (CPUsPerSocket).
  if (errs.length === 0 && nodes.some((n) => isRecord(n) && n['socket'] !== undefined)) {
    const perSocket = new Map<number, number>();
    for (const n of nodes as Array<Record<string, unknown>>) {
      const s = (n['socket'] as number | undefined) ?? (n['id'] as number);
      perSocket.set(s, (perSocket.get(s) ?? 0) + (n['cpus'] as unknown[]).length);
    }
    if (new Set(perSocket.values()).size > 1) {
      errs.push({ path: nodesPath, type: 'Invalid', value: Object.fromEntries(perSocket), detail: 'every socket must hold the same number of CPUs' });
    }
  }
  if (capacity && errs.length === 0) {
    const capCpu = capacity['cpu'] !== undefined ? Quantity.tryParse(capacity['cpu']) : undefined;
    if (capCpu && capCpu.milliValue() !== cpus.size * 1000) {
      errs.push({ path: nodesPath, type: 'Invalid', value: cpus.size, detail: `total number of CPUs must equal the node's cpu capacity (${capCpu.toString()})` });
    }
    const capMem = capacity['memory'] !== undefined ? Quantity.tryParse(capacity['memory']) : undefined;
    if (capMem && totalMem.cmp(capMem) > 0) {
      errs.push({ path: nodesPath, type: 'Invalid', value: totalMem.toString(), detail: `total memory must not exceed the node's memory capacity (${capMem.toString()})` });
    }
  }
  return errs;
}

export type NumaParseResult = { layout: NumaLayout; errors: [] } | { layout: undefined; errors: FieldError[] };

/** Read and validate the layout from a Node's annotation; undefined layout with no errors when absent. */
export function numaLayoutOf(node: Node): NumaParseResult | undefined {
  const raw = node.metadata?.annotations?.[NUMA_TOPOLOGY_ANNOTATION];
  if (raw === undefined) return undefined;
  const path = `metadata.annotations[${NUMA_TOPOLOGY_ANNOTATION}]`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { layout: undefined, errors: [{ path, type: 'Invalid', value: raw, detail: `must be JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const errors = validateNumaLayout(parsed, path, node.status?.capacity as Record<string, string> | undefined);
  if (errors.length) return { layout: undefined, errors };
  return { layout: parsed as NumaLayout, errors: [] };
}

/**
 * An even split: `cpus` CPU ids 0..cpus-1 dealt out in contiguous blocks (the first
 * NUMA nodes take the remainder), memory split equally in bytes (the remainder to
 * node 0).
 */
export function uniformNumaLayout(numaNodes: number, cpus: number, memory: string): NumaLayout {
  if (!Number.isInteger(numaNodes) || numaNodes < 1) throw new RangeError(`numaNodes must be a positive integer, got ${numaNodes}`);
  if (!Number.isInteger(cpus) || cpus < 0) throw new RangeError(`cpus must be a non-negative integer, got ${cpus}`);
  const total = BigInt(Quantity.parse(memory).value());
  const n = BigInt(numaNodes);
  const per = total / n;
  const rem = total % n;
  const base = Math.floor(cpus / numaNodes);
  const extra = cpus % numaNodes;
  const nodes: NumaNode[] = [];
  let next = 0;
  for (let i = 0; i < numaNodes; i++) {
    const count = base + (i < extra ? 1 : 0);
    const ids: number[] = [];
    for (let j = 0; j < count; j++) ids.push(next++);
    const bytes = per + (i === 0 ? rem : 0n);
    nodes.push({ id: i, cpus: ids, memory: Quantity.fromValue(bytes, 'BinarySI').toString() });
  }
  return { nodes };
}
