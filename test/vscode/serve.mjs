#!/usr/bin/env node
// Serves a real VS Code (code-server 4.100.3) with a packaged LR Lens installed and a folder open, for
// people to use (scripts/start-examples.sh). Runs until interrupted.
//
//   node test/vscode/serve.mjs --vsix FILE --folder DIR [--host 127.0.0.1] [--port 8080] [--verbose]
//                              [--check FILE]
//
// --check FILE opens the workbench in headless Chromium, clicks FILE (top level of the folder) in the
// Explorer, scrolls to the first `scheduler = `, prints the code lenses the editor draws there, and
// exits (0 when there is at least one).
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { ensureCodeServer, freePort, installExtension, makeStateDir, startCodeServer } from './codeServer.mjs';

function parseArgs(argv) {
  const options = { vsix: null, folder: null, check: null, host: process.env.LR_LENS_HOST ?? '127.0.0.1', port: process.env.LR_LENS_PORT ?? null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--vsix') options.vsix = resolve(value());
    else if (arg === '--folder') options.folder = resolve(value());
    else if (arg === '--host') options.host = value();
    else if (arg === '--port') options.port = value();
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--check') options.check = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!options.vsix || !options.folder) throw new Error('usage: serve.mjs --vsix FILE --folder DIR [--host H] [--port P]');
  return options;
}

function portIsFree(host, port) {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, host, () => probe.close(() => resolvePort(true)));
  });
}

const options = parseArgs(process.argv.slice(2));
const packageDir = ensureCodeServer();
// A kept state folder, so settings and opened editors survive restarts; a check runs in a fresh one.
const cache = process.env.LR_LENS_CACHE ?? join(process.env.HOME ?? '/tmp', '.cache', 'lr-lens');
const state = options.check ? makeStateDir() : makeStateDir(join(cache, 'examples-vscode'));
installExtension(packageDir, state, options.vsix);

let port = options.port !== null ? Number(options.port) : 8080;
if (options.port === null && !(await portIsFree(options.host, port))) port = await freePort();
const server = startCodeServer({
  packageDir,
  state,
  port,
  host: options.host,
  folder: options.folder,
  onOutput: (line) => options.verbose && console.error(`[code-server] ${line}`),
});
let stopping = false;
const stop = async (code) => {
  stopping = true;
  await server.stop();
  if (options.check) rmSync(state.root, { recursive: true, force: true, maxRetries: 3 });
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(0));
server.child.on('exit', (code) => {
  if (stopping) return;
  // code-server hands the folder to an instance already running on the same state folder, and exits.
  console.error(`code-server exited (code ${code}); is another start-examples.sh already running?`);
  process.exit(code || 1);
});
await server.ready;
const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
const address = `http://${shownHost}:${port}/?folder=${encodeURIComponent(options.folder)}`;
console.log(`\nLR Lens is running in VS Code (code-server 4.100.3) with ${options.folder} open.`);
console.log(`Open: ${address}`);
if (options.check) {
  const lenses = await lensesInBrowser(address, options.check).catch((error) => {
    console.error(`check failed: ${error.message}`);
    return [];
  });
  for (const lens of lenses) console.log(`lens: ${lens}`);
  await stop(lenses.length > 0 ? 0 : 1);
}
console.log('Press Ctrl+C to stop.');

/** Opens `file` (top level of the folder) from the Explorer like a person would, and reads the lenses drawn. */
async function lensesInBrowser(url, file) {
  const browser = await chromium.launch({
    executablePath: process.env.LR_LENS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.monaco-workbench .explorer-folders-view').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().click({ timeout: 30_000 });
    // Lenses are drawn for visible lines only: find the first scheduler constructor with the editor's Find.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+F');
    await page.keyboard.type('scheduler = ');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const lens = page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /\S/ });
    await lens.first().waitFor({ timeout: 60_000 });
    return await lens.allInnerTexts();
  } finally {
    await browser.close();
  }
}
