/**
 * Building a profile's Framework from its (defaulted) configuration and a
 * plugin registry, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/runtime/framework.go (NewFramework,
 * pluginsNeeded, updatePluginList, expandMultiPointPlugins, getScoreWeights,
 * fillEnqueueExtensions) and pkg/scheduler/profile/profile.go (NewMap).
 *
 * Errors carry field paths into the configuration (FieldErrorList) so the CLI
 * can point at the offending entry.
 */
import { FieldErrorList, type FieldError } from '../api/errors.ts';
import { inTreeRegistry } from './registry.ts';
import { guardPlugin } from './framework/pluginGuard.ts';
import type { ProfileConfig, SchedulerConfiguration } from './config.ts';
import { Framework, type EnqueueExtension, type FrameworkDeps, type PluginLists } from './framework/runtime.ts';
import { ActionType, MaxNodeScore, MaxTotalScore, type ExtensionPoint, type Plugin, type PluginFactory, type EnqueueExtensions } from './framework/types.ts';

type ListKey = keyof PluginLists;

/** Extension points in upstream getExtensionPoints order, with the method that marks a plugin as implementing it. */
const points: Array<{ key: ListKey; config: ExtensionPoint; method: string; typeName: string }> = [
  { key: 'preFilter', config: 'preFilter', method: 'preFilter', typeName: 'PreFilterPlugin' },
  { key: 'filter', config: 'filter', method: 'filter', typeName: 'FilterPlugin' },
  { key: 'postFilter', config: 'postFilter', method: 'postFilter', typeName: 'PostFilterPlugin' },
  { key: 'reserve', config: 'reserve', method: 'reserve', typeName: 'ReservePlugin' },
  { key: 'preScore', config: 'preScore', method: 'preScore', typeName: 'PreScorePlugin' },
  { key: 'score', config: 'score', method: 'score', typeName: 'ScorePlugin' },
  { key: 'preBind', config: 'preBind', method: 'preBind', typeName: 'PreBindPlugin' },
  { key: 'bind', config: 'bind', method: 'bind', typeName: 'BindPlugin' },
  { key: 'postBind', config: 'postBind', method: 'postBind', typeName: 'PostBindPlugin' },
  { key: 'permit', config: 'permit', method: 'permit', typeName: 'PermitPlugin' },
  { key: 'preEnqueue', config: 'preEnqueue', method: 'preEnqueue', typeName: 'PreEnqueuePlugin' },
  { key: 'queueSort', config: 'queueSort', method: 'less', typeName: 'QueueSortPlugin' },
];

function implementsPoint(p: Plugin, method: string): boolean {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

function isEnqueueExtensions(p: Plugin): p is Plugin & EnqueueExtensions {
  return typeof (p as Partial<EnqueueExtensions>).eventsToRegister === 'function';
}

/** Plugins that can reject a pod (and so take part in requeueing decisions), as upstream's fillEnqueueExtensions callers. */
const rejectingMethods = ['preEnqueue', 'preFilter', 'filter', 'reserve', 'permit'];

export function buildFramework(
  profile: ProfileConfig,
  index: number,
  registry: ReadonlyMap<string, PluginFactory>,
  deps: FrameworkDeps,
): Framework {
  const base = `profiles[${index}]`;
  const errs: FieldError[] = [];
  const fail = (path: string, detail: string): never => {
    errs.push({ path, type: 'Invalid', value: undefined, detail });
    throw new FieldErrorList(errs);
  };

  // pluginsNeeded: every name enabled anywhere, in first-seen order (multiPoint first).
  const needed: string[] = [];
  const where = new Map<string, string>();
  const allPoints: ExtensionPoint[] = ['multiPoint', ...points.map((p) => p.config)];
  for (const e of allPoints) {
    profile.plugins[e].enabled.forEach((pl, j) => {
      if (!where.has(pl.name)) {
        needed.push(pl.name);
        where.set(pl.name, `${base}.plugins.${e}.enabled[${j}]`);
      }
      if (pl.weight !== undefined && pl.weight < 0) {
        errs.push({ path: `${base}.plugins.${e}.enabled[${j}].weight`, type: 'Invalid', value: pl.weight, detail: 'must be greater than or equal to 0' });
      }
    });
  }
  if (errs.length) throw new FieldErrorList(errs);

  const args = new Map<string, unknown>();
  for (const pc of profile.pluginConfig) args.set(pc.name, pc.args);

  let fw: Framework | undefined;
  const handle = Framework.handleFor(profile.schedulerName, deps, () => fw);
  const pluginsMap = new Map<string, Plugin>();
  const enqueueExtensions: EnqueueExtension[] = [];
  for (const name of needed) {
    const factory = registry.get(name);
    if (!factory) continue; // reported below as "<Type>Plugin "X" does not exist"
    let p: Plugin;
    try {
      p = factory(args.get(name), handle);
    } catch (e) {
      const msg = e instanceof FieldErrorList ? e.message : e instanceof Error ? e.message : String(e);
      return fail(where.get(name)!, `initializing plugin "${name}": ${msg}`);
    }
    // Out-of-tree plugins: an exception names the plugin, extension point, pod and node.
    if (factory !== inTreeRegistry.get(name)) p = guardPlugin(p);
    pluginsMap.set(name, p);
    if (rejectingMethods.some((m) => implementsPoint(p, m))) {
      // Without EnqueueExtensions a plugin is interested in every event (upstream defaultEnqueueExtension).
      const events = isEnqueueExtensions(p) ? p.eventsToRegister() : [{ event: { resource: '*' as const, actionType: ActionType.All } }];
      enqueueExtensions.push({ pluginName: name, events });
    }
  }

  const lists: PluginLists = {
    preEnqueue: [], queueSort: [], preFilter: [], filter: [], postFilter: [], preScore: [],
    score: [], reserve: [], permit: [], preBind: [], bind: [], postBind: [],
  };
  // updatePluginList for each specific extension point.
  for (const pt of points) {
    const set = new Set<string>();
    const out: Plugin[] = [];
    profile.plugins[pt.config].enabled.forEach((pl, j) => {
      const path = `${base}.plugins.${pt.config}.enabled[${j}]`;
      const p = pluginsMap.get(pl.name);
      if (!p) fail(path, `${pt.typeName} "${pl.name}" does not exist`);
      if (!implementsPoint(p!, pt.method)) fail(path, `plugin "${pl.name}" does not extend ${pt.typeName} plugin`);
      if (set.has(pl.name)) fail(path, `plugin "${pl.name}" already registered as "${pt.typeName}"`);
      set.add(pl.name);
      out.push(p!);
    });
    (lists[pt.key] as Plugin[]) = out;
  }

  // expandMultiPointPlugins.
  const mp = profile.plugins.multiPoint.enabled;
  if (mp.length > 0) {
    for (const pt of points) {
      const specific = profile.plugins[pt.config];
      const disabled = new Set(specific.disabled.map((d) => d.name));
      if (disabled.has('*')) continue;
      const enabledSet = specific.enabled.map((p) => p.name);
      const enabledHas = new Set(enabledSet);
      const multiPointEnabled: string[] = [];
      const overrides = new Set<string>();
      mp.forEach((ep, j) => {
        const p = pluginsMap.get(ep.name);
        if (!p) fail(`${base}.plugins.multiPoint.enabled[${j}]`, `${pt.typeName} "${ep.name}" does not exist`);
        if (!implementsPoint(p!, pt.method)) return;
        if (disabled.has(ep.name)) return;
        if (enabledHas.has(ep.name)) {
          overrides.add(ep.name);
          return;
        }
        if (multiPointEnabled.includes(ep.name)) fail(`${base}.plugins.multiPoint.enabled[${j}]`, `plugin "${ep.name}" already registered as "${pt.typeName}"`);
        multiPointEnabled.push(ep.name);
      });
      // Order: explicit overrides (in the specific point's order), then multiPoint ones, then the rest of the specific point.
      const order: string[] = [];
      for (const n of enabledSet) if (overrides.has(n)) order.push(n);
      order.push(...multiPointEnabled);
      for (const n of enabledSet) if (!overrides.has(n)) order.push(n);
      (lists[pt.key] as Plugin[]) = order.map((n) => pluginsMap.get(n)!);
    }
  }

  if (lists.queueSort.length !== 1) {
    fail(`${base}.plugins.queueSort`, `only one queue sort plugin required for profile with scheduler name "${profile.schedulerName}", but got ${lists.queueSort.length}`);
  }
  if (lists.bind.length === 0) fail(`${base}.plugins.bind`, `at least one bind plugin is needed for profile with scheduler name "${profile.schedulerName}"`);

  // getScoreWeights: score.enabled first (explicit weights win), then multiPoint; 0/unset -> 1.
  const weights = new Map<string, number>();
  let total = 0;
  for (const pl of [...profile.plugins.score.enabled, ...mp]) {
    const p = pluginsMap.get(pl.name);
    if (!p || !implementsPoint(p, 'score') || weights.has(pl.name)) continue;
    const w = pl.weight ? pl.weight : 1;
    weights.set(pl.name, w);
    if (w * MaxNodeScore > MaxTotalScore - total) fail(`${base}.plugins`, 'total score of Score plugins could overflow');
    total += w * MaxNodeScore;
  }
  for (const p of lists.score) {
    if (!weights.get(p.name)) fail(`${base}.plugins.score`, `score plugin "${p.name}" is not configured with weight`);
  }

  fw = new Framework(profile.schedulerName, lists, weights, enqueueExtensions, profile.percentageOfNodesToScore, deps);
  return fw;
}

/** upstream profile.NewMap: one framework per profile, keyed by scheduler name. */
export function buildProfiles(cfg: SchedulerConfiguration, registry: ReadonlyMap<string, PluginFactory>, deps: FrameworkDeps): Map<string, Framework> {
  const out = new Map<string, Framework>();
  cfg.profiles.forEach((p, i) => out.set(p.schedulerName, buildFramework(p, i, registry, deps)));
  return out;
}
