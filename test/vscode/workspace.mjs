// A throwaway copy of a fixture workspace, so tests may edit and save files.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export function copyFixtureWorkspace(source) {
  const root = mkdtempSync(join(tmpdir(), 'lr-lens-workspace-'));
  const path = join(root, basename(resolve(source)));
  // dereference: the workspace's configs are links to test/fixtures/configs, copied as files.
  cpSync(resolve(source), path, { recursive: true, dereference: true });
  return { path, dispose: () => rmSync(root, { recursive: true, force: true, maxRetries: 3 }) };
}
