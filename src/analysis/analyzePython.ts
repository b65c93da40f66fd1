// Analysis of Python training scripts: optimizers, schedulers, their arguments, the training loop's
// rounds and unit, the engine's prediction, and diagnostics. Pure: no `vscode` import.
import { analyzeModel } from './python/analyzer';
import { parseOrThrow } from './python/document';
import { FileModel } from './python/model';
import { loadedPythonParser, loadPythonParser } from './python/parser';
import type { AnalysisOptions, AnalysisResult } from './types';

export { PythonDocumentAnalysis, type TextChange } from './python/document';
export { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH } from './python/analyzer';
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
  const tree = parseOrThrow(loadedPythonParser(), source, null);
  try {
    return analyzeModel(new FileModel(tree, source), options);
  } finally {
    tree.delete();
  }
}
