#!/usr/bin/env node
// The standard @vscode/test-electron entry point for the same integration suite.
//  - With LR_LENS_VSCODE_EXECUTABLE=/path/to/code (a desktop VS Code), runTests drives it directly.
//  - With --download, runTests downloads desktop VS Code 1.100.3 (needs access to update.code.visualstudio.com).
//  - Otherwise runTests drives code-server-shim.mjs, which translates the desktop flags into a
//    code-server + headless Chromium run (what these machines can run; see harness.mjs).
//
//   node test/vscode/runTests.mjs [--no-build] [--download]
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { copyFixtureWorkspace } from './workspace.mjs';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  for (const script of ['scripts/build.mjs', 'test/vscode/build.mjs']) {
    const result = spawnSync(process.execPath, [join(repoRoot, script)], { cwd: repoRoot, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const shim = join(repoRoot, 'test', 'vscode', 'code-server-shim.mjs');
chmodSync(shim, 0o755); // runTests spawns it as an executable
const download = args.includes('--download');
const vscodeExecutablePath = process.env.LR_LENS_VSCODE_EXECUTABLE || (download ? undefined : shim);

const workspace = copyFixtureWorkspace(join(repoRoot, 'test', 'fixtures', 'workspace'));
let code = 0;
try {
  await runTests({
    version: '1.100.3', // the oldest VS Code engines.vscode accepts, the one code-server 4.100.3 contains
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'vscode-test', 'suite', 'index.js'),
    launchArgs: [workspace.path, '--disable-extensions'],
  });
} catch (error) {
  console.error(`[runTests] ${error.message ?? error}`);
  code = 1;
} finally {
  workspace.dispose();
}
process.exit(code);
