#!/usr/bin/env node
// Stands in for a desktop VS Code executable for @vscode/test-electron's runTests: it takes the
// desktop flags runTests passes (--extensionDevelopmentPath=… --extensionTestsPath=… WORKSPACE) and runs
// the same tests in code-server + headless Chromium instead. Other desktop flags (--no-sandbox,
// --user-data-dir, --disable-extensions, …) do not apply to a fresh code-server and are ignored.
import { runTestsInCodeServer } from './harness.mjs';

function parseDesktopArgs(argv) {
  const parsed = { extensionDevelopmentPath: null, extensionTestsPath: null, workspace: null };
  const valueFlags = new Set(['--user-data-dir', '--extensions-dir', '--locale', '--log']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    const value = () => inline ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') parsed.extensionDevelopmentPath ??= value();
    else if (flag === '--extensionTestsPath') parsed.extensionTestsPath = value();
    else if (valueFlags.has(flag)) value();
    else if (!arg.startsWith('-')) parsed.workspace = arg;
  }
  for (const key of ['extensionDevelopmentPath', 'extensionTestsPath', 'workspace']) {
    if (!parsed[key]) throw new Error(`code-server shim: missing ${key} in: ${argv.join(' ')}`);
  }
  return parsed;
}

const parsed = parseDesktopArgs(process.argv.slice(2));
const code = await runTestsInCodeServer({
  ...parsed,
  timeoutSeconds: Number(process.env.LR_LENS_TEST_TIMEOUT ?? 300),
  verbose: Boolean(process.env.LR_LENS_TEST_VERBOSE),
});
process.exit(code);
