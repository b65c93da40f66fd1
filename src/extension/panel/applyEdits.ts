// Pure text edits for the panel's Apply and "copy as Python": replace only the changed argument texts
// of a constructor call, add missing ones as keywords in the call's own layout, and tell when the call
// moved or changed since the panel read it. No `vscode` import: unit-tested in plain node and bundled
// into the webview.
import type { SourceRange, TextEdit } from '../../analysis/types';
import type { ArgumentChange, PanelCall } from '../../shared/protocol';

export type EditsOutcome = { edits: TextEdit[] } | { error: string };

interface Position {
  line: number;
  col: number;
}

const start = (range: SourceRange): Position => ({ line: range.startLine, col: range.startCol });
const end = (range: SourceRange): Position => ({ line: range.endLine, col: range.endCol });
const rangeOf = (from: Position, to: Position): SourceRange => ({ startLine: from.line, startCol: from.col, endLine: to.line, endCol: to.col });
const insertAt = (at: Position, newText: string): TextEdit => ({ range: rangeOf(at, at), newText });
const precedes = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.col <= b.col);

/** Whether `inner` lies within `outer` (a child's call inside its parent's). */
export function rangeWithin(inner: SourceRange, outer: SourceRange): boolean {
  return precedes(start(outer), start(inner)) && precedes(end(inner), end(outer));
}

/** Offsets into the call's own text, from document positions (the call text starts at call.range's start). */
class CallText {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly call: PanelCall) {
    for (let i = 0; i < call.text.length; i++) if (call.text[i] === '\n') this.lineStarts.push(i + 1);
  }

  get text(): string {
    return this.call.text;
  }

  offset(at: Position): number {
    const line = at.line - this.call.range.startLine;
    const col = line === 0 ? at.col - this.call.range.startCol : at.col;
    return this.lineStarts[line] + col;
  }

  position(offset: number): Position {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1] <= offset) line++;
    const col = offset - this.lineStarts[line];
    return { line: this.call.range.startLine + line, col: line === 0 ? this.call.range.startCol + col : col };
  }

  /** The text of the line holding `at`, from `at` to the line's end (or the call's end). */
  restOfLine(at: Position): string {
    const from = this.offset(at);
    const newline = this.text.indexOf('\n', from);
    return this.text.slice(from, newline === -1 ? undefined : newline);
  }

  leadingWhitespace(line: number): string {
    const index = line - this.call.range.startLine;
    const lineText = this.text.slice(this.lineStarts[index], index + 1 < this.lineStarts.length ? this.lineStarts[index + 1] - 1 : undefined);
    return /^[ \t]*/.exec(lineText)?.[0] ?? '';
  }
}

/**
 * The edits that write `changes` into `call`: an argument already written (by keyword, or positionally
 * under torch's parameter name) gets only its value text replaced; a missing one is added as a keyword
 * after the last argument (on its own line when the call puts one argument per line). A param group's
 * `lr` is edited inside the group's dict literal, a key of a dict argument (`scheduler_specific_kwargs.num_cycles`)
 * inside that dict.
 */
export function callEdits(call: PanelCall, changes: ArgumentChange[]): EditsOutcome {
  const source = new CallText(call);
  const edits: TextEdit[] = [];
  const missing: ArgumentChange[] = [];
  for (const change of changes) {
    if (change.group !== undefined) {
      const outcome = groupLrEdit(call, source, change);
      if ('error' in outcome) return outcome;
      edits.push(...outcome.edits);
      continue;
    }
    if (change.name.includes('.')) {
      const outcome = dictArgumentEdit(call, source, change);
      if ('error' in outcome) return outcome;
      edits.push(...outcome.edits);
      continue;
    }
    const written = call.arguments.find((argument) => argument.name === change.name);
    if (written) {
      if (written.text !== change.text) edits.push({ range: written.range, newText: change.text });
    } else {
      missing.push(change);
    }
  }
  if (missing.length > 0) edits.push(...keywordInsertion(call, source, missing.map((change) => `${change.name}=${change.text}`)));
  return { edits };
}

function keywordInsertion(call: PanelCall, source: CallText, keywords: string[]): TextEdit[] {
  const last = call.arguments.reduce<PanelCall['arguments'][number] | null>(
    (latest, argument) => (latest === null || source.offset(end(argument.range)) > source.offset(end(latest.range)) ? argument : latest),
    null,
  );
  if (!last) return [insertAt({ line: call.argumentsRange.startLine, col: call.argumentsRange.startCol + 1 }, keywords.join(', '))];
  const lastEnd = end(last.range);
  const rest = source.restOfLine(lastEnd);
  const onOwnLine = last.range.startLine > call.argumentsRange.startLine;
  // One argument per line, the closing parenthesis further down: keep that layout (and any comment).
  const lineEnds = /^\s*(,)?\s*(#.*)?$/.exec(rest);
  if (onOwnLine && lineEnds) {
    const indent = source.leadingWhitespace(last.range.startLine);
    const hasTrailingComma = lineEnds[1] !== undefined;
    const lineEnd = source.position(source.offset(lastEnd) + rest.length);
    const added = keywords.map((keyword) => `\n${indent}${keyword}`).join(',') + (hasTrailingComma ? ',' : '');
    return hasTrailingComma ? [insertAt(lineEnd, added)] : [insertAt(lastEnd, ','), insertAt(lineEnd, added)];
  }
  return [insertAt(lastEnd, keywords.map((keyword) => `, ${keyword}`).join(''))];
}

// ---------------------------------------------------------------- param groups

/** `lr` of param group `change.group`, inside a list of dict literals (or `dict(...)` calls). */
function groupLrEdit(call: PanelCall, source: CallText, change: ArgumentChange): EditsOutcome {
  const params = call.arguments.find((argument) => argument.position === 0 || argument.name === 'params');
  const group = change.group ?? 0;
  const refuse = (why: string): EditsOutcome => ({ error: `Cannot write lr of param group ${group} in ${call.type}(...): ${why}; edit it by hand.` });
  if (!params) return refuse('the call has no params argument');
  const base = source.offset(start(params.range));
  const text = params.text;
  const opening = skipBlank(text, 0);
  if (text[opening] !== '[' && text[opening] !== '(') return refuse('its params are not written as a list of dicts');
  const items = bracketItems(text, opening);
  if (!items || group >= items.items.length) return refuse('that group is not written in the list');
  return dictKeyEdit(source, base, text, items.items[group].start, 'lr', change.text, (why) => refuse(`the group ${why}`));
}

/** A key of a dict argument, `name.key` (transformers' `scheduler_specific_kwargs.num_cycles`); the dict is added when the call has none. */
function dictArgumentEdit(call: PanelCall, source: CallText, change: ArgumentChange): EditsOutcome {
  const [name, key] = change.name.split('.', 2);
  const written = call.arguments.find((argument) => argument.name === name);
  if (!written) return { edits: keywordInsertion(call, source, [`${name}={'${key}': ${change.text}}`]) };
  const refuse = (why: string): EditsOutcome => ({ error: `Cannot write ${change.name} in ${call.type}(...): ${name} ${why}; edit it by hand.` });
  return dictKeyEdit(source, source.offset(start(written.range)), written.text, 0, key, change.text, refuse);
}

/** Sets `key` in the dict literal or `dict(...)` call that starts at `from` in `text` (the text at `base` in the call). */
function dictKeyEdit(source: CallText, base: number, text: string, from: number, key: string, value: string, refuse: (why: string) => EditsOutcome): EditsOutcome {
  const itemStart = skipBlank(text, from);
  if (text[itemStart] === '{') {
    const entries = bracketItems(text, itemStart);
    if (!entries) return refuse('is not a closed dict');
    for (const entry of entries.items) {
      const colon = topLevelIndex(text, entry.start, entry.end, ':');
      if (colon === -1) continue;
      const written = /^\s*(['"])(.*)\1\s*$/.exec(text.slice(entry.start, colon));
      if (written?.[2] === key) return { edits: [replaceSpan(source, base, colon + 1, entry.end, value)] };
    }
    return { edits: [appendEntry(source, base, text, entries, `'${key}': ${value}`)] };
  }
  const dictCall = /^dict\s*\(/.exec(text.slice(itemStart));
  if (dictCall) {
    const entries = bracketItems(text, itemStart + dictCall[0].length - 1);
    if (!entries) return refuse('is not a closed dict(...)');
    for (const entry of entries.items) {
      const equals = topLevelIndex(text, entry.start, entry.end, '=');
      if (equals !== -1 && text.slice(entry.start, equals).trim() === key) return { edits: [replaceSpan(source, base, equals + 1, entry.end, value)] };
    }
    return { edits: [appendEntry(source, base, text, entries, `${key}=${value}`)] };
  }
  return refuse('is not written as a dict literal');
}

/** Replaces the value between `from` and `to` (offsets in the argument text), keeping its surrounding blanks and comments. */
function replaceSpan(source: CallText, base: number, from: number, to: number, newText: string): TextEdit {
  const text = source.text.slice(base);
  const valueStart = skipBlank(text, from);
  let valueEnd = to;
  while (valueEnd > valueStart && /\s/.test(text[valueEnd - 1])) valueEnd--;
  valueEnd = stripTrailingComment(text, valueStart, valueEnd);
  return { range: rangeOf(source.position(base + valueStart), source.position(base + valueEnd)), newText };
}

function appendEntry(source: CallText, base: number, text: string, entries: BracketItems, entry: string): TextEdit {
  const nonEmpty = entries.items.filter((item) => text.slice(item.start, item.end).trim() !== '');
  if (nonEmpty.length === 0) return insertAt(source.position(base + entries.open + 1), entry);
  const last = nonEmpty[nonEmpty.length - 1];
  let lastEnd = last.end;
  while (lastEnd > last.start && /\s/.test(text[lastEnd - 1])) lastEnd--;
  lastEnd = stripTrailingComment(text, last.start, lastEnd);
  return insertAt(source.position(base + lastEnd), `, ${entry}`);
}

interface BracketItems {
  open: number;
  close: number;
  /** Comma-separated items at depth one: [start, end) offsets, blanks included. */
  items: { start: number; end: number }[];
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The items between the bracket at `open` and its match, skipping strings and comments; null when unclosed. */
function bracketItems(text: string, open: number): BracketItems | null {
  const items: { start: number; end: number }[] = [];
  let depth = 0;
  let itemStart = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      i = lineEnd(text, i) - 1;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i) - 1;
    } else if (c in CLOSERS) {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        if (text.slice(itemStart, i).trim() !== '' || items.length > 0) items.push({ start: itemStart, end: i });
        return { open, close: i, items: items.filter((item) => text.slice(item.start, item.end).replace(/#.*$/gm, '').trim() !== '') };
      }
    } else if (c === ',' && depth === 1) {
      items.push({ start: itemStart, end: i });
      itemStart = i + 1;
    }
  }
  return null;
}

/** The first `target` character at depth zero within [from, to), or -1. */
function topLevelIndex(text: string, from: number, to: number, target: string): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '#') i = lineEnd(text, i) - 1;
    else if (c === '"' || c === "'") i = stringEnd(text, i) - 1;
    else if (c in CLOSERS) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === target && depth === 0 && !(target === '=' && (text[i + 1] === '=' || '<>!='.includes(text[i - 1])))) return i;
  }
  return -1;
}

function stripTrailingComment(text: string, from: number, to: number): number {
  let cut = to;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = stringEnd(text, i) - 1;
    else if (c === '#') {
      cut = i;
      break;
    }
  }
  while (cut > from && /\s/.test(text[cut - 1])) cut--;
  return cut;
}

function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '#') return i;
    i = lineEnd(text, i);
  }
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline;
}

/** The offset just past the string literal that opens at `from` (single, double or triple quoted). */
function stringEnd(text: string, from: number): number {
  const quote = text[from];
  const triple = text.startsWith(quote.repeat(3), from);
  const closing = triple ? quote.repeat(3) : quote;
  for (let i = from + closing.length; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text.startsWith(closing, i)) return i + closing.length;
    else if (!triple && text[i] === '\n') return i;
  }
  return text.length;
}

// ---------------------------------------------------------------- applying and staleness

/** `text` (the call's own text) with `edits` applied; the edits are in document coordinates. */
export function applyToCallText(call: PanelCall, edits: TextEdit[]): string {
  const source = new CallText(call);
  const spans = edits
    .map((edit) => ({ from: source.offset(start(edit.range)), to: source.offset(end(edit.range)), text: edit.newText }))
    .map((span, order) => ({ ...span, order }))
    .sort((a, b) => b.from - a.from || b.order - a.order);
  let text = call.text;
  for (const span of spans) text = text.slice(0, span.from) + span.text + text.slice(span.to);
  return text;
}

/** Offset of a document position in `documentText`, or -1 when the document has no such position. */
export function documentOffset(documentText: string, line: number, col: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const newline = documentText.indexOf('\n', offset);
    if (newline === -1) return -1;
    offset = newline + 1;
  }
  const nextNewline = documentText.indexOf('\n', offset);
  const lineLength = (nextNewline === -1 ? documentText.length : nextNewline) - offset;
  return col <= lineLength ? offset + col : -1;
}

/**
 * Null when the document still holds the call exactly where the panel read it; else why Apply must be
 * refused (the call moved, or was changed or removed).
 */
export function staleCallReason(documentText: string, call: PanelCall): string | null {
  const from = documentOffset(documentText, call.range.startLine, call.range.startCol);
  const to = documentOffset(documentText, call.range.endLine, call.range.endCol);
  if (from !== -1 && to !== -1 && documentText.slice(from, to) === call.text) return null;
  const name = `${call.variable ? `${call.variable} = ` : ''}${call.type}(...)`;
  if (documentText.includes(call.text)) return `${name} moved since the panel read it (it was on line ${call.range.startLine + 1}).`;
  return `${name} on line ${call.range.startLine + 1} was changed or removed since the panel read it.`;
}
