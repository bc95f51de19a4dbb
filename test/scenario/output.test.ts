import { describe, expect, it } from 'vitest';
import { eventJson, eventName } from '../../src/scenario/output.ts';
import type { RecordedEvent } from '../../src/sim/types.ts';

describe('Event JSON', () => {
  it('names events as client-go does: <object>.<hex UnixNano>', () => {
    expect(eventName('web', 1735689600000)).toBe(`web.${(1735689600000n * 1000000n).toString(16)}`);
    expect(eventName('web', 0)).toBe('web.0');
  });

  it('renders a recorded event as core/v1 Event, cluster-scoped objects in "default"', () => {
    const ev: RecordedEvent = {
      type: 'Warning',
      reason: 'NodeNotReady',
      message: 'Node is not ready',
      involvedObject: { kind: 'Node', namespace: '', name: 'node-1', uid: 'u1', apiVersion: 'v1' },
      source: { component: 'node-controller' },
      count: 2,
      firstTimestamp: 1000,
      lastTimestamp: 5000,
    };
    const ts = (t: number): string => `T${t}`;
    const j = eventJson(ev, 1735689600000, ts);
    expect(Object.keys(j)).toEqual(['apiVersion', 'kind', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'reportingComponent', 'reportingInstance']);
    expect(j['metadata']).toEqual({ name: `node-1.${(1735689601000n * 1000000n).toString(16)}`, namespace: 'default', creationTimestamp: 'T1000' });
    expect(j['involvedObject']).toEqual({ kind: 'Node', name: 'node-1', uid: 'u1', apiVersion: 'v1' });
    expect(j['source']).toEqual({ component: 'node-controller' });
    expect([j['firstTimestamp'], j['lastTimestamp'], j['count']]).toEqual(['T1000', 'T5000', 2]);
  });
});

describe('Event names', () => {
  it('stay unique within a namespace when events share an instant', () => {
    const ev = (reason: string): RecordedEvent => ({
      type: 'Normal',
      reason,
      message: reason,
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
      source: { component: 'kubelet' },
      count: 1,
      firstTimestamp: 5,
      lastTimestamp: 5,
    });
    const taken = new Set<string>();
    const names = ['Pulled', 'Created', 'Started'].map((r) => (eventJson(ev(r), 0, String, taken)['metadata'] as { name: string }).name);
    expect(names).toEqual(['web.4c4b40', 'web.4c4b41', 'web.4c4b42']);
  });
});
