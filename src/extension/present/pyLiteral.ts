// Parses what a user types for an unresolved name as a Python literal (no evaluation of any kind):
// ints, floats (an integral float such as `2.0` stays a float), strings, True/False/None, lists and
// tuples (as lists), dicts with string keys, and unary minus on numbers.
import type { PyLike } from '../../engine/case';
import { Float } from '../../engine/python/values';

export type LiteralResult = { ok: true; value: PyLike } | { ok: false; error: string };

const NUMBER = /^(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?/;

class LiteralParser {
  private index = 0;

  constructor(private readonly text: string) {}

  parseAll(): PyLike {
    const value = this.value();
    this.skipSpace();
    if (this.index < this.text.length) throw new Error(`unexpected "${this.text.slice(this.index, this.index + 10)}"`);
    return value;
  }

  private skipSpace(): void {
    while (this.index < this.text.length && /\s/.test(this.text[this.index])) this.index++;
  }

  private value(): PyLike {
    this.skipSpace();
    const rest = this.text.slice(this.index);
    if (rest.startsWith('[') || rest.startsWith('(')) return this.sequence(rest[0] === '[' ? ']' : ')');
    if (rest.startsWith('{')) return this.dict();
    if (rest.startsWith('"') || rest.startsWith("'")) return this.string();
    for (const [word, value] of [['True', true], ['False', false], ['None', null]] as const) {
      if (rest.startsWith(word) && !/\w/.test(rest[word.length] ?? '')) {
        this.index += word.length;
        return value;
      }
    }
    if (rest.startsWith('-') || rest.startsWith('+')) {
      this.index++;
      const operand = this.value();
      if (typeof operand === 'number') return rest[0] === '-' ? -operand : operand;
      if (operand instanceof Float) return new Float(rest[0] === '-' ? -operand.value : operand.value);
      throw new Error('a sign applies to numbers only');
    }
    const number = NUMBER.exec(rest);
    if (number) {
      this.index += number[0].length;
      const digits = number[0].replace(/_/g, '');
      const value = Number(digits);
      const isFloat = /[.eE]/.test(digits);
      if (!Number.isFinite(value)) throw new Error(`${digits} is out of range`);
      return isFloat && Number.isInteger(value) ? new Float(value) : value;
    }
    throw new Error(rest ? `cannot read "${rest.slice(0, 10)}" as a Python literal` : 'a value is needed');
  }

  private sequence(close: ']' | ')'): PyLike[] {
    this.index++;
    const items: PyLike[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === close) {
        this.index++;
        return items;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.index] === ',') this.index++;
      else if (this.text[this.index] !== close) throw new Error(`expected "," or "${close}"`);
    }
  }

  private dict(): { [key: string]: PyLike } {
    this.index++;
    const entries: { [key: string]: PyLike } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === '}') {
        this.index++;
        return entries;
      }
      const key = this.value();
      if (typeof key !== 'string') throw new Error('dict keys must be strings');
      this.skipSpace();
      if (this.text[this.index++] !== ':') throw new Error('expected ":"');
      entries[key] = this.value();
      this.skipSpace();
      if (this.text[this.index] === ',') this.index++;
      else if (this.text[this.index] !== '}') throw new Error('expected "," or "}"');
    }
  }

  private string(): string {
    const quote = this.text[this.index++];
    let result = '';
    while (this.index < this.text.length && this.text[this.index] !== quote) {
      let char = this.text[this.index++];
      if (char === '\\' && this.index < this.text.length) {
        const escaped = this.text[this.index++];
        char = escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      }
      result += char;
    }
    if (this.text[this.index++] !== quote) throw new Error('unterminated string');
    return result;
  }
}

export function parsePythonLiteral(text: string): LiteralResult {
  try {
    return { ok: true, value: new LiteralParser(text).parseAll() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
