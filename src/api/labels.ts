/**
 * Label selectors, following k8s.io/apimachinery v1.35 (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes):
 *  - pkg/labels (selector.go): Requirement, internalSelector (requirements sorted by key, ANDed),
 *    Everything/Nothing, SelectorFromSet, and the set-based string parser with its exact error
 *    texts (`x in (a,b)`, `x notin (a)`, `x=a`, `x==a`, `x!=a`, `x`, `!x`, and `x>1`/`x<1`, which
 *    upstream's parser accepts too).
 *  - pkg/apis/meta/v1 (helpers.go): LabelSelectorAsSelector — a nil selector matches nothing, an
 *    empty one matches everything.
 *  - pkg/apis/meta/v1/validation: ValidateLabelSelector, ValidateLabels, ValidateLabelName.
 *  - pkg/util/validation: IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain messages.
 *
 * Selectors are compiled once; matches() does only property lookups and comparisons.
 */
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { LabelMatcher } from '../scheduler/framework/types.ts';
import type { FieldError } from './errors.ts';

// ---- util/validation ----------------------------------------------------------------------------
// Name rules (qualified names, DNS subdomains, message helpers) live in names.ts; the label-value
// rule is label-specific and lives here.

export { isDNS1123Subdomain, isQualifiedName, regexError, maxLenError } from './names.ts';
import { byteLength, emptyError, isQualifiedName, isValidQualifiedName, maxLenError, QualifiedNameFmt, regexError } from './names.ts';

export const EMPTY_ERROR = emptyError();

const LABEL_VALUE_FMT = `(${QualifiedNameFmt})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** validation.IsValidLabelValue */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/**
 * Whether isValidLabelValue(value) reports nothing, without a list and without the regular expression
 * (every created object's label values pass here): empty, or at most 63 characters from
 * [-A-Za-z0-9_.] that start and end alphanumeric. Only ASCII passes, so characters count as bytes.
 */
export function labelValueIsValid(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  if (n > LABEL_VALUE_MAX_LENGTH || !isAlphanumeric(value.charCodeAt(0)) || !isAlphanumeric(value.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = value.charCodeAt(i);
    if (!isAlphanumeric(c) && c !== 0x2d /* - */ && c !== 0x5f /* _ */ && c !== 0x2e /* . */) return false;
  }
  return true;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// ---- metav1 validation ------------------------------------------------------------------------

function child(base: string, name: string): string {
  return base ? `${base}.${name}` : name;
}

/** ValidateLabelName */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((detail) => ({ path, type: 'Invalid' as const, value: name, detail }));
}

/** ValidateLabels: keys are qualified names, values valid label values (keys visited in sorted order). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  return labelsAreValid(labels) ? [] : validateLabelsInFull(labels!, path);
}

/**
 * Whether validateLabels(labels, path) reports nothing, for any path. Errors are reported in sorted key
 * order; most label sets have none, so look first without sorting and without a list per check (the lists
 * were ~9% of a pod's create admission); callers that build the path only for an error ask this first.
 */
export function labelsAreValid(labels: Record<string, string> | undefined): boolean {
  if (labels === undefined || labels === null) return true;
  for (const k in labels) {
    const v = labels[k];
    if (!isValidQualifiedName(k) || (typeof v === 'string' && !labelValueIsValid(v))) return false;
  }
  return true;
}

/** validateLabels' full pass in sorted key order (what validateLabels returns whenever it finds an error; exported for its test). */
export function validateLabelsInFull(labels: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(labels).sort()) {
    errs.push(...validateLabelName(k, path));
    const v = labels[k];
    if (typeof v !== 'string') continue; // shape errors are the schema's job
    for (const detail of isValidLabelValue(v)) errs.push({ path, type: 'Invalid', value: v, detail });
  }
  return errs;
}

export interface LabelSelectorValidationOptions {
  /** Upstream's AllowInvalidLabelValueInSelector (only for already-stored invalid data). */
  allowInvalidLabelValueInSelector?: boolean;
}

/** ValidateLabelSelector (nil is valid). */
export function validateLabelSelector(
  ls: LabelSelector | null | undefined,
  path: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (ls === null || ls === undefined) return errs;
  errs.push(...validateLabels(ls.matchLabels, child(path, 'matchLabels')));
  (ls.matchExpressions ?? []).forEach((sr: LabelSelectorRequirement, i: number) => {
    const p = `${child(path, 'matchExpressions')}[${i}]`;
    const values = sr.values ?? [];
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push({ path: child(p, 'values'), type: 'Required', detail: "must be specified when `operator` is 'In' or 'NotIn'" });
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push({
            path: child(p, 'values'),
            type: 'Forbidden',
            detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          });
        }
        break;
      default:
        errs.push({ path: child(p, 'operator'), type: 'Invalid', value: sr.operator, detail: 'not a valid selector operator' });
    }
    errs.push(...validateLabelName(sr.key, child(p, 'key')));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v: string, vi: number) => {
        for (const detail of isValidLabelValue(v)) {
          errs.push({ path: `${child(p, 'values')}[${vi}]`, type: 'Invalid', value: v, detail });
        }
      });
    }
  });
  return errs;
}

// ---- Go-style error rendering (field.Error.Error() and utilerrors aggregates) ----------------

function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]string{${v.map((x) => JSON.stringify(String(x))).join(', ')}}`;
  if (v === null || v === undefined) return 'null';
  return String(v);
}

/** field.Error.Error(): `<path>: <body>` (an empty path still gets its colon, as upstream). */
export function goFieldErrorString(e: FieldError): string {
  let body: string;
  switch (e.type) {
    case 'Required':
      body = 'Required value';
      break;
    case 'Forbidden':
      body = 'Forbidden';
      break;
    case 'NotSupported':
      body = `Unsupported value: ${goValue(e.value)}`;
      break;
    default:
      body = `Invalid value: ${goValue(e.value)}`;
  }
  if (e.detail) body += `: ${e.detail}`;
  return `${e.path}: ${body}`;
}

/** utilerrors.NewAggregate(...).Error(): one message bare, several deduplicated in brackets. */
export function aggregateMessage(msgs: readonly string[]): string {
  if (msgs.length === 1) return msgs[0] as string;
  const seen: string[] = [];
  for (const m of msgs) if (!seen.includes(m)) seen.push(m);
  return seen.length === 1 ? (seen[0] as string) : `[${seen.join(', ')}]`;
}

export class LabelSelectorError extends Error {
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

// ---- Requirement / Selector -------------------------------------------------------------------

/** selection.Operator values. */
export type SelectionOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

const BINARY_OPERATORS: readonly SelectionOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

export interface Requirement {
  readonly key: string;
  readonly operator: SelectionOperator;
  /** As given (upstream keeps them unsorted; toString sorts). */
  readonly values: readonly string[];
}

export interface Selector extends LabelMatcher {
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when the selector does not restrict anything (Everything). Nothing is not empty. */
  readonly empty: boolean;
  /** Requirements sorted by key; [] for Everything and Nothing. */
  readonly requirements: readonly Requirement[];
  toString(): string;
}

/** strconv.ParseInt(s, 10, 64) */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return v;
}

/** Compare a label value against a pre-parsed int64 without BigInt for ordinary sizes. */
function int64LabelValue(s: string): number | bigint | undefined {
  if (s.length <= 15 && /^[+-]?[0-9]+$/.test(s)) return Number(s);
  return parseInt64(s);
}

class CompiledRequirement implements Requirement {
  private readonly valueSet: ReadonlySet<string> | undefined;
  private readonly bound: number | bigint | undefined;

  constructor(
    readonly key: string,
    readonly operator: SelectionOperator,
    readonly values: readonly string[],
  ) {
    this.valueSet = values.length > 6 ? new Set(values) : undefined;
    if ((operator === 'gt' || operator === 'lt') && values.length === 1) {
      const v = parseInt64(values[0] as string);
      this.bound = v === undefined ? undefined : v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
    } else {
      this.bound = undefined;
    }
  }

  private hasValue(v: string): boolean {
    if (this.valueSet !== undefined) return this.valueSet.has(v);
    const vals = this.values;
    for (let i = 0; i < vals.length; i++) if (vals[i] === v) return true;
    return false;
  }

  /** Requirement.Matches */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const has = labels !== undefined && labels !== null && Object.hasOwn(labels, this.key);
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return has && this.hasValue((labels as Record<string, string>)[this.key] as string);
      case 'notin':
      case '!=':
        return !has || !this.hasValue((labels as Record<string, string>)[this.key] as string);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || this.bound === undefined) return false;
        const raw = (labels as Record<string, string>)[this.key];
        if (typeof raw !== 'string') return false;
        const v = int64LabelValue(raw);
        if (v === undefined) return false;
        const b = this.bound;
        // mixed number/bigint comparisons are exact in JS
        return this.operator === 'gt' ? v > b : v < b;
      }
    }
  }

  /** Requirement.String */
  toString(): string {
    let s = this.operator === '!' ? `!${this.key}` : this.key;
    switch (this.operator) {
      case '=':
        s += '=';
        break;
      case '==':
        s += '==';
        break;
      case '!=':
        s += '!=';
        break;
      case 'in':
        s += ' in ';
        break;
      case 'notin':
        s += ' notin ';
        break;
      case 'gt':
        s += '>';
        break;
      case 'lt':
        s += '<';
        break;
      case 'exists':
      case '!':
        return s;
    }
    const set = this.operator === 'in' || this.operator === 'notin';
    const vals = this.values.length === 1 ? (this.values[0] as string) : [...this.values].sort(goStringCompare).join(',');
    return set ? `${s}(${vals})` : `${s}${vals}`;
  }
}

/** Go compares strings bytewise; for UTF-16 this differs only for astral vs high BMP chars. */
function goStringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class InternalSelector implements Selector {
  private readonly reqs: readonly CompiledRequirement[];
  readonly empty: boolean;

  constructor(reqs: readonly CompiledRequirement[]) {
    // sort.Sort(ByKey): stable here, which is what upstream's insertion sort gives for small lists
    this.reqs = [...reqs].sort((a, b) => goStringCompare(a.key, b.key));
    this.empty = this.reqs.length === 0;
  }

  get requirements(): readonly Requirement[] {
    return this.reqs;
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const reqs = this.reqs;
    for (let i = 0; i < reqs.length; i++) if (!(reqs[i] as CompiledRequirement).matches(labels)) return false;
    return true;
  }

  toString(): string {
    return this.reqs.map((r) => r.toString()).join(',');
  }
}

class NothingSelector implements Selector {
  readonly empty = false;
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

const EVERYTHING: Selector = new InternalSelector([]);
const NOTHING: Selector = new NothingSelector();

/** labels.Everything() */
export function everything(): Selector {
  return EVERYTHING;
}

/** labels.Nothing() */
export function nothing(): Selector {
  return NOTHING;
}

/** labels.NewRequirement's validation; returns the field errors (empty when valid). */
export function requirementErrors(key: string, op: SelectionOperator, vals: readonly string[], path = ''): FieldError[] {
  const errs: FieldError[] = [];
  // validateLabelKey / validateLabelValue report one error per check, messages joined by "; "
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push({ path: child(path, 'key'), type: 'Invalid', value: key, detail: keyErrs.join('; ') });
  const valuePath = child(path, 'values');
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push({ path: valuePath, type: 'Invalid', value: [...vals], detail: "for 'in', 'notin' operators, values set can't be empty" });
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) {
        errs.push({ path: valuePath, type: 'Invalid', value: [...vals], detail: 'exact-match compatibility requires one single value' });
      }
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push({ path: valuePath, type: 'Invalid', value: [...vals], detail: 'values set must be empty for exists and does not exist' });
      }
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push({ path: valuePath, type: 'Invalid', value: [...vals], detail: "for 'Gt', 'Lt' operators, exactly one value is required" });
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push({ path: `${valuePath}[${i}]`, type: 'Invalid', value: v, detail: "for 'Gt', 'Lt' operators, the value must be an integer" });
        }
      });
      break;
    default:
      errs.push({
        path: child(path, 'operator'),
        type: 'NotSupported',
        value: op,
        detail: `supported values: ${[...BINARY_OPERATORS, 'exists', '!'].map((o) => JSON.stringify(o)).join(', ')}`,
      });
  }
  vals.forEach((v, i) => {
    // validateLabelValue keys the path by the label key: values[i][key]
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push({ path: `${valuePath}[${i}][${key}]`, type: 'Invalid', value: v, detail: valueErrs.join('; ') });
  });
  return errs;
}

/** labels.NewRequirement: throws LabelSelectorError (aggregate message) when invalid. */
export function newRequirement(key: string, op: SelectionOperator, vals: readonly string[], path = ''): Requirement {
  return compileRequirement(key, op, vals, path);
}

function compileRequirement(key: string, op: SelectionOperator, vals: readonly string[], path: string): CompiledRequirement {
  const errs = requirementErrors(key, op, vals, path);
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs.map(goFieldErrorString)), errs);
  return new CompiledRequirement(key, op, [...vals]);
}

/** A selector from requirements (internalSelector.Add: sorted by key). */
export function selectorFromRequirements(reqs: readonly Requirement[]): Selector {
  return new InternalSelector(reqs.map((r) => (r instanceof CompiledRequirement ? r : new CompiledRequirement(r.key, r.operator, [...r.values]))));
}

/** labels.SelectorFromSet: exact match of every pair, no validation; nil/empty matches everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (set === undefined || set === null) return EVERYTHING;
  const keys = Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return new InternalSelector(keys.map((k) => new CompiledRequirement(k, '=', [set[k] as string])));
}

/** metav1.LabelSelectorAsSelector: nil matches nothing, {} matches everything. Throws LabelSelectorError. */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels).sort(goStringCompare);
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: CompiledRequirement[] = [];
  for (const k of labelKeys) reqs.push(compileRequirement(k, '=', [matchLabels[k] as string], ''));
  for (const expr of exprs) {
    let op: SelectionOperator;
    switch (expr.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        throw new LabelSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
    reqs.push(compileRequirement(expr.key, op, expr.values ?? [], ''));
  }
  return new InternalSelector(reqs);
}

// ---- parser (labels.Parse) --------------------------------------------------------------------

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['in', Tok.In],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['notin', Tok.NotIn],
  ['(', Tok.OpenPar],
]);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

interface Item {
  tok: Tok;
  lit: string;
}

function lex(s: string): Item[] {
  let pos = 0;
  // read() returns "" at the end (and, as upstream, a NUL byte ends the input)
  const read = (): string => (pos < s.length ? (s[pos++] as string) : '');
  const atEnd = (ch: string): boolean => ch === '' || ch === '\0';
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (atEnd(ch)) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      let buffer = '';
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (atEnd(c)) break;
        if (isSpecialSymbol(c)) {
          buffer += c;
          const t = STRING_TO_TOKEN.get(buffer);
          if (t !== undefined) {
            last = { tok: t, lit: buffer };
          } else if (last !== undefined) {
            pos--;
            break;
          }
        } else {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      for (;;) {
        const c = read();
        if (atEnd(c)) break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      const t = STRING_TO_TOKEN.get(buffer);
      items.push({ tok: t ?? Tok.Identifier, lit: buffer });
    }
  }
}

const enum Ctx {
  KeyAndOperator,
  Values,
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  private adjust(it: Item, ctx: Ctx): Item {
    if (ctx === Ctx.Values && (it.tok === Tok.In || it.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: it.lit };
    return it;
  }
  lookahead(ctx: Ctx): Item {
    return this.adjust(this.items[this.position] as Item, ctx);
  }
  consume(ctx: Ctx): Item {
    return this.adjust(this.items[this.position++] as Item, ctx);
  }

  parse(): CompiledRequirement[] {
    const reqs: CompiledRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(Ctx.Values);
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        let r: CompiledRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`, e.errors);
          throw e;
        }
        reqs.push(r);
        const t = this.consume(Ctx.Values);
        if (t.tok === Tok.EndOfString) return reqs;
        if (t.tok === Tok.Comma) {
          const t2 = this.lookahead(Ctx.Values);
          if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) {
            throw new LabelSelectorError(`found '${t2.lit}', expected: identifier after ','`);
          }
        } else {
          throw new LabelSelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === Tok.EndOfString) {
        return reqs;
      } else {
        throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): CompiledRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return compileRequirement(key, operator, [], '');
    const op = this.parseOperator();
    let values: string[];
    if (op === 'in' || op === 'notin') values = this.parseValues();
    else values = this.parseExactValue();
    return compileRequirement(key, op, values, '');
  }

  private parseKeyAndInferOperator(): { key: string; operator: SelectionOperator | undefined } {
    let operator: SelectionOperator | undefined;
    let it = this.consume(Ctx.Values);
    if (it.tok === Tok.DoesNotExist) {
      operator = '!';
      it = this.consume(Ctx.Values);
    }
    if (it.tok !== Tok.Identifier) throw new LabelSelectorError(`found '${it.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(it.lit);
    if (keyErrs.length > 0) {
      const fe: FieldError = { path: '', type: 'Invalid', value: it.lit, detail: keyErrs.join('; ') };
      throw new LabelSelectorError(goFieldErrorString(fe), [fe]);
    }
    const t = this.lookahead(Ctx.Values).tok;
    if ((t === Tok.EndOfString || t === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: it.lit, operator };
  }

  private parseOperator(): SelectionOperator {
    const { tok, lit } = this.consume(Ctx.KeyAndOperator);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new LabelSelectorError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  /** sets.String(...).List(): unique and sorted */
  private static list(s: Set<string>): string[] {
    return [...s].sort(goStringCompare);
  }

  private parseValues(): string[] {
    let it = this.consume(Ctx.Values);
    if (it.tok !== Tok.OpenPar) throw new LabelSelectorError(`found '${it.lit}' expected: '('`);
    it = this.lookahead(Ctx.Values);
    switch (it.tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(Ctx.Values).tok !== Tok.ClosedPar) throw new LabelSelectorError(`found '${it.lit}', expected: ')'`);
        return Parser.list(s);
      }
      case Tok.ClosedPar:
        this.consume(Ctx.Values);
        return [''];
      default:
        throw new LabelSelectorError(`found '${it.lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(Ctx.Values);
      if (tok === Tok.Identifier) {
        s.add(lit);
        const t2 = this.lookahead(Ctx.Values);
        if (t2.tok === Tok.Comma) continue;
        if (t2.tok === Tok.ClosedPar) return s;
        throw new LabelSelectorError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (tok === Tok.Comma) {
        if (s.size === 0) s.add(''); // "(,"
        const t2 = this.lookahead(Ctx.Values).tok;
        if (t2 === Tok.ClosedPar) {
          s.add(''); // ",)"
          return s;
        }
        if (t2 === Tok.Comma) s.add(''); // ",,"
      } else {
        throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const t = this.lookahead(Ctx.Values).tok;
    if (t === Tok.EndOfString || t === Tok.Comma) return [''];
    const { tok, lit } = this.consume(Ctx.Values);
    if (tok === Tok.Identifier) return [lit];
    throw new LabelSelectorError(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse: the set-based string syntax. Throws LabelSelectorError with upstream's message. */
export function parseSelector(s: string): Selector {
  return new InternalSelector(new Parser(lex(s)).parse());
}

/** labels.Equals: the same keys with the same values (absent and empty are equal). */
export function labelsEqual(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  // Stored objects share their unchanged (frozen) label maps between versions: the common case of an update.
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  for (const k of ka) if ((a ?? {})[k] !== (b ?? {})[k]) return false;
  return true;
}
