/**
 * --field-selector as the API server evaluates it: comma-separated
 * `field=value`, `field==value` or `field!=value` terms, all of which must
 * hold. Every kind supports metadata.name and metadata.namespace; the
 * others are the fields each kind's registry exposes (pods: spec.nodeName,
 * spec.schedulerName, spec.serviceAccountName, spec.hostNetwork, status.phase,
 * status.podIP, status.nominatedNodeName; nodes: spec.unschedulable; events:
 * involvedObject.*, reason, type, source ...). An unsupported field is the API
 * server's error: `field label not supported: <field>`.
 */
import type { KObject } from '../../sim/types.ts';
import { UsageError } from '../io.ts';

interface Term {
  field: string;
  value: string;
  negate: boolean;
}

const SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
  PersistentVolume: ['name'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
};

export class FieldSelector {
  constructor(private readonly terms: readonly Term[]) {}

  static parse(text: string, kind: string): FieldSelector {
    const terms: Term[] = [];
    if (text.trim() === '') return new FieldSelector([]);
    for (const part of text.split(',')) {
      const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part.trim());
      if (!m) throw new UsageError(`invalid selector: '${text}'; can't understand '${part}'`);
      const field = m[1]!.trim();
      if (field !== 'metadata.name' && field !== 'metadata.namespace' && !(SUPPORTED[kind] ?? []).includes(field)) {
        throw new UsageError(`field label not supported: ${field}`);
      }
      terms.push({ field, value: m[3]!.trim(), negate: m[2] === '!=' });
    }
    return new FieldSelector(terms);
  }

  matches(fields: (field: string) => string): boolean {
    return this.terms.every((t) => (fields(t.field) === t.value) !== t.negate);
  }
}

/** A field of an object as its registry's field set formats it (booleans "true"/"false", absent ""). */
export function objectField(o: KObject, field: string): string {
  let cur: unknown = o;
  for (const part of field.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return field === 'spec.unschedulable' || field === 'spec.hostNetwork' ? 'false' : '';
  return String(cur);
}
