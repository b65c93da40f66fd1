// Bundles the integration suites that run inside the VS Code extension host (out/vscode-test/<suite>/).
// `vscode` comes from the host and mocha from the repo's node_modules, so both stay external.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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

// Drop bundles of suites' files that no longer exist (not the whole folder: a run may be using it).
const outDir = join(root, 'out', 'vscode-test');
const outputs = new Set(entryPoints.map((entry) => entry.replace(/^test[/\\]vscode[/\\]/, '').replace(/\.ts$/, '.js')));
for (const suite of suites) {
  const dir = join(outDir, suite);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) if (!outputs.has(join(suite, name))) rmSync(join(dir, name), { force: true });
}

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
