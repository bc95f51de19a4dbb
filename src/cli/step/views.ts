/**
 * The kubectl-style views at the step prompt: `get`, `describe`, `events`
 * and `top` take the same words and flags as `ksim get/describe/events/top`
 * (without -f/--log/--at: the moment is the current event) and print what
 * those commands print, through the same views (src/cli/views).
 */
import { parseArgs } from 'node:util';
import type { Simulation } from '../../sim/simulation.ts';
import type { KObject } from '../../sim/types.ts';
import { LabelSelectorError, parseSelector } from '../../api/labels.ts';
import type { OptionSpec } from '../command.ts';
import { UsageError } from '../io.ts';
import { simulationView } from '../views/cluster.ts';
import { describeObject } from '../views/describe.ts';
import { runEvents } from '../views/events.ts';
import { parseOutput, runGet, type ViewOutput } from '../views/get.ts';
import { qualifiedResource, resolveKind } from '../views/resources.ts';
import { runTop } from '../views/top.ts';
import type { StepViews } from './prompt.ts';

const NS: OptionSpec = { namespace: { type: 'string', short: 'n' }, 'all-namespaces': { type: 'boolean', short: 'A' } };

function parse(words: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const r = parseArgs({ args: words, options, allowPositionals: true, strict: true });
  return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
}

function namespaceOf(v: Record<string, string | boolean | undefined>): string | undefined {
  if (v['all-namespaces'] === true) return undefined;
  return typeof v['namespace'] === 'string' && v['namespace'] !== '' ? v['namespace'] : 'default';
}

function text(r: ViewOutput): string {
  return `${r.stdout}${r.stderr}`;
}

/** Any mistake in the words is one line of text at the prompt, never an exception. */
function guarded(cmd: string, fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    // Usage mistakes, bad selectors and unknown flags (node:util parseArgs' ERR_PARSE_ARGS_* errors).
    const parseArgsError = e instanceof TypeError && String((e as TypeError & { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (e instanceof UsageError || e instanceof LabelSelectorError || parseArgsError) return `${cmd}: ${(e as Error).message}\n`;
    throw e;
  }
}

export function stepViews(): StepViews {
  return {
    get(sim: Simulation, words: string[]): string {
      return guarded('get', () => {
        const a = parse(words, { ...NS, selector: { type: 'string', short: 'l' }, 'field-selector': { type: 'string' }, output: { type: 'string', short: 'o' } });
        const [resource, ...names] = a.positionals;
        if (resource === undefined) return 'get: you must specify the type of resource to get (e.g. get pods)';
        const sel = a.values['selector'];
        const fs = a.values['field-selector'];
        return text(
          runGet(simulationView(sim), {
            resource,
            names,
            namespace: namespaceOf(a.values),
            output: parseOutput(typeof a.values['output'] === 'string' ? a.values['output'] : undefined),
            ...(typeof sel === 'string' ? { labelSelector: sel } : {}),
            ...(typeof fs === 'string' ? { fieldSelector: fs } : {}),
          }),
        );
      });
    },
    describe(sim: Simulation, words: string[]): string {
      return guarded('describe', () => {
        const a = parse(words, { ...NS, selector: { type: 'string', short: 'l' } });
        let [resource, ...names] = a.positionals;
        if (resource === undefined) return 'describe: you must specify the type of resource to describe (e.g. describe pod web-1)';
        const slash = resource.indexOf('/');
        if (slash >= 0) {
          names = [resource.slice(slash + 1), ...names];
          resource = resource.slice(0, slash);
        }
        const info = resolveKind(resource);
        const namespace = namespaceOf(a.values);
        const selText = a.values['selector'];
        const selector = typeof selText === 'string' ? parseSelector(selText) : undefined;
        const view = simulationView(sim);
        const all = view.list(info.kind, info.namespaced ? namespace : undefined).filter((o) => !selector || selector.matches(o.metadata?.labels ?? undefined));
        const chosen: KObject[] = [];
        const errors: string[] = [];
        if (names.length === 0) chosen.push(...all);
        for (const name of names) {
          const exact = view.get(info.kind, info.namespaced ? (namespace ?? 'default') : '', name);
          // As kubectl describe: NAME may be a prefix.
          const matches = exact ? [exact] : all.filter((o) => (o.metadata?.name ?? '').startsWith(name));
          if (matches.length === 0) errors.push(`Error from server (NotFound): ${qualifiedResource(info)} "${name}" not found\n`);
          chosen.push(...matches);
        }
        if (chosen.length === 0 && errors.length === 0) return namespace === undefined || !info.namespaced ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
        return `${chosen.map((o) => describeObject(view, info, o)).join('\n\n')}${errors.join('')}`;
      });
    },
    events(sim: Simulation, words: string[]): string {
      return guarded('events', () => {
        const a = parse(words, { ...NS, for: { type: 'string' }, types: { type: 'string' } });
        const f = a.values['for'];
        const types = a.values['types'];
        return text(runEvents(simulationView(sim), { namespace: namespaceOf(a.values), ...(typeof f === 'string' ? { for: f } : {}), ...(typeof types === 'string' ? { types: types.split(',') } : {}) }));
      });
    },
    top(sim: Simulation, words: string[]): string {
      return guarded('top', () => {
        const a = parse(words, { ...NS });
        const what = a.positionals[0];
        const kind = what === 'node' || what === 'nodes' || what === 'no' ? 'nodes' : what === 'pod' || what === 'pods' || what === 'po' ? 'pods' : undefined;
        if (!kind) return `top: top needs nodes or pods${what === undefined ? '' : `, got ${JSON.stringify(what)}`}`;
        return text(runTop(simulationView(sim), kind, namespaceOf(a.values)));
      });
    },
  };
}
