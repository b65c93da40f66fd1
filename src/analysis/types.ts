// The analysis contract: what the Python/config analysers find, as consumed by the CLI (`analyze`),
// the VS Code adapters (lenses, hovers, diagnostics, Apply) and the panel. No `vscode` import.
import type { CaseError, PyLike, ScheduleCase, TraceRow } from '../engine/case';

/** Zero-based, end-exclusive columns (UTF-16 code units, like VS Code positions). */
export interface SourceRange {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export interface ArgumentInfo {
  /** Keyword name, or torch's parameter name for a positional argument when known. */
  name: string | null;
  /** Index among positional arguments, or null for a keyword argument. */
  position: number | null;
  /** The argument's value text as written, and where (the value only, not `name=`). */
  text: string;
  range: SourceRange;
  /** The resolved Python value, when it could be resolved. */
  value?: PyLike;
}

export interface CallInfo {
  /** Torch class name, e.g. "StepLR" or "SGD". */
  type: string;
  variable: string | null;
  /** The whole call expression, and the parenthesised argument list (for adding keywords). */
  range: SourceRange;
  argumentsRange: SourceRange;
  arguments: ArgumentInfo[];
}

/** Where a plateau schedule's metric series comes from. */
export interface MetricInfo {
  source: 'synthetic' | 'code';
  /** The expression passed to `step()`, when there is one. */
  expression: string | null;
  description: string;
}

export interface SchedulerFinding {
  /** 1-based line of the constructor call. */
  line: number;
  type: string;
  variable: string | null;
  unit: 'epoch' | 'step';
  /** The case the engine runs (as in `simulate`). */
  case: ScheduleCase;
  /** Names that could not be resolved; when non-empty, `trace` is null. */
  unresolved: string[];
  trace: TraceRow[] | null;
  error: CaseError | null;
  call: CallInfo;
  optimizer: CallInfo | null;
  /** Rounds simulated, and batches per epoch when the unit is step and it is known. */
  epochs: number;
  stepsPerEpoch: number | null;
  /**
   * Index of this constructor's top-level scheduler among the case's schedulers (`case.schedulers`, or 0 for
   * `case.scheduler`): which `trace[k].last_lr[i]` is its `get_last_lr()`. A composite's child gets its parent's.
   */
  schedulerIndex?: number;
  /** Values LR Lens assumed because the code does not show them, e.g. "steps per epoch = 100 (default; len(train_loader) is unknown)". */
  assumptions?: string[];
  /** Plateau schedules: where the metric series in `case.metrics` comes from. */
  metric?: MetricInfo | null;
  /** A SequentialLR/ChainedScheduler child: the composite it belongs to (its case is the composite's). */
  partOf?: { line: number; type: string; variable: string | null } | null;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface DiagnosticFinding {
  /** 1-based. */
  line: number;
  range: SourceRange;
  /** Stable code, e.g. "get-lr-call", "step-order", "onecycle-overrun". */
  code: string;
  severity: Severity;
  message: string;
  fixes: { title: string; edits: TextEdit[] }[];
}

export interface AnalysisResult {
  schedulers: SchedulerFinding[];
  diagnostics: DiagnosticFinding[];
}

/** The epochs and batches per epoch assumed when neither the code nor the options say. */
export const DEFAULT_EPOCHS = 100;
export const DEFAULT_STEPS_PER_EPOCH = 100;

export interface AnalysisOptions {
  /** Used when the code does not say how many epochs it runs. */
  epochs?: number;
  /** Used when the scheduler steps per batch and the code does not say how many batches an epoch has. */
  stepsPerEpoch?: number;
  /** Torch version for version-dependent diagnostics, e.g. "2.13". */
  torchVersion?: string;
  /**
   * Values the user set for names the code does not resolve, keyed exactly as those names appear in
   * `SchedulerFinding.unresolved` (e.g. `config["lr"]`, `args.lr (no default)`, `len(train_loader)`).
   */
  overrides?: { [name: string]: PyLike };
  /**
   * Reads a file by its `/`-separated path relative to the analysed file's folder (mmengine's `_base_`
   * configs); null when it cannot. Without it, `_base_` files are not followed.
   */
  readRelative?: (path: string) => string | null;
}
