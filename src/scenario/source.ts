/**
 * Reading YAML files into documents that remember where each value came
 * from, so that a field path ("spec.containers[0].resources.requests[cpu]")
 * can be turned back into a line and column. Uses the `yaml` package's
 * parseAllDocuments with a LineCounter; YAML 1.2 core schema.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';
import type { Problem } from './problems.ts';

export interface SourceDocument {
  file: string;
  /** 1-based position of the document in its file (empty documents count). */
  index: number;
  /** The document as plain data; null for an empty document. */
  value: unknown;
  /** The root node of the document, for position lookups. */
  root: YNode | null;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/** Aliases are allowed (anchors are handy in scenarios) but not alias bombs. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parse a file's text. Syntax problems are appended to `problems` (one per
 * line, the first yaml reports: one mistake tends to cascade into several
 * errors on the same line); documents with syntax errors are left out.
 */
export function parseYamlFile(file: string, text: string, problems: Problem[]): SourceDocument[] {
  const lineCounter = new LineCounter();
  const out: SourceDocument[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
    out.push({ file, index, value: value ?? null, root: (doc.contents as YNode | null) ?? null, lineCounter });
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

function nodeStart(node: unknown, lc: LineCounter): Position | undefined {
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
export function locate(doc: Pick<SourceDocument, 'root' | 'lineCounter'>, path: string, valueHint?: unknown): Position | undefined {
  let node: unknown = doc.root;
  let pos = nodeStart(node, doc.lineCounter);
  let complete = true;
  for (const seg of splitFieldPath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) {
        complete = false;
        break;
      }
      const valuePos = isScalar(pair.value) ? nodeStart(pair.value, doc.lineCounter) : undefined;
      pos = valuePos ?? nodeStart(pair.key, doc.lineCounter) ?? pos;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      const item = node.items[Number(seg)];
      if (item === undefined) {
        complete = false;
        break;
      }
      pos = nodeStart(item, doc.lineCounter) ?? pos;
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
        if (isScalar(p.value) && String(p.value.value) === hint) return nodeStart(p.value, doc.lineCounter) ?? pos;
        if (isScalar(p.key) && String(p.key.value) === hint) return nodeStart(p.key, doc.lineCounter) ?? pos;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (isScalar(item) && String(item.value) === hint) return nodeStart(item, doc.lineCounter) ?? pos;
    }
  }
  return pos;
}
