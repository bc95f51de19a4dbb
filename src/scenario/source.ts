/**
 * Reading YAML files into documents that remember where each value came
 * from, so that a field path ("spec.containers[0].resources.requests[cpu]")
 * can be turned back into a line and column. YAML 1.2 core schema.
 *
 * Values come from the fast path (fastYaml.ts) where it applies, else from
 * the `yaml` package's parseAllDocuments. Positions are needed only for
 * messages, so a document's syntax tree is built when a position is first
 * asked for (by parsing that document's text again with `yaml`), never for
 * the 150,000 documents that have nothing to report.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';
import { BAIL, fastParseStream, findSequenceItem } from './fastYaml.ts';
import type { Problem } from './problems.ts';

/** Turns an offset in a document's syntax tree into a 1-based line and column. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/** What position lookups need of a document: its syntax tree (root node) and line table. */
export interface DocumentSource {
  readonly root: YNode | null;
  readonly lineCounter: LinePositions;
  /**
   * For a huge document: the syntax tree of just the sequence item a path
   * goes through (`keys` from the root, then item `index`), so that a
   * position needs no tree of the whole document; undefined to use `root`.
   */
  item?(keys: readonly string[], index: number): { node: YNode; lineCounter: LinePositions } | undefined;
}

/**
 * Documents larger than this (in characters) find positions through the one
 * sequence item a path goes through (spec.objects[i]); a setting so that a
 * test can compare with the whole-document tree.
 */
export const positionLookup = { narrowAboveChars: 1024 * 1024 };

export interface SourceDocument extends DocumentSource {
  file: string;
  /** 1-based position of the document in its file (empty documents count). */
  index: number;
  /** The document as plain data; null for an empty document. */
  value: unknown;
  /** Position lookups alone, without the value (what an Origin keeps). */
  source: DocumentSource;
  /**
   * The value shares no object between two places (no YAML aliases) and
   * nothing else holds it, so the loader may keep its parts as they are
   * instead of copying them.
   */
  aliasFree: boolean;
}

export interface Position {
  line: number;
  column: number;
}

/** Aliases are allowed (anchors are handy in scenarios) but not alias bombs. */
const MAX_ALIAS_COUNT = 1000;

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;

/**
 * A document's syntax tree, parsed from its own text when first needed. Its
 * offsets are relative to that text, which starts at the beginning of line
 * `line` (0-based) of the file; columns are the same.
 */
class LazySource implements DocumentSource {
  private parsed: { root: YNode | null; lineCounter: LinePositions } | undefined;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    private readonly line: number,
    /** The fast path read this document (its block structure is one findSequenceItem can walk). */
    private readonly fast = false,
  ) {}

  item(keys: readonly string[], index: number): { node: YNode; lineCounter: LinePositions } | undefined {
    if (!this.fast || this.parsed || this.end - this.start <= positionLookup.narrowAboveChars) return undefined;
    const range = findSequenceItem(this.text, this.start, this.end, keys, index);
    if (!range) return undefined;
    // The item's lines alone are a sequence of one item, at the same columns.
    const lc = new LineCounter();
    const docs = parseAllDocuments(this.text.slice(range.start, range.end), { ...YAML_OPTIONS, lineCounter: lc });
    const doc = Array.isArray(docs) && docs.length === 1 ? docs[0]! : undefined;
    const seq = doc && doc.errors.length === 0 ? doc.contents : undefined;
    const node = isSeq(seq) && seq.items.length === 1 ? (seq.items[0] as YNode | null) : undefined;
    if (!node) return undefined;
    let line = this.line;
    for (let i = this.text.indexOf('\n', this.start); i >= 0 && i < range.start; i = this.text.indexOf('\n', i + 1)) line++;
    return {
      node,
      lineCounter: {
        linePos: (offset) => {
          const p = lc.linePos(offset);
          return { line: p.line + line, col: p.col };
        },
      },
    };
  }

  private parse(): { root: YNode | null; lineCounter: LinePositions } {
    if (!this.parsed) {
      const lc = new LineCounter();
      const docs = parseAllDocuments(this.text.slice(this.start, this.end), { ...YAML_OPTIONS, lineCounter: lc });
      const doc = Array.isArray(docs) ? docs[0] : undefined;
      const line = this.line;
      this.parsed = {
        root: (doc?.contents as YNode | null | undefined) ?? null,
        lineCounter: {
          linePos: (offset) => {
            const p = lc.linePos(offset);
            return { line: p.line + line, col: p.col };
          },
        },
      };
    }
    return this.parsed;
  }

  get root(): YNode | null {
    return this.parse().root;
  }

  get lineCounter(): LinePositions {
    return this.parse().lineCounter;
  }
}

class Document implements SourceDocument {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    readonly source: DocumentSource,
    readonly aliasFree: boolean,
  ) {}

  get root(): YNode | null {
    return this.source.root;
  }

  get lineCounter(): LinePositions {
    return this.source.lineCounter;
  }
}

/**
 * Parse a file's text. Syntax problems are appended to `problems` (one per
 * line, the first yaml reports: one mistake tends to cascade into several
 * errors on the same line); documents with syntax errors are left out.
 *
 * Documents the fast path leaves alone are parsed one by one with `yaml`; if
 * any of them has a problem, the whole file is parsed as one stream as it
 * always was, so every message is the one `yaml` gives in context.
 */
export function parseYamlFile(file: string, text: string, problems: Problem[]): SourceDocument[] {
  const fast = fastParseStream(text);
  if (!fast) return parseYamlStream(file, text, problems);
  const out: SourceDocument[] = [];
  for (const d of fast) {
    let value = d.value;
    if (value === BAIL) {
      const one = parseOneDocument(text.slice(d.start, d.end));
      if (!one.ok) return parseYamlStream(file, text, problems);
      value = one.value;
    }
    out.push(new Document(file, d.index, value ?? null, new LazySource(text, d.start, d.end, d.line, d.value !== BAIL), d.value !== BAIL));
  }
  return out;
}

/** One document's text with `yaml`: its value, or not ok when it has errors (or is not exactly one document). */
function parseOneDocument(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const docs = parseAllDocuments(text, YAML_OPTIONS);
    if (!Array.isArray(docs) || docs.length !== 1) return { ok: false };
    const doc = docs[0]!;
    if (doc.errors.length > 0) return { ok: false };
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch {
    return { ok: false };
  }
}

/** The whole stream with `yaml`, keeping every document's syntax tree (exported as the reference the fast path is tested against). */
export function parseYamlStream(file: string, text: string, problems: Problem[]): SourceDocument[] {
  const lineCounter = new LineCounter();
  const out: SourceDocument[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  } catch (e) {
    problems.push({ file, message: `cannot parse YAML: ${e instanceof Error ? e.message : String(e)}` });
    return out;
  }
  // parseAllDocuments returns an EmptyStream (with .empty) for a stream without documents.
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      const seen = new Set<number>();
      for (const err of doc.errors) {
        const pos = lineCounter.linePos(err.pos[0]);
        if (seen.has(pos.line)) continue;
        seen.add(pos.line);
        problems.push({ file, document: index, line: pos.line, column: pos.col, message: `YAML syntax error: ${err.message}` });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const root = doc.contents as YNode | null;
      const pos = root?.range ? lineCounter.linePos(root.range[0]) : undefined;
      problems.push({
        file,
        document: index,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
        message: `YAML error: ${e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    out.push(new Document(file, index, value ?? null, { root: (doc.contents as YNode | null) ?? null, lineCounter }, false));
  });
  return out;
}

/** Split an upstream field path into segments: names and [index]/[key] parts. */
export function splitFieldPath(path: string): string[] {
  const segs: string[] = [];
  let cur = '';
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      if (cur) segs.push(cur);
      cur = '';
      i++;
    } else if (c === '[') {
      if (cur) segs.push(cur);
      cur = '';
      const end = path.indexOf(']', i + 1);
      if (end < 0) {
        segs.push(path.slice(i + 1));
        return segs;
      }
      segs.push(path.slice(i + 1, end));
      i = end + 1;
    } else {
      cur += c;
      i++;
    }
  }
  if (cur) segs.push(cur);
  return segs;
}

function nodeStart(node: unknown, lc: LinePositions): Position | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) {
      const p = lc.linePos(range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return undefined;
}

/**
 * The position of the deepest node along `path` that exists in the document
 * (a missing field points at its parent). For the last segment, a scalar
 * value's own position; a collection value points at its key.
 */
export function locate(doc: DocumentSource, path: string, valueHint?: unknown): Position | undefined {
  const segs = splitFieldPath(path);
  let from = 0;
  let node: unknown;
  let lc: LinePositions;
  let pos: Position | undefined;
  // A path through a sequence item of a huge document (spec.objects[i]...): start at that item,
  // whose position is what the walk from the root would have reached there.
  const at = doc.item ? segs.findIndex((s) => /^\d+$/.test(s)) : -1;
  const item = at > 0 ? doc.item!(segs.slice(0, at), Number(segs[at])) : undefined;
  if (item) {
    node = item.node;
    lc = item.lineCounter;
    pos = nodeStart(node, lc);
    from = at + 1;
  } else {
    node = doc.root;
    lc = doc.lineCounter;
    pos = nodeStart(node, lc);
  }
  let complete = true;
  for (let i = from; i < segs.length; i++) {
    const seg = segs[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) {
        complete = false;
        break;
      }
      const valuePos = isScalar(pair.value) ? nodeStart(pair.value, lc) : undefined;
      pos = valuePos ?? nodeStart(pair.key, lc) ?? pos;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      const item = node.items[Number(seg)];
      if (item === undefined) {
        complete = false;
        break;
      }
      pos = nodeStart(item, lc) ?? pos;
      node = item;
    } else {
      complete = false;
      break;
    }
  }
  // A path that names a whole map or list (upstream reports label errors at
  // "metadata.labels"): point at the entry holding the offending value or key.
  if (complete && valueHint !== undefined && (typeof valueHint === 'string' || typeof valueHint === 'number')) {
    const hint = String(valueHint);
    if (isMap(node)) {
      for (const p of node.items) {
        if (isScalar(p.value) && String(p.value.value) === hint) return nodeStart(p.value, lc) ?? pos;
        if (isScalar(p.key) && String(p.key.value) === hint) return nodeStart(p.key, lc) ?? pos;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (isScalar(item) && String(item.value) === hint) return nodeStart(item, lc) ?? pos;
    }
  }
  return pos;
}
