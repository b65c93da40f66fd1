// `lr-lens analyze FILE [--epochs N] [--steps-per-epoch M]`: the JSON contract other tools depend on.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { stringifyPython } from './python/pyJson';
import { analyzeConfig, initConfigAnalysis, isConfigFile } from './analyzeConfig';
import { analyzePython, initPythonAnalysis } from './analyzePython';
import type { AnalysisOptions } from './types';

export interface AnalyzeArguments {
  epochs?: number;
  stepsPerEpoch?: number;
  torchVersion?: string;
}

export async function runAnalyzeCommand(file: string, argv: AnalyzeArguments = {}, wasmDir?: string): Promise<object> {
  const source = await readFile(file, 'utf8');
  const options: AnalysisOptions = {};
  if (argv.epochs !== undefined) options.epochs = argv.epochs;
  if (argv.stepsPerEpoch !== undefined) options.stepsPerEpoch = argv.stepsPerEpoch;
  if (argv.torchVersion !== undefined) options.torchVersion = argv.torchVersion;
  options.readRelative = relativeFileReader(file);
  // Training configs (YAML/JSON/TOML, mmengine .py) and Python training scripts give the same shape.
  const config = isConfigFile(file, source);
  await (config ? initConfigAnalysis(wasmDir) : initPythonAnalysis(wasmDir));
  const result = config ? analyzeConfig(file, source, options) : analyzePython(source, options);
  return {
    file,
    schedulers: result.schedulers.map((finding) => ({
      line: finding.line,
      type: finding.type,
      variable: finding.variable,
      unit: finding.unit,
      case: finding.case,
      unresolved: finding.unresolved,
      trace: finding.trace,
      error: finding.error,
      ...(finding.assumptions?.length ? { assumptions: finding.assumptions } : {}),
      ...(finding.metric ? { metric: finding.metric } : {}),
      ...('source' in finding ? { source: finding.source } : {}),
      ...('framework' in finding ? { framework: finding.framework } : {}),
    })),
    diagnostics: result.diagnostics.map((diagnostic) => ({
      line: diagnostic.line,
      code: diagnostic.code,
      severity: diagnostic.severity,
      message: diagnostic.message,
    })),
  };
}

/**
 * JSON text for the analyze output. Like JSON.stringify, except that integral Python floats in cases
 * keep their decimal point (`2.0`), so a case read back by Python's json or the engine stays a float.
 */
export function formatAnalyzeJson(value: unknown, indent = 2): string {
  return stringifyPython(value, indent);
}

/** Reads files relative to `file`'s folder (mmengine `_base_` configs); null for a file that cannot be read. */
export function relativeFileReader(file: string): (path: string) => string | null {
  const folder = dirname(resolve(file));
  return (path) => {
    try {
      return readFileSync(resolve(folder, path), 'utf8');
    } catch {
      return null;
    }
  };
}
