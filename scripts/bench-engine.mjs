// Benchmark: time per step of the LR Lens engine and of real torch on the same schedules, side by side.
//   npm run bench            (100k steps per schedule; BENCH_STEPS=20000 npm run bench for a quick look)
// The engine is bundled from src/engine with esbuild and timed two ways: simulateCase (the whole trace
// of row objects, as the CLI prints it) and runCase recording each round's lrs into a Float64Array (as
// the panel draws them). Torch is timed by scripts/bench_torch.py in the same run,
// on the same cases; ratios use torch's scheduler.step() alone (the cheaper torch figure).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = Number(process.env.BENCH_STEPS ?? 100_000);
const TARGET_RATIO = 500;
const REPEATS = 3;

const sgd = { type: 'SGD', defaults: { lr: 0.1, momentum: 0.9 } };
const plateauMetrics = Array.from({ length: STEPS }, (_, k) => 1 / (1 + Math.floor(k / 40)) + ((k * 7919) % 11) / 1e4);
const cases = [
  { id: 'StepLR', optimizer: sgd, scheduler: { type: 'StepLR', kwargs: { step_size: 30, gamma: 0.9 } }, steps: STEPS },
  { id: 'CosineAnnealingLR', optimizer: sgd, scheduler: { type: 'CosineAnnealingLR', kwargs: { T_max: 5000, eta_min: 1e-5 } }, steps: STEPS },
  { id: 'OneCycleLR', optimizer: sgd, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 0.1, total_steps: STEPS } }, steps: STEPS },
  {
    id: 'SequentialLR',
    optimizer: sgd,
    scheduler: {
      type: 'SequentialLR',
      kwargs: {
        schedulers: [
          { type: 'LinearLR', kwargs: { start_factor: 0.01, total_iters: 1000 } },
          { type: 'CosineAnnealingLR', kwargs: { T_max: STEPS - 1000, eta_min: 1e-5 } },
        ],
        milestones: [1000],
      },
    },
    steps: STEPS,
  },
  { id: 'ReduceLROnPlateau', optimizer: sgd, scheduler: { type: 'ReduceLROnPlateau', kwargs: { patience: 5, factor: 0.7 } }, steps: STEPS, metrics: plateauMetrics },
];

async function loadEngine(dir) {
  const outfile = join(dir, 'engine.mjs');
  await build({
    stdin: {
      contents: "export { runCase, simulateCase } from './src/engine/simulate';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

function best(run) {
  let fastest = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return fastest;
}

function timeSimulate({ simulateCase }, c) {
  const check = (result) => {
    if (result.error) throw new Error(`engine failed on ${c.id}: ${JSON.stringify(result.error)}`);
    if (result.trace.length !== c.steps + 1) throw new Error(`engine trace of ${c.id} has ${result.trace.length} rows`);
  };
  check(simulateCase(c)); // warm up the JIT
  return best(() => check(simulateCase(c)));
}

function timeRun({ runCase }, c) {
  const lrs = new Float64Array(c.steps + 1);
  const run = () => {
    const error = runCase(c, (round, optimizer) => {
      lrs[round] = optimizer.paramGroups[0].lr;
    });
    if (error) throw new Error(`engine failed on ${c.id}: ${JSON.stringify(error)}`);
  };
  run();
  return best(run);
}

function timeTorch(dir) {
  const python = execFileSync('bash', [join(root, 'scripts/setup-torch.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  const file = join(dir, 'cases.json');
  writeFileSync(file, JSON.stringify(cases));
  return JSON.parse(execFileSync(python, [join(root, 'scripts/bench_torch.py'), file], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

const perStep = (seconds, steps) => (seconds / steps) * 1e6;
const fmt = (value, digits) => value.toFixed(digits).padStart(13);
const times = (ratio) => `${ratio.toFixed(0)}x`.padStart(13);

const dir = mkdtempSync(join(tmpdir(), 'lr-lens-bench-'));
try {
  const engine = await loadEngine(dir);
  const simulated = Object.fromEntries(cases.map((c) => [c.id, timeSimulate(engine, c)]));
  const stepped = Object.fromEntries(cases.map((c) => [c.id, timeRun(engine, c)]));
  const torch = timeTorch(dir);
  console.log(`LR Lens engine (Node ${process.version}) vs torch ${torch.torch}, ${STEPS.toLocaleString('en-US')} steps per schedule, time per step in µs`);
  console.log('engine trace: simulateCase (builds every trace row); engine run: runCase into a Float64Array;');
  console.log('torch sched: scheduler.step(); torch round: optimizer.step() + scheduler.step(); ratios = torch sched / engine');
  const head = ['schedule', 'engine trace', 'engine run', 'torch sched', 'torch round', 'ratio trace', 'ratio run'];
  console.log(head[0].padEnd(20) + head.slice(1).map((h) => h.padStart(13)).join(''));
  let worstTrace = Infinity;
  let worstRun = Infinity;
  for (const result of torch.results) {
    const torchStep = perStep(result.scheduler_s, result.steps);
    const traceStep = perStep(simulated[result.id], result.steps);
    const runStep = perStep(stepped[result.id], result.steps);
    worstTrace = Math.min(worstTrace, torchStep / traceStep);
    worstRun = Math.min(worstRun, torchStep / runStep);
    const cells = [fmt(traceStep, 4), fmt(runStep, 4), fmt(torchStep, 3), fmt(perStep(result.round_s, result.steps), 3), times(torchStep / traceStep), times(torchStep / runStep)];
    console.log(result.id.padEnd(20) + cells.join(''));
  }
  const verdict = (ratio) => `${ratio.toFixed(0)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`;
  console.log(`slowest ratio, engine trace: ${verdict(worstTrace)}; engine run: ${verdict(worstRun)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
