/**
 * spec.expect: assertions about the cluster at a point in virtual time.
 *
 * Field form:  {at, kind, namespace?, name, path, equals | notEquals | greaterThan | lessThan | exists}
 * Count form:  {at, kind, namespace?, selector?, fieldSelector?, count}
 *
 * `path` uses src/scenario/objectPath.ts syntax. Comparisons: scalars compare
 * by their text (3 equals "3"), objects and lists structurally;
 * greaterThan/lessThan compare numbers, or quantities ("1500m" > 1).
 * `selector` is a label selector string (kubectl -l), `fieldSelector` a
 * field selector (kubectl --field-selector, e.g. status.phase=Running).
 */
import { Quantity } from '../api/quantity.ts';
import { parseSelector } from '../api/labels.ts';
import type { StoreReader } from '../sim/types.ts';
import { getPath, matchesFieldSelector, parseFieldSelector, parseObjectPath, PathSyntaxError, type FieldRequirement, type PathSegment } from './objectPath.ts';
import { isNamespaced, kindInfo } from './kinds.ts';

/** Kinds components write and scenarios may only read: the Resource Metrics API (src/metrics). */
const READ_ONLY_KINDS: ReadonlySet<string> = new Set(['PodMetrics', 'NodeMetrics']);
import type { Reporter } from './report.ts';
import { isPlainObject, ShapeChecker } from './shape.ts';
import { parseAt } from './timeline.ts';
import type { Expectation, ExpectationCheck, ExpectOperator, Origin } from './types.ts';

const OPERATORS: ExpectOperator[] = ['equals', 'notEquals', 'greaterThan', 'lessThan', 'exists'];
const FIELD_FORM = ['at', 'kind', 'namespace', 'name', 'path', 'description', ...OPERATORS];
const COUNT_FORM = ['at', 'kind', 'namespace', 'selector', 'fieldSelector', 'count', 'description'];

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function show(v: unknown): string {
  return v === undefined ? '<none>' : JSON.stringify(v);
}

export function parseExpectations(list: unknown[], origin: Origin, rep: Reporter): Expectation[] {
  const out: Expectation[] = [];
  list.forEach((entry, i) => {
    const base = `spec.expect[${i}]`;
    const ck = new ShapeChecker();
    const isCount = isPlainObject(entry) && 'count' in entry;
    const o = ck.object(entry, base, isCount ? COUNT_FORM : FIELD_FORM, isCount ? ['at', 'kind', 'count'] : ['at', 'kind', 'name']);
    if (!o) {
      rep.fields(origin, ck.errors);
      return;
    }
    const at = parseAt(ck, o['at'], `${base}.at`);
    const kind = o['kind'] === undefined ? undefined : ck.string(o['kind'], `${base}.kind`);
    // Expectations read objects: kinds ksim serves but users cannot apply (PodMetrics, NodeMetrics) count too.
    if (kind !== undefined && !kindInfo(kind) && !READ_ONLY_KINDS.has(kind)) ck.errors.push({ path: `${base}.kind`, type: 'NotSupported', value: kind, detail: 'unknown kind' });
    const nsRaw = o['namespace'] === undefined ? undefined : ck.string(o['namespace'], `${base}.namespace`);
    if (kind !== undefined && nsRaw && !isNamespaced(kind)) ck.errors.push({ path: `${base}.namespace`, type: 'Forbidden', detail: `${kind} is not namespaced` });
    const description = o['description'] === undefined ? undefined : ck.string(o['description'], `${base}.description`);
    let check: ExpectationCheck | undefined;
    let text = '';
    if (isCount) {
      const count = ck.int(o['count'], `${base}.count`, 0);
      let selector: string | undefined;
      if (o['selector'] !== undefined) {
        selector = ck.string(o['selector'], `${base}.selector`);
        if (selector !== undefined) {
          try {
            parseSelector(selector);
          } catch (e) {
            ck.errors.push({ path: `${base}.selector`, type: 'Invalid', value: selector, detail: errText(e) });
          }
        }
      }
      let fieldSelector: FieldRequirement[] | undefined;
      const fsText = o['fieldSelector'] === undefined ? undefined : ck.string(o['fieldSelector'], `${base}.fieldSelector`);
      if (fsText !== undefined) {
        try {
          fieldSelector = parseFieldSelector(fsText);
        } catch (e) {
          ck.errors.push({ path: `${base}.fieldSelector`, type: 'Invalid', value: fsText, detail: errText(e) });
        }
      }
      if (kind !== undefined && count !== undefined) {
        const namespace = isNamespaced(kind) ? nsRaw || undefined : undefined;
        check = {
          type: 'count',
          kind,
          count,
          ...(namespace !== undefined ? { namespace } : {}),
          ...(selector !== undefined ? { selector } : {}),
          ...(fieldSelector ? { fieldSelector, fieldSelectorText: fsText } : {}),
        };
        const filters = [namespace ? `in namespace ${namespace}` : '', selector ? `with labels ${selector}` : '', fsText ? `with ${fsText}` : ''].filter(Boolean);
        text = `count of ${kind}${filters.length ? ` ${filters.join(' ')}` : ''} equals ${count}`;
      }
    } else {
      const name = o['name'] === undefined ? undefined : ck.string(o['name'], `${base}.name`);
      let path: PathSegment[] | undefined;
      let pathText: string | undefined;
      if (o['path'] === undefined) ck.errors.push({ path: `${base}.path`, type: 'Required', detail: '' });
      else {
        pathText = ck.string(o['path'], `${base}.path`);
        if (pathText !== undefined) {
          try {
            path = parseObjectPath(pathText);
          } catch (e) {
            if (!(e instanceof PathSyntaxError)) throw e;
            ck.errors.push({ path: `${base}.path`, type: 'Invalid', value: pathText, detail: e.message });
          }
        }
      }
      const ops = OPERATORS.filter((op) => o[op] !== undefined);
      if (ops.length === 0) ck.errors.push({ path: base, type: 'Required', detail: `one of ${OPERATORS.join(', ')}` });
      if (ops.length > 1) ck.errors.push({ path: `${base}.${ops[1]}`, type: 'Forbidden', detail: `only one comparison per expectation (also has ${ops[0]})` });
      const op = ops[0];
      if (op === 'exists') ck.bool(o[op], `${base}.exists`);
      if ((op === 'greaterThan' || op === 'lessThan') && comparable(o[op]) === undefined) {
        ck.errors.push({ path: `${base}.${op}`, type: 'Invalid', value: isPlainObject(o[op]) || Array.isArray(o[op]) ? undefined : o[op], detail: 'must be a number or a quantity' });
      }
      if (kind !== undefined && name !== undefined && path && pathText !== undefined && op && ops.length === 1) {
        const namespace = isNamespaced(kind) ? nsRaw || 'default' : '';
        check = { type: 'field', target: { kind, namespace, name }, path, pathText, op, value: o[op] };
        text = `${kind} ${namespace ? `${namespace}/` : ''}${name} ${pathText} ${op === 'exists' ? (o[op] ? 'exists' : 'does not exist') : `${op} ${show(o[op])}`}`;
      }
    }
    rep.fields(origin, ck.errors);
    if (ck.errors.length === 0 && check && at !== undefined) {
      out.push({ at, atText: o['at'] as string, index: i, text: description ?? text, check, origin });
    }
  });
  return out;
}

/** A number or quantity to compare, or undefined. */
function comparable(v: unknown): Quantity | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Quantity.tryParse(v);
  if (typeof v === 'string') return Quantity.tryParse(v);
  return undefined;
}

/** Canonical JSON (keys sorted) for structural equality. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

export function valuesEqual(actual: unknown, expected: unknown): boolean {
  const scalar = (x: unknown): boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  if (scalar(actual) && scalar(expected)) return String(actual) === String(expected);
  return canonical(actual) === canonical(expected);
}

export interface ExpectationOutcome {
  passed: boolean;
  /** What was found, as text. */
  actual: string;
}

/** Evaluate against the current state of the store. */
export function evaluateExpectation(check: ExpectationCheck, store: StoreReader): ExpectationOutcome {
  if (check.type === 'count') {
    let objs = store.list(check.kind, check.namespace);
    if (check.selector !== undefined) {
      const sel = parseSelector(check.selector);
      objs = objs.filter((o) => sel.matches(o.metadata.labels ?? {}));
    }
    if (check.fieldSelector) {
      const fs = check.fieldSelector;
      objs = objs.filter((o) => matchesFieldSelector(o, fs));
    }
    return { passed: objs.length === check.count, actual: String(objs.length) };
  }
  const obj = store.get(check.target.kind, check.target.namespace, check.target.name);
  const value = obj === undefined ? undefined : getPath(obj, check.path);
  const actual = obj === undefined ? '<object not found>' : show(value);
  switch (check.op) {
    case 'exists':
      return { passed: (value !== undefined && value !== null) === check.value, actual };
    case 'equals':
      return { passed: value !== undefined && valuesEqual(value, check.value), actual };
    case 'notEquals':
      return { passed: value === undefined || !valuesEqual(value, check.value), actual };
    case 'greaterThan':
    case 'lessThan': {
      const a = comparable(value);
      const b = comparable(check.value);
      if (!a || !b) return { passed: false, actual };
      const c = a.cmp(b);
      return { passed: check.op === 'greaterThan' ? c > 0 : c < 0, actual };
    }
  }
}
