/**
 * v1 NodeSelector / NodeSelectorTerm / PreferredSchedulingTerm matching, following
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity (nodeaffinity.go), v1.35 (matching unchanged since v1.31; v1.33's
 * validation of required node-affinity values on pod create: docs/release-audit-1.32-1.35.md):
 *  - terms are ORed, requirements within a term ANDed;
 *  - a term with neither matchExpressions nor matchFields matches nothing;
 *  - matchExpressions become label requirements (In, NotIn, Exists, DoesNotExist, Gt, Lt; Gt/Lt
 *    compare int64s and a non-integer node label never matches), validated like
 *    labels.NewRequirement;
 *  - matchFields support In/NotIn with exactly one value against the node's fields, of which only
 *    `metadata.name` exists (and only when the node has a name: upstream skips field matching for
 *    a nameless node);
 *  - a term that fails to parse never matches (LazyErrorNodeSelector); the errors are kept;
 *  - preferred terms: weight 0 or an empty preference is skipped; parse errors are fatal
 *    (NewPreferredSchedulingTerms); the score is the sum of the weights of matching terms.
 *
 * Validation follows pkg/apis/core/validation (ValidateNodeSelector, ValidateNodeSelectorTerm,
 * ValidateNodeSelectorRequirement, ValidateNodeFieldSelectorRequirement,
 * ValidatePreferredSchedulingTerms) with upstream's messages.
 */
import type {
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import type { FieldError } from './errors.ts';
import {
  aggregateMessage,
  goFieldErrorString,
  isDNS1123Subdomain,
  isValidLabelValue,
  LabelSelectorError,
  newRequirement,
  selectorFromRequirements,
  validateLabelName,
  type Requirement,
  type SelectionOperator,
  type Selector,
} from './labels.ts';

export class NodeSelectorError extends Error {
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
    this.name = 'NodeSelectorError';
  }
}

const OBJECT_NAME_FIELD = 'metadata.name';

interface FieldRequirement {
  field: string;
  value: string;
  equal: boolean;
}

interface CompiledTerm {
  /** undefined when the term has no matchExpressions */
  labels: Selector | undefined;
  /** undefined when the term has no matchFields */
  fields: readonly FieldRequirement[] | undefined;
  errors: readonly FieldError[];
}

function child(base: string, name: string): string {
  return base ? `${base}.${name}` : name;
}

const LABEL_OPERATORS: Readonly<Record<string, SelectionOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

/** nodeSelectorRequirementsAsSelector */
function compileExpressions(exprs: readonly NodeSelectorRequirement[], path: string, errs: FieldError[]): Selector | undefined {
  const reqs: Requirement[] = [];
  const before = errs.length;
  exprs.forEach((expr, i) => {
    const p = `${path}[${i}]`;
    const op = Object.hasOwn(LABEL_OPERATORS, expr.operator) ? LABEL_OPERATORS[expr.operator] : undefined;
    if (op === undefined) {
      errs.push({ path: child(p, 'operator'), type: 'NotSupported', value: expr.operator, detail: '' });
      return;
    }
    try {
      reqs.push(newRequirement(expr.key, op, expr.values ?? [], p));
    } catch (e) {
      if (!(e instanceof LabelSelectorError)) throw e;
      errs.push(...e.errors);
    }
  });
  return errs.length > before ? undefined : selectorFromRequirements(reqs);
}

/** nodeSelectorRequirementsAsFieldSelector */
function compileFields(exprs: readonly NodeSelectorRequirement[], path: string, errs: FieldError[]): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  exprs.forEach((expr, i) => {
    const p = `${path}[${i}]`;
    const values = expr.values ?? [];
    if (expr.operator === 'In' || expr.operator === 'NotIn') {
      if (values.length !== 1) {
        errs.push({ path: child(p, 'values'), type: 'Invalid', value: [...values], detail: 'must have one element' });
      } else {
        out.push({ field: expr.key, value: values[0] as string, equal: expr.operator === 'In' });
      }
    } else {
      errs.push({
        path: child(p, 'operator'),
        type: 'NotSupported',
        value: expr.operator,
        detail: 'supported values: "In", "NotIn"',
      });
    }
  });
  return out;
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0;
}

/** newNodeSelectorTerm */
function compileTerm(term: NodeSelectorTerm, path: string): CompiledTerm {
  const errs: FieldError[] = [];
  const exprs = term.matchExpressions ?? [];
  const fieldExprs = term.matchFields ?? [];
  const labels = exprs.length > 0 ? compileExpressions(exprs, child(path, 'matchExpressions'), errs) : undefined;
  const fields = fieldExprs.length > 0 ? compileFields(fieldExprs, child(path, 'matchFields'), errs) : undefined;
  return { labels, fields, errors: errs };
}

/** nodeSelectorTerm.match (callers skip terms with errors). */
function termMatches(t: CompiledTerm, node: Node): boolean {
  const meta = node.metadata;
  if (t.labels !== undefined && !t.labels.matches(meta?.labels)) return false;
  const name = meta?.name ?? '';
  if (t.fields !== undefined && name !== '') {
    const fields = t.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as FieldRequirement;
      const actual = f.field === OBJECT_NAME_FIELD ? name : '';
      if ((actual === f.value) !== f.equal) return false;
    }
  }
  return true;
}

export interface CompiledNodeSelector {
  matches(node: Node): boolean;
  /** Parse errors of terms that can therefore never match (upstream reports them lazily). */
  readonly parseErrors: readonly FieldError[];
}

/** nodeaffinity.NewLazyErrorNodeSelector + Match. */
export function compileNodeSelector(ns: NodeSelector): CompiledNodeSelector {
  const terms: CompiledTerm[] = [];
  const parseErrors: FieldError[] = [];
  (ns.nodeSelectorTerms ?? []).forEach((term, i) => {
    // nil or empty term selects no objects
    if (term === null || term === undefined || isEmptyTerm(term)) return;
    const t = compileTerm(term, `nodeSelectorTerms[${i}]`);
    if (t.errors.length > 0) parseErrors.push(...t.errors);
    else terms.push(t);
  });
  return {
    parseErrors,
    matches(node: Node): boolean {
      if (node === null || node === undefined) return false;
      for (let i = 0; i < terms.length; i++) if (termMatches(terms[i] as CompiledTerm, node)) return true;
      return false;
    },
  };
}

export interface CompiledPreferredTerms {
  score(node: Node): number;
}

/** nodeaffinity.NewPreferredSchedulingTerms + Score. Throws NodeSelectorError on parse errors. */
export function compilePreferredSchedulingTerms(terms: readonly PreferredSchedulingTerm[]): CompiledPreferredTerms {
  const parsed: Array<{ term: CompiledTerm; weight: number }> = [];
  const errs: FieldError[] = [];
  terms.forEach((pt, i) => {
    if (pt.weight === 0 || pt.preference === undefined || pt.preference === null || isEmptyTerm(pt.preference)) return;
    const t = compileTerm(pt.preference, `[${i}]`);
    if (t.errors.length > 0) errs.push(...t.errors);
    else parsed.push({ term: t, weight: pt.weight });
  });
  if (errs.length > 0) throw new NodeSelectorError(aggregateMessage(errs.map(goFieldErrorString)), errs);
  return {
    score(node: Node): number {
      let score = 0;
      for (let i = 0; i < parsed.length; i++) {
        const p = parsed[i] as { term: CompiledTerm; weight: number };
        if (termMatches(p.term, node)) score += p.weight;
      }
      return score;
    },
  };
}

// ---- validation -------------------------------------------------------------------------------

export interface NodeSelectorValidationOptions {
  /** Upstream's allowInvalidLabelValueInRequiredNodeAffinity (only for already-stored data). */
  allowInvalidLabelValue?: boolean;
}

/** ValidateNodeSelectorRequirement */
export function validateNodeSelectorRequirement(rq: NodeSelectorRequirement, path: string, allowInvalidLabelValue = false): FieldError[] {
  const errs: FieldError[] = [];
  const values = rq.values ?? [];
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push({ path: child(path, 'values'), type: 'Required', detail: "must be specified when `operator` is 'In' or 'NotIn'" });
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push({
          path: child(path, 'values'),
          type: 'Forbidden',
          detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        });
      }
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        errs.push({ path: child(path, 'values'), type: 'Required', detail: "must be specified single value when `operator` is 'Lt' or 'Gt'" });
      }
      break;
    default:
      errs.push({ path: child(path, 'operator'), type: 'Invalid', value: rq.operator, detail: 'not a valid selector operator' });
  }
  errs.push(...validateLabelName(rq.key, child(path, 'key')));
  if (!allowInvalidLabelValue) {
    values.forEach((v, i) => {
      for (const detail of isValidLabelValue(v)) errs.push({ path: `${child(path, 'values')}[${i}]`, type: 'Invalid', value: v, detail });
    });
  }
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, In/NotIn with one DNS-subdomain value. */
export function validateNodeFieldSelectorRequirement(req: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length !== 1) {
      errs.push({
        path: child(path, 'values'),
        type: 'Required',
        detail: "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
      });
    }
  } else {
    errs.push({ path: child(path, 'operator'), type: 'Invalid', value: req.operator, detail: 'not a valid selector operator' });
  }
  if (req.key !== OBJECT_NAME_FIELD) {
    errs.push({ path: child(path, 'key'), type: 'Invalid', value: req.key, detail: 'not a valid field selector key' });
  } else {
    values.forEach((v, i) => {
      for (const detail of isDNS1123Subdomain(v)) errs.push({ path: `${child(path, 'values')}[${i}]`, type: 'Invalid', value: v, detail });
    });
  }
  return errs;
}

/** ValidateNodeSelectorTerm */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, path: string, allowInvalidLabelValue = false): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((req, j) => {
    errs.push(...validateNodeSelectorRequirement(req, `${child(path, 'matchExpressions')}[${j}]`, allowInvalidLabelValue));
  });
  (term.matchFields ?? []).forEach((req, j) => {
    errs.push(...validateNodeFieldSelectorRequirement(req, `${child(path, 'matchFields')}[${j}]`));
  });
  return errs;
}

/** ValidateNodeSelector: at least one term; each term validated. */
export function validateNodeSelector(ns: NodeSelector, path: string, opts: NodeSelectorValidationOptions = {}): FieldError[] {
  const termPath = child(path, 'nodeSelectorTerms');
  const terms = ns.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [{ path: termPath, type: 'Required', detail: 'must have at least one node selector term' }];
  const errs: FieldError[] = [];
  terms.forEach((term, i) => errs.push(...validateNodeSelectorTerm(term ?? {}, `${termPath}[${i}]`, opts.allowInvalidLabelValue ?? false)));
  return errs;
}

/** ValidatePreferredSchedulingTerms: weight in 1..100; label values are not checked for preferences. */
export function validatePreferredSchedulingTerms(terms: readonly PreferredSchedulingTerm[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  terms.forEach((term, i) => {
    const p = `${path}[${i}]`;
    if (!(term.weight > 0 && term.weight <= 100)) {
      errs.push({ path: child(p, 'weight'), type: 'Invalid', value: term.weight, detail: 'must be in the range 1-100' });
    }
    errs.push(...validateNodeSelectorTerm(term.preference ?? {}, child(p, 'preference'), true));
  });
  return errs;
}
