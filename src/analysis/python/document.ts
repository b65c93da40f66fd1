// An open Python document: keeps its syntax tree and re-parses incrementally after edits
// (the same shape as VS Code's contentChanges), so re-analysis after typing stays fast.
import type { Edit, Point, Tree } from 'web-tree-sitter';
import { pyRepr } from '../../engine/python/values';
import type { AnalysisOptions, AnalysisResult } from '../types';
import { analyzeModel } from './analyzer';
import { FileModel } from './model';
import { loadedPythonParser, type PythonParser } from './parser';
import { parseWithoutBrokenStatements, type Recovery } from './recovery';

/** One edit: replace `rangeLength` UTF-16 code units at `rangeOffset` by `text` (offsets in the text before it). */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export class PythonDocumentAnalysis {
  private tree: Tree;
  /** The tree without broken statements when the text has syntax errors, and where; undefined until needed. */
  private recovery: Recovery | undefined;
  private text: string;
  private cache: { key: string; result: AnalysisResult } | null = null;

  constructor(text: string, private readonly python: PythonParser = loadedPythonParser()) {
    this.text = text;
    this.tree = parseOrThrow(python, text, null);
  }

  get source(): string {
    return this.text;
  }

  /** Applies edits in order (each offset refers to the text after the previous edits), then re-parses incrementally. */
  applyChanges(changes: readonly TextChange[]): void {
    if (!changes.length) return;
    for (const change of changes) {
      const start = pointAt(this.text, change.rangeOffset);
      const oldEnd = pointAt(this.text, change.rangeOffset + change.rangeLength);
      const edit: Edit = {
        startIndex: change.rangeOffset,
        oldEndIndex: change.rangeOffset + change.rangeLength,
        newEndIndex: change.rangeOffset + change.text.length,
        startPosition: start,
        oldEndPosition: oldEnd,
        newEndPosition: advance(start, change.text),
      };
      this.text = this.text.slice(0, change.rangeOffset) + change.text + this.text.slice(change.rangeOffset + change.rangeLength);
      this.tree.edit(edit);
    }
    this.reparse(this.tree);
  }

  /** Replaces the whole text (a full re-parse). */
  setText(text: string): void {
    this.text = text;
    this.reparse(null);
  }

  analyze(options: AnalysisOptions = {}): AnalysisResult {
    const key = analysisKey(options);
    if (this.cache?.key === key) return this.cache.result;
    // With syntax errors, analyse a tree without the broken statements (the full tree stays the base for
    // incremental parsing).
    this.recovery ??= parseWithoutBrokenStatements(this.python, this.text, this.tree);
    const result = analyzeModel(new FileModel(this.recovery.tree ?? this.tree, this.text), options, this.recovery.firstError);
    this.cache = { key, result };
    return result;
  }

  dispose(): void {
    this.recovery?.tree?.delete();
    this.tree.delete();
  }

  private reparse(oldTree: Tree | null): void {
    const next = parseOrThrow(this.python, this.text, oldTree);
    this.tree.delete();
    this.tree = next;
    this.recovery?.tree?.delete();
    this.recovery = undefined;
    this.cache = null;
  }
}

/** What a result depends on besides the text (overrides by their Python repr: JSON cannot tell 2 from 2.0). */
function analysisKey(options: AnalysisOptions): string {
  const overrides = Object.entries(options.overrides ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => [name, pyRepr(value)]);
  return JSON.stringify([options.epochs, options.stepsPerEpoch, options.torchVersion, overrides]);
}

export function parseOrThrow(python: PythonParser, text: string, oldTree: Tree | null): Tree {
  const tree = python.parser.parse(text, oldTree);
  if (!tree) throw new Error('tree-sitter could not parse the document');
  return tree;
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(start: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNewline - 1 };
}
