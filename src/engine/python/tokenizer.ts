// Tokenizer for the Python subset the evaluator understands (lambdas, bare expressions, small `def`s).
// It follows CPython's tokenizer where the subset needs it: INDENT/DEDENT from leading whitespace,
// implicit line joining inside brackets, backslash continuation, and Python's number literal forms.

import { UnsupportedError } from '../errors';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token's first character in the source. */
  start: number;
  end: number;
}

// Longest first, so that `**=` wins over `**` and `*`.
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '**', '//', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', ':=', '<>',
  '+', '-', '*', '/', '%', '@', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '~', '&', '|', '^',
];

const NUMBER = new RegExp(
  [
    '0[xX](?:_?[0-9a-fA-F])+',
    '0[oO](?:_?[0-7])+',
    '0[bB](?:_?[01])+',
    // floats: digits.digits, .digits, digits., with optional exponent; or digits with exponent
    '(?:[0-9](?:_?[0-9])*\\.(?:[0-9](?:_?[0-9])*)?|\\.[0-9](?:_?[0-9])*)(?:[eE][-+]?[0-9](?:_?[0-9])*)?',
    '[0-9](?:_?[0-9])*[eE][-+]?[0-9](?:_?[0-9])*',
    '[0-9](?:_?[0-9])*',
  ].map((part) => `(?:${part})`).join('|') + '[jJ]?',
  'y',
);
const NAME = /[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\u00c0-\uffff]*/y;
const STRING_START = /([rRbBuUfF]{0,2})('''|"""|'|")/y;

export function tokenize(source: string, describe: (what: string) => string): Token[] {
  const tokens: Token[] = [];
  const indents = [0];
  let depth = 0; // bracket nesting: newlines inside brackets are ignored
  let pos = 0;
  let atLineStart = true;
  const fail = (what: string, at: number): never => {
    throw new UnsupportedError(describe(`${what} at column ${columnOf(source, at)}`));
  };

  while (pos < source.length) {
    if (atLineStart && depth === 0) {
      // Measure indentation; blank and comment-only lines do not count.
      let col = 0;
      let p = pos;
      while (p < source.length && (source[p] === ' ' || source[p] === '\t' || source[p] === '\f')) {
        col = source[p] === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
        p++;
      }
      const c = source[p];
      if (c === undefined || c === '\n' || c === '\r' || c === '#' || (c === '\\' && isLineEnd(source, p + 1))) {
        pos = p;
        if (c === '#') while (pos < source.length && source[pos] !== '\n') pos++;
        if (c === '\\') pos = skipLineEnd(source, p + 1);
        else if (pos < source.length) pos = skipLineEnd(source, pos);
        continue;
      }
      atLineStart = false;
      if (col > indents[indents.length - 1]) {
        indents.push(col);
        tokens.push({ kind: 'indent', text: '', start: p, end: p });
      } else {
        while (col < indents[indents.length - 1]) {
          indents.pop();
          tokens.push({ kind: 'dedent', text: '', start: p, end: p });
        }
        if (col !== indents[indents.length - 1]) fail('inconsistent indentation', p);
      }
      pos = p;
    }
    const c = source[pos];
    if (c === ' ' || c === '\t' || c === '\f') {
      pos++;
      continue;
    }
    if (c === '#') {
      while (pos < source.length && source[pos] !== '\n') pos++;
      continue;
    }
    if (c === '\\') {
      if (!isLineEnd(source, pos + 1)) fail("unexpected character after line continuation '\\'", pos);
      pos = skipLineEnd(source, pos + 1);
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (depth === 0) {
        tokens.push({ kind: 'newline', text: '\n', start: pos, end: pos + 1 });
        atLineStart = true;
      }
      pos = skipLineEnd(source, pos);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[pos + 1] ?? ''))) {
      NUMBER.lastIndex = pos;
      const match = NUMBER.exec(source);
      if (!match) fail('invalid number literal', pos);
      const text = match![0];
      const after = source[pos + text.length] ?? '';
      if (/[A-Za-z0-9_]/.test(after)) fail(`invalid number literal '${text}${after}'`, pos);
      tokens.push({ kind: 'number', text, start: pos, end: pos + text.length });
      pos += text.length;
      continue;
    }
    STRING_START.lastIndex = pos;
    const stringStart = STRING_START.exec(source);
    if (stringStart) {
      const end = scanString(source, pos, stringStart[1], stringStart[2], fail);
      tokens.push({ kind: 'string', text: source.slice(pos, end), start: pos, end });
      pos = end;
      continue;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], start: pos, end: pos + name[0].length });
      pos += name[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, pos));
    if (!op) fail(`unexpected character '${c}'`, pos);
    if (op === '(' || op === '[' || op === '{') depth++;
    if (op === ')' || op === ']' || op === '}') {
      if (depth === 0) fail(`unmatched '${op}'`, pos);
      depth--;
    }
    tokens.push({ kind: 'op', text: op!, start: pos, end: pos + op!.length });
    pos += op!.length;
  }
  if (depth > 0) fail("'(' was never closed", source.length);
  if (tokens.length > 0 && tokens[tokens.length - 1].kind !== 'newline' && tokens[tokens.length - 1].kind !== 'dedent') {
    tokens.push({ kind: 'newline', text: '', start: source.length, end: source.length });
  }
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ kind: 'dedent', text: '', start: source.length, end: source.length });
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

function scanString(source: string, start: number, prefix: string, quote: string, fail: (what: string, at: number) => never): number {
  let pos = start + prefix.length + quote.length;
  while (pos < source.length) {
    if (source.startsWith(quote, pos)) return pos + quote.length;
    const c = source[pos];
    // A backslash escapes the next character for tokenizing even in raw strings.
    if (c === '\\') pos += 2;
    else if ((c === '\n' || c === '\r') && quote.length === 1) break;
    else pos++;
  }
  return fail('unterminated string literal', start);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isLineEnd(source: string, pos: number): boolean {
  return pos >= source.length || source[pos] === '\n' || source[pos] === '\r';
}

function skipLineEnd(source: string, pos: number): number {
  if (source[pos] === '\r' && source[pos + 1] === '\n') return pos + 2;
  return pos + 1;
}

export function columnOf(source: string, offset: number): number {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart + 1;
}
