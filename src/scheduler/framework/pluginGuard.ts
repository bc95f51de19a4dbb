/**
 * Out-of-tree plugins (`--plugin`, registerPlugin) run inside ksim's engine:
 * an exception thrown by one must not surface as "ksim: internal error" with
 * no clue. Each extension-point method of such a plugin is wrapped so that an
 * exception becomes an Error status naming the plugin, the extension point,
 * the pod and the node, which the scheduling cycle then reports as upstream
 * reports a plugin error (FailedScheduling, reason SchedulerError, the pod
 * retried after back-off). In-tree plugins are not wrapped: an exception there
 * is a ksim bug and stays one.
 *
 * Methods with no status to return (Unreserve, PostBind, the queue sort)
 * rethrow a PluginFailure carrying the same description.
 */
import type { NodeInfo, NodeScore, Plugin, PodInfo, QueuedPodInfo } from './types.ts';
import { Status } from './types.ts';

export class PluginFailure extends Error {}

function podKey(p: PodInfo | QueuedPodInfo | { metadata?: { namespace?: string; name?: string } } | undefined): string {
  const pod = p && 'pod' in p ? p.pod : p && 'podInfo' in p ? p.podInfo.pod : p;
  return `${pod?.metadata?.namespace ?? ''}/${pod?.metadata?.name ?? ''}`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** `plugin "X" threw at Filter for pod "default/web" on node "node-1": TypeError: ...` */
export function describeFailure(plugin: string, point: string, pod: string, node: string | undefined, e: unknown): string {
  return `plugin "${plugin}" threw at ${point} for pod "${pod}"${node ? ` on node "${node}"` : ''}: ${errorText(e)}`;
}

type AnyFn = (...args: never[]) => unknown;
type Methods = Record<string, AnyFn | undefined>;

function nodeNameOf(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  const ni = x as NodeInfo | undefined;
  return ni?.node?.metadata?.name;
}

/** Wrap the extension-point methods of an out-of-tree plugin. */
export function guardPlugin<P extends Plugin>(p: P): P {
  const name = p.name;
  const m = p as unknown as Methods;
  const wrap = (method: string, point: string, onError: (msg: string) => unknown, nodeArg: number | undefined, podArg: number): void => {
    const fn = m[method];
    if (typeof fn !== 'function') return;
    const bound = fn.bind(p) as (...args: unknown[]) => unknown;
    m[method] = ((...args: unknown[]) => {
      try {
        return bound(...args);
      } catch (e) {
        if (e instanceof PluginFailure) throw e;
        const msg = describeFailure(name, point, podKey(args[podArg] as PodInfo), nodeArg === undefined ? undefined : nodeNameOf(args[nodeArg]), e);
        return onError(msg);
      }
    }) as AnyFn;
  };
  const status = (msg: string): Status => Status.error(msg);
  const rethrow = (msg: string): never => {
    throw new PluginFailure(msg);
  };
  wrap('preEnqueue', 'PreEnqueue', status, undefined, 0);
  wrap('preFilter', 'PreFilter', (msg) => ({ result: null, status: status(msg) }), undefined, 1);
  wrap('filter', 'Filter', status, 2, 1);
  wrap('postFilter', 'PostFilter', (msg) => ({ result: null, status: status(msg) }), undefined, 1);
  wrap('preScore', 'PreScore', status, undefined, 1);
  wrap('score', 'Score', status, 2, 1);
  wrap('normalizeScore', 'NormalizeScore', status, undefined, 1);
  wrap('reserve', 'Reserve', status, 2, 1);
  wrap('unreserve', 'Unreserve', rethrow, 2, 1);
  wrap('permit', 'Permit', (msg) => ({ status: status(msg), timeout: 0 }), 2, 1);
  wrap('preBind', 'PreBind', status, 2, 1);
  wrap('bind', 'Bind', status, 2, 1);
  wrap('postBind', 'PostBind', rethrow, 2, 1);
  wrap('less', 'QueueSort', rethrow, undefined, 0);
  return p;
}

/**
 * A score after NormalizeScore must be an integer in [min, max]: upstream's
 * scores are int64, so NaN or a fraction from a JavaScript plugin is as wrong
 * as an out-of-range value. Returns upstream's message, or undefined.
 */
export function invalidScore(plugin: string, s: NodeScore['score'], min: number, max: number): string | undefined {
  if (Number.isInteger(s) && s >= min && s <= max) return undefined;
  return `plugin "${plugin}" returns an invalid score ${s}, it should in the range of [${min}, ${max}] after normalizing`;
}
