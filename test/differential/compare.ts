// Compares an engine result with the result real torch produced for the same case.
// Numbers agree when |a - b| <= 1e-12 * max(|a|, |b|) (so an exact zero must be exactly zero);
// non-finite values ("NaN", "Infinity", ...) and anything else that is not a number must be identical;
// errors must agree in phase, step, type and message.
import type { CaseError, CaseResult, TraceRow } from '../../src/engine/case';

export const RTOL = 1e-12;

/** Where and how two results differ; null when they agree. */
export interface Mismatch {
  /** Row index (= step), or null for the error / row-count comparison. */
  row: number | null;
  field: string;
  expected: unknown;
  got: unknown;
}

export function numbersAgree(expected: unknown, got: unknown): boolean {
  if (typeof expected === 'number' && typeof got === 'number') {
    if (expected === got) return true;
    return Math.abs(expected - got) <= RTOL * Math.max(Math.abs(expected), Math.abs(got));
  }
  return expected === got;
}

function compareList(row: number, field: string, expected: unknown, got: unknown): Mismatch | null {
  if (!Array.isArray(expected) || !Array.isArray(got)) {
    return expected === got ? null : { row, field, expected, got };
  }
  if (expected.length !== got.length) return { row, field: `${field}.length`, expected: expected.length, got: got.length };
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as unknown;
    const g = got[i] as unknown;
    const mismatch = Array.isArray(e) || Array.isArray(g) ? compareList(row, `${field}[${i}]`, e, g) : null;
    if (mismatch) return mismatch;
    if (!Array.isArray(e) && !Array.isArray(g) && !numbersAgree(e, g)) return { row, field: `${field}[${i}]`, expected: e, got: g };
  }
  return null;
}

function compareRow(index: number, expected: TraceRow, got: TraceRow): Mismatch | null {
  if (expected.step !== got.step) return { row: index, field: 'step', expected: expected.step, got: got.step };
  for (const field of ['lr', 'last_lr', 'momentum', 'betas'] as const) {
    const mismatch = compareList(index, field, expected[field] ?? null, got[field] ?? null);
    if (mismatch) return mismatch;
  }
  return null;
}

function compareError(expected: CaseError | null, got: CaseError | null): Mismatch | null {
  if (expected === null || got === null) return expected === got ? null : { row: null, field: 'error', expected, got };
  for (const field of ['phase', 'step', 'type', 'message'] as const) {
    if (expected[field] !== got[field]) return { row: null, field: `error.${field}`, expected: expected[field], got: got[field] };
  }
  return null;
}

/** The first difference between torch's result and the engine's, rows first (the earliest one matters most). */
export function compareResults(expected: CaseResult, got: CaseResult): Mismatch | null {
  const rows = Math.min(expected.trace.length, got.trace.length);
  for (let i = 0; i < rows; i++) {
    const mismatch = compareRow(i, expected.trace[i], got.trace[i]);
    if (mismatch) return mismatch;
  }
  if (expected.trace.length !== got.trace.length) {
    // The row count usually differs because one side raised: show both errors with it.
    const summary = (result: CaseResult) => ({ rows: result.trace.length, error: result.error });
    return { row: null, field: 'trace.length', expected: summary(expected), got: summary(got) };
  }
  return compareError(expected.error, got.error);
}

export function describeMismatch(id: string, mismatch: Mismatch): string {
  const where = mismatch.row === null ? '' : ` row ${mismatch.row}`;
  return `case ${JSON.stringify(id)}${where} ${mismatch.field}: torch ${JSON.stringify(mismatch.expected)}, engine ${JSON.stringify(mismatch.got)}`;
}

/**
 * The engine declines a value of a type torch does not document for that argument (a str, list or
 * None where a number is expected), with a message naming the argument, instead of modelling what
 * Python would do with it (str repetition, a TypeError some steps later...). Such cases are counted
 * apart from agreements and mismatches.
 */
export function declinedByEngine(got: CaseResult): boolean {
  if (got.error?.type !== 'Unsupported') return false;
  if (got.error.phase === 'construct') return /^LR Lens does not model /.test(got.error.message);
  // A negative float to a fractional power: Python makes the lr a complex number; the engine stops there.
  return /^LR Lens cannot evaluate complex numbers/.test(got.error.message);
}

/** For a declined case: the rows both sides have must still agree (the engine declines, it never guesses). */
export function compareRowsBeforeDecline(expected: CaseResult, got: CaseResult): Mismatch | null {
  const rows = Math.min(expected.trace.length, got.trace.length);
  for (let i = 0; i < rows; i++) {
    const mismatch = compareRow(i, expected.trace[i], got.trace[i]);
    if (mismatch) return mismatch;
  }
  return null;
}
