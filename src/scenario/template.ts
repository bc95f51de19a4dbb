/**
 * The tiny template language of node groups, so that 5,000 nodes take a few
 * lines. A template is text with `{{ expression }}` parts:
 *
 *   name: "node-{{ index }}"                               -> node-0, node-1, ...
 *   topology.kubernetes.io/zone: "zone-{{ index % 3 }}"    -> zone-0, zone-1, zone-2, zone-0, ...
 *   topology.kubernetes.io/zone: '{{ cycle "eu-1a" "eu-1b" }}' -> eu-1a, eu-1b, eu-1a, ...
 *   rack: "rack-{{ index / 40 }}"                          -> rack-0 for nodes 0..39, ...
 *
 * Expressions: integer literals, the variables `index` (0-based position in
 * the group) and `count` (group size), + - * / % with the usual precedence,
 * unary minus and parentheses; `/` and `%` truncate toward zero as Go's
 * integer operators. `cycle "a" "b" ...` (the whole expression) picks the
 * argument at index % number-of-arguments. Nothing else: no eval, no
 * property access; evaluation is a walk over a parsed tree.
 */

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface TemplateVars {
  index: number;
  count: number;
}

type Expr =
  | { op: 'num'; value: number }
  | { op: 'var'; name: 'index' | 'count' }
  | { op: 'neg'; arg: Expr }
  | { op: '+' | '-' | '*' | '/' | '%'; left: Expr; right: Expr }
  | { op: 'cycle'; values: string[] };

type Part = string | Expr;

export interface CompiledTemplate {
  /** True when the text has no {{ }} part (the same for every index). */
  readonly constant: boolean;
  render(vars: TemplateVars): string;
}

type Token = { t: 'num'; v: number; at: number } | { t: 'ident'; v: string; at: number } | { t: 'str'; v: string; at: number } | { t: 'punct'; v: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < src.length && src[j]! >= '0' && src[j]! <= '9') j++;
      const v = Number(src.slice(i, j));
      if (!Number.isSafeInteger(v)) throw new TemplateError(`number ${src.slice(i, j)} is too large`);
      out.push({ t: 'num', v, at: i });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ t: 'ident', v: src.slice(i, j), at: i });
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1];
          j += 2;
        } else {
          s += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new TemplateError('unterminated string');
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
    } else if ('+-*/%()'.includes(c)) {
      out.push({ t: 'punct', v: c, at: i });
      i++;
    } else {
      throw new TemplateError(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return out;
}

function parseExpression(src: string): Expr {
  const toks = tokenize(src);
  if (toks.length === 0) throw new TemplateError('empty expression');
  const first = toks[0]!;
  if (first.t === 'ident' && first.v === 'cycle') {
    const values: string[] = [];
    for (const tk of toks.slice(1)) {
      if (tk.t !== 'str') throw new TemplateError('cycle takes quoted strings: cycle "a" "b"');
      values.push(tk.v);
    }
    if (values.length === 0) throw new TemplateError('cycle needs at least one value');
    return { op: 'cycle', values };
  }
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const describe = (tk: Token | undefined): string => (tk ? JSON.stringify(String(tk.v)) : 'end of expression');
  const primary = (): Expr => {
    const tk = toks[pos++];
    if (!tk) throw new TemplateError('unexpected end of expression');
    if (tk.t === 'num') return { op: 'num', value: tk.v };
    if (tk.t === 'ident') {
      if (tk.v === 'index' || tk.v === 'count') return { op: 'var', name: tk.v };
      if (tk.v === 'cycle') throw new TemplateError('cycle must be the whole expression');
      throw new TemplateError(`unknown name ${JSON.stringify(tk.v)} (known: index, count, cycle)`);
    }
    if (tk.t === 'punct' && tk.v === '(') {
      const e = additive();
      const close = toks[pos++];
      if (!close || close.t !== 'punct' || close.v !== ')') throw new TemplateError(`expected ")" but found ${describe(close)}`);
      return e;
    }
    if (tk.t === 'punct' && tk.v === '-') return { op: 'neg', arg: primary() };
    throw new TemplateError(`unexpected ${describe(tk)}`);
  };
  const multiplicative = (): Expr => {
    let left = primary();
    for (;;) {
      const tk = peek();
      if (tk?.t === 'punct' && (tk.v === '*' || tk.v === '/' || tk.v === '%')) {
        pos++;
        left = { op: tk.v, left, right: primary() };
      } else return left;
    }
  };
  const additive = (): Expr => {
    let left = multiplicative();
    for (;;) {
      const tk = peek();
      if (tk?.t === 'punct' && (tk.v === '+' || tk.v === '-')) {
        pos++;
        left = { op: tk.v, left, right: multiplicative() };
      } else return left;
    }
  };
  const e = additive();
  if (pos < toks.length) throw new TemplateError(`unexpected ${describe(toks[pos])}`);
  return e;
}

function evaluate(e: Expr, vars: TemplateVars): number | string {
  switch (e.op) {
    case 'num':
      return e.value;
    case 'var':
      return vars[e.name];
    case 'cycle':
      return e.values[((vars.index % e.values.length) + e.values.length) % e.values.length]!;
    case 'neg':
      return -num(evaluate(e.arg, vars));
    default: {
      const a = num(evaluate(e.left, vars));
      const b = num(evaluate(e.right, vars));
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (b === 0) throw new TemplateError('integer divide by zero');
          return Math.trunc(a / b);
        case '%':
          if (b === 0) throw new TemplateError('integer divide by zero');
          return a % b;
      }
    }
  }
}

function num(v: number | string): number {
  if (typeof v !== 'number') throw new TemplateError('cycle cannot be used inside arithmetic');
  return v;
}

/** Parse a template; throws TemplateError naming what is wrong. */
export function compileTemplate(text: string): CompiledTemplate {
  const parts: Part[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const close = text.indexOf('}}', i);
    if (close >= 0 && (open < 0 || close < open)) throw new TemplateError('unexpected "}}" without "{{"');
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) parts.push(text.slice(i, open));
    const end = text.indexOf('}}', open + 2);
    if (end < 0) throw new TemplateError('unclosed "{{"');
    const inner = text.slice(open + 2, end);
    try {
      parts.push(parseExpression(inner));
    } catch (e) {
      if (e instanceof TemplateError) throw new TemplateError(`in "{{${inner}}}": ${e.message}`);
      throw e;
    }
    i = end + 2;
  }
  const constant = parts.every((p) => typeof p === 'string');
  return {
    constant,
    render(vars: TemplateVars): string {
      if (constant) return text;
      let s = '';
      for (const p of parts) s += typeof p === 'string' ? p : String(evaluate(p, vars));
      return s;
    },
  };
}
