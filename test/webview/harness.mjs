#!/usr/bin/env node
// By hand: serves the panel with a sample schedule and prints the address to open in a browser.
//   node test/webview/harness.mjs [step|plateau|onecycle|sequential|batches] [--port N]
// Add ?theme=dark or ?theme=hc to the address for the other themes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { repoRoot, startHarness } from './server.mjs';

const args = process.argv.slice(2);
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 5178;
const fixture = args.find((arg, index) => !arg.startsWith('--') && index !== portIndex + 1) ?? 'sequential';
const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-webview.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const { loadMessageFor } = await tsImport('./fixtures.ts', import.meta.url);
const harness = await startHarness({ port, demo: await loadMessageFor(fixture) });
console.log(`LR Lens panel harness (${fixture}): ${harness.url}   (?theme=dark | ?theme=hc; Ctrl+C to stop)`);
