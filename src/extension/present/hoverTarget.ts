// Which scheduler a hover position is about: its constructor call, its variable, a `.get_last_lr()`
// call on it, or `optimizer.param_groups[i]['lr']` of its optimizer. No `vscode` import.
import type { SchedulerFinding, SourceRange } from '../../analysis/types';

export interface HoverTarget {
  finding: SchedulerFinding;
  /** The parameter group a `param_groups[i]['lr']` expression reads. */
  group?: number;
  /** What the hover is attached to (zero-based line and columns). */
  range: SourceRange;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const PARAM_GROUP_LR = /([A-Za-z_][\w.]*)\.param_groups\s*\[\s*(\d+)\s*\]\s*\[\s*(['"])lr\3\s*\]/g;

function contains(range: SourceRange, line: number, character: number): boolean {
  if (line < range.startLine || line > range.endLine) return false;
  if (line === range.startLine && character < range.startCol) return false;
  if (line === range.endLine && character > range.endCol) return false;
  return true;
}

function size(range: SourceRange): number {
  return (range.endLine - range.startLine) * 100_000 + (range.endCol - range.startCol);
}

/** The dotted name (`self.scheduler`) ending at the identifier under `character`, with its columns. */
export function dottedNameAt(lineText: string, character: number): { name: string; start: number; end: number } | null {
  let start = character;
  while (start > 0 && /\w/.test(lineText[start - 1])) start--;
  IDENTIFIER.lastIndex = start;
  const word = IDENTIFIER.exec(lineText);
  if (!word || start + word[0].length < character) return null;
  const end = start + word[0].length;
  let name = word[0];
  let nameStart = start;
  // Walk back over `a.b.` qualifiers.
  for (;;) {
    const before = /([A-Za-z_]\w*)\s*\.\s*$/.exec(lineText.slice(0, nameStart));
    if (!before) break;
    name = `${before[1]}.${name}`;
    nameStart = before.index;
  }
  return { name, start: nameStart, end };
}

/** The finding bound to `variable` that is in effect at `line`: the last one assigned at or before it. */
function findingForVariable(findings: SchedulerFinding[], variable: string, line: number): SchedulerFinding | null {
  const candidates = findings.filter((f) => f.variable === variable);
  if (candidates.length === 0) return null;
  const before = candidates.filter((f) => f.call.range.startLine <= line);
  return before.length ? before[before.length - 1] : candidates[0];
}

export function hoverTarget(findings: SchedulerFinding[], lineText: string, line: number, character: number): HoverTarget | null {
  const lineRange = (start: number, end: number): SourceRange => ({ startLine: line, startCol: start, endLine: line, endCol: end });

  for (const match of lineText.matchAll(PARAM_GROUP_LR)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (character < start || character > end) continue;
    const optimizer = match[1];
    const finding = findings.filter((f) => f.optimizer?.variable === optimizer && f.call.range.startLine <= line).pop()
      ?? findings.find((f) => f.optimizer?.variable === optimizer);
    if (finding) return { finding, group: Number(match[2]), range: lineRange(start, end) };
  }

  const dotted = dottedNameAt(lineText, character);
  if (dotted) {
    const getLastLr = /^(.*)\.get_last_lr$/.exec(dotted.name);
    const finding = findingForVariable(findings, getLastLr ? getLastLr[1] : dotted.name, line);
    if (finding) return { finding, range: lineRange(dotted.start, dotted.end) };
  }

  const calls = findings.filter((f) => contains(f.call.range, line, character)).sort((a, b) => size(a.call.range) - size(b.call.range));
  if (calls.length) return { finding: calls[0], range: calls[0].call.range };
  return null;
}
