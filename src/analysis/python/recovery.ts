// Syntax errors: tree-sitter recovers, but an unclosed bracket can swallow the rest of the file into one
// ERROR node. Then the statement where the first error starts (its line and the more-indented lines
// that continue it) is left out with `includedRanges` and the file parsed again, a few times at most,
// so that everything else still reads as it would without the broken statement. Positions are unchanged.
import type { Node, Range, Tree } from 'web-tree-sitter';
import type { SourceRange } from '../types';
import type { PythonParser } from './parser';

const MAX_ROUNDS = 4;

export interface Recovery {
  /** The tree of the text without its broken statements, or null when nothing had to be left out. */
  tree: Tree | null;
  /** The line of the first broken statement (without its indentation), or null when none was left out. */
  firstError: SourceRange | null;
}

/** Leaves out the statements where tree-sitter reports ERROR or MISSING nodes, and parses the rest again. */
export function parseWithoutBrokenStatements(python: PythonParser, text: string, tree: Tree): Recovery {
  if (!tree.rootNode.hasError) return { tree: null, firstError: null };
  const lineStarts = lineStartsOf(text);
  const excluded: [number, number][] = [];
  let current: Tree | null = null;
  let firstError: SourceRange | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const errorAt = firstErrorIndex((current ?? tree).rootNode);
    if (errorAt === null) break;
    const line = statementLine(text, lineStarts, errorAt);
    firstError ??= lineRange(text, lineStarts, line);
    const span = brokenStatement(text, lineStarts, line);
    if (excluded.some(([start, end]) => span[0] >= start && span[1] <= end)) break;
    excluded.push(span);
    const next = python.parser.parse(text, null, { includedRanges: includedRanges(text, lineStarts, excluded) });
    current?.delete();
    current = next;
    if (!current) break;
  }
  return { tree: current, firstError };
}

/** Where the first ERROR or MISSING node starts, in document order. */
function firstErrorIndex(root: Node): number | null {
  let node: Node | null = root;
  while (node) {
    if (node.isError || node.isMissing) return node.startIndex;
    let next: Node | null = null;
    for (let i = 0, count = node.childCount; i < count; i++) {
      const child = node.child(i);
      if (child && (child.hasError || child.isError || child.isMissing)) {
        next = child;
        break;
      }
    }
    // The error is not in any child (tree-sitter flags the node only): nothing to single out.
    if (!next) return null;
    node = next;
  }
  return null;
}

/** The line of the statement an error at `index` belongs to. */
function statementLine(text: string, lineStarts: number[], index: number): number {
  let line = lineAt(lineStarts, index);
  // A blank line cannot be broken itself: the error belongs to the statement above.
  while (line > 0 && !text.slice(lineStarts[line], lineEnd(text, lineStarts, line)).trim()) line--;
  return line;
}

/** A line's text without its indentation and trailing blanks. */
function lineRange(text: string, lineStarts: number[], line: number): SourceRange {
  const content = text.slice(lineStarts[line], lineEnd(text, lineStarts, line));
  const startCol = content.length - content.trimStart().length;
  return { startLine: line, startCol, endLine: line, endCol: Math.max(startCol, content.trimEnd().length) };
}

/** A statement's line, plus the following lines indented deeper (its body or continuation). */
function brokenStatement(text: string, lineStarts: number[], line: number): [number, number] {
  const indent = indentation(text, lineStarts, line);
  let last = line;
  for (let next = line + 1; next < lineStarts.length; next++) {
    const content = text.slice(lineStarts[next], lineEnd(text, lineStarts, next));
    if (!content.trim() || content.trimStart().startsWith('#')) continue;
    if (indentation(text, lineStarts, next) <= indent && !/^\s*[)\]}]/.test(content)) break;
    last = next;
  }
  const end = last + 1 < lineStarts.length ? lineStarts[last + 1] : text.length;
  return [lineStarts[line], end];
}

function includedRanges(text: string, lineStarts: number[], excluded: [number, number][]): Range[] {
  const ranges: Range[] = [];
  let start = 0;
  for (const [from, to] of [...excluded].sort((a, b) => a[0] - b[0])) {
    if (from > start) ranges.push(rangeBetween(lineStarts, start, from));
    start = Math.max(start, to);
  }
  if (start < text.length) ranges.push(rangeBetween(lineStarts, start, text.length));
  return ranges.length ? ranges : [rangeBetween(lineStarts, 0, 0)];
}

function rangeBetween(lineStarts: number[], startIndex: number, endIndex: number): Range {
  const point = (index: number) => {
    const row = lineAt(lineStarts, index);
    return { row, column: index - lineStarts[row] };
  };
  return { startIndex, endIndex, startPosition: point(startIndex), endPosition: point(endIndex) };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(lineStarts: number[], index: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

function lineEnd(text: string, lineStarts: number[], line: number): number {
  return line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
}

function indentation(text: string, lineStarts: number[], line: number): number {
  const content = text.slice(lineStarts[line], lineEnd(text, lineStarts, line));
  return content.length - content.trimStart().length;
}
