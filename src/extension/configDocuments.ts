// Which documents LR Lens analyses, and with what: Python training scripts go through the incremental
// Python analysis; training configs (YAML, JSON/JSONC, TOML, and mmengine's Python configs) through
// analyzeConfig. A .py file is re-checked on every analysis, as typing can make it a config or stop it being one.
import * as vscode from 'vscode';
import { relativeFileReader } from '../analysis/analyzeCommand';
import { analyzeConfig, isConfigFile } from '../analysis/analyzeConfig';
import type { DocumentAnalyzer } from './analysisStore';

/** Config languages VS Code may assign, and the file extension analyzeConfig reads them by. */
const CONFIG_LANGUAGE_EXTENSIONS: Record<string, string> = { yaml: '.yaml', json: '.json', jsonc: '.jsonc', toml: '.toml' };

export const ANALYZED_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'python' },
  ...Object.keys(CONFIG_LANGUAGE_EXTENSIONS).map((language) => ({ language })),
  // VS Code has no TOML language of its own: without an extension for it, .toml files are plain text.
  { pattern: '**/*.toml' },
];

const isPython = (document: vscode.TextDocument) => document.languageId === 'python';

/** Training configs are small; a JSON or YAML this large is data (a lockfile, a dataset), not read on every edit. */
const MAX_CONFIG_LENGTH = 1_000_000;

/** The file name analyzeConfig should read a non-Python document as (an untitled YAML gets `.yaml`), or null. */
function configFileName(document: vscode.TextDocument): string | null {
  if (isPython(document)) return null;
  if (isConfigFile(document.fileName)) return document.fileName;
  const extension = CONFIG_LANGUAGE_EXTENSIONS[document.languageId];
  return extension ? `${document.fileName}${extension}` : null;
}

/** A .py name for a Python document (untitled ones have none), so analyzeConfig can tell an mmengine config. */
function pythonFileName(document: vscode.TextDocument): string {
  return /\.py$/i.test(document.fileName) ? document.fileName : `${document.fileName}.py`;
}

export function isAnalyzedDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme === 'output') return false;
  return isPython(document) || configFileName(document) !== null;
}

/** The name to give analyzeConfig when the document, as it reads now, is a training config; null for a training script. */
export function configAnalysisName(document: vscode.TextDocument, text = document.getText()): string | null {
  if (isPython(document)) {
    const name = pythonFileName(document);
    return isConfigFile(name, text) ? name : null;
  }
  return configFileName(document);
}

/**
 * The analyzer for one document: configs are small and re-read whole; a Python script keeps its
 * incremental analyzer, which parses afresh after a stretch as an mmengine config (it missed those edits).
 */
export function documentAnalyzer(document: vscode.TextDocument, createPythonAnalyzer: () => DocumentAnalyzer): DocumentAnalyzer {
  let python: DocumentAnalyzer | null = null;
  let pythonMissedEdits = false;
  return {
    analyze(text, changes, options) {
      const configName = configAnalysisName(document, text);
      if (configName !== null) {
        pythonMissedEdits = true;
        if (text.length > MAX_CONFIG_LENGTH && !isPython(document)) return { schedulers: [], diagnostics: [] };
        // mmengine's `_base_` files are read next to a saved file (an untitled one has no folder).
        const readRelative = document.uri.scheme === 'file' ? relativeFileReader(document.uri.fsPath) : undefined;
        return analyzeConfig(configName, text, readRelative ? { ...options, readRelative } : options);
      }
      python ??= createPythonAnalyzer();
      const result = python.analyze(text, pythonMissedEdits ? null : changes, options);
      pythonMissedEdits = false;
      return result;
    },
    dispose() {
      python?.dispose?.();
    },
  };
}
