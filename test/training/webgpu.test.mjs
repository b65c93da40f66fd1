// WebGPU kernels in real headless Chromium (SwiftShader adapter) against the CPU backend.
// Run: npm run test:webgpu   (node --test test/training/webgpu.test.mjs)
// Fails, never skips, when Chromium gives no WebGPU adapter.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** float32 with different summation orders (and a 1.5e-7 erf for GELU). */
const TOLERANCE = 1e-4;

let server;
let browser;
let origin;

before(async () => {
  const bundle = await build({
    entryPoints: [join(root, 'test/training/webgpu-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].text;
  const page = '<!doctype html><meta charset="utf-8"><title>webgpu checks</title><script src="/checks.js"></script>';
  server = createServer((request, response) => {
    if (request.url === '/checks.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--enable-unsafe-webgpu'] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('WebGPU kernels and training batches match the CPU backend (float32)', { timeout: 300_000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(origin);
  const result = await page.evaluate(() => globalThis.runChecks());
  assert.deepEqual(errors, []);
  console.log(`adapter: ${result.adapter}`);
  assert.ok(result.checks.length >= 40);
  for (const check of result.checks) {
    console.log(`${check.error <= TOLERANCE ? 'ok  ' : 'FAIL'} ${check.name}: ${check.error.toExponential(2)}`);
  }
  for (const check of result.checks) assert.ok(check.error <= TOLERANCE, `${check.name}: error ${check.error}`);
});
