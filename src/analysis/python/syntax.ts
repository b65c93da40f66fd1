// Small helpers over tree-sitter nodes.
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../types';

export type { Node };

export function rangeOf(node: Node): SourceRange {
  return {
    startLine: node.startPosition.row,
    startCol: node.startPosition.column,
    endLine: node.endPosition.row,
    endCol: node.endPosition.column,
  };
}

export function namedChildrenOf(node: Node): Node[] {
  const children: Node[] = [];
  for (let i = 0, n = node.namedChildCount; i < n; i++) {
    const child = node.namedChild(i);
    if (child && child.type !== 'comment') children.push(child);
  }
  return children;
}

/** `a`, `a.b.c` as text; null for anything else (calls, subscripts, …). */
export function dottedName(node: Node | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object && attribute ? `${object}.${attribute.text}` : null;
  }
  return null;
}

/** Skips parentheses: `(x)` → `x`. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = current.namedChildren.find((child) => child && child.type !== 'comment');
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The contents of a Python string literal (no f-strings, prefixes r/b/u tolerated), or null. */
export function stringValue(node: Node): string | null {
  if (node.type === 'concatenated_string') {
    let text = '';
    for (const part of namedChildrenOf(node)) {
      const value = stringValue(part);
      if (value === null) return null;
      text += value;
    }
    return text;
  }
  if (node.type !== 'string') return null;
  const start = node.child(0);
  if (start && /f/i.test(start.text)) return null;
  const raw = start !== null && /r/i.test(start.text);
  let text = '';
  for (const part of namedChildrenOf(node)) {
    if (part.type === 'string_start' || part.type === 'string_end') continue;
    if (part.type === 'interpolation') return null;
    if (part.type === 'string_content') text += part.text;
    else if (part.type === 'escape_sequence') text += raw ? part.text : unescape(part.text);
  }
  return text;
}

const SIMPLE_ESCAPES: { [key: string]: string } = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(sequence: string): string {
  const key = sequence.slice(1);
  if (key in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[key];
  if (/^x[0-9a-fA-F]{2}$/.test(key) || /^u[0-9a-fA-F]{4}$/.test(key)) return String.fromCharCode(parseInt(key.slice(1), 16));
  return sequence;
}

/** The positional and keyword arguments of a call, in order. */
export interface CallArguments {
  positional: Node[];
  keywords: { name: string; node: Node; value: Node }[];
  /** `*args` / `**kwargs` present: the call's arguments are not all visible. */
  hasSplat: boolean;
  /** The expressions after `**` (`f(**config)`). */
  dictionarySplats: Node[];
  list: Node | null;
}

export function callArguments(call: Node): CallArguments {
  const list = call.childForFieldName('arguments');
  const result: CallArguments = { positional: [], keywords: [], hasSplat: false, dictionarySplats: [], list };
  if (!list || list.type !== 'argument_list') return result;
  for (const child of namedChildrenOf(list)) {
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (name && value) result.keywords.push({ name: name.text, node: child, value });
    } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') {
      result.hasSplat = true;
      const value = child.namedChild(0);
      if (child.type === 'dictionary_splat' && value) result.dictionarySplats.push(value);
    } else {
      result.positional.push(child);
    }
  }
  return result;
}

/** The argument given by keyword `name` or at `position`. */
export function argumentNode(args: CallArguments, name: string, position: number | null): Node | null {
  const keyword = args.keywords.find((k) => k.name === name);
  if (keyword) return keyword.value;
  if (position !== null && position >= 0 && position < args.positional.length) return args.positional[position];
  return null;
}

export function ancestor(node: Node, types: Set<string>, stopAt?: Set<string>): Node | null {
  for (let current = node.parent; current; current = current.parent) {
    if (types.has(current.type)) return current;
    if (stopAt?.has(current.type)) return null;
  }
  return null;
}

/** Removes the common leading indentation of every line after the first (the first starts at a def). */
export function dedentBlock(text: string, firstLineIndent: number): string {
  const lines = text.split('\n');
  return lines
    .map((line, index) => {
      if (index === 0) return line;
      const indent = line.length - line.trimStart().length;
      return line.slice(Math.min(indent, firstLineIndent));
    })
    .join('\n');
}
