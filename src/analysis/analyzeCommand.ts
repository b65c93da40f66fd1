// `lr-lens analyze FILE [--epochs N] [--steps-per-epoch M]`: the JSON contract other tools depend on.
import { readFile } from 'node:fs/promises';
import { traceNumber } from '../engine/simulate';
import { Float } from '../engine/python/values';
import { analyzePython, initPythonAnalysis } from './analyzePython';
import type { AnalysisOptions } from './types';

export interface AnalyzeArguments {
  epochs?: number;
  stepsPerEpoch?: number;
  torchVersion?: string;
}

export async function runAnalyzeCommand(file: string, argv: AnalyzeArguments = {}, wasmDir?: string): Promise<object> {
  const source = await readFile(file, 'utf8');
  await initPythonAnalysis(wasmDir);
  const options: AnalysisOptions = {};
  if (argv.epochs !== undefined) options.epochs = argv.epochs;
  if (argv.stepsPerEpoch !== undefined) options.stepsPerEpoch = argv.stepsPerEpoch;
  if (argv.torchVersion !== undefined) options.torchVersion = argv.torchVersion;
  const result = analyzePython(source, options);
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
 * JSON text for the analyze output. Like JSON.stringify, except that integral Python floats (`Float`)
 * keep their decimal point (`2.0`), so a case read back by Python's json or the engine stays a float.
 */
export function formatAnalyzeJson(value: unknown, indent = 2): string {
  return write(value, '', ' '.repeat(indent));
}

function write(value: unknown, currentIndent: string, step: string): string {
  if (value instanceof Float) {
    if (!Number.isFinite(value.value)) return JSON.stringify(traceNumber(value.value));
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
