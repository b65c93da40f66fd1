// Bundles the extension host, the CLI, and the webview with esbuild.
import { build, context } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webviewTargets } from './build-webview.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// 'module' first: jsonc-parser's UMD main cannot be bundled, its ESM build can.
const common = { bundle: true, mainFields: ['module', 'main'], sourcemap: !production, minify: production, logLevel: 'info', absWorkingDir: root };
const targets = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  // Quick training runs off the extension host's thread, in a worker.
  { ...common, entryPoints: ['src/training/worker.ts'], outfile: 'dist/trainingWorker.js', platform: 'node', format: 'cjs', target: 'node20' },
  ...webviewTargets({ production }),
];

mkdirSync(join(root, 'dist'), { recursive: true });
// The Python parser: tree-sitter's runtime and its Python grammar, loaded from dist/ at run time.
for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  cpSync(join(root, 'node_modules', wasm), join(root, 'dist', wasm.split('/')[1]));
}
if (watch) {
  for (const options of targets) await (await context(options)).watch();
} else {
  await Promise.all(targets.map((options) => build(options)));
}
