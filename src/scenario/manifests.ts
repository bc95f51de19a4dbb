/**
 * Checking one Kubernetes manifest as `kubectl apply --validate=strict`
 * followed by the API server would: apiVersion/kind present and served,
 * structural shape (unknown fields, wrong types: src/api/schema), then the
 * API server's defaulting and validation (src/api/defaults.ts,
 * src/api/validation.ts) on a copy. Unknown kinds are skipped with a
 * warning rather than failing the scenario (they may be CRDs ksim does not
 * model).
 */
import type { KObject } from '../sim/types.ts';
import type { FieldError } from '../api/errors.ts';
import { splitFieldPath } from './source.ts';
import { validateManifestShape } from '../api/schema/index.ts';
import { applyDefaults } from '../api/defaults.ts';
import { validateObject } from '../api/validation.ts';
import { isNamespaced, kindInfo, servesApiVersion } from './kinds.ts';
import { cloneJson, isPlainObject, typeError } from './shape.ts';
import { childOrigin, type Reporter } from './report.ts';
import type { LoadedObject, Origin } from './types.ts';

/** "Pod default/web", "Node node-1", "Pod default/<generateName>web-". */
export function describeObject(v: Record<string, unknown>): string {
  const kind = typeof v['kind'] === 'string' ? v['kind'] : '<no kind>';
  const meta = isPlainObject(v['metadata']) ? v['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : typeof meta['generateName'] === 'string' ? `${meta['generateName']}*` : '<no name>';
  if (!isNamespaced(kind)) return `${kind} ${name}`;
  const ns = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
  return `${kind} ${ns}/${name}`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether the field path names a value present in the object as written. */
function pathExists(obj: unknown, path: string): boolean {
  let cur: unknown = obj;
  for (const seg of splitFieldPath(path)) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)];
    else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg)) cur = cur[seg];
    else return false;
  }
  return true;
}

/**
 * Validation runs on a defaulted copy, and defaulting copies some values
 * (container limits become requests): one bad value would then be reported
 * twice. Drop an error about a field the user did not write when the same
 * complaint about the same value is made about a field they did write.
 */
function withoutDefaultingEchoes(errs: FieldError[], original: unknown): FieldError[] {
  const written = errs.filter((e) => pathExists(original, e.path));
  return errs.filter((e) => written.includes(e) || !written.some((w) => w.detail === e.detail && w.type === e.type && JSON.stringify(w.value) === JSON.stringify(e.value)));
}

/**
 * Check a manifest; returns the object to create (namespace filled in as
 * kubectl does for namespaced kinds) or undefined when it has problems or is
 * of an unknown kind. `where` names it for warnings ("x.yaml, document 3").
 */
export function checkManifest(value: unknown, origin: Origin, rep: Reporter, where: string, adopt = false): LoadedObject | undefined {
  if (!isPlainObject(value)) {
    rep.add(origin, '', `expected a mapping (a Kubernetes object), got ${Array.isArray(value) ? 'a sequence' : value === null ? 'null' : `a ${typeof value}`}`);
    return undefined;
  }
  const described = origin.basePath ? `${describeObject(value)} at ${origin.basePath}` : describeObject(value);
  const here: Origin = { ...origin, object: described };
  let ok = true;
  for (const f of ['apiVersion', 'kind'] as const) {
    const v = value[f];
    if (v === undefined || v === null || v === '') {
      rep.add(here, f, 'Required value');
      ok = false;
    } else if (typeof v !== 'string') {
      rep.field(here, typeError(f, v, 'string'));
      ok = false;
    }
  }
  if (!ok) return undefined;
  const kind = value['kind'] as string;
  const apiVersion = value['apiVersion'] as string;
  const info = kindInfo(kind);
  if (!info) {
    rep.warn(`ignoring unknown kind ${kind} (apiVersion ${apiVersion}) in ${where}`);
    return undefined;
  }
  if (!servesApiVersion(info, apiVersion)) {
    rep.add(here, 'apiVersion', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return undefined;
  }
  if (value['metadata'] !== undefined && !isPlainObject(value['metadata'])) {
    rep.field(here, typeError('metadata', value['metadata'], 'object'));
    return undefined;
  }
  let shapeErrors;
  try {
    shapeErrors = validateManifestShape(value);
  } catch (e) {
    rep.add(here, '', `cannot check the manifest's structure: ${message(e)}`);
    return undefined;
  }
  if (shapeErrors.length > 0) {
    rep.fields(here, shapeErrors);
    return undefined;
  }
  // A value nothing else holds (and without aliases) becomes the object itself: one copy less per object.
  const obj = (adopt ? value : cloneJson(value)) as KObject;
  if (!obj.metadata) obj.metadata = {};
  // kubectl sends namespaced objects with the context's namespace ("default") filled in.
  if (info.namespaced && !obj.metadata.namespace) obj.metadata.namespace = 'default';
  try {
    const copy = cloneJson(obj);
    applyDefaults(copy);
    const errs = withoutDefaultingEchoes(validateObject(copy), obj);
    if (errs.length > 0) {
      rep.fields(here, errs);
      return undefined;
    }
  } catch (e) {
    rep.add(here, '', `cannot validate the object: ${message(e)}`);
    return undefined;
  }
  return { object: obj, origin: here };
}

/**
 * A document: one manifest, or a `v1 List` whose items are checked one by
 * one (as kubectl apply expands lists).
 */
export function checkDocument(value: unknown, origin: Origin, rep: Reporter, where: string, adopt = false): LoadedObject[] {
  if (isPlainObject(value) && value['apiVersion'] === 'v1' && value['kind'] === 'List') {
    const out: LoadedObject[] = [];
    const items = value['items'];
    if (items === undefined || items === null) return out;
    if (!Array.isArray(items)) {
      rep.field({ ...origin, object: 'List' }, typeError('items', items, 'array'));
      return out;
    }
    items.forEach((item, i) => {
      const lo = checkManifest(item, childOrigin(origin, `items[${i}]`), rep, `${where}, items[${i}]`, adopt);
      if (lo) out.push(lo);
    });
    return out;
  }
  const lo = checkManifest(value, origin, rep, where, adopt);
  return lo ? [lo] : [];
}
