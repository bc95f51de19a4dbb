/**
 * A fast path for the YAML that large inputs are made of (kubectl and Helm
 * output, generated manifests): block mappings and sequences, one-line plain
 * and quoted scalars, one-line flow collections and literal block scalars,
 * read straight into plain values with no syntax tree and no positions.
 *
 * It never decides anything the `yaml` package would decide differently: a
 * document that uses anything else (anchors, aliases, tags, folded or
 * multi-line scalars, explicit keys, non-string keys, duplicate keys, tabs,
 * odd indentation, ...) comes back as BAIL, and source.ts parses that
 * document with `yaml` itself; a stream with directives, `...` markers or
 * content after `---` is not split here at all (undefined). Scalars resolve
 * as the YAML 1.2 core schema does in `yaml` (the same tests, in the same
 * order), so values are identical (test/scenario/fastYaml.test.ts compares
 * the two on generated documents).
 */

/** A document the fast path leaves to the full parser. */
export const BAIL: unique symbol = Symbol('bail');

export interface FastDocument {
  /** 1-based index of the document in the stream (as parseAllDocuments counts them). */
  index: number;
  /** The document's text is [start, end) of the stream; `line` is the 0-based line of `start`. */
  start: number;
  end: number;
  line: number;
  value: unknown;
}

class Bail {}
const bail = new Bail();

const SP = 32;
const NL = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Characters `yaml` may treat specially or reject anywhere (and a CR not before LF): the whole stream goes to the full parser. */
const UNUSUAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
const LONE_CR = /\r(?!\n)/;

/**
 * Split a stream into documents and read each one, or undefined when the
 * stream's structure is not one the fast path splits (the caller then parses
 * the whole stream with `yaml`).
 */
export function fastParseStream(text: string): FastDocument[] | undefined {
  if (UNUSUAL.test(text) || (text.includes('\r') && LONE_CR.test(text))) return undefined;
  const regions = splitDocuments(text);
  if (!regions) return undefined;
  const tabs = tabDocuments(text, regions);
  const p = new FastParser(text);
  return regions.map((r, i) => {
    let value: unknown = BAIL;
    if (!tabs.has(i)) {
      try {
        value = p.document(r.start, r.end, r.explicit);
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        value = BAIL;
      }
    }
    return { index: i + 1, start: r.start, end: r.end, line: r.line, value };
  });
}

/**
 * The text of item `index` of the block sequence reached from a document's
 * root by the block mapping keys `keys` ("spec", "objects"), as [start, end)
 * from the start of the item's "-" line; undefined when the document is not
 * shaped so (the caller then parses the whole document). For positions in a
 * huge document: only that item needs a syntax tree.
 */
export function findSequenceItem(text: string, start: number, end: number, keys: readonly string[], index: number): { start: number; end: number } | undefined {
  if (keys.length === 0) return undefined;
  try {
    return new FastParser(text).sequenceItem(start, end, keys, index);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

interface Region {
  start: number;
  end: number;
  line: number;
  explicit: boolean;
}

/**
 * Documents as parseAllDocuments counts them: each `---` line starts one;
 * text before the first `---` is a document only if it has content (not just
 * comments and blank lines).
 */
function splitDocuments(t: string): Region[] | undefined {
  const out: Region[] = [];
  let start = 0;
  let startLine = 0;
  let explicit = false;
  let content = false;
  let line = 0;
  let ls = 0;
  const n = t.length;
  while (ls < n) {
    let nl = t.indexOf('\n', ls);
    if (nl < 0) nl = n;
    const c = t.charCodeAt(ls);
    if (c === DASH && t.startsWith('---', ls) && (ls + 3 === nl || t.charCodeAt(ls + 3) === SP || t.charCodeAt(ls + 3) === CR)) {
      // Only a comment may follow the marker on its line.
      let i = ls + 3;
      while (i < nl && t.charCodeAt(i) === SP) i++;
      if (i < nl && t.charCodeAt(i) !== HASH && !(t.charCodeAt(i) === CR && i + 1 === nl)) return undefined;
      if (explicit || content) out.push({ start, end: ls, line: startLine, explicit });
      start = ls;
      startLine = line;
      explicit = true;
      content = false;
    } else if (c === 0x25 /* % */) {
      return undefined;
    } else if (c === 0x2e /* . */ && t.startsWith('...', ls) && (ls + 3 === nl || t.charCodeAt(ls + 3) === SP || t.charCodeAt(ls + 3) === CR)) {
      return undefined;
    } else if (!content) {
      let i = ls;
      while (i < nl && t.charCodeAt(i) === SP) i++;
      if (i < nl && t.charCodeAt(i) !== HASH && !(t.charCodeAt(i) === CR && i + 1 === nl)) content = true;
    }
    ls = nl + 1;
    line++;
  }
  if (explicit || content) out.push({ start, end: n, line: startLine, explicit });
  return out;
}

/** Indexes of the documents that contain a tab (left to the full parser). */
function tabDocuments(t: string, regions: Region[]): Set<number> {
  const out = new Set<number>();
  let r = 0;
  for (let i = t.indexOf('\t'); i >= 0; i = t.indexOf('\t', i + 1)) {
    while (r < regions.length && regions[r]!.end <= i) r++;
    if (r < regions.length && regions[r]!.start <= i) out.add(r);
  }
  return out;
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * A plain scalar's value under the YAML 1.2 core schema, tested as `yaml`
 * tests it (null, bool, int, float, in that order). Most scalars are
 * settled by their first and last characters before any expression runs:
 * only ~, n, N, t, T, f, F start a null or a bool (at most 5 characters), and
 * a number starts with a digit, sign or "." and ends with a digit or "."
 * (hexadecimal digits after 0x; .inf and .nan end with a letter).
 */
export function resolvePlain(s: string): unknown {
  const n = s.length;
  if (n === 0) return null;
  const c = s.charCodeAt(0);
  if (c === 0x7e || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46) {
    if (n > 5) return s;
    if (NULL_RE.test(s)) return null;
    if (BOOL_RE.test(s)) return c === 0x74 || c === 0x54;
    return s;
  }
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === 0x2e)) return s;
  const l = s.charCodeAt(n - 1);
  if (!((l >= 0x30 && l <= 0x39) || l === 0x2e)) {
    if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
    if (FLOAT_NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : c === DASH ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return s;
  }
  if (INT_OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/** A key as a JS property name: only keys that resolve to strings (anything else is left to `yaml`'s key stringification). */
function keyOf(s: string, quoted: boolean): string {
  if (s === '__proto__' || s === '<<' || s.length > 1000) throw bail;
  if (!quoted && resolvePlain(s) !== s) throw bail;
  return s;
}

/**
 * A flat copy of a string read from the text: a substring of 13 or more
 * characters is a slice that keeps the whole document text alive (V8), and a
 * built-up one a rope. Loaded values become the stored objects (`adopt`), so
 * one kept image name held a 54 MB pods.yaml for the whole run. join copies.
 */
function detach(s: string): string {
  return s.length < 13 ? s : [s.slice(0, 1), s.slice(1)].join('');
}

const DQ_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** Characters that cannot start a plain scalar here (or that the fast path leaves to `yaml`). */
function badPlainStart(c: number, next: number): boolean {
  switch (c) {
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case 0x22: // "
    case 0x27: // '
    case 0x3f: // ?
    case COLON:
      return true;
    case DASH:
      // "- " starts a block sequence entry, and "-" before a flow indicator ("[-]") is read as one too.
      return next === SP || Number.isNaN(next) || next === NL || next === CR || isFlowIndicator(next);
    default:
      return false;
  }
}

function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

class FastParser {
  private end = 0;
  /** The current line: [ls, le) without its line break; `next` starts the following line; `cs` is where its content starts (moved past "- " for compact entries). */
  private ls = 0;
  private le = 0;
  private next = 0;
  private cs = 0;
  private has = false;
  /** What scanKey found: the key and where its value starts on the line. */
  private key = '';
  private valueStart = 0;

  /**
   * Scalar strings seen so far, so that a value repeated in every document
   * ("v1", "default", "100m", an image) is one string kept once rather than
   * a copy per document (less memory, and less for the collector to move).
   * Bounded: a stream of unique names stops adding once it is full.
   */
  private readonly strings = new Map<string, string>();

  constructor(private readonly t: string) {}

  private plain(s: string): unknown {
    const r = resolvePlain(s);
    if (typeof r !== 'string') return r;
    if (r.length > 64) return detach(r);
    const known = this.strings.get(r);
    if (known !== undefined) return known;
    const v = detach(r);
    if (this.strings.size < 20_000) this.strings.set(v, v);
    return v;
  }

  document(start: number, end: number, explicit: boolean): unknown {
    this.end = end;
    this.next = start;
    if (explicit) {
      // The "---" line (checked by splitDocuments) carries no content.
      const nl = this.t.indexOf('\n', start);
      this.next = nl < 0 || nl >= end ? end : nl + 1;
    }
    if (!this.nextContent()) return null;
    const v = this.node(-1);
    if (this.has) throw bail;
    return v;
  }

  sequenceItem(start: number, end: number, keys: readonly string[], index: number): { start: number; end: number } | undefined {
    this.end = end;
    this.next = start;
    const t = this.t;
    const after = t.charCodeAt(start + 3);
    if (t.startsWith('---', start) && (start + 3 >= end || after === SP || after === NL || after === CR)) {
      const nl = t.indexOf('\n', start);
      this.next = nl < 0 || nl >= end ? end : nl + 1;
    }
    if (!this.nextContent()) return undefined;
    let col = this.col;
    for (let k = 0; k < keys.length; k++) {
      // The entry for keys[k] in the block mapping at `col`: deeper lines belong to other entries' values.
      for (;;) {
        if (!this.has || this.col < col) return undefined;
        if (this.col === col && !this.isSeqEntry() && this.scanKey() && this.key === keys[k]) break;
        this.nextContent();
      }
      const vs = this.valueStart;
      if (vs !== this.le && t.charCodeAt(vs) !== HASH) return undefined;
      if (!this.nextContent()) return undefined;
      const parent = col;
      if (k < keys.length - 1) {
        if (this.col <= parent) return undefined;
        col = this.col;
        continue;
      }
      if (!this.isSeqEntry() || this.col < parent) return undefined;
      const seqCol = this.col;
      for (let i = 0; ; i++) {
        const itemStart = this.ls;
        do this.nextContent();
        while (this.has && this.col > seqCol);
        if (i === index) return { start: itemStart, end: this.has ? this.ls : this.end };
        if (!this.has || this.col < seqCol || !this.isSeqEntry()) return undefined;
      }
    }
    return undefined;
  }

  /** Move to the next line with content (not blank, not only a comment); false at the document's end. */
  private nextContent(): boolean {
    const t = this.t;
    while (this.next < this.end) {
      const ls = this.next;
      let nl = t.indexOf('\n', ls);
      if (nl < 0 || nl > this.end) nl = this.end;
      const le = nl > ls && t.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      this.next = nl + 1;
      let i = ls;
      while (i < le && t.charCodeAt(i) === SP) i++;
      if (i === le || t.charCodeAt(i) === HASH) continue;
      this.ls = ls;
      this.le = le;
      this.cs = i;
      this.has = true;
      return true;
    }
    this.has = false;
    return false;
  }

  private get col(): number {
    return this.cs - this.ls;
  }

  private isSeqEntry(): boolean {
    const t = this.t;
    return t.charCodeAt(this.cs) === DASH && (this.cs + 1 === this.le || t.charCodeAt(this.cs + 1) === SP);
  }

  /** A node whose first line is the current one, at a column greater than `parent`. */
  private node(parent: number): unknown {
    if (this.isSeqEntry()) return this.seq(this.col);
    if (this.scanKey()) return this.map(this.col);
    const v = this.inline(this.cs, parent);
    if (this.has && this.col > parent) throw bail;
    return v;
  }

  private seq(col: number): unknown[] {
    const out: unknown[] = [];
    const t = this.t;
    for (;;) {
      let q = this.cs + 1;
      while (q < this.le && t.charCodeAt(q) === SP) q++;
      if (q === this.le || t.charCodeAt(q) === HASH) {
        if (!this.nextContent()) out.push(null);
        else out.push(this.col > col ? this.node(col) : null);
      } else {
        this.cs = q;
        out.push(this.node(col));
      }
      if (!this.has || this.col < col) return out;
      if (this.col > col) throw bail;
      if (!this.isSeqEntry()) return out;
    }
  }

  /** A block mapping at `col` whose first key scanKey has just read. */
  private map(col: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const t = this.t;
    for (;;) {
      const key = this.key;
      if (Object.prototype.hasOwnProperty.call(out, key)) throw bail;
      const vs = this.valueStart;
      let value: unknown;
      if (vs === this.le || t.charCodeAt(vs) === HASH) {
        if (!this.nextContent()) value = null;
        else if (this.col > col) value = this.node(col);
        else if (this.col === col && this.isSeqEntry()) value = this.seq(col);
        else value = null;
      } else {
        value = this.inline(vs, col);
      }
      out[key] = value;
      if (!this.has || this.col < col) return out;
      if (this.col > col || this.isSeqEntry() || !this.scanKey()) throw bail;
    }
  }

  /**
   * Whether the current content is an implicit key ("name: value", "'a b':
   * value"); if so, sets key and valueStart.
   */
  private scanKey(): boolean {
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(this.cs);
    let keyEnd: number;
    let key: string;
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(this.cs);
      let i = q.end;
      while (i < le && t.charCodeAt(i) === SP) i++;
      if (i >= le || t.charCodeAt(i) !== COLON) return false;
      keyEnd = i;
      key = keyOf(q.value, true);
    } else {
      if (badPlainStart(c, t.charCodeAt(this.cs + 1))) return false;
      let i = this.cs;
      for (;;) {
        if (i >= le) return false;
        const ch = t.charCodeAt(i);
        if (ch === COLON && (i + 1 === le || t.charCodeAt(i + 1) === SP)) break;
        if (ch === HASH && t.charCodeAt(i - 1) === SP) return false;
        i++;
      }
      keyEnd = i;
      let e = i;
      while (e > this.cs && t.charCodeAt(e - 1) === SP) e--;
      key = keyOf(t.slice(this.cs, e), false);
    }
    let vs = keyEnd + 1;
    if (vs < le && t.charCodeAt(vs) !== SP) throw bail;
    while (vs < le && t.charCodeAt(vs) === SP) vs++;
    this.key = key;
    this.valueStart = vs;
    return true;
  }

  /**
   * A value that starts at `p` on the current line (scalar, flow collection
   * or literal block scalar); leaves the parser on the next line with content.
   * `parent` is the column of the collection holding it.
   */
  private inline(p: number, parent: number): unknown {
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(p);
    let value: unknown;
    let end: number;
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(p);
      value = q.value;
      end = q.end;
    } else if (c === 0x5b || c === 0x7b) {
      const f = this.flow(p);
      value = f.value;
      end = f.end;
    } else if (c === 0x7c) {
      return this.literal(p, parent);
    } else {
      if (badPlainStart(c, t.charCodeAt(p + 1))) throw bail;
      let i = p;
      let e = p;
      while (i < le) {
        const ch = t.charCodeAt(i);
        if (ch === HASH && t.charCodeAt(i - 1) === SP) break;
        if (ch === COLON && (i + 1 === le || t.charCodeAt(i + 1) === SP)) throw bail;
        i++;
        if (ch !== SP) e = i;
      }
      this.nextContent();
      return this.plain(t.slice(p, e));
    }
    // After a quoted scalar or a flow collection: only spaces and a comment.
    let i = end;
    while (i < le && t.charCodeAt(i) === SP) i++;
    if (i < le && (t.charCodeAt(i) !== HASH || i === end)) throw bail;
    this.nextContent();
    return value;
  }

  /** A one-line quoted scalar starting at p: its value and the index after the closing quote. */
  private quoted(p: number): { value: string; end: number } {
    const t = this.t;
    const le = this.le;
    if (t.charCodeAt(p) === 0x27) {
      let out = '';
      let from = p + 1;
      for (;;) {
        const q = t.indexOf("'", from);
        if (q < 0 || q >= le) throw bail;
        if (t.charCodeAt(q + 1) === 0x27 && q + 1 < le) {
          out += t.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        out += t.slice(from, q);
        return { value: detach(out), end: q + 1 };
      }
    }
    let out = '';
    let from = p + 1;
    for (let i = from; i < le; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 0x22) return { value: detach(out + t.slice(from, i)), end: i + 1 };
      if (ch === 0x5c) {
        out += t.slice(from, i);
        const next = t[i + 1];
        if (next === undefined || i + 1 >= le) throw bail;
        const simple = DQ_ESCAPES[next];
        if (simple !== undefined) {
          out += simple;
          i += 1;
        } else if (next === 'x' || next === 'u' || next === 'U') {
          const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
          const hex = t.slice(i + 2, i + 2 + len);
          if (i + 2 + len > le || !/^[0-9a-fA-F]+$/.test(hex)) throw bail;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) throw bail;
          out += String.fromCodePoint(code);
          i += 1 + len;
        } else throw bail;
        from = i + 1;
      }
    }
    throw bail;
  }

  /** A flow collection closed on the same line: its value and the index after it. */
  private flow(p: number): { value: unknown; end: number } {
    const t = this.t;
    const le = this.le;
    const skip = (i: number): number => {
      while (i < le && t.charCodeAt(i) === SP) i++;
      return i;
    };
    const open = t.charCodeAt(p);
    let i = skip(p + 1);
    if (open === 0x5b) {
      const out: unknown[] = [];
      if (t.charCodeAt(i) === 0x5d) return { value: out, end: i + 1 };
      for (;;) {
        const item = this.flowItem(i);
        out.push(item.value);
        i = skip(item.end);
        const ch = t.charCodeAt(i);
        if (ch === 0x5d) return { value: out, end: i + 1 };
        if (ch !== 0x2c) throw bail;
        i = skip(i + 1);
      }
    }
    const out: Record<string, unknown> = {};
    if (t.charCodeAt(i) === 0x7d) return { value: out, end: i + 1 };
    for (;;) {
      let key: string;
      const c = t.charCodeAt(i);
      if (c === 0x22 || c === 0x27) {
        const q = this.quoted(i);
        key = keyOf(q.value, true);
        i = skip(q.end);
        if (t.charCodeAt(i) !== COLON) throw bail;
        i++;
      } else {
        if (badPlainStart(c, t.charCodeAt(i + 1))) throw bail;
        let j = i;
        while (j < le && !(t.charCodeAt(j) === COLON && t.charCodeAt(j + 1) === SP)) {
          const ch = t.charCodeAt(j);
          if (isFlowIndicator(ch) || (ch === HASH && t.charCodeAt(j - 1) === SP)) throw bail;
          j++;
        }
        if (j >= le) throw bail;
        let e = j;
        while (e > i && t.charCodeAt(e - 1) === SP) e--;
        key = keyOf(t.slice(i, e), false);
        i = j + 1;
      }
      if (Object.prototype.hasOwnProperty.call(out, key)) throw bail;
      i = skip(i);
      const item = this.flowItem(i);
      out[key] = item.value;
      i = skip(item.end);
      const ch = t.charCodeAt(i);
      if (ch === 0x7d) return { value: out, end: i + 1 };
      if (ch !== 0x2c) throw bail;
      i = skip(i + 1);
    }
  }

  /** A value inside a flow collection: nested collection, quoted or plain scalar (never empty). */
  private flowItem(i: number): { value: unknown; end: number } {
    const t = this.t;
    const le = this.le;
    const c = t.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) return this.flow(i);
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(i);
      let j = q.end;
      while (j < le && t.charCodeAt(j) === SP) j++;
      // "[ 'a': b ]" is a one-pair mapping: left to yaml.
      if (t.charCodeAt(j) === COLON) throw bail;
      return q;
    }
    if (i >= le || badPlainStart(c, t.charCodeAt(i + 1))) throw bail;
    let j = i;
    let e = i;
    while (j < le) {
      const ch = t.charCodeAt(j);
      if (isFlowIndicator(ch)) break;
      if (ch === HASH && t.charCodeAt(j - 1) === SP) throw bail;
      if (ch === COLON) {
        const nx = t.charCodeAt(j + 1);
        if (nx === SP || isFlowIndicator(nx) || j + 1 >= le) throw bail;
      }
      j++;
      if (ch !== SP) e = j;
    }
    return { value: this.plain(t.slice(i, e)), end: e };
  }

  /**
   * A literal block scalar ("|", "|-", "|+") whose header is at p; its
   * content lines are indented more than `parent`. Leaves the parser on the
   * next line with content.
   */
  private literal(p: number, parent: number): string {
    const t = this.t;
    const le = this.le;
    let i = p + 1;
    let chomp = 0; // 0 clip, -1 strip, 1 keep
    const h = t.charCodeAt(i);
    if (h === DASH) {
      chomp = -1;
      i++;
    } else if (h === 0x2b) {
      chomp = 1;
      i++;
    }
    const j = i;
    while (i < le && t.charCodeAt(i) === SP) i++;
    if (i < le && (t.charCodeAt(i) !== HASH || i === j)) throw bail;
    // Content lines: the indentation is the first non-blank line's.
    let indent = -1;
    let body = '';
    let pendingEmpty = 0;
    let sawContent = false;
    let maxBlankLead = 0;
    let pos = this.next;
    while (pos < this.end) {
      let nl = t.indexOf('\n', pos);
      if (nl < 0 || nl > this.end) nl = this.end;
      const lineEnd = nl > pos && t.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      let k = pos;
      while (k < lineEnd && t.charCodeAt(k) === SP) k++;
      const lead = k - pos;
      if (k === lineEnd) {
        // A blank line: empty content (spaces beyond the indentation would be content: left to yaml).
        if (indent >= 0 ? lead > indent : false) throw bail;
        if (indent < 0) maxBlankLead = Math.max(maxBlankLead, lead);
        pendingEmpty++;
        pos = nl + 1;
        continue;
      }
      if (indent < 0) {
        if (lead <= parent) break;
        if (maxBlankLead > lead) throw bail;
        indent = lead;
      } else if (lead < indent) break;
      if (sawContent) body += '\n'.repeat(pendingEmpty + 1);
      else if (pendingEmpty > 0) body += '\n'.repeat(pendingEmpty);
      pendingEmpty = 0;
      body += t.slice(pos + indent, lineEnd);
      sawContent = true;
      pos = nl + 1;
    }
    if (!sawContent && chomp !== 0) throw bail;
    // Blank lines with spaces and no content: how yaml counts them is left to yaml.
    if (!sawContent && pendingEmpty > 0 && maxBlankLead > parent) throw bail;
    // pendingEmpty now counts trailing empty lines (they stay part of the document text).
    let value = body;
    if (sawContent) {
      if (chomp === 0) value += '\n';
      else if (chomp === 1) value += '\n'.repeat(pendingEmpty + 1);
    }
    // Go on from the first line after the block (its trailing blank lines are behind).
    this.next = pos;
    this.nextContent();
    return detach(value);
  }
}
