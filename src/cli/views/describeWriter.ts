/**
 * kubectl describe's output machinery: a PrefixWriter (levels indent by two
 * spaces) over one tabwriter (minwidth 0, padding 2), and the formats its
 * describers share: RFC 1123 times with a numeric zone, multi-line labels,
 * annotations and tolerations, and the Events table.
 */
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { parseRFC3339 } from '../../sim/time.ts';
import type { RecordedEvent, Time } from '../../sim/types.ts';
import { since } from './humanDuration.ts';
import { DESCRIBE_TABWRITER, tabwrite } from './tabwriter.ts';

export class PrefixWriter {
  private text = '';

  /** Write at an indentation level (0, 1, 2, 3: two spaces each). */
  write(level: number, s: string): void {
    this.text += '  '.repeat(level) + s;
  }

  line(s: string): void {
    this.text += `${s}\n`;
  }

  toString(): string {
    return tabwrite(this.text, DESCRIBE_TABWRITER);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z of a UTC time: "Wed, 01 Jan 2025 00:00:00 +0000". */
export function rfc1123z(rfc3339: string | undefined | null): string {
  if (!rfc3339) return '<unknown>';
  let ms: number;
  try {
    ms = parseRFC3339(rfc3339);
  } catch {
    return rfc3339;
  }
  const days = Math.floor(ms / 86_400_000);
  // 1970-01-01 was a Thursday.
  const weekday = DAYS[(((days + 4) % 7) + 7) % 7]!;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})/.exec(formatUtc(ms))!;
  return `${weekday}, ${m[3]} ${MONTHS[Number(m[2]) - 1]} ${m[1]} ${m[4]} +0000`;
}

function formatUtc(ms: number): string {
  // Civil date from days (Howard Hinnant's algorithm), as src/sim/time.ts does.
  const secs = Math.floor(ms / 1000);
  const z = Math.floor(secs / 86400) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  const rem = secs - Math.floor(secs / 86400) * 86400;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)}T${p(Math.floor(rem / 3600))}:${p(Math.floor((rem % 3600) / 60))}:${p(rem % 60)}`;
}

/** printLabelsMultiline: "Labels:\tk=v" then "\tk2=v2", sorted; "<none>". */
export function labelsMultiline(w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined | null, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${indent}\t`);
    w.line(`${k}=${labels![k]}`);
  });
}

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** printAnnotationsMultiline: "key: value", long values cut to 140 characters with "...". */
export function annotationsMultiline(w: PrefixWriter, title: string, annotations: Readonly<Record<string, string>> | undefined | null, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${indent}\t`);
    const v = annotations![k]!;
    const shown = v.length > MAX_ANNOTATION_LEN && !v.includes('\n') ? `${v.slice(0, MAX_ANNOTATION_LEN)}...` : v;
    w.line(`${k}: ${shown}`);
  });
}

/** printTolerationsMultilineWithIndent, tolerations sorted by key. */
export function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: readonly Toleration[] | undefined, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (ts.length === 0) return w.line('<none>');
  ts.forEach((t, i) => {
    if (i !== 0) w.write(0, `${indent}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.line(s);
  });
}

/** DescribeEvents: sorted by last time (stable), "Age" as "5m (x3 over 10m)" for repeated events. */
export function describeEvents(w: PrefixWriter, events: readonly RecordedEvent[], now: Time): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  const sorted = [...events].sort((a, b) => a.lastTimestamp - b.lastTimestamp);
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const interval = e.count > 1 ? `${since(e.lastTimestamp, now)} (x${e.count} over ${since(e.firstTimestamp, now)})` : since(e.firstTimestamp, now);
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${e.source.component}\t${e.message.trim()}\n`);
  }
}

/** The Events about one object (kubectl describe's field selector on involvedObject). */
export function eventsFor(events: readonly RecordedEvent[], kind: string, namespace: string, name: string, uid: string | undefined): RecordedEvent[] {
  return events.filter((e) => {
    const io = e.involvedObject;
    return io.kind === kind && io.name === name && (io.namespace ?? '') === namespace && (uid === undefined || io.uid === undefined || io.uid === uid);
  });
}
