/**
 * A moment of a run as the views read it: the objects the API server holds,
 * the Events it still keeps, and "now" (virtual time, for AGE columns).
 * Built from a Simulation (a scenario run to --at) or by replaying a saved
 * run log up to --at.
 */
import { readFileSync } from 'node:fs';
import { applyMergePatch } from '../../sim/runLog.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { formatRFC3339, parseRFC3339 } from '../../sim/time.ts';
import type { KObject, RecordedEvent, RunLogRecord, Time } from '../../sim/types.ts';
import { UsageError } from '../io.ts';

export interface ClusterView {
  /** Virtual time of the moment shown. */
  readonly now: Time;
  /** Sorted by namespace, then name; namespace undefined lists all namespaces. */
  list(kind: string, namespace?: string): KObject[];
  get(kind: string, namespace: string, name: string): KObject | undefined;
  /** Events in first-recorded order. */
  events(): readonly RecordedEvent[];
  /** Virtual time of an RFC 3339 timestamp in an object. */
  virtualTime(rfc3339: string | undefined): Time | undefined;
  /** RFC 3339 of a virtual time. */
  timestamp(t: Time): string;
}

export function simulationView(sim: Simulation): ClusterView {
  return {
    now: sim.now,
    list: (kind, ns) => sim.store.list(kind, ns),
    get: (kind, ns, name) => sim.store.get(kind, ns, name),
    events: () => sim.events(),
    virtualTime: (s) => (s === undefined ? undefined : sim.virtualTime(s)),
    timestamp: (t) => sim.timestamp(t),
  };
}

function rfc3339(s: string): number | undefined {
  try {
    return parseRFC3339(s);
  } catch {
    return undefined;
  }
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function eventKey(e: RecordedEvent): string {
  const r = e.involvedObject;
  return [e.source.component, e.source.host ?? '', r.kind, r.namespace, r.name, r.fieldPath ?? '', r.uid ?? '', e.type, e.reason, e.message].join('\u0000');
}

/**
 * Replay a run log (NDJSON, src/sim/runLog.ts) up to and including virtual
 * time `at` (the whole log when undefined). Events keep their last count.
 */
export function replayRunLog(path: string, at: Time | undefined): ClusterView {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read run log ${JSON.stringify(path)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const objects = new Map<string, { kind: string; namespace: string; name: string; object: KObject }>();
  const events = new Map<string, RecordedEvent>();
  let epochMs: number | undefined;
  let last: Time = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let r: RunLogRecord;
    try {
      r = JSON.parse(line) as RunLogRecord;
    } catch {
      throw new UsageError(`${path}:${i + 1}: not a run log record (invalid JSON)`);
    }
    if (typeof r !== 'object' || r === null || typeof r.t !== 'number' || typeof r.type !== 'string') throw new UsageError(`${path}:${i + 1}: not a run log record (needs "t" and "type")`);
    if (at !== undefined && r.t > at) break;
    last = r.t;
    if (epochMs === undefined && typeof r.time === 'string') {
      // `time` has whole seconds: the epoch is exact when the log starts at a whole second, as scenarios do.
      const ms = rfc3339(r.time);
      if (ms !== undefined) epochMs = ms - (r.t - (r.t % 1000));
    }
    if (r.type === 'create' || r.type === 'update' || r.type === 'delete') {
      const k = objectKey(r.kind, r.namespace, r.name);
      if (r.type === 'delete') objects.delete(k);
      else if (r.type === 'create') objects.set(k, { kind: r.kind, namespace: r.namespace, name: r.name, object: r.object as KObject });
      else {
        const cur = objects.get(k);
        if (cur) cur.object = applyMergePatch(cur.object, r.patch) as KObject;
      }
    } else if (r.type === 'event') {
      events.set(eventKey(r.event), r.event);
    }
  }
  const epoch = epochMs ?? 0;
  const now = at ?? last;
  const sorted = (kind: string, ns?: string): KObject[] =>
    [...objects.values()]
      .filter((o) => o.kind === kind && (ns === undefined || o.namespace === ns))
      .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((o) => o.object);
  return {
    now,
    list: sorted,
    get: (kind, ns, name) => objects.get(objectKey(kind, ns, name))?.object,
    events: () => [...events.values()],
    virtualTime: (s) => {
      if (s === undefined) return undefined;
      const ms = rfc3339(s);
      return ms === undefined ? undefined : ms - epoch;
    },
    timestamp: (t) => formatRFC3339(epoch + t),
  };
}
