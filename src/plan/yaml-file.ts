// Reading a YAML file safely and locating paths in it. Shared by the plan and eval-case loaders so file-level
// errors (missing, directory, too large, binary, not UTF-8, empty, syntax) are reported the same way everywhere.
import { promises as fs } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { PlanDiagnostic } from './schema.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  text: string;
  bytes: Buffer;
}

export function diag(file: string, code: string, message: string, at: { line: number; column: number } = { line: 1, column: 1 }, extra: Partial<PlanDiagnostic> = {}): PlanDiagnostic {
  return { file, line: at.line, column: at.column, path: '', code, message, severity: 'error', ...extra };
}

/** Reads and parses; returns diagnostics instead of throwing for anything wrong with the file itself. */
export async function readYaml(file: string): Promise<{ parsed?: ParsedYaml; diagnostics: PlanDiagnostic[] }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { diagnostics: [diag(file, 'E_PLAN_NOT_FOUND', `file not found: ${file}`, undefined, { hint: 'check the path; paths are relative to the current directory' })] };
  }
  if (stat.isDirectory()) return { diagnostics: [diag(file, 'E_PLAN_IS_DIR', `expected a YAML file, got a directory: ${file}`, undefined, { hint: 'point at the .yaml file, or rename the directory so it does not end in .yaml' })] };
  if (stat.size > MAX_FILE_BYTES) {
    return { diagnostics: [diag(file, 'E_PLAN_TOO_LARGE', `file is ${stat.size} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`, undefined, { hint: 'a plan is one page; split test data into fixture files' })] };
  }
  const bytes = await fs.readFile(file);
  if (bytes.includes(0)) return { diagnostics: [diag(file, 'E_PLAN_NOT_UTF8', 'expected UTF-8 YAML text, got a binary file (it contains NUL bytes)', undefined, { hint: 'this is not a YAML file; remove it or save it as text' })] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostics: [diag(file, 'E_PLAN_NOT_UTF8', 'expected UTF-8 text, got bytes that are not valid UTF-8', undefined, { hint: 'save it as UTF-8' })] };
  }
  if (!text.replace(/#.*$/gm, '').trim()) return { diagnostics: [diag(file, 'E_PLAN_EMPTY', 'expected YAML content, got an empty file (or only comments)', undefined, { hint: 'fill it in, or delete it' })] };
  const lines = new LineCounter();
  // Alias bombs are bounded where the document is turned into JS (toJS maxAliasCount).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Later syntax errors almost always cascade from the first, so only the first is reported (plus duplicate keys).
  const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').slice(0, 1);
  const diagnostics = [...syntax, ...doc.errors.filter((e) => e.code === 'DUPLICATE_KEY')].map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const dup = e.code === 'DUPLICATE_KEY';
    if (/call stack/i.test(e.message)) return diag(file, 'E_PLAN_TOO_DEEP', 'the YAML is nested too deeply to be a plan', { line: pos.line, column: pos.col }, { hint: 'a plan is a few levels deep; this looks generated or hostile' });
    return diag(file, dup ? 'E_PLAN_DUP_KEY' : 'E_PLAN_YAML_SYNTAX', `${dup ? 'duplicate key' : 'YAML syntax error'}: ${e.message.split('\n')[0]}`, {
      line: pos.line,
      column: pos.col,
    }, { hint: dup ? 'keep one of the two; YAML would otherwise let the last one win silently' : 'check indentation, quotes and brackets on this line and the one before' });
  });
  return { parsed: { doc, lines, text, bytes }, diagnostics };
}

/** The node at a path, walking down as far as the document goes (so a missing key points at its parent). */
export function nodeAt(doc: Document.Parsed, path: ReadonlyArray<PropertyKey>): { node: Node | null; keyNode: Node | null } {
  let node: Node | null = doc.contents as Node | null;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node, keyNode };
      keyNode = pair.key as Node;
      node = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return { node, keyNode };
      node = item;
      keyNode = null;
    } else break;
  }
  return { node, keyNode };
}

export function locate(parsed: ParsedYaml, path: ReadonlyArray<PropertyKey>, preferKey = false): { line: number; column: number } {
  const { node, keyNode } = nodeAt(parsed.doc, path);
  const target = preferKey && keyNode ? keyNode : node;
  const offset = target?.range?.[0] ?? 0;
  const pos = parsed.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function dotted(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out;
}

export function formatDiagnostic(d: PlanDiagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}${d.path ? ` ${d.path}` : ''}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}
