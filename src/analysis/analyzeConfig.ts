// Analysis of training configs: LightningCLI and Hydra YAML, Hugging Face TrainingArguments (JSON/YAML),
// Keras schedule JSON, mmengine Python configs. Same result shape as the Python analysis: one finding per
// scheduler with the case the engine runs, its trace, and the ranges of the config values (for lenses,
// hovers and Apply). Pure: no `vscode` import.
import type { CaseResult, ScheduleCase } from '../engine/case';
import { simulateCase } from '../engine/simulate';
import { withBases } from './config/mmengineBase';
import { readConfigSchedules } from './config/readers';
import type { ConfigSchedulerFinding, FoundSchedule } from './config/schedule';
import type { ConfigDocument } from './config/tree';
import { parseJsonConfig } from './config/jsonTree';
import { parsePythonConfig } from './config/pythonTree';
import { parseTomlConfig } from './config/tomlTree';
import { parseYamlConfig } from './config/yamlTree';
import { plateauMode, syntheticPlateauMetrics } from './plateauMetric';
import { loadPythonParser } from './python/parser';
import type { AnalysisOptions, AnalysisResult, DiagnosticFinding } from './types';

export type { ConfigSchedulerFinding, ConfigSource } from './config/schedule';

export interface ConfigAnalysisResult extends AnalysisResult {
  schedulers: ConfigSchedulerFinding[];
}

const EXTENSIONS: Record<string, ConfigDocument['format']> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.jsonc': 'json',
  '.toml': 'toml',
  '.py': 'python',
};

function extensionOf(fileName: string): string {
  const match = /\.[^./\\]+$/.exec(fileName);
  return match ? match[0].toLowerCase() : '';
}

/** A Python file is a config (not a training script) when it assigns mmengine's `param_scheduler` at module level. */
export function isMmengineConfig(text: string): boolean {
  return /^(?:param_scheduler|_base_)\s*=/m.test(text);
}

/** Whether analyzeConfig handles this file (for .py, only mmengine configs). */
export function isConfigFile(fileName: string, text?: string): boolean {
  const format = EXTENSIONS[extensionOf(fileName)];
  if (!format) return false;
  return format !== 'python' || (text !== undefined && isMmengineConfig(text));
}

/** mmengine's Python configs need the tree-sitter parser (the same one the Python analysis loads). */
export async function initConfigAnalysis(wasmDir?: string): Promise<void> {
  await loadPythonParser(wasmDir);
}

export function parseConfig(fileName: string, text: string): ConfigDocument | null {
  switch (EXTENSIONS[extensionOf(fileName)]) {
    case 'yaml':
      return parseYamlConfig(fileName, text);
    case 'json':
      return parseJsonConfig(fileName, text);
    case 'toml':
      return parseTomlConfig(fileName, text);
    case 'python':
      return isMmengineConfig(text) ? parsePythonConfig(fileName, text) : null;
    default:
      return null;
  }
}

/** Plateau schedules need a metric per round: the synthetic one the Python analysis uses when the code does not show it. */
function withPlateauMetrics(found: FoundSchedule): FoundSchedule {
  const mode = plateauMode(found.case.scheduler);
  if (!mode) return found;
  const { metrics, info } = syntheticPlateauMetrics(found.case.steps, mode, null);
  const scheduleCase: ScheduleCase = { ...found.case, metrics };
  return { ...found, case: scheduleCase, metric: info };
}

/** The trace is computed when first read (a lens being resolved, a hover, the CLI), then kept, as for Python files. */
function simulate({ trainerError, ...found }: FoundSchedule): ConfigSchedulerFinding {
  if (trainerError) return { ...found, trace: [], error: trainerError.error, errorRaisedBy: trainerError.raisedBy };
  const finding = { ...found, trace: null, error: null } as ConfigSchedulerFinding;
  if (found.unresolved.length > 0) return finding;
  let result: CaseResult | null = null;
  const run = () => (result ??= simulateCase(found.case));
  Object.defineProperty(finding, 'trace', { enumerable: true, get: () => run().trace });
  Object.defineProperty(finding, 'error', { enumerable: true, get: () => run().error });
  return finding;
}

/**
 * Finds the schedules a config file defines and predicts them. For mmengine `.py` configs call
 * `initConfigAnalysis` first. Never throws on malformed configs: syntax errors become diagnostics.
 */
export function analyzeConfig(fileName: string, text: string, options: AnalysisOptions = {}): ConfigAnalysisResult {
  const doc = parseConfig(fileName, text);
  if (!doc) return { schedulers: [], diagnostics: [] };
  const diagnostics: DiagnosticFinding[] = doc.errors.map((error) => ({
    line: error.range.startLine + 1,
    range: error.range,
    code: 'config-syntax',
    severity: 'error',
    message: error.message,
    fixes: [],
  }));
  const found = readConfigSchedules(doc.format === 'python' && !doc.errors.length ? withBases(doc, options.readRelative) : doc, options);
  const schedulers = found.map(withPlateauMetrics).map(simulate).sort((a, b) => a.line - b.line);
  return { schedulers, diagnostics };
}
