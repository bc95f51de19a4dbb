/**
 * `--plugin MODULE` (repeatable) on run and explain: out-of-tree scheduler
 * plugins, the analogue of building kube-scheduler with app.WithPlugin.
 * Modules are imported before the command runs (import is asynchronous; the
 * commands and the engine are not), and the resulting registry — in-tree
 * plugins plus these — reaches the command through CliIO.
 */
import type { PluginFactory } from '../scheduler/framework/types.ts';
import { newRegistry, registerPlugin } from '../scheduler/registry.ts';
import { loadPluginModule } from '../scheduler/userPlugins.ts';
import type { ParsedArgs } from './command.ts';
import { UsageError, type CliIO } from './io.ts';

/** The values of every `--plugin X` / `--plugin=X` in argv, in order. */
export function pluginPaths(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--plugin' && i + 1 < argv.length) out.push(argv[++i]!);
    else if (a.startsWith('--plugin=')) out.push(a.slice('--plugin='.length));
  }
  return out;
}

/** The in-tree registry plus every plugin the modules export; undefined when no --plugin is given. */
export async function preloadPlugins(argv: readonly string[]): Promise<Map<string, PluginFactory> | undefined> {
  const paths = pluginPaths(argv);
  if (paths.length === 0) return undefined;
  const registry = newRegistry();
  for (const path of paths) {
    for (const m of await loadPluginModule(path)) registerPlugin(registry, m.name, m.factory);
  }
  return registry;
}

/**
 * The registry a command should schedule with: the preloaded one when --plugin
 * was given. A command called in-process (tests, embedding) with --plugin but
 * without preloading gets a usage error rather than silently ignoring it.
 */
export function pluginRegistry(args: ParsedArgs, io: CliIO, command: string): { registry?: Map<string, PluginFactory> } {
  const given = args.values['plugin'];
  const wanted = Array.isArray(given) ? given.length > 0 : typeof given === 'string';
  if (!wanted) return {};
  if (!io.plugins) throw new UsageError('--plugin modules must be loaded before the command runs (use preloadPlugins)', command);
  return { registry: io.plugins };
}
