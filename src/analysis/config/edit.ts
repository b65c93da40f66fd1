// Apply for configs: the text edits that set config values (a tuned lr, a warmup length, …) while keeping
// the rest of the file as written: comments, order, quoting and indentation. JSON goes through
// jsonc-parser's `modify`; YAML, TOML and mmengine's Python replace the value's own text, or add a
// `key: value` line (or `key=value` argument) next to the existing keys of the same map.
import { modify } from 'jsonc-parser';
import type { PyLike } from '../../engine/case';
import { Float, floatRepr } from '../../engine/python/values';
import type { SourceRange, TextEdit } from '../types';
import { parseConfig } from '../analyzeConfig';
import { child, LineIndex, type ConfigDocument, type ConfigNode } from './tree';

export interface ConfigChange {
  /** Key path from the root, e.g. ["lr_scheduler", "init_args", "T_max"]; list indices as numbers. */
  path: (string | number)[];
  value: PyLike;
}

export class ConfigEditError extends Error {}

/** The edits (against `text` as it is) that make each change; they do not overlap. */
export function configEdits(fileName: string, text: string, changes: ConfigChange[]): TextEdit[] {
  const doc = parseConfig(fileName, text);
  if (!doc) throw new ConfigEditError(`${fileName} is not a config file LR Lens edits`);
  if (doc.errors.length) throw new ConfigEditError(`${fileName} has syntax errors: ${doc.errors[0].message}`);
  const lines = new LineIndex(text);
  return changes.map((change) => (doc.format === 'json' ? jsonEdit(text, lines, change) : treeEdit(doc, lines, change)));
}

/** Applies non-overlapping edits (as VS Code does), for callers without an editor and for tests. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const withOffsets = edits.map((edit) => ({
    start: lines.offset(edit.range.startLine, edit.range.startCol),
    end: lines.offset(edit.range.endLine, edit.range.endCol),
    newText: edit.newText,
  }));
  withOffsets.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of withOffsets) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

function jsonEdit(text: string, lines: LineIndex, change: ConfigChange): TextEdit {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const edits = modify(text, change.path, markFloats(change.value), {
    formattingOptions: { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' },
  });
  if (edits.length !== 1) throw new ConfigEditError(`cannot set ${change.path.join('.')} in this JSON`);
  const [edit] = edits;
  return { range: lines.range(edit.offset, edit.offset + edit.length), newText: edit.content.replace(MARKED_FLOAT, '$1') };
}

/**
 * Floats as Python writes them (`2.0`, `3e-05`), where JSON.stringify gives `2` (an int to Python) or
 * `0.00003`: jsonc-parser's `modify` lays the value out (nested maps in the file's indentation) with each
 * float as a marker string, which is then replaced by the float's text.
 */
const FLOAT_MARKER = '\u0000float:';
const MARKED_FLOAT = /"\\u0000float:([^"]*)"/g;

function markFloats(value: unknown): unknown {
  if (value instanceof Float) return FLOAT_MARKER + jsonFloat(value.value);
  if (typeof value === 'number' && !Number.isInteger(value)) return FLOAT_MARKER + jsonFloat(value);
  if (Array.isArray(value)) return value.map(markFloats);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, markFloats(item)]));
  return value;
}

/** Python's json module writes non-finite floats as NaN / Infinity / -Infinity and reads them back. */
function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(x);
}

function treeEdit(doc: ConfigDocument, lines: LineIndex, change: ConfigChange): TextEdit {
  const keys = change.path.map(String);
  let parent: ConfigNode | undefined = doc.root;
  for (const key of keys.slice(0, -1)) parent = parent?.kind === 'seq' ? parent.items[Number(key)] : child(parent, key);
  if (!parent || parent.kind !== 'map') throw new ConfigEditError(`${keys.slice(0, -1).join('.') || 'the root'} is not a map in ${doc.fileName}`);
  const key = keys[keys.length - 1];
  const existing = child(parent, key);
  const literal = formatValue(doc.format, change.value);
  if (existing) return { range: existing.range, newText: literal };
  return insertEntry(doc, lines, parent, key, literal);
}

/** A new `key: value` next to the map's existing keys, in the map's own style. */
function insertEntry(doc: ConfigDocument, lines: LineIndex, map: ConfigNode, key: string, literal: string): TextEdit {
  const last = map.entries[map.entries.length - 1];
  const at = (range: SourceRange): SourceRange => ({ startLine: range.endLine, startCol: range.endCol, endLine: range.endLine, endCol: range.endCol });
  if (doc.format === 'python') {
    if (!last) throw new ConfigEditError('cannot add an argument to an empty dict()');
    // `dict(a=1)` takes `key=value`; a `{'a': 1}` literal takes `'key': value`, quoted as its last key is.
    if (!map.text.trimStart().startsWith('{')) return { range: at(last.value.range), newText: `, ${key}=${literal}` };
    const quote = doc.text[lines.offset(last.keyRange.startLine, last.keyRange.startCol)] === '"' ? '"' : "'";
    return { range: at(last.value.range), newText: `, ${quote}${key}${quote}: ${literal}` };
  }
  const flow = doc.format === 'yaml' ? map.text.trimStart().startsWith('{') : false;
  if (!last || flow) {
    if (!flow) throw new ConfigEditError(`cannot add ${key} to an empty map`);
    const close = lines.offset(map.range.endLine, map.range.endCol) - 1;
    const end = lines.position(close);
    const range = { startLine: end.line, startCol: end.col, endLine: end.line, endCol: end.col };
    const before = doc.text.slice(0, close).trimEnd();
    return { range, newText: `${before.endsWith('{') ? '' : ', '}${key}: ${literal}` };
  }
  const lineText = doc.text.split(/\r?\n/)[last.keyRange.startLine];
  const indent = lineText.slice(0, last.keyRange.startCol);
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const separator = doc.format === 'toml' ? ' = ' : ': ';
  // After the last entry's value (a comment after it on the same line stays with it).
  const lastLine = last.value.range.endLine;
  const endOfLine = doc.text.split(/\r?\n/)[lastLine].length;
  return { range: { startLine: lastLine, startCol: endOfLine, endLine: lastLine, endCol: endOfLine }, newText: `${eol}${indent}${key}${separator}${literal}` };
}

/** A value as the format writes it; floats always show a point or exponent so they stay floats. */
export function formatValue(format: ConfigDocument['format'], value: PyLike): string {
  if (value === null) return format === 'python' ? 'None' : format === 'toml' ? '""' : 'null';
  if (typeof value === 'boolean') return format === 'python' ? (value ? 'True' : 'False') : String(value);
  if (value instanceof Float) return formatFloat(format, value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloat(format, value);
  if (typeof value === 'string') return format === 'python' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(format, item)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, PyLike>);
  if (format === 'python') return `dict(${entries.map(([k, v]) => `${k}=${formatValue(format, v)}`).join(', ')})`;
  const separator = format === 'toml' ? ' = ' : ': ';
  return `{${entries.map(([k, v]) => `${format === 'yaml' ? k : JSON.stringify(k)}${separator}${formatValue(format, v)}`).join(', ')}}`;
}

/** Python's repr, with `1e-06` written `1.0e-06`: YAML 1.1 readers (PyYAML) only take a float with a point. */
function formatFloat(format: ConfigDocument['format'], x: number): string {
  const repr = floatRepr(x);
  if (format === 'yaml' && /^-?\d+e/.test(repr)) return repr.replace('e', '.0e');
  return repr;
}
