/**
 * Checks across all inputs, as the API server would reject the objects when
 * they are created: the same object defined twice (AlreadyExists), objects
 * in a namespace that does not exist (NotFound), pods naming a
 * PriorityClass that does not exist (the Priority admission plugin), and
 * timeline actions on objects that never exist.
 */
import { parseSelector } from '../api/labels.ts';
import type { KObject } from '../sim/types.ts';
import { alreadyExistsMessage, isNamespaced, notFoundMessage, SYSTEM_NAMESPACES, SYSTEM_PRIORITY_CLASSES } from './kinds.ts';
import { isPlainObject } from './shape.ts';
import type { Reporter } from './report.ts';
import type { LoadedObject, Origin, TimelineAction } from './types.ts';
import { isNodeAction } from './timeline.ts';
import { KSIM_ANNOTATION_PREFIX, ksimAnnotationProblem, type AnnotationTarget } from '../api/ksimAnnotations.ts';
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { quotaWarnings } from '../admission/resourcequota/validation.ts';

function key(o: KObject): string | undefined {
  if (!o.metadata.name) return undefined;
  return `${o.kind}/${isNamespaced(o.kind) ? (o.metadata.namespace ?? 'default') : ''}/${o.metadata.name}`;
}

function where(origin: Origin): string {
  const inner = origin.basePath ? `, ${origin.basePath}` : '';
  return `${origin.file}, document ${origin.document}${inner}`;
}

/** Where pod metadata lives in kinds that carry a pod (template). */
function podMetadataPaths(kind: string): string[][] {
  return podSpecPaths(kind).map((p) => [...p.slice(0, -1), 'metadata']);
}

/** Where a kind's ksim annotations may be, computed once per kind (the loader checks every object). */
const ANNOTATION_PLACES = new Map<string, Array<{ path: string[]; annotations: string[]; on: AnnotationTarget }>>();
function annotationPlaces(kind: string): Array<{ path: string[]; annotations: string[]; on: AnnotationTarget }> {
  let places = ANNOTATION_PLACES.get(kind);
  if (!places) {
    const list: Array<{ path: string[]; on: AnnotationTarget }> = podMetadataPaths(kind).map((path) => ({ path, on: 'Pod' }));
    if (kind === 'Node') list.push({ path: ['metadata'], on: 'Node' });
    places = list.map((p) => ({ ...p, annotations: [...p.path, 'annotations'] }));
    ANNOTATION_PLACES.set(kind, places);
  }
  return places;
}

/** Every `ksim.dev/` annotation must be one ksim reads, with a value it can parse. */
function checkKsimAnnotations(lo: LoadedObject, rep: Reporter): void {
  const o = lo.object;
  for (const { path, annotations: at, on } of annotationPlaces(o.kind)) {
    const annotations = dig(o, at);
    if (!isPlainObject(annotations)) continue;
    for (const [k, v] of Object.entries(annotations)) {
      if (!k.startsWith(KSIM_ANNOTATION_PREFIX) || typeof v !== 'string') continue;
      const problem = ksimAnnotationProblem(k, v, on);
      if (problem) rep.add(lo.origin, [...path, 'annotations', k].join('.'), problem);
    }
  }
  // Generated nodes carry the node group's annotations: checked where the group is parsed.
}

/**
 * Objects whose ownerReferences name an owner that will not exist: the
 * garbage collector deletes such dependants (it looks owners up by uid, and
 * every object created from the input gets a fresh uid), so say so up front.
 */
function warnDanglingOwners(lo: LoadedObject, rep: Reporter): void {
  const refs = lo.object.metadata.ownerReferences;
  if (!Array.isArray(refs) || refs.length === 0) return;
  const o = lo.object;
  const name = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? o.metadata.generateName ?? ''}`;
  const owners = refs.map((r) => `${r.kind} ${r.name}`).join(', ');
  rep.warn(
    `${where(lo.origin)}: ${name} has ownerReferences (${owners}); an owner is found by uid and objects created from the input get new uids, so the garbage collector will delete it as soon as it is created, as upstream's would. Remove metadata.ownerReferences to keep it (a controller adopts matching pods).`,
  );
}

const POD_SPEC: string[][] = [['spec']];
const TEMPLATE_SPEC: string[][] = [['spec', 'template', 'spec']];
const JOB_TEMPLATE_SPEC: string[][] = [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
const NO_SPEC: string[][] = [];

/** Where a pod spec lives in kinds that carry one (shared arrays: callers do not change them). */
function podSpecPaths(kind: string): readonly string[][] {
  switch (kind) {
    case 'Pod':
      return POD_SPEC;
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return TEMPLATE_SPEC;
    case 'CronJob':
      return JOB_TEMPLATE_SPEC;
    default:
      return NO_SPEC;
  }
}

/** The priorityClassName path of each pod spec path, computed once per kind. */
const PRIORITY_CLASS_PATHS = new Map<string, Array<{ path: string[]; text: string }>>();
function priorityClassPaths(kind: string): Array<{ path: string[]; text: string }> {
  let out = PRIORITY_CLASS_PATHS.get(kind);
  if (!out) {
    out = podSpecPaths(kind).map((p) => ({ path: [...p, 'priorityClassName'], text: [...p, 'priorityClassName'].join('.') }));
    PRIORITY_CLASS_PATHS.set(kind, out);
  }
  return out;
}

function dig(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function crossCheck(initial: LoadedObject[], timeline: TimelineAction[], rep: Reporter): void {
  // Duplicates among the objects created at time 0.
  const seen = new Map<string, LoadedObject>();
  const reportedGroups = new Map<unknown, number>();
  for (const lo of initial) {
    const k = key(lo.object);
    if (!k) continue;
    const first = seen.get(k);
    if (!first) {
      seen.set(k, lo);
      continue;
    }
    // Generated nodes: one message per node group, not one per node.
    const group = lo.origin.mapPath;
    if (group) {
      const n = reportedGroups.get(group) ?? 0;
      reportedGroups.set(group, n + 1);
      if (n > 0) continue;
    }
    rep.add(lo.origin, 'metadata.name', `Duplicate value: ${JSON.stringify(lo.object.metadata.name)}: ${alreadyExistsMessage(lo.object.kind, lo.object.metadata.name!)} (first defined in ${where(first.origin)})`);
  }

  // Timeline applies in time order: what exists by then.
  const applies = timeline
    .filter((a): a is Extract<TimelineAction, { type: 'apply' }> => a.type === 'apply')
    .slice()
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const namespaces = new Set(SYSTEM_NAMESPACES);
  const priorityClasses = new Set(SYSTEM_PRIORITY_CLASSES);
  const learn = (o: KObject): void => {
    if (o.kind === 'Namespace' && o.metadata.name) namespaces.add(o.metadata.name);
    if (o.kind === 'PriorityClass' && o.metadata.name) priorityClasses.add(o.metadata.name);
  };
  const checkRefs = (lo: LoadedObject): void => {
    const o = lo.object;
    if (!lo.origin.mapPath) checkKsimAnnotations(lo, rep);
    warnDanglingOwners(lo, rep);
    if (o.kind === 'ResourceQuota') for (const w of quotaWarnings(o as ResourceQuota)) rep.warn(`${where(lo.origin)}: ResourceQuota ${o.metadata.namespace ?? 'default'}/${o.metadata.name}: ${w}`);
    if (isNamespaced(o.kind)) {
      const ns = o.metadata.namespace ?? 'default';
      if (!namespaces.has(ns)) rep.add(lo.origin, 'metadata.namespace', `Not found: namespaces ${JSON.stringify(ns)} not found`);
    }
    for (const p of priorityClassPaths(o.kind)) {
      const pcn = dig(o, p.path);
      if (typeof pcn === 'string' && pcn !== '' && !priorityClasses.has(pcn)) {
        rep.add(lo.origin, p.text, `Not found: no PriorityClass with name ${pcn} was found`);
      }
    }
  };
  for (const lo of initial) learn(lo.object);
  for (const lo of initial) checkRefs(lo);
  for (const a of applies) {
    for (const lo of a.objects) learn(lo.object);
    for (const lo of a.objects) checkRefs(lo);
  }

  // References of delete/scale/patch/node actions: the object must exist at some point.
  const ever = new Set<string>(seen.keys());
  const nodes: KObject[] = initial.filter((lo) => lo.object.kind === 'Node').map((lo) => lo.object);
  for (const a of applies) {
    for (const lo of a.objects) {
      const k = key(lo.object);
      if (k) ever.add(k);
      if (lo.object.kind === 'Node') nodes.push(lo.object);
    }
  }
  for (const a of timeline) {
    if (a.type === 'delete' || a.type === 'scale' || a.type === 'patch') {
      const t = a.target;
      if (!ever.has(`${t.kind}/${t.namespace}/${t.name}`)) rep.add(a.origin, `spec.timeline[${a.index}].${a.type}.name`, `Not found: ${notFoundMessage(t.kind, t.name)}`);
    } else if (isNodeAction(a)) {
      if ('names' in a.nodes) {
        const base = `spec.timeline[${a.index}].${a.type}`;
        const many = a.nodes.names.length > 1;
        a.nodes.names.forEach((n, i) => {
          if (!ever.has(`Node//${n}`)) rep.add(a.origin, many ? `${base}[${i}]` : base, `Not found: ${notFoundMessage('Node', n)}`);
        });
      } else {
        const sel = parseSelector(a.nodes.selector);
        if (!nodes.some((n) => sel.matches(n.metadata.labels ?? {}))) {
          rep.warn(`${where(a.origin)}, spec.timeline[${a.index}]: ${a.type} selector ${JSON.stringify(a.nodes.selector)} matches no node defined in the scenario`);
        }
      }
    }
  }
}
