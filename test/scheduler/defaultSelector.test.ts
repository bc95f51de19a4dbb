// helper.DefaultSelector's owner lookup: the controller reference's apiVersion is read as
// schema.ParseGroupVersion reads it ("v1" is the core group, "apps/v1" a group and version,
// "" and "/" the empty version, more than one "/" an error), and only v1 ReplicationControllers
// and apps/v1 ReplicaSets and StatefulSets add their selectors (a table of upstream's cases).
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { defaultSelector } from '../../src/scheduler/plugins/helper/spread.ts';
import type { KObject, StoreReader, Stored } from '../../src/sim/types.ts';

const objects: KObject[] = [
  { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'ns' }, spec: { selector: { app: 'rc' } } } as KObject,
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'rs' } } } } as KObject,
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'ss' } } } } as KObject,
];
const store: StoreReader = {
  get: <T extends KObject>(kind: string, ns: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name) as Stored<T> | undefined,
  list: () => [],
  kinds: () => [],
};

function pod(apiVersion: string, kind: string, name: string): Pod {
  return { metadata: { name: 'p', namespace: 'ns', labels: { app: 'x' }, ownerReferences: [{ apiVersion, kind, name, uid: 'u', controller: true }] } };
}

describe('defaultSelector owner apiVersion', () => {
  const cases: Array<[string, string, string, Record<string, string> | null]> = [
    ['v1', 'ReplicationController', 'rc', { app: 'rc' }],
    ['apps/v1', 'ReplicaSet', 'rs', { app: 'rs' }],
    ['apps/v1', 'StatefulSet', 'ss', { app: 'ss' }],
    // ParseGroupVersion("/v1") is the core group's v1.
    ['/v1', 'ReplicationController', 'rc', { app: 'rc' }],
    // Wrong group or version, or not a group/version at all: no owner selector.
    ['apps/v1beta2', 'ReplicaSet', 'rs', null],
    ['extensions/v1', 'ReplicaSet', 'rs', null],
    ['v1', 'ReplicaSet', 'rs', null],
    ['apps/v1/extra', 'ReplicaSet', 'rs', null],
    ['/', 'ReplicationController', 'rc', null],
    ['', 'ReplicationController', 'rc', null],
  ];
  it.each(cases)('%s %s', (apiVersion, kind, name, want) => {
    const sel = defaultSelector(pod(apiVersion, kind, name), store);
    if (want === null) expect(sel.empty).toBe(true);
    else {
      expect(sel.empty).toBe(false);
      expect(sel.matches(want)).toBe(true);
      expect(sel.matches({ app: 'other' })).toBe(false);
    }
  });
});
