// Bundles the integration suites that run inside the VS Code extension host (out/vscode-test/<suite>/).
// `vscode` comes from the host and mocha from the repo's node_modules, so both stay external.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const suites = ['suite', 'vsix'];

const entryPoints = suites.flatMap((suite) =>
  readdirSync(join(here, suite))
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => join('test', 'vscode', suite, name)),
);

rmSync(join(root, 'out', 'vscode-test'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outbase: join('test', 'vscode'),
  outdir: join('out', 'vscode-test'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
