/**
 * What one engine event did, in words a student follows: the actor (from the
 * event's source, the name components schedule their events under), the
 * objects it wrote as short diffs, the Events it recorded, timeline actions
 * and notes, and what the engine runs next.
 */
import { formatDuration } from '../../api/duration.ts';
import type { RecordedEvent, Time } from '../../sim/types.ts';
import { renderChange } from './diff.ts';
import type { ObjectWrite, StepInfo } from './session.ts';

/** At most this many field changes per object; the rest are counted. */
export const MAX_CHANGES = 12;

/** The actor behind an event source, in words. */
export function describeSource(source: string, reconcile?: { controller: string; key: string }, periodic?: boolean): string {
  if (reconcile) return `${reconcile.controller} reconciling ${reconcile.key}`;
  const slash = source.indexOf('/');
  const head = slash < 0 ? source : source.slice(0, slash);
  const tail = slash < 0 ? '' : source.slice(slash + 1);
  switch (head) {
    case 'watch':
      return 'watch delivery: informers and event handlers see the latest changes';
    case 'timeline':
      return 'timeline: a scenario action';
    case 'expect':
      return 'expectation check';
    case 'resync':
      return `${tail}: informer resync (every cached object is handed to the controller again)`;
    case 'controller':
      return periodic ? `${tail}: periodic pass (its own timer)` : `${tail}: work queue (a key is taken or re-added; a reconcile follows)`;
    case 'kubelet':
      if (tail === 'node-lease') return 'kubelets renew their node Leases';
      if (tail === 'node-status') return 'kubelets report node status';
      return `kubelet on ${tail}`;
    default:
      break;
  }
  if (tail === '' && head.endsWith('scheduler')) return `${head}: scheduling cycle`;
  if (tail === 'bind') return `${head}: binding (the Binding subresource)`;
  if (tail === 'flush') return `${head}: moves pods left unschedulable too long back to the active queue`;
  if (tail === 'backoff') return `${head}: pods whose backoff ended move to the active queue`;
  if (tail === 'permit') return `${head}: a Permit wait ends`;
  return source;
}

function objectName(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function renderWrite(w: ObjectWrite): string[] {
  const by = w.actor ? ` by ${w.actor}` : '';
  const what = w.type === 'create' ? 'created' : w.type === 'delete' ? 'deleted' : 'updated';
  const out = [`  ${objectName(w.kind, w.namespace, w.name)} ${what}${by}`];
  const shown = w.changes.slice(0, MAX_CHANGES);
  for (const c of shown) out.push(`    ${renderChange(c)}`);
  if (w.changes.length > shown.length) out.push(`    … and ${w.changes.length - shown.length} more field(s)`);
  return out;
}

function renderEvent(e: RecordedEvent): string {
  const o = e.involvedObject;
  const count = e.count > 1 ? ` (x${e.count})` : '';
  return `  Event ${e.type} ${e.reason} on ${objectName(o.kind, o.namespace ?? '', o.name)} from ${e.source.component}${count}: ${e.message}`;
}

export function at(t: Time): string {
  return formatDuration(t);
}

/** The lines one step prints. */
export function renderStep(s: StepInfo): string[] {
  const out = [`#${s.n} at ${at(s.time)}: ${describeSource(s.source, s.reconcile, s.periodic)}`];
  for (const a of s.actions) out.push(`  timeline: ${a.action}${a.detail !== undefined ? ` ${JSON.stringify(a.detail)}` : ''}`);
  for (const w of s.writes) out.push(...renderWrite(w));
  for (const e of s.events) out.push(renderEvent(e));
  for (const n of s.notes) out.push(`  note: ${n.message}${n.detail !== undefined ? ` ${JSON.stringify(n.detail)}` : ''}`);
  if (s.actions.length + s.writes.length + s.events.length + s.notes.length === 0) out.push('  (no objects changed, no Events)');
  return out;
}

/** "Next: 2ms watch, 2ms scheduler/bind" from the engine's upcoming events. */
export function renderUpcoming(next: ReadonlyArray<{ time: Time; source: string }>, label = 'Next'): string {
  if (next.length === 0) return `${label}: nothing queued`;
  return `${label}: ${next.map((e) => `${at(e.time)} ${e.source}`).join(', ')}`;
}
