/**
 * `kubectl get` over a moment of a run: the table of one or more kinds
 * (NAMESPACE column first with -A, a blank line and `kind/name` names when
 * several kinds are listed), -o wide|name|yaml|json, label and field
 * selectors, kubectl's messages for nothing found. Pure: the CLI and the
 * stepping prompt both print what this returns.
 */
import { stringify } from 'yaml';
import type { KindInfo } from '../../api/discovery.ts';
import { parseSelector, type Selector } from '../../api/labels.ts';
import { eventJson, eventName } from '../../scenario/output.ts';
import { parseRFC3339 } from '../../sim/time.ts';
import type { KObject, RecordedEvent } from '../../sim/types.ts';
import { UsageError } from '../io.ts';
import type { ClusterView } from './cluster.ts';
import { FieldSelector, objectField } from './fieldSelector.ts';
import { DEFAULT_PRINTER, eventRow, eventWideRow, PRINTERS, type PrintContext } from './printers.ts';
import { nameResource, qualifiedResource, resolveKind } from './resources.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

export type OutputFormat = 'table' | 'wide' | 'name' | 'yaml' | 'json';

export interface GetRequest {
  /** As typed: "pods", "po,deploy", "pod/web-1". */
  resource: string;
  names: string[];
  /** undefined: all namespaces (-A). */
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  output: OutputFormat;
  /** --sort-by: a JSONPath field such as .metadata.name or {.lastTimestamp}. */
  sortBy?: string;
  /** --no-headers: the rows only. */
  noHeaders?: boolean;
}

export interface ViewOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function parseOutput(o: string | undefined): OutputFormat {
  if (o === undefined) return 'table';
  if (o === 'wide' || o === 'name' || o === 'yaml' || o === 'json') return o;
  throw new UsageError(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,wide,yaml`);
}

/** kubectl's -o json/yaml: keys sorted as the unstructured map is, at every level. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

export function serialize(doc: unknown, format: 'yaml' | 'json'): string {
  const sorted = sortKeys(doc);
  return format === 'json' ? `${JSON.stringify(sorted, null, 4)}\n` : stringify(sorted, { lineWidth: 0 });
}

function listDocument(items: unknown[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

interface Found {
  info: KindInfo;
  objects: KObject[];
  events?: RecordedEvent[];
}

function eventNamespace(e: RecordedEvent): string {
  return e.involvedObject.namespace || 'default';
}

function selectEvents(view: ClusterView, req: GetRequest, fields: FieldSelector | undefined): RecordedEvent[] {
  const evs = view.events().filter((e) => req.namespace === undefined || eventNamespace(e) === req.namespace);
  const field = (e: RecordedEvent, f: string): string => {
    const io = e.involvedObject as unknown as Record<string, string | undefined>;
    if (f.startsWith('involvedObject.')) return io[f.slice('involvedObject.'.length)] ?? '';
    if (f === 'metadata.namespace') return eventNamespace(e);
    if (f === 'reason') return e.reason;
    if (f === 'type') return e.type;
    if (f === 'source') return e.source.component;
    return '';
  };
  const chosen = fields ? evs.filter((e) => fields.matches((f) => field(e, f))) : evs;
  // The API server lists Events by namespace, then name (<object name>.<hex time>): object, then time.
  return [...chosen].sort((a, b) => {
    const na = eventNamespace(a);
    const nb = eventNamespace(b);
    if (na !== nb) return na < nb ? -1 : 1;
    if (a.involvedObject.name !== b.involvedObject.name) return a.involvedObject.name < b.involvedObject.name ? -1 : 1;
    return a.firstTimestamp - b.firstTimestamp;
  });
}

/** --sort-by's JSONPath: ".a.b" or "{.a.b}" (kubectl wraps a bare path in braces). */
function sortPath(expr: string): string[] {
  const m = /^\{?\.?([A-Za-z0-9_.-]+)\}?$/.exec(expr.trim());
  if (!m) throw new UsageError(`couldn't parse --sort-by ${JSON.stringify(expr)}: only a field path such as .metadata.name is supported`);
  return m[1]!.split('.');
}

function fieldAt(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** kubectl's sorter: numbers by value, everything else by its string (RFC 3339 times sort as times); missing first; stable. */
function sortByField<T>(items: readonly T[], value: (x: T) => unknown): T[] {
  const keyed = items.map((x, i) => ({ x, i, v: value(x) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? -1 : 1;
    if (typeof a.v === 'number' && typeof b.v === 'number') return a.v - b.v || a.i - b.i;
    const sa = typeof a.v === 'object' ? JSON.stringify(a.v) : String(a.v);
    const sb = typeof b.v === 'object' ? JSON.stringify(b.v) : String(b.v);
    return sa < sb ? -1 : sa > sb ? 1 : a.i - b.i;
  });
  return keyed.map((k) => k.x);
}

export function runGet(view: ClusterView, req: GetRequest): ViewOutput {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  let resource = req.resource;
  const names = [...req.names];
  const slash = resource.indexOf('/');
  if (slash >= 0) {
    names.unshift(resource.slice(slash + 1));
    resource = resource.slice(0, slash);
  }
  // kubectl's "all" category, in its order.
  const expanded = resource
    .split(',')
    .flatMap((r) => (r.toLowerCase() === 'all' ? ['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'cronjobs', 'jobs'] : [r]));
  const infos = expanded.filter((r) => r !== '').map(resolveKind);
  if (names.length > 0 && req.namespace === undefined && infos.some((i) => i.namespaced)) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  if (infos.length === 0) throw new UsageError('you must specify the type of resource to get');
  let labels: Selector | undefined;
  if (req.labelSelector !== undefined) {
    try {
      labels = parseSelector(req.labelSelector);
    } catch (e) {
      throw new UsageError(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const found: Found[] = [];
  for (const info of infos) {
    const fields = req.fieldSelector !== undefined ? FieldSelector.parse(req.fieldSelector, info.kind) : undefined;
    const ns = info.namespaced ? req.namespace : undefined;
    if (info.kind === 'Event') {
      let evs = selectEvents(view, req, fields);
      if (req.sortBy !== undefined) {
        const epoch = parseRFC3339(view.timestamp(0));
        const path = sortPath(req.sortBy);
        evs = sortByField(evs, (e) => fieldAt(eventJson(e, epoch, (t) => view.timestamp(t)), path));
      }
      found.push({ info, objects: [], events: evs });
      continue;
    }
    let objects: KObject[];
    if (names.length > 0) {
      objects = [];
      for (const name of names) {
        const o = view.get(info.kind, info.namespaced ? (req.namespace ?? 'default') : '', name);
        if (o) objects.push(o);
        else {
          stderr += `Error from server (NotFound): ${qualifiedResource(info)} "${name}" not found\n`;
          exitCode = 1;
        }
      }
    } else objects = view.list(info.kind, ns);
    if (labels) objects = objects.filter((o) => labels!.matches(o.metadata?.labels ?? undefined));
    if (fields) objects = objects.filter((o) => fields.matches((f) => objectField(o, f)));
    if (req.sortBy !== undefined) {
      const path = sortPath(req.sortBy);
      objects = sortByField(objects, (o) => fieldAt(o, path));
    }
    found.push({ info, objects });
  }

  const total = found.reduce((n, f) => n + f.objects.length + (f.events?.length ?? 0), 0);
  if (req.output === 'yaml' || req.output === 'json') {
    const epoch = parseRFC3339(view.timestamp(0));
    const taken = new Set<string>();
    const items: unknown[] = [];
    for (const f of found) {
      for (const o of f.objects) items.push(o);
      for (const e of f.events ?? []) items.push(eventJson(e, epoch, (t) => view.timestamp(t), taken));
    }
    if (items.length === 1 && names.length === 1 && infos.length === 1) stdout += serialize(items[0], req.output);
    else if (items.length > 0 || exitCode === 0) stdout += serialize(listDocument(items), req.output);
    return { stdout, stderr, exitCode };
  }
  if (total === 0) {
    if (exitCode === 0) stderr += req.namespace === undefined || infos.every((i) => !i.namespaced) ? 'No resources found\n' : `No resources found in ${req.namespace} namespace.\n`;
    return { stdout, stderr, exitCode };
  }
  const prefix = infos.length > 1;
  if (req.output === 'name') {
    for (const f of found) {
      for (const o of f.objects) stdout += `${nameResource(f.info)}/${o.metadata?.name ?? ''}\n`;
      for (const e of f.events ?? []) stdout += `event/${e.involvedObject.name}\n`;
    }
    return { stdout, stderr, exitCode };
  }
  const ctx: PrintContext = { now: view.now, view, wide: req.output === 'wide' };
  const tables: string[] = [];
  for (const f of found) {
    if (f.objects.length === 0 && (f.events?.length ?? 0) === 0) continue;
    const withNs = req.namespace === undefined && f.info.namespaced;
    const rows: string[][] = [];
    if (f.info.kind === 'Event') {
      const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', ...(ctx.wide ? ['SUBOBJECT', 'SOURCE'] : []), 'MESSAGE', ...(ctx.wide ? ['FIRST SEEN', 'COUNT', 'NAME'] : [])];
      rows.push(withNs ? ['NAMESPACE', ...header] : header);
      const epoch = parseRFC3339(view.timestamp(0));
      for (const e of f.events ?? []) {
        const cells = ctx.wide ? eventWideRow(e, view.now, eventName(e.involvedObject.name, epoch + e.firstTimestamp)) : eventRow(e, view.now);
        rows.push(withNs ? [eventNamespace(e), ...cells] : cells);
      }
    } else {
      const p = PRINTERS[f.info.kind] ?? DEFAULT_PRINTER;
      const header = [...p.columns, ...(ctx.wide ? (p.wideColumns ?? []) : [])];
      rows.push(withNs ? ['NAMESPACE', ...header] : header);
      for (const o of f.objects) {
        const cells = [...p.row(o, ctx), ...(ctx.wide && p.wideRow ? p.wideRow(o, ctx) : [])];
        if (prefix) cells[0] = `${nameResource(f.info)}/${cells[0]}`;
        rows.push(withNs ? [o.metadata?.namespace ?? '', ...cells] : cells);
      }
    }
    if (req.noHeaders) rows.shift();
    tables.push(tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', GET_TABWRITER));
  }
  stdout += tables.join('\n');
  return { stdout, stderr, exitCode };
}
