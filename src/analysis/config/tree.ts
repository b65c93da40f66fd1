// One shape for every config format (YAML, JSON, TOML, mmengine's Python configs): maps, lists and
// scalars with the source range of each value and key, so the readers of Lightning, Hydra, Hugging Face,
// Keras and mmengine configs work on any of them and point lenses and Apply edits at the right text.
import type { PyLike } from '../../engine/case';
import { Float } from '../../engine/python/values';
import type { SourceRange } from '../types';

export type ConfigFormat = 'yaml' | 'json' | 'toml' | 'python';

export interface ConfigEntry {
  key: string;
  keyRange: SourceRange;
  value: ConfigNode;
}

export interface ConfigNode {
  kind: 'map' | 'seq' | 'scalar';
  /** Scalars only: the value as Python holds it (integral floats written with a point are Float); undefined when it is an expression the reader cannot evaluate. */
  value?: PyLike;
  entries: ConfigEntry[];
  items: ConfigNode[];
  /** The value's text in the file. */
  range: SourceRange;
  text: string;
}

export interface ConfigDocument {
  format: ConfigFormat;
  fileName: string;
  text: string;
  root: ConfigNode;
  /** Syntax errors, already worded for the user. */
  errors: { message: string; range: SourceRange }[];
  /** mmengine `_base_` inheritance (see mmengineBase.ts): the nodes that come from base files, with the file. */
  inherited?: Map<ConfigNode, string>;
  /** `_base_` files that could not be read. */
  missingBases?: string[];
}

/** Offsets ↔ (line, UTF-16 column), as VS Code positions count them. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, col: offset - this.starts[lo] };
  }

  range(start: number, end: number): SourceRange {
    const a = this.position(start);
    const b = this.position(end);
    return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
  }

  offset(line: number, col: number): number {
    return (this.starts[line] ?? this.starts[this.starts.length - 1]) + col;
  }
}

export function mapNode(entries: ConfigEntry[], range: SourceRange, text: string): ConfigNode {
  return { kind: 'map', entries, items: [], range, text };
}

export function seqNode(items: ConfigNode[], range: SourceRange, text: string): ConfigNode {
  return { kind: 'seq', entries: [], items, range, text };
}

export function scalarNode(value: PyLike | undefined, range: SourceRange, text: string): ConfigNode {
  return { kind: 'scalar', value, entries: [], items: [], range, text };
}

/** A number as Python would read the literal: `2.0` and `1e3` are floats, `2` an int. */
export function pythonNumber(value: number, literal: string): number | Float {
  return Number.isInteger(value) && /[.eE]/.test(literal) && !/^[-+]?0[xob]/i.test(literal) ? new Float(value) : value;
}

export function entry(node: ConfigNode | undefined, key: string): ConfigEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

export function child(node: ConfigNode | undefined, key: string): ConfigNode | undefined {
  return entry(node, key)?.value;
}

/** `a.b.c` from the root. */
export function childAt(node: ConfigNode | undefined, path: string[]): ConfigNode | undefined {
  let current = node;
  for (const key of path) current = /^\d+$/.test(key) && current?.kind === 'seq' ? current.items[Number(key)] : child(current, key);
  return current;
}

export function scalarString(node: ConfigNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** Every map in the tree with its key path, parents before children. */
export function* walkMaps(node: ConfigNode, path: string[] = []): Generator<{ node: ConfigNode; path: string[] }> {
  if (node.kind === 'map') {
    yield { node, path };
    for (const e of node.entries) yield* walkMaps(e.value, [...path, e.key]);
  } else if (node.kind === 'seq') {
    for (let i = 0; i < node.items.length; i++) yield* walkMaps(node.items[i], [...path, String(i)]);
  }
}
