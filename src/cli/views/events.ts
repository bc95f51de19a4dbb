/**
 * `kubectl events` (the newer command, v1.26+): Events sorted by time,
 * columns LAST SEEN TYPE REASON OBJECT MESSAGE (NAMESPACE first with -A),
 * LAST SEEN as "5m (x3 over 10m)" for a repeated Event, and --for
 * KIND/NAME to show only the Events about one object.
 */
import type { RecordedEvent } from '../../sim/types.ts';
import { UsageError } from '../io.ts';
import type { ClusterView } from './cluster.ts';
import type { ViewOutput } from './get.ts';
import { since } from './humanDuration.ts';
import { resolveKind } from './resources.ts';
import { GET_TABWRITER, tabwrite } from './tabwriter.ts';

export interface EventsRequest {
  namespace: string | undefined;
  /** "pod/web-1", "deploy/web". */
  for?: string;
  /** Only Warning events (--types=Warning). */
  types?: string[];
}

export function runEvents(view: ClusterView, req: EventsRequest): ViewOutput {
  let evs: RecordedEvent[] = view.events().filter((e) => req.namespace === undefined || (e.involvedObject.namespace || 'default') === req.namespace);
  if (req.for !== undefined) {
    const slash = req.for.indexOf('/');
    if (slash <= 0 || slash === req.for.length - 1) throw new UsageError(`--for must be in resource/name form, got ${JSON.stringify(req.for)}`);
    const info = resolveKind(req.for.slice(0, slash));
    const name = req.for.slice(slash + 1);
    evs = evs.filter((e) => e.involvedObject.kind === info.kind && e.involvedObject.name === name);
  }
  if (req.types?.length) {
    const allowed = new Set(req.types.map((t) => t.toLowerCase()));
    for (const t of allowed) if (t !== 'normal' && t !== 'warning') throw new UsageError(`valid --types are Normal or Warning, got ${JSON.stringify(t)}`);
    evs = evs.filter((e) => allowed.has(e.type.toLowerCase()));
  }
  if (evs.length === 0) {
    return { stdout: '', stderr: req.namespace === undefined ? 'No events found.\n' : `No events found in ${req.namespace} namespace.\n`, exitCode: 0 };
  }
  const sorted = [...evs].sort((a, b) => a.lastTimestamp - b.lastTimestamp);
  const withNs = req.namespace === undefined;
  const rows = [[...(withNs ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']];
  for (const e of sorted) {
    const seen = e.count > 1 ? `${since(e.lastTimestamp, view.now)} (x${e.count} over ${since(e.firstTimestamp, view.now)})` : since(e.lastTimestamp, view.now);
    const io = e.involvedObject;
    rows.push([...(withNs ? [io.namespace || 'default'] : []), seen, e.type, e.reason, `${io.kind}/${io.name}`, e.message.trim()]);
  }
  return { stdout: tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', GET_TABWRITER), stderr: '', exitCode: 0 };
}
