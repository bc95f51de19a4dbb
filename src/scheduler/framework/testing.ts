/**
 * Test helpers for plugin tests, in the spirit of kube-scheduler's
 * pkg/scheduler/testing and framework/runtime test handles: a Handle over a
 * fixed set of NodeInfos and API objects, with no scheduler behind it.
 */
import { FeatureGates } from '../../api/featureGates.ts';
import type { KObject, Stored, StoreReader, Time } from '../../sim/types.ts';
import type { CycleState, FilterPlugin, Handle, NodeInfo, PodInfo, PreFilterPlugin, Result } from './types.ts';
import { Snapshot } from './snapshot.ts';
import { NodeInfoImpl } from './nodeInfo.ts';

/** A read-only store over a fixed object list: list() sorted by namespace then name, as the real store. */
export function fakeStoreReader(objects: readonly KObject[]): StoreReader {
  const byKind = new Map<string, KObject[]>();
  for (const o of objects) {
    let l = byKind.get(o.kind);
    if (!l) byKind.set(o.kind, (l = []));
    l.push(o);
  }
  for (const l of byKind.values()) {
    l.sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name ?? '', b.metadata.name ?? ''));
  }
  return {
    get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Stored<T> | undefined {
      return byKind.get(kind)?.find((o) => (o.metadata.namespace ?? '') === namespace && o.metadata.name === name) as Stored<T> | undefined;
    },
    list<T extends KObject = KObject>(kind: string, namespace?: string): Stored<T>[] {
      const l = byKind.get(kind) ?? [];
      return (namespace === undefined ? l.slice() : l.filter((o) => (o.metadata.namespace ?? '') === namespace)) as Stored<T>[];
    },
    kinds(): string[] {
      return [...byKind.keys()].sort();
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface FakeHandleOptions {
  nodes?: NodeInfo[];
  objects?: KObject[];
  now?: Time;
  /** Pods nominated per node name (for filters honouring nominated pods). */
  nominated?: Map<string, PodInfo[]>;
  /** Plugins run by runFilterPluginsWithNominatedPods, in order (PreFilter extensions taken from them too). */
  filterPlugins?: Array<Partial<FilterPlugin & PreFilterPlugin> & { name: string }>;
  profileName?: string;
  /** Feature gates and emulated version (default: the newest release's defaults). */
  featureGates?: FeatureGates;
}

export function fakeHandle(opts: FakeHandleOptions = {}): Handle {
  const nodes = opts.nodes ?? [];
  nodes.forEach((n, i) => {
    if (n instanceof NodeInfoImpl) n.index = i;
  });
  const snap = new Snapshot(nodes);
  const store = fakeStoreReader(opts.objects ?? []);
  const nominated = opts.nominated ?? new Map<string, PodInfo[]>();
  const plugins = opts.filterPlugins ?? [];
  return {
    profileName: opts.profileName ?? 'default-scheduler',
    featureGates: opts.featureGates ?? FeatureGates.defaults(),
    snapshot: () => snap,
    store: () => store,
    nominator: () => ({ nominatedPodsForNode: (n: string) => nominated.get(n) ?? [] }),
    now: () => opts.now ?? 0,
    runFilterPluginsWithNominatedPods(state: CycleState, podInfo: PodInfo, nodeInfo: NodeInfo): Result {
      for (const p of plugins) {
        if (!p.filter || state.skipFilterPlugins.has(p.name)) continue;
        const st = p.filter(state, podInfo, nodeInfo);
        if (st && !st.isSuccess()) return st.withPlugin(p.name);
      }
      return null;
    },
    runPreFilterExtensionAddPod(state, podToSchedule, podToAdd, nodeInfo): Result {
      for (const p of plugins) {
        const ext = p.preFilterExtensions?.();
        if (!ext || state.skipFilterPlugins.has(p.name)) continue;
        const st = ext.addPod(state, podToSchedule, podToAdd, nodeInfo);
        if (st && !st.isSuccess()) return st;
      }
      return null;
    },
    runPreFilterExtensionRemovePod(state, podToSchedule, podToRemove, nodeInfo): Result {
      for (const p of plugins) {
        const ext = p.preFilterExtensions?.();
        if (!ext || state.skipFilterPlugins.has(p.name)) continue;
        const st = ext.removePod(state, podToSchedule, podToRemove, nodeInfo);
        if (st && !st.isSuccess()) return st;
      }
      return null;
    },
  };
}
