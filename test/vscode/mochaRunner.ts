// Runs every *.test.js next to a suite's bundled index.js with mocha, inside the extension host.
import Mocha from 'mocha';
import { readdirSync } from 'fs';
import { join } from 'path';
import { format } from 'util';

/** test/vscode/run.mjs prints the lines with this marker and hides the workbench's own logging. */
const REPORTER_MARKER = '[lr-lens-test] ';

export function runMochaIn(directory: string): Promise<void> {
  // The extension host's console reaches the workbench line by line: mark each reporter line.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(REPORTER_MARKER + line);
  };
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    grep: process.env.LR_LENS_TEST_GREP || undefined,
  });
  for (const name of readdirSync(directory).filter((file) => file.endsWith('.test.js')).sort()) {
    mocha.addFile(join(directory, name));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
