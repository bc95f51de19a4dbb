import type { KObject } from '../../src/sim/types.ts';

export function pod(name: string, extra: { namespace?: string; nodeName?: string; grace?: number; finalizers?: string[]; ownerReferences?: unknown[] } = {}): KObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'busybox' }] };
  if (extra.nodeName) spec['nodeName'] = extra.nodeName;
  if (extra.grace !== undefined) spec['terminationGracePeriodSeconds'] = extra.grace;
  const metadata: Record<string, unknown> = { name, namespace: extra.namespace ?? 'default' };
  if (extra.finalizers) metadata['finalizers'] = extra.finalizers;
  if (extra.ownerReferences) metadata['ownerReferences'] = extra.ownerReferences;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec } as KObject;
}

export function obj(kind: string, name: string, rest: Record<string, unknown> = {}, apiVersion = 'v1', namespace?: string): KObject {
  const metadata: Record<string, unknown> = { name };
  if (namespace !== undefined) metadata['namespace'] = namespace;
  return { apiVersion, kind, metadata, ...rest } as KObject;
}

export function ownerRef(o: KObject, blockOwnerDeletion?: boolean): Record<string, unknown> {
  const r: Record<string, unknown> = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid };
  if (blockOwnerDeletion !== undefined) r['blockOwnerDeletion'] = blockOwnerDeletion;
  return r;
}
