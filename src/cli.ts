// lr-lens command line: `simulate FILE` runs schedule cases through the engine and prints JSON.
import { readFileSync } from 'node:fs';
import type { ScheduleCase } from './engine/case';
import { JsonSyntaxError, parseCaseJson } from './engine/caseJson';
import { simulateCase } from './engine/simulate';

const USAGE = `usage: lr-lens simulate FILE
  FILE: one case, a JSON list of cases, or {"cases": [...]} (see README: "The simulate CLI")`;

/** Non-finite numbers never reach JSON here: the engine writes them as "NaN"/"Infinity" strings. */
function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function fail(message: string): never {
  process.stderr.write(`lr-lens: ${message}\n`);
  process.exit(2);
}

function readJsonFile(file: string | undefined): unknown {
  if (!file) fail(`missing FILE\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseCaseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) fail(`${file}: ${error.message}`);
    throw error;
  }
}

function simulateCommand(args: string[]): void {
  const input = readJsonFile(args[0]);
  if (Array.isArray(input)) return printJson(input.map((c) => simulateCase(c as ScheduleCase)));
  if (typeof input === 'object' && input !== null && Array.isArray((input as { cases?: unknown }).cases)) {
    return printJson((input as { cases: ScheduleCase[] }).cases.map(simulateCase));
  }
  printJson(simulateCase(input as ScheduleCase));
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  switch (command) {
    case 'simulate':
      return simulateCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return;
    default:
      fail(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2));
