/**
 * Loading out-of-tree plugins for the CLI's --plugin flag (the analogue of
 * building kube-scheduler with app.WithPlugin). A module exports either
 * `name` + `factory`, or `plugins: [{ name, factory }, ...]`.
 *
 * Async by nature (dynamic import); used before a simulation starts, never
 * inside the engine loop.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { PluginFactory } from './framework/types.ts';
import type { PluginModule } from './registry.ts';

export class PluginModuleError extends Error {}

function asModule(v: unknown): PluginModule | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as { name?: unknown; factory?: unknown };
  if (typeof o.name === 'string' && o.name !== '' && typeof o.factory === 'function') return { name: o.name, factory: o.factory as PluginFactory };
  return undefined;
}

export async function loadPluginModule(path: string): Promise<PluginModule[]> {
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(resolve(path)).href);
  } catch (e) {
    throw new PluginModuleError(`cannot load plugin module ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = mod as { plugins?: unknown; default?: unknown };
  if (Array.isArray(m.plugins)) {
    const out: PluginModule[] = [];
    m.plugins.forEach((p, i) => {
      const pm = asModule(p);
      if (!pm) throw new PluginModuleError(`plugin module ${path}: plugins[${i}] must have a string "name" and a function "factory"`);
      out.push(pm);
    });
    return out;
  }
  const single = asModule(mod) ?? asModule(m.default);
  if (single) return [single];
  throw new PluginModuleError(`plugin module ${path} must export "name" and "factory", or "plugins: [{ name, factory }]"`);
}
