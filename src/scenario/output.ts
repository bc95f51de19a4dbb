/**
 * The machine-readable result of a run (`ksim run --output json`): one JSON
 * document with every object as Kubernetes JSON (sorted by kind, namespace,
 * name), every Event as core/v1 Event JSON in recorded order, the
 * expectation results and warnings. Byte-identical for the same inputs and
 * seed: no wall clock, no host-dependent order.
 */
import type { KObject, RecordedEvent } from '../sim/types.ts';
import { parseRFC3339 } from './rfc3339.ts';
import type { RunResult } from './run.ts';

/** Kubernetes' field order for the top of an object (as kubectl prints it). */
const TOP = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

function ordered(o: KObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of TOP) if (o[k] !== undefined) out[k] = o[k];
  for (const k of Object.keys(o)) if (!TOP.includes(k)) out[k] = o[k];
  return out;
}

/**
 * Upstream names an Event `<object name>.<hex of creation time in Unix
 * nanoseconds>` (client-go's recorder: fmt.Sprintf("%v.%x", name, t.UnixNano())).
 */
export function eventName(involvedName: string, unixMs: number, extraNanos = 0n): string {
  return `${involvedName}.${(BigInt(unixMs) * 1_000_000n + extraNanos).toString(16)}`;
}

/** A recorded event as core/v1 Event JSON, fields in the Go struct's order. */
export function eventJson(ev: RecordedEvent, epochMs: number, timestamp: (t: number) => string, taken?: Set<string>): Record<string, unknown> {
  const io = ev.involvedObject;
  const involvedObject: Record<string, unknown> = { kind: io.kind };
  if (io.namespace) involvedObject['namespace'] = io.namespace;
  involvedObject['name'] = io.name;
  if (io.uid) involvedObject['uid'] = io.uid;
  if (io.apiVersion) involvedObject['apiVersion'] = io.apiVersion;
  if (io.resourceVersion) involvedObject['resourceVersion'] = io.resourceVersion;
  if (io.fieldPath) involvedObject['fieldPath'] = io.fieldPath;
  const source: Record<string, unknown> = {};
  if (ev.source.component) source['component'] = ev.source.component;
  if (ev.source.host) source['host'] = ev.source.host;
  // Virtual time has millisecond resolution, so two events about one object
  // can share an instant; upstream's nanosecond clock would tell them apart.
  // Keep names unique as if each later one came a nanosecond after.
  const namespace = io.namespace || 'default';
  let nanos = 0n;
  let name = eventName(io.name, epochMs + ev.firstTimestamp);
  while (taken?.has(`${namespace}/${name}`)) name = eventName(io.name, epochMs + ev.firstTimestamp, ++nanos);
  taken?.add(`${namespace}/${name}`);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      // Events about cluster-scoped objects go to the default namespace, as client-go's recorder does.
      namespace,
      creationTimestamp: timestamp(ev.firstTimestamp),
    },
    involvedObject,
    reason: ev.reason,
    message: ev.message,
    source,
    firstTimestamp: timestamp(ev.firstTimestamp),
    lastTimestamp: timestamp(ev.lastTimestamp),
    count: ev.count,
    type: ev.type,
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  };
}

export function resultDocument(r: RunResult): Record<string, unknown> {
  const store = r.sim.store;
  const objects: Record<string, unknown>[] = [];
  for (const kind of store.kinds()) {
    if (kind === 'Event') continue;
    for (const o of store.list(kind)) objects.push(ordered(o));
  }
  const epochMs = parseRFC3339(r.startTime) ?? 0;
  const ts = (t: number): string => r.sim.timestamp(t);
  const taken = new Set<string>();
  return {
    seed: r.seed,
    startTime: r.startTime,
    endTime: r.endTime,
    endTimeMs: r.endTimeMs,
    objects,
    events: r.sim.events().map((e) => eventJson(e, epochMs, ts, taken)),
    expectations: r.expectations.map((e) => ({
      at: e.at,
      expectation: e.expectation,
      passed: e.passed,
      actual: e.actual,
      ...(e.note ? { note: e.note } : {}),
    })),
    warnings: r.warnings,
  };
}

/** The JSON text, two-space indented, with a final newline. */
export function renderJson(r: RunResult): string {
  return `${JSON.stringify(resultDocument(r), null, 2)}\n`;
}
