// Serves the schedule panel on 127.0.0.1 as the extension serves it to VS Code: the same HTML (the
// host's own panelHtml, strict CSP with a nonce) and the real built bundle from media/, plus a
// stand-in for acquireVsCodeApi and VS Code's theme variables.
import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png' };

/** Starts the harness; `demo` (a host message) is sent to the page after it loads, for looking at it by hand. */
export async function startHarness({ port = 0, demo = null } = {}) {
  const { panelHtml, makeNonce } = await tsImport('../../src/extension/panel/html.ts', import.meta.url);
  if (!existsSync(join(repoRoot, 'media', 'panel.js'))) throw new Error('media/panel.js is missing: run `node scripts/build-webview.mjs` first');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = makeNonce((size) => randomBytes(size));
      let html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/panel.js`, styleUri: `${origin}/media/panel.css` });
      // The harness parts load first, under the same CSP (its own nonce), as VS Code's host script does.
      const extras =
        `<link rel="stylesheet" href="${origin}/harness/themes.css">\n` +
        `<script nonce="${nonce}" src="${origin}/harness/stub.js"></script>\n` +
        (demo ? `<script nonce="${nonce}" src="${origin}/harness/demo.js"></script>\n` : '');
      html = html.replace('<title>', `${extras}<title>`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (url.pathname === '/harness/demo.js' && demo) {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(`window.__demo = ${JSON.stringify(demo)};`);
      return;
    }
    const mapped = url.pathname.startsWith('/media/')
      ? join(repoRoot, 'media', url.pathname.slice('/media/'.length))
      : url.pathname.startsWith('/harness/')
        ? join(repoRoot, 'test', 'webview', 'harness', url.pathname.slice('/harness/'.length))
        : null;
    const safe = mapped && normalize(mapped).startsWith(repoRoot) && existsSync(mapped) ? mapped : null;
    if (!safe) {
      response.writeHead(404);
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(safe)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    response.end(readFileSync(safe));
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}
