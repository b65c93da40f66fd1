#!/usr/bin/env node
// Runs the integration tests inside a real VS Code: code-server 4.100.3 (Code-OSS 1.100.3) in headless
// Chromium (see harness.mjs). Builds the extension (unless --no-build or --vsix) and the suites first.
//
//   node test/vscode/run.mjs [--no-build] [--suite suite|vsix] [--vsix FILE] [--workspace DIR]
//                            [--grep PATTERN] [--timeout SECONDS] [--verbose]
//
// --suite vsix --vsix FILE installs the packaged extension and runs test/vscode/vsix against it, with a
// contribution-less probe as the development extension (VS Code runs tests only for one).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { runTestsInCodeServer } from './harness.mjs';
import { copyFixtureWorkspace } from './workspace.mjs';

function parseArgs(argv) {
  const options = { build: true, suite: 'suite', workspace: null, vsix: null, grep: null, timeout: 300, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--no-build') options.build = false;
    else if (arg === '--suite') options.suite = value();
    else if (arg === '--workspace') options.workspace = value();
    else if (arg === '--vsix') options.vsix = resolve(value());
    else if (arg === '--grep') options.grep = value();
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--verbose') options.verbose = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.suite === 'vsix' && !options.vsix) throw new Error('--suite vsix needs --vsix FILE');
  return options;
}

function build(script) {
  const result = spawnSync(process.execPath, [join(repoRoot, script)], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed with status ${result.status}`);
}

const options = parseArgs(process.argv.slice(2));
// The extension is built unless told otherwise (a .vsix under test brings its own); the suites always.
if (options.build && !options.vsix) build('scripts/build.mjs');
build('test/vscode/build.mjs');
// Tests edit and save files: they run on a copy of the fixture workspace.
const workspace = copyFixtureWorkspace(options.workspace ?? join(repoRoot, 'test', 'fixtures', 'workspace'));
const code = await runTestsInCodeServer({
  extensionDevelopmentPath: options.vsix ? join(repoRoot, 'test', 'vscode', 'vsix-probe') : repoRoot,
  extensionTestsPath: join(repoRoot, 'out', 'vscode-test', options.suite, 'index.js'),
  workspace: workspace.path,
  vsixFiles: options.vsix ? [options.vsix] : [],
  env: { LR_LENS_TEST_GREP: options.grep ?? '' },
  timeoutSeconds: options.timeout,
  verbose: options.verbose,
});
workspace.dispose();
process.exit(code);
