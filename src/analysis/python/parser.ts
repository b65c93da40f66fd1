// Loads tree-sitter (WebAssembly) with the Python grammar, once per process.
//
// The two .wasm files come from `wasmDir` when given (the bundled extension/CLI pass their dist/ folder,
// where scripts/build.mjs copies them); otherwise they are resolved from node_modules (running from source).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
// A require (not an ESM import), so that bundlers pick web-tree-sitter's CommonJS build: its ESM build
// reads `import.meta.url`, which does not exist in the CommonJS bundles of the extension and CLI.
import TreeSitter = require('web-tree-sitter');

type Language = TreeSitter.Language;
type Parser = TreeSitter.Parser;

export interface PythonParser {
  parser: Parser;
  language: Language;
}

const RUNTIME_WASM = 'tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

let loading: Promise<PythonParser> | null = null;
let loaded: PythonParser | null = null;

/** The wasm folder: the given one, the folder of this (bundled) script when it holds both files, or node_modules. */
export function resolveWasmPaths(wasmDir?: string): { runtime: string; python: string } {
  if (wasmDir) return { runtime: join(wasmDir, RUNTIME_WASM), python: join(wasmDir, PYTHON_WASM) };
  if (existsSync(join(__dirname, RUNTIME_WASM)) && existsSync(join(__dirname, PYTHON_WASM))) {
    return { runtime: join(__dirname, RUNTIME_WASM), python: join(__dirname, PYTHON_WASM) };
  }
  return {
    runtime: join(dirname(require.resolve('web-tree-sitter')), RUNTIME_WASM),
    python: join(dirname(require.resolve('tree-sitter-python/package.json')), PYTHON_WASM),
  };
}

/** Initialises the runtime and the grammar; later calls return the same parser. */
export function loadPythonParser(wasmDir?: string): Promise<PythonParser> {
  if (!loading) {
    const paths = resolveWasmPaths(wasmDir);
    loading = (async () => {
      await TreeSitter.Parser.init({ locateFile: () => paths.runtime });
      const language = await TreeSitter.Language.load(paths.python);
      const parser = new TreeSitter.Parser();
      parser.setLanguage(language);
      loaded = { parser, language };
      return loaded;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The parser once `loadPythonParser` has finished; throws before that. */
export function loadedPythonParser(): PythonParser {
  if (!loaded) throw new Error('The Python parser is not loaded yet: await initPythonAnalysis() first.');
  return loaded;
}
