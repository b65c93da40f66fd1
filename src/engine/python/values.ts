// How the engine holds Python values that cross into torch's constructors.
//
// A JS number stands for a Python int when it is an integer and for a float otherwise; a float whose
// value is integral (`2.0`, `1e3`) is boxed as `Float`, because torch tells them apart
// (`isinstance(T_0, int)`, `isinstance(pct_start, float)`) and its messages print them differently.

export class Float {
  constructor(readonly value: number) {}
}

/** The number a Python int or float stands for. */
export function toNumber(value: unknown): number {
  if (value instanceof Float) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as number;
}

export function isNumberLike(value: unknown): value is number | Float | boolean {
  return typeof value === 'number' || value instanceof Float || typeof value === 'boolean';
}

/** `isinstance(value, int)`; bool is an int subclass in Python. */
export function isPyInt(value: unknown): boolean {
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
}

/** `isinstance(value, float)`. */
export function isPyFloat(value: unknown): boolean {
  return value instanceof Float || (typeof value === 'number' && !Number.isInteger(value));
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa, exponent] = x.toExponential().split('e');
    const exp = Number(exponent);
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(x);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** Python's `repr()` of a value as the engine holds it. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Float) return floatRepr(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'function') return '<function>';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** Python's `str()`: like repr, but strings print bare. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/** Python's `type(value).__name__`, for TypeError messages. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (isPyFloat(value)) return 'float';
  if (typeof value === 'number') return 'int';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'function') return 'function';
  return 'dict';
}

/** Python truthiness of a value as the engine holds it. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (value instanceof Float) return value.value !== 0;
  if (typeof value === 'number') return value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
