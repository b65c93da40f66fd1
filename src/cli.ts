// lr-lens command line: `simulate FILE` runs schedule cases through the engine, `analyze FILE` reads
// a training script or config and predicts its schedules, `train` runs a quick training; all print
// JSON (contracts in README.md).
import { readFileSync } from 'node:fs';
import { formatAnalyzeJson, runAnalyzeCommand } from './analysis/analyzeCommand';
import { runTrainCommand, TRAIN_USAGE } from './training/trainCommand';
import type { ScheduleCase } from './engine/case';
import { JsonSyntaxError, parseCaseJson } from './engine/caseJson';
import { simulateCase } from './engine/simulate';

const USAGE = `usage:
  lr-lens simulate FILE
      FILE: one case, a JSON list of cases, or {"cases": [...]} (README: "The simulate CLI")
  lr-lens analyze FILE [--epochs N] [--steps-per-epoch M] [--torch-version V]
      FILE: a Python training script or a training config: YAML, JSON, TOML (README: "The analyze CLI")
  lr-lens ${TRAIN_USAGE}
      (README: "The train CLI")`;

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

/** `--name value` options; every value must be a positive integer unless listed as text. */
function parseOptions(args: string[], names: Record<string, 'count' | 'text'>): { positional: string[]; options: Record<string, number | string> } {
  const positional: string[] = [];
  const options: Record<string, number | string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split('=', 2);
    const kind = names[flag];
    if (!kind) fail(`unknown option ${flag}\n${USAGE}`);
    const value = inline ?? args[++i];
    if (value === undefined) fail(`${flag} needs a value`);
    if (kind === 'text') {
      options[flag] = value;
    } else {
      const count = Number(value);
      if (!Number.isInteger(count) || count <= 0 || count > 1_000_000) fail(`${flag} must be a whole number from 1 to 1000000, not '${value}'`);
      options[flag] = count;
    }
  }
  return { positional, options };
}

async function analyzeCommand(args: string[]): Promise<void> {
  const { positional, options } = parseOptions(args, { '--epochs': 'count', '--steps-per-epoch': 'count', '--torch-version': 'text' });
  const file = positional[0];
  if (!file || positional.length > 1) fail(`analyze takes one FILE\n${USAGE}`);
  let result: object;
  try {
    result = await runAnalyzeCommand(file, {
      epochs: options['--epochs'] as number | undefined,
      stepsPerEpoch: options['--steps-per-epoch'] as number | undefined,
      torchVersion: options['--torch-version'] as string | undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') fail(`cannot read ${file}: ${(error as Error).message}`);
    throw error;
  }
  process.stdout.write(formatAnalyzeJson(result) + '\n');
}

async function trainCommand(args: string[]): Promise<void> {
  let result: object;
  try {
    result = await runTrainCommand(args, { warn: (message) => process.stderr.write(`lr-lens: ${message}\n`) });
  } catch (error) {
    // Bad options, unreadable files, malformed CSV/JSON and torch's own errors are the user's to fix.
    fail((error as Error).message);
  }
  printJson(result);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'simulate':
      return simulateCommand(rest);
    case 'analyze':
      return analyzeCommand(rest);
    case 'train':
      return trainCommand(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return;
    default:
      fail(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lr-lens: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
