// Analysis of Python training scripts: optimizers, schedulers, their arguments, the training loop's
// rounds and unit, the engine's prediction, and diagnostics. Pure: no `vscode` import.
//
// How it decides (see src/analysis/python/*):
// - Calls are torch's when their callee resolves through the file's imports (every import style, aliases,
//   `from torch.optim.lr_scheduler import *`) to torch.optim.X, torch.optim.lr_scheduler.X or
//   torch.optim.swa_utils.SWALR. A same-named class from elsewhere is ignored.
// - Values are resolved, never guessed: literals (`2.0` stays a float), arithmetic with Python semantics,
//   names (the last assignment before the use), parameter defaults and call-site arguments, argparse
//   defaults (`--warmup-epochs` → args.warmup_epochs; `type=` converts string defaults only, as argparse
//   does), dicts/`.get`, SimpleNamespace-style wrappers, dataclasses and classes, `self.x` from __init__.
//   What cannot be resolved is listed in `unresolved` (e.g. "len(train_loader)", "args.lr (no default)")
//   and the trace is then null. Unresolvable optimizer arguments that cannot change a learning rate
//   (weight_decay, eps, …) are left out of the case instead.
// - `lr_lambda`/`scale_fn` are passed as source text (a lambda, or a def's dedented block), with the free
//   names they read replaced by their resolved values.
// - Schedulers built on one optimizer run together in one case (`schedulers: [...]`, each finding's
//   `schedulerIndex` says which `last_lr` is its own); alternatives in exclusive if/else branches and
//   re-assignments of one variable do not. SequentialLR/ChainedScheduler children are part of their
//   parent's spec and share its case (`partOf`). Schedulers on one optimizer stepped in different loops
//   (training phases) are unresolved ("training phases: …"): a case cannot build the second one later.
// - A step() under a condition inside its loop (`if`/`elif`/`else`, `x if c else y`, `c and s.step()`)
//   follows `case.plan`, the condition evaluated per round from the loop variables and the file's values
//   (gradient accumulation, manual warm-up switches, Lightning's `"frequency"`); a condition it cannot
//   evaluate, or an `if` around the inner loop, is unresolved ("scheduler.step() runs only if …").
// - Rounds: the loops around the first `scheduler.step()`, followed into the functions that call it.
//   step() in a batch loop inside the epoch loop → unit "step", rounds = epochs × steps per epoch.
//   Epochs: the epoch loop's range() when resolvable, else options.epochs, else 100. Steps per epoch: the
//   batch loop's range()/list length, else OneCycleLR's own steps_per_epoch, else options.stepsPerEpoch,
//   else 100. The epoch loop is found by whole identifiers: the loop variable (`epoch`), or the names in
//   its bound (`range(args.epochs)`) unless one is a per-epoch count (`STEPS_PER_EPOCH`, `epoch_size`).
//   A `while x < N: …; x += k` counter loop counts its iterations.
//   A single loop that is not an epoch loop (`for step in range(10000)`, `while …`) is one step per
//   iteration (stepsPerEpoch null), never multiplied by epochs; only a pass over a loader of unknown length
//   counts as one epoch of batches. Defaults never block the prediction: they are listed in `assumptions`.
// - Values the user set for unresolved names (`options.overrides`, keyed as `unresolved` lists them) stand
//   for every expression with that text, and for `len(loader)` in a loop's length.
// - ReduceLROnPlateau: a literal step(0.5) metric is used as written; otherwise a synthetic series stands
//   in (falls 0.95 → 0.5 over 10 rounds then stays flat; rises in mode="max"), described in `metric`.
// - Traces are computed when first read (the `trace`/`error` getters) and cached by case, so analysis
//   after an edit stays cheap. Diagnostics run the engine without steps (construction errors), or in full
//   where a step can raise (OneCycleLR's step limit, user functions, ConstantLR(factor=0)).
// - Syntax errors: the broken statement is left out and the rest parsed again (python/recovery.ts); a
//   `syntax-error` warning on the first one says why a schedule there may be missing.
import { analyzeModel } from './python/analyzer';
import { parseOrThrow } from './python/document';
import { FileModel } from './python/model';
import { loadedPythonParser, loadPythonParser } from './python/parser';
import { parseWithoutBrokenStatements } from './python/recovery';
import type { AnalysisOptions, AnalysisResult } from './types';

export { PythonDocumentAnalysis, type TextChange } from './python/document';
export { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH } from './types';
export { DEFAULT_TORCH_VERSION } from './python/diagnostics';

/**
 * Loads tree-sitter and the Python grammar. `wasmDir` holds tree-sitter.wasm and tree-sitter-python.wasm
 * (the bundle's dist/ folder); without it they are found next to this script or in node_modules.
 */
export async function initPythonAnalysis(wasmDir?: string): Promise<void> {
  await loadPythonParser(wasmDir);
}

/** Analyses a whole file (call `initPythonAnalysis` first). Never throws on malformed Python. */
export function analyzePython(source: string, options: AnalysisOptions = {}): AnalysisResult {
  const python = loadedPythonParser();
  const tree = parseOrThrow(python, source, null);
  const recovery = parseWithoutBrokenStatements(python, source, tree);
  try {
    return analyzeModel(new FileModel(recovery.tree ?? tree, source), options, recovery.firstError);
  } finally {
    recovery.tree?.delete();
    tree.delete();
  }
}
