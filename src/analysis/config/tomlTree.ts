// TOML → ConfigNode with source ranges. smol-toml validates the file (its errors become diagnostics);
// this small reader then walks the same text keeping the range of every key and value, which no TOML
// library offers. Numbers keep Python's int/float distinction (`2.0` is a float).
import { parse as parseToml, TomlError } from 'smol-toml';
import type { PyLike } from '../../engine/case';
import { ConfigDocument, LineIndex, mapNode, pythonNumber, scalarNode, seqNode, type ConfigNode } from './tree';

export function parseTomlConfig(fileName: string, text: string): ConfigDocument {
  const lines = new LineIndex(text);
  try {
    parseToml(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line - 1 : 0;
    const col = error instanceof TomlError ? error.column - 1 : 0;
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    const at = { startLine: line, startCol: col, endLine: line, endCol: col + 1 };
    return { format: 'toml', fileName, text, root: mapNode([], lines.range(0, text.length), text), errors: [{ message, range: at }] };
  }
  return { format: 'toml', fileName, text, root: new TomlReader(text, lines).document(), errors: [] };
}

class TomlReader {
  private pos = 0;
  constructor(private readonly text: string, private readonly lines: LineIndex) {}

  document(): ConfigNode {
    const root = mapNode([], this.lines.range(0, this.text.length), this.text);
    let current = root;
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      if (this.text[this.pos] === '[') {
        const isArray = this.text.startsWith('[[', this.pos);
        const start = this.pos;
        this.pos += isArray ? 2 : 1;
        const keys = this.keyPath();
        this.skipInline();
        this.pos += isArray ? 2 : 1;
        current = this.openTable(root, keys, isArray, start);
      } else {
        this.keyValue(current);
      }
      this.skipToLineEnd();
    }
    return root;
  }

  private openTable(root: ConfigNode, keys: { key: string; start: number; end: number }[], isArray: boolean, start: number): ConfigNode {
    let node = root;
    keys.forEach((k, i) => {
      const last = i === keys.length - 1;
      let found = node.entries.find((e) => e.key === k.key);
      if (!found) {
        const value = last && isArray ? seqNode([], this.lines.range(start, this.pos), '') : mapNode([], this.lines.range(start, this.pos), '');
        found = { key: k.key, keyRange: this.lines.range(k.start, k.end), value };
        node.entries.push(found);
      }
      node = found.value.kind === 'seq' && !(last && isArray) ? found.value.items[found.value.items.length - 1] : found.value;
    });
    if (isArray) {
      const table = mapNode([], this.lines.range(start, this.pos), '');
      node.items.push(table);
      return table;
    }
    return node;
  }

  private keyValue(table: ConfigNode): void {
    const keys = this.keyPath();
    this.skipInline();
    this.pos++; // '='
    this.skipInline();
    const value = this.value();
    let node = table;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) {
        node.entries.push({ key: k.key, keyRange: this.lines.range(k.start, k.end), value });
        return;
      }
      let found = node.entries.find((e) => e.key === k.key);
      if (!found) {
        found = { key: k.key, keyRange: this.lines.range(k.start, k.end), value: mapNode([], value.range, '') };
        node.entries.push(found);
      }
      node = found.value;
    });
  }

  private keyPath(): { key: string; start: number; end: number }[] {
    const keys: { key: string; start: number; end: number }[] = [];
    for (;;) {
      this.skipInline();
      const start = this.pos;
      const ch = this.text[this.pos];
      let key: string;
      if (ch === '"' || ch === "'") key = this.string();
      else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos));
        key = match ? match[0] : '';
        this.pos += key.length;
      }
      keys.push({ key, start, end: this.pos });
      this.skipInline();
      if (this.text[this.pos] !== '.') return keys;
      this.pos++;
    }
  }

  private value(): ConfigNode {
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === '[') return this.array();
    if (ch === '{') return this.inlineTable();
    let value: PyLike;
    if (ch === '"' || ch === "'") value = this.string();
    else {
      const match = /^[^\s,\]}#]+/.exec(this.text.slice(this.pos));
      const literal = match ? match[0] : '';
      this.pos += literal.length;
      value = this.bare(literal);
    }
    return scalarNode(value, this.lines.range(start, this.pos), this.text.slice(start, this.pos));
  }

  private bare(literal: string): PyLike {
    if (literal === 'true') return true;
    if (literal === 'false') return false;
    const clean = literal.replace(/_/g, '');
    if (/^[+-]?inf$/.test(clean)) return clean.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(clean)) return NaN;
    if (/^0[xob]/.test(clean)) return Number(clean);
    if (/^[+-]?(\d+)(\.\d+)?([eE][+-]?\d+)?$/.test(clean)) return pythonNumber(Number(clean), clean);
    return literal; // dates and times, kept as their text
  }

  private array(): ConfigNode {
    const start = this.pos;
    this.pos++;
    const items: ConfigNode[] = [];
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === ']') break;
      items.push(this.value());
      this.skipBlank();
      if (this.text[this.pos] === ',') this.pos++;
    }
    this.pos++;
    return seqNode(items, this.lines.range(start, this.pos), this.text.slice(start, this.pos));
  }

  private inlineTable(): ConfigNode {
    const start = this.pos;
    this.pos++;
    const table = mapNode([], this.lines.range(start, start), '');
    for (;;) {
      this.skipInline();
      if (this.text[this.pos] === '}') break;
      this.keyValue(table);
      this.skipInline();
      if (this.text[this.pos] === ',') this.pos++;
    }
    this.pos++;
    return { ...table, range: this.lines.range(start, this.pos), text: this.text.slice(start, this.pos) };
  }

  private string(): string {
    const quote = this.text[this.pos];
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.pos += delimiter.length;
    if (triple && this.text[this.pos] === '\n') this.pos++;
    let out = '';
    while (this.pos < this.text.length && !this.text.startsWith(delimiter, this.pos)) {
      const ch = this.text[this.pos];
      if (quote === '"' && ch === '\\') {
        const next = this.text[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (next === 'u' || next === 'U') {
          const length = next === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(this.text.slice(this.pos + 2, this.pos + 2 + length), 16));
          this.pos += 2 + length;
        } else {
          out += simple[next] ?? next;
          this.pos += 2;
        }
        continue;
      }
      out += ch;
      this.pos++;
    }
    this.pos += delimiter.length;
    return out;
  }

  private skipInline(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  /** Spaces, newlines and comments. */
  private skipBlank(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else if (ch === '#') while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      else return;
    }
  }

  private skipToLineEnd(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
  }
}
