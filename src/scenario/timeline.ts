/**
 * Parsing spec.timeline: what happens to the cluster and when. Each entry
 * has `at` (a Go duration from the start) and exactly one action:
 *
 *   apply:    a manifest (or a list of them): create, or update if it exists (kubectl apply)
 *   delete:   {kind, namespace?, name, gracePeriodSeconds?}
 *   scale:    {kind, namespace?, name, replicas} (kubectl scale: sets spec.replicas)
 *   patch:    {kind, namespace?, name, patch: {...}} (a JSON merge patch, kubectl patch --type merge)
 *   evict:    {namespace?, name}: the Eviction subresource of a pod (PodDisruptionBudgets apply)
 *   drain:    as the node actions, or {nodes: ..., timeout?: 2m, force?: true}
 *   cordon, uncordon, drain, nodeDown, nodeUp: a node name, a list of names,
 *             or {selector: "label selector"} (nodes matching when the action runs)
 */
import { parseDuration } from '../api/duration.ts';
import { parseSelector } from '../api/labels.ts';
import type { ObjectRef } from '../sim/types.ts';
import { checkManifest } from './manifests.ts';
import { isNamespaced, kindInfo } from './kinds.ts';
import { childOrigin, type Reporter } from './report.ts';
import { isPlainObject, ShapeChecker } from './shape.ts';
import { NODE_ACTIONS, TIMELINE_ACTIONS, type DrainOptions, type LoadedObject, type NodeActionType, type NodeTarget, type Origin, type TimelineAction, type TimelineActionBody } from './types.ts';

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A Go duration from the start of the run; negative durations are rejected. */
export function parseAt(ck: ShapeChecker, v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) {
    ck.errors.push({ path, type: 'Required', detail: '' });
    return undefined;
  }
  const s = ck.string(v, path);
  if (s === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(s);
  } catch (e) {
    ck.errors.push({ path, type: 'Invalid', value: s, detail: errText(e) });
    return undefined;
  }
  if (ms < 0) {
    ck.errors.push({ path, type: 'Invalid', value: s, detail: 'must be greater than or equal to 0' });
    return undefined;
  }
  return ms;
}

/** {kind, namespace?, name} with extra allowed fields; namespace defaults as kubectl's. */
export function parseObjectRef(ck: ShapeChecker, v: unknown, path: string, extra: readonly string[] = []): { ref: ObjectRef; raw: Record<string, unknown> } | undefined {
  const o = ck.object(v, path, ['kind', 'namespace', 'name', ...extra], ['kind', 'name']);
  if (!o) return undefined;
  const before = ck.errors.length;
  const kind = o['kind'] === undefined ? undefined : ck.string(o['kind'], `${path}.kind`);
  const name = o['name'] === undefined ? undefined : ck.string(o['name'], `${path}.name`);
  const ns = o['namespace'] === undefined ? undefined : ck.string(o['namespace'], `${path}.namespace`);
  if (kind === undefined || name === undefined || ck.errors.length > before) return undefined;
  if (!kindInfo(kind)) {
    ck.errors.push({ path: `${path}.kind`, type: 'NotSupported', value: kind, detail: 'unknown kind' });
    return undefined;
  }
  const namespaced = isNamespaced(kind);
  if (!namespaced && ns) {
    ck.errors.push({ path: `${path}.namespace`, type: 'Forbidden', detail: `${kind} is not namespaced` });
    return undefined;
  }
  return { ref: { kind, namespace: namespaced ? ns || 'default' : '', name }, raw: o };
}

function parseNodeTarget(ck: ShapeChecker, v: unknown, path: string): NodeTarget | undefined {
  if (typeof v === 'string') {
    if (v === '') {
      ck.errors.push({ path, type: 'Required', detail: 'a node name' });
      return undefined;
    }
    return { names: [v] };
  }
  if (Array.isArray(v)) {
    const names: string[] = [];
    v.forEach((n, i) => {
      const s = ck.string(n, `${path}[${i}]`);
      if (s !== undefined) names.push(s);
    });
    if (v.length === 0) ck.errors.push({ path, type: 'Required', detail: 'at least one node name' });
    return names.length === v.length && v.length > 0 ? { names } : undefined;
  }
  if (isPlainObject(v)) {
    const o = ck.object(v, path, ['selector'], ['selector']);
    const sel = o && o['selector'] !== undefined ? ck.string(o['selector'], `${path}.selector`) : undefined;
    if (sel === undefined) return undefined;
    try {
      parseSelector(sel);
    } catch (e) {
      ck.errors.push({ path: `${path}.selector`, type: 'Invalid', value: sel, detail: errText(e) });
      return undefined;
    }
    return { selector: sel };
  }
  ck.errors.push({ path, type: 'TypeInvalid', value: v, detail: 'expected a node name, a list of node names or {selector: ...}' });
  return undefined;
}

const SCALABLE = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet'];

/** `drain: {nodes: <name | [names] | {selector}>, timeout?: <duration>, force?: bool}`. */
function parseDrain(ck: ShapeChecker, v: Record<string, unknown>, p: string): TimelineActionBody | undefined {
  const o = ck.object(v, p, ['nodes', 'timeout', 'force'], ['nodes']);
  if (!o || o['nodes'] === undefined) return undefined;
  const nodes = parseNodeTarget(ck, o['nodes'], `${p}.nodes`);
  const drain: DrainOptions = {};
  if (o['timeout'] !== undefined) {
    const t = parseAt(ck, o['timeout'], `${p}.timeout`);
    if (t === undefined) return undefined;
    drain.timeout = t;
    drain.timeoutText = String(o['timeout']);
  }
  if (o['force'] !== undefined) {
    if (typeof o['force'] !== 'boolean') {
      ck.errors.push({ path: `${p}.force`, type: 'TypeInvalid', value: o['force'], detail: 'expected true or false' });
      return undefined;
    }
    drain.force = o['force'];
  }
  return nodes ? { type: 'drain', nodes, drain } : undefined;
}

/**
 * Parse spec.timeline. `origin` is the Scenario document's (paths from its
 * root). Manifests of `apply` are checked like any other manifest.
 */
export function parseTimeline(list: unknown[], origin: Origin, rep: Reporter, file: string): TimelineAction[] {
  const out: TimelineAction[] = [];
  list.forEach((entry, i) => {
    const base = `spec.timeline[${i}]`;
    const ck = new ShapeChecker();
    if (!isPlainObject(entry)) {
      ck.object(entry, base, []);
      rep.fields(origin, ck.errors);
      return;
    }
    const at = parseAt(ck, entry['at'], `${base}.at`);
    const actionKeys = Object.keys(entry).filter((k) => k !== 'at');
    const known = actionKeys.filter((k) => (TIMELINE_ACTIONS as readonly string[]).includes(k));
    for (const k of actionKeys) {
      if (!known.includes(k)) ck.errors.push({ path: `${base}.${k}`, type: 'NotSupported', value: k, detail: `supported values: ${TIMELINE_ACTIONS.map((a) => `"${a}"`).join(', ')}` });
    }
    if (actionKeys.length === 0) ck.errors.push({ path: base, type: 'Required', detail: `an action (one of ${TIMELINE_ACTIONS.join(', ')})` });
    if (known.length > 1) ck.errors.push({ path: `${base}.${known[1]}`, type: 'Forbidden', detail: `only one action per timeline entry (also has ${known[0]})` });
    let body: TimelineActionBody | undefined;
    if (known.length === 1 && actionKeys.length === 1) {
      const type = known[0] as TimelineAction['type'];
      const v = entry[type];
      const p = `${base}.${type}`;
      switch (type) {
        case 'apply': {
          const manifests = Array.isArray(v) ? v.map((m, j) => ({ m, path: `${p}[${j}]` })) : [{ m: v, path: p }];
          if (manifests.length === 0) ck.errors.push({ path: p, type: 'Required', detail: 'at least one manifest' });
          const objects: LoadedObject[] = [];
          let ok = true;
          for (const { m, path } of manifests) {
            const before = rep.problems.length;
            const warnBefore = rep.warnings.length;
            const lo = checkManifest(m, childOrigin(origin, path), rep, `${file}, ${path}`);
            if (lo) objects.push(lo);
            else if (rep.problems.length > before || rep.warnings.length === warnBefore) ok = false;
          }
          if (ok && objects.length > 0) body = { type, objects };
          break;
        }
        case 'delete': {
          const r = parseObjectRef(ck, v, p, ['gracePeriodSeconds']);
          if (!r) break;
          const g = r.raw['gracePeriodSeconds'];
          const grace = g === undefined ? undefined : ck.int(g, `${p}.gracePeriodSeconds`, 0);
          if (g !== undefined && grace === undefined) break;
          body = { type, target: r.ref, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) };
          break;
        }
        case 'scale': {
          const r = parseObjectRef(ck, v, p, ['replicas']);
          if (!r) break;
          if (!SCALABLE.includes(r.ref.kind)) {
            ck.errors.push({ path: `${p}.kind`, type: 'NotSupported', value: r.ref.kind, detail: `supported values: ${SCALABLE.map((k) => `"${k}"`).join(', ')}` });
            break;
          }
          if (r.raw['replicas'] === undefined) {
            ck.errors.push({ path: `${p}.replicas`, type: 'Required', detail: '' });
            break;
          }
          const replicas = ck.int(r.raw['replicas'], `${p}.replicas`, 0);
          if (replicas !== undefined) body = { type, target: r.ref, replicas };
          break;
        }
        case 'patch': {
          const r = parseObjectRef(ck, v, p, ['patch']);
          if (!r) break;
          const patch = r.raw['patch'];
          if (patch === undefined) ck.errors.push({ path: `${p}.patch`, type: 'Required', detail: '' });
          else if (!isPlainObject(patch)) ck.errors.push({ path: `${p}.patch`, type: 'TypeInvalid', value: undefined, detail: 'expected a JSON merge patch (an object)' });
          else body = { type, target: r.ref, patch };
          break;
        }
        case 'evict': {
          // The Eviction subresource of one pod: {namespace?, name}.
          const o = ck.object(v, p, ['namespace', 'name'], ['name']);
          if (!o) break;
          const name = o['name'] === undefined ? undefined : ck.string(o['name'], `${p}.name`);
          const ns = o['namespace'] === undefined ? undefined : ck.string(o['namespace'], `${p}.namespace`);
          if (name !== undefined && (o['namespace'] === undefined || ns !== undefined)) body = { type, target: { kind: 'Pod', namespace: ns || 'default', name } };
          break;
        }
        default: {
          // drain also takes {nodes, timeout?, force?}; otherwise a node name, a list or {selector}.
          if (type === 'drain' && isPlainObject(v) && ('nodes' in v || 'timeout' in v || 'force' in v)) {
            body = parseDrain(ck, v, p);
            break;
          }
          const nodes = parseNodeTarget(ck, v, p);
          if (nodes) body = { type: type as NodeActionType, nodes };
        }
      }
    }
    rep.fields(origin, ck.errors);
    if (ck.errors.length === 0 && body && at !== undefined) {
      out.push({ ...body, at, atText: entry['at'] as string, index: i, origin });
    }
  });
  return out;
}

export function isNodeAction(a: TimelineAction): a is Extract<TimelineAction, { nodes: NodeTarget }> {
  return (NODE_ACTIONS as readonly string[]).includes(a.type);
}
