// JSON text for values that hold Python floats: like JSON.stringify, except that integral floats (`Float`)
// keep their decimal point (`2.0`), so Python's json (and the engine's case reader) reads them back as floats.
import { Float } from '../../engine/python/values';

export function stringifyPython(value: unknown, indent = 0): string {
  return write(value, '', ' '.repeat(indent));
}

function write(value: unknown, currentIndent: string, step: string): string {
  if (value instanceof Float) {
    if (Number.isNaN(value.value)) return '"NaN"';
    if (!Number.isFinite(value.value)) return value.value > 0 ? '"Infinity"' : '"-Infinity"';
    const text = String(value.value);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = currentIndent + step;
  const open = step ? `\n${inner}` : '';
  const close = step ? `\n${currentIndent}` : '';
  const separator = step ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[${open}${value.map((item) => write(item, inner, step)).join(separator)}${close}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  if (!entries.length) return '{}';
  const colon = step ? ': ' : ':';
  return `{${open}${entries.map(([key, item]) => `${JSON.stringify(key)}${colon}${write(item, inner, step)}`).join(separator)}${close}}`;
}
