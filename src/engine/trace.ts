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
  // A JavaScript failure here is an LR Lens bug, not something torch would raise: say so plainly.
  const message = error instanceof Error ? error.message : String(error);
  return { phase, step, type: 'InternalError', message: `LR Lens internal error: ${message}` };
}
