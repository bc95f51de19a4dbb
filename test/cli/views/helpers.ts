import type { ClusterView } from '../../../src/cli/views/cluster.ts';
import { formatRFC3339, parseRFC3339 } from '../../../src/sim/time.ts';
import type { KObject, RecordedEvent, Time } from '../../../src/sim/types.ts';

export const EPOCH = '2025-01-01T00:00:00Z';

/** A ClusterView over hand-written objects: what kubectl would be shown by an API server. */
export function fakeView(objects: KObject[], events: RecordedEvent[], now: Time): ClusterView {
  const epoch = parseRFC3339(EPOCH);
  const ns = (o: KObject): string => o.metadata?.namespace ?? '';
  const sorted = [...objects].sort((a, b) => (ns(a) + '/' + (a.metadata?.name ?? '') < ns(b) + '/' + (b.metadata?.name ?? '') ? -1 : 1));
  return {
    now,
    list: (kind, namespace) => sorted.filter((o) => o.kind === kind && (namespace === undefined || ns(o) === namespace)),
    get: (kind, namespace, name) => objects.find((o) => o.kind === kind && ns(o) === namespace && o.metadata?.name === name),
    events: () => events,
    virtualTime: (s) => (s === undefined ? undefined : parseRFC3339(s) - epoch),
    timestamp: (t) => formatRFC3339(epoch + t),
  };
}

/** RFC 3339 of `s` seconds after the epoch. */
export function at(s: number): string {
  return formatRFC3339(parseRFC3339(EPOCH) + s * 1000);
}

export function event(partial: Partial<RecordedEvent> & Pick<RecordedEvent, 'reason' | 'message'>): RecordedEvent {
  return {
    type: 'Normal',
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    source: { component: 'default-scheduler' },
    count: 1,
    firstTimestamp: 0,
    lastTimestamp: 0,
    ...partial,
  };
}
