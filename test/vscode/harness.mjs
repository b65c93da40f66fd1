// Runs an extension's integration tests in code-server (a real VS Code: Code-OSS 1.100.3) driven by
// headless Chromium, the way VS Code's own browser integration tests do: the workbench URL carries
// extensionDevelopmentPath/extensionTestsPath, the extension host runs the tests, and the workbench
// reports the runner's result through window.codeAutomationExit.
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureCodeServer, freePort, installExtension, makeStateDir, startCodeServer } from './codeServer.mjs';
import { rmSync } from 'node:fs';

const CHROMIUM = process.env.LR_LENS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Marks the test reporter's lines (see test/vscode/mochaRunner.ts) among the workbench's own logging. */
const REPORTER_MARKER = '[lr-lens-test] ';

/** Logged lines arrive as console.log("%c LEVEL", "color: …", fmt, ...args); returns level and text. */
async function readConsoleMessage(message) {
  const values = await Promise.all(message.args().map((handle) => handle.jsonValue().catch(() => '<unserializable>')));
  if (typeof values[0] === 'string' && values[0].startsWith('%c')) {
    return { level: values[0].slice(2).trim(), text: format(...values.slice(2)) };
  }
  return { level: message.type(), text: values.length ? format(...values) : message.text() };
}

/**
 * Resolves to the test run's exit code (124 on timeout). `vsixFiles` are installed into the fresh
 * extensions folder first; `env` reaches the extension host.
 */
export async function runTestsInCodeServer({ extensionDevelopmentPath, extensionTestsPath, workspace, vsixFiles = [], env = {}, timeoutSeconds = 300, verbose = false }) {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const packageDir = ensureCodeServer();
  const state = makeStateDir();
  for (const vsix of vsixFiles) installExtension(packageDir, state, vsix);

  const port = await freePort();
  const server = startCodeServer({
    packageDir,
    state,
    port,
    env,
    onOutput: (line) => verbose && console.error(`[code-server] ${line}`),
  });
  let browser;
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => {
      console.error(`[vscode-test] timed out after ${timeoutSeconds} s`);
      resolve(124);
    }, timeoutSeconds * 1000);
  });

  const runInBrowser = async () => {
    await server.ready;
    console.log(`[vscode-test] code-server listening on 127.0.0.1:${port} after ${elapsed()}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    let reportExit;
    const exitCode = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    // The workbench's own log; the extension host's output (mocha's reporter) arrives on the console.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (verbose) console.error(`[workbench log ${type}] ${format(...(Array.isArray(args) ? args : [args]))}`);
    });
    // Reading a message's arguments is asynchronous: print in arrival order through one chain.
    let printing = Promise.resolve();
    page.on('console', (message) => {
      printing = printing.then(async () => {
        const { level, text } = await readConsoleMessage(message);
        if (text.startsWith(REPORTER_MARKER)) console.log(text.slice(REPORTER_MARKER.length));
        else if (verbose || level === 'ERR') console.error(`[workbench ${level}] ${text}`);
      });
    });
    page.on('pageerror', (error) => console.error(`[workbench pageerror] ${error.message}`));

    const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(remote(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await exitCode;
    // Let the reporter's last console events arrive and print before the summary.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await printing;
    return code;
  };

  let code;
  try {
    code = await Promise.race([runInBrowser(), timedOut]);
    console.log(`[vscode-test] tests finished with exit code ${code} after ${elapsed()}`);
  } catch (error) {
    console.error(`[vscode-test] ${error.stack ?? error}`);
    code = 1;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server.stop();
    rmSync(state.root, { recursive: true, force: true, maxRetries: 3 });
  }
  return code;
}
