// Differential test: random schedule cases (valid and invalid) through real torch and through the engine.
//   tsx test/differential/run.ts --seed 20261126 --cases 1000 [--show 10] [--no-shrink] [--save FILE]
// Generates the cases from the seed, runs them all through scripts/torch_simulate.py in one batch and
// through simulateCase, compares like the reference-trace test (rtol 1e-12, identical errors), prints a
// summary, and shrinks the commonest kinds of mismatch to minimal failing cases. Exits 1 on any mismatch.
import { ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import type { CaseResult, ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { simulateCase } from '../../src/engine/simulate';
import { compareResults, compareRowsBeforeDecline, declinedByEngine, describeMismatch, Mismatch } from './compare';
import { caseJson, GeneratedCase, scheduleCase } from './generate';
import { minimize } from './minimize';

const ROOT = join(__dirname, '..', '..');
const TORCH_SIMULATE = join(ROOT, 'scripts', 'torch_simulate.py');

interface Options {
  seed: number;
  cases: number;
  show: number;
  shrink: boolean;
  save: string | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { seed: 20261126, cases: 1000, show: 10, shrink: true, save: null };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--seed': options.seed = Number(value()); break;
      case '--cases': options.cases = Number(value()); break;
      case '--show': options.show = Number(value()); break;
      case '--save': options.save = value(); break;
      case '--no-shrink': options.shrink = false; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (!Number.isInteger(options.seed) || !Number.isInteger(options.cases) || options.cases < 1) throw new Error('--seed and --cases take integers');
  return options;
}

/** The venv's python from scripts/setup-torch.sh (which creates the venv on a fresh machine). */
function torchPython(): string {
  if (process.env.LR_LENS_TORCH_PYTHON) return process.env.LR_LENS_TORCH_PYTHON;
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'setup-torch.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
}

const withId = (id: string, c: GeneratedCase): GeneratedCase => ({ id, ...c });
const engineResult = (text: string): CaseResult => simulateCase(parseCaseJson(text) as ScheduleCase);

/** A mismatch's kind, so a shrink keeps hunting the same bug rather than drifting to another. */
function signature(expected: CaseResult, mismatch: Mismatch, got: CaseResult): string {
  const outcome = (result: CaseResult) => (result.error ? `${result.error.phase} ${result.error.type}` : 'ok');
  return `${mismatch.field.replace(/\[\d+\]/g, '[]')}: torch ${outcome(expected)} / engine ${outcome(got)}`;
}

function outcomeKey(result: CaseResult): string {
  return result.error ? `${result.error.phase} ${result.error.type}` : 'trace';
}

/** Keeps one torch process for the many small requests of a shrink. */
class TorchServer {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor(python: string) {
    this.process = spawn(python, [TORCH_SIMULATE, '--serve']);
    this.process.stderr.pipe(process.stderr);
    createInterface({ input: this.process.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  simulate(text: string): Promise<CaseResult> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as CaseResult));
      this.process.stdin.write(text + '\n');
    });
  }

  close(): void {
    this.process.stdin.end();
  }
}

async function shrink(text: string, wanted: string, python: string): Promise<void> {
  const server = new TorchServer(python);
  const fails = async (candidate: string) => {
    const expected = await server.simulate(candidate);
    const got = engineResult(candidate);
    const mismatch = compareResults(expected, got);
    return mismatch !== null && signature(expected, mismatch, got) === wanted;
  };
  const minimal = await minimize(text.replace(/^\{"id":"[^"]*"/, '{"id":"minimal"'), fails, { evaluations: 3000, milliseconds: 60_000 });
  const expected = await server.simulate(minimal.text);
  server.close();
  const mismatch = compareResults(expected, engineResult(minimal.text));
  console.log(`  minimal failing case (${minimal.evaluations} tries):\n  ${minimal.text}`);
  if (mismatch) console.log(`  ${describeMismatch('minimal', mismatch)}`);
}

function spawnTorch(python: string, text: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'lr-lens-differential-'));
  try {
    const file = join(dir, 'cases.json');
    writeFileSync(file, text);
    const run = spawnSync(python, [TORCH_SIMULATE, file], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 600_000 });
    if (run.status !== 0) throw new Error(`torch_simulate.py failed (status ${run.status}):\n${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const python = torchPython();
  const generated = fc.sample(scheduleCase(), { seed: options.seed, numRuns: options.cases });
  const texts = generated.map((c, i) => caseJson(withId(`${options.seed}-${i}`, c)));
  const batch = `{"cases":[\n${texts.join(',\n')}\n]}\n`;
  if (options.save) writeFileSync(options.save, batch);

  let started = Date.now();
  const expected = spawnTorch(python, batch) as CaseResult[];
  const torchSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  const got = (parseCaseJson(batch) as { cases: ScheduleCase[] }).cases.map(simulateCase);
  const engineSeconds = (Date.now() - started) / 1000;

  const outcomes = new Map<string, number>();
  const kinds = new Map<string, { count: number; first: number; text: string }>();
  let rows = 0;
  const mismatches: number[] = [];
  let declined = 0;
  expected.forEach((want, i) => {
    outcomes.set(outcomeKey(want), (outcomes.get(outcomeKey(want)) ?? 0) + 1);
    rows += want.trace.length;
    const isDeclined = declinedByEngine(got[i]);
    if (isDeclined) declined++;
    const mismatch = isDeclined ? compareRowsBeforeDecline(want, got[i]) : compareResults(want, got[i]);
    if (!mismatch) return;
    mismatches.push(i);
    const kind = signature(want, mismatch, got[i]);
    const entry = kinds.get(kind) ?? { count: 0, first: i, text: describeMismatch(String(want.id), mismatch) };
    entry.count++;
    kinds.set(kind, entry);
  });

  console.log(`differential: seed ${options.seed}, ${options.cases} cases, ${rows} torch rows (torch ${torchSeconds.toFixed(1)} s, engine ${engineSeconds.toFixed(1)} s)`);
  console.log('torch outcomes: ' + [...outcomes].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${n}`).join(', '));
  console.log(`declined by the engine (a str/list/None where torch expects a number, or a complex lr): ${declined}`);
  // Declining is for odd argument types only: if it grows, the engine is refusing real schedules.
  if (declined > options.cases * MAX_DECLINED_SHARE) {
    console.log(`FAIL: ${declined} declined cases is more than ${MAX_DECLINED_SHARE * 100}% of ${options.cases}`);
    return 1;
  }
  if (mismatches.length === 0) {
    console.log(`all ${options.cases - declined} other cases agree with torch`);
    return 0;
  }
  console.log(`MISMATCH in ${mismatches.length} of ${options.cases} cases, ${kinds.size} kinds:`);
  const sorted = [...kinds].sort((a, b) => b[1].count - a[1].count);
  for (const [kind, entry] of sorted.slice(0, options.show)) {
    console.log(`- ${entry.count} x ${kind}\n    e.g. ${entry.text}\n    case: ${texts[entry.first]}`);
  }
  if (options.shrink) {
    for (const [kind, entry] of sorted.slice(0, 3)) {
      console.log(`shrinking "${kind}" from case ${options.seed}-${entry.first}`);
      await shrink(texts[entry.first], kind, python);
    }
  }
  return 1;
}

/** At most this share of generated cases may be declined (the generator mixes in odd types on purpose). */
const MAX_DECLINED_SHARE = 0.1;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
