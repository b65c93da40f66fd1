// Number formatting for lenses, hovers and tables. No `vscode` import: unit-tested in plain node.
import type { TraceNumber } from '../../engine/case';

export function traceNumber(value: TraceNumber): number {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

function trimmed(text: string): string {
  // "1.500e-7" → "1.5e-7", "0.0100" → "0.01"
  const [mantissa, exponent] = text.split('e');
  let digits = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  if (digits === '-0') digits = '0';
  return exponent === undefined ? digits : `${digits}e${Number(exponent)}`;
}

/** A learning rate with `significant` digits: plain decimals in [1e-4, 1e4), exponent form outside. */
export function formatLr(value: number, significant = 3): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e4) return trimmed(Number(value.toPrecision(significant)).toString());
  return trimmed(value.toExponential(significant - 1));
}

/** True when two trace values are the same learning rate (exact equality; NaN equals NaN). */
export function sameLr(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
