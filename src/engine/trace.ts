// Trace values and errors as the `simulate` contract writes them, shared by torch and framework cases.
import type { CaseError, TraceNumber } from './case';
import { PythonError } from './errors';

/** A finite number as itself; NaN and the infinities as torch's JSON spelling. */
export function traceNumber(x: number): TraceNumber {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** What torch would raise, as a case error; a JavaScript failure is an LR Lens bug and says so. */
export function caseError(phase: CaseError['phase'], step: number, error: unknown): CaseError {
  if (error instanceof PythonError) return { phase, step, type: error.pyType, message: error.message };
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    // A user expression nested thousands deep (CPython itself stops at 200 parentheses).
    return { phase, step, type: 'Unsupported', message: 'LR Lens cannot evaluate an expression nested this deeply' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { phase, step, type: 'InternalError', message: `LR Lens internal error: ${message}` };
}
