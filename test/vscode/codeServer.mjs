// Starts code-server (a real VS Code: Code-OSS 1.100.3 behind a web workbench) in isolated temporary
// folders. Shared by the integration test runner and scripts/start-examples.sh.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Installs code-server when missing (idempotent, cached) and returns its package directory. */
export function ensureCodeServer() {
  const setup = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-vscode-host.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (setup.status !== 0) throw new Error(`scripts/setup-vscode-host.sh failed with status ${setup.status}`);
  const lines = setup.stdout.trim().split('\n');
  return lines[lines.length - 1];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A state folder (a fresh temporary one unless `root` is given): config, user data, extensions, XDG folders. */
export function makeStateDir(root = mkdtempSync(join(tmpdir(), 'lr-lens-vscode-'))) {
  const dirs = {
    root,
    config: join(root, 'config.yaml'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdg: join(root, 'xdg'),
  };
  for (const dir of [dirs.userData, dirs.extensions, dirs.xdg]) mkdirSync(dir, { recursive: true });
  if (!existsSync(dirs.config)) writeFileSync(dirs.config, '');
  return dirs;
}

/** The environment code-server and its extension host run with: no marketplace, no user config. */
export function isolatedEnv(state, extra = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(state.xdg, 'config'),
    XDG_DATA_HOME: join(state.xdg, 'data'),
    XDG_CACHE_HOME: join(state.xdg, 'cache'),
    // An empty gallery stops the marketplace query that fails offline.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    ...extra,
  };
}

function commonArgs(state) {
  return ['--config', state.config, '--user-data-dir', state.userData, '--extensions-dir', state.extensions];
}

/** `code-server --install-extension VSIX` into the state's extensions folder. */
export function installExtension(packageDir, state, vsixPath) {
  const result = spawnSync(process.execPath, [join(packageDir, 'out', 'node', 'entry.js'), ...commonArgs(state), '--force', '--install-extension', vsixPath], {
    env: isolatedEnv(state),
    encoding: 'utf8',
  });
  process.stderr.write(result.stdout + result.stderr);
  if (result.status !== 0) throw new Error(`installing ${vsixPath} failed with status ${result.status}`);
}

/**
 * Starts code-server detached (its own process group, so it can be killed with all its children) and
 * resolves once it listens. `onOutput` receives its log lines.
 */
export function startCodeServer({ packageDir, state, port, host = '127.0.0.1', env = {}, onOutput = () => {}, folder }) {
  const args = [
    join(packageDir, 'out', 'node', 'entry.js'),
    ...commonArgs(state),
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (folder) args.push(folder);
  const child = spawn(process.execPath, args, {
    env: isolatedEnv(state, env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => killGroup(child);
  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        onOutput(line);
        if (line.includes('HTTP server listening')) resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`code-server exited early (code ${code}, signal ${signal})`)));
  });
  return { child, ready, stop };
}

/** Ends code-server's whole process group: SIGTERM, then SIGKILL after 3 s; resolves once it is gone. */
export function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3000);
  return exited.then(() => {
    clearTimeout(timer);
    // Children that outlive the leader (extension host, file watcher) go too.
    signal('SIGKILL');
  });
}
