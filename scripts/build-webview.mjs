// Bundles the schedule panel (webview/) into media/panel.js and media/panel.css. The engine is bundled
// in, so every control change re-simulates inside the webview.
//
//   node scripts/build-webview.mjs [--watch] [--production]
// or, from another build script: `import { buildWebview } from './build-webview.mjs'`.
import { build, context } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function webviewTargets({ production = false } = {}) {
  const common = { absWorkingDir: root, bundle: true, minify: production, sourcemap: production ? false : 'linked', logLevel: 'info' };
  return [
    { ...common, entryPoints: ['webview/main.ts'], outfile: 'media/panel.js', platform: 'browser', format: 'iife', target: 'chrome120' },
    { ...common, entryPoints: ['webview/panel.css'], outfile: 'media/panel.css', sourcemap: false },
  ];
}

export async function buildWebview({ watch = false, production = false } = {}) {
  const targets = webviewTargets({ production });
  if (watch) {
    for (const options of targets) await (await context(options)).watch();
  } else {
    await Promise.all(targets.map((options) => build(options)));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildWebview({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') });
}
