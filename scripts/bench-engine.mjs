// Benchmark: time per step of the LR Lens engine and of real torch on the same schedules, side by side.
//   npm run bench            (100k steps per schedule; BENCH_STEPS=20000 npm run bench for a quick look)
// Like for like, each side is timed stepping the schedule the way a training loop does: scheduler.step()
// alone, and a round of optimizer.step() + scheduler.step(), reading the group lrs after each step. The
// engine is bundled from src/engine with esbuild; torch is timed by scripts/bench_torch.py in the same
// run, on the same cases. Also shown: simulateCase (every trace row as the CLI prints it) and runCase into
// a Float64Array (as the panel draws). Each schedule is timed in its own worker thread, as torch times
// each in a fresh loop: one JS isolate stepping five scheduler classes through the same call sites would
// measure V8's megamorphic dispatch, not the schedule. The last line prints what one correctly rounded
// cos costs here (CosineAnnealingLR, OneCycleLR and SequentialLR's cosine child need one per step).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
      contents:
        "export { runCase, simulateCase } from './src/engine/simulate';\nexport { buildOptimizer, buildScheduler } from './src/engine/build';\nexport { crCos } from './src/engine/python/libm';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'error',
  });
  return outfile;
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

/** The engine's own API, as torch is stepped: `scheduler.step()` (with the metric for plateau), optionally after `optimizer.step()`. */
function timeApi({ buildOptimizer, buildScheduler }, c, withOptimizer) {
  const lrs = new Float64Array(1);
  const run = () => {
    const optimizer = buildOptimizer(c.optimizer);
    const scheduler = buildScheduler(c.scheduler, optimizer);
    const groups = optimizer.paramGroups;
    const metrics = c.metrics;
    for (let k = 0; k < c.steps; k++) {
      if (withOptimizer) optimizer.step();
      if (metrics) scheduler.step(metrics[k]);
      else scheduler.step();
      lrs[0] = groups[0].lr;
    }
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

/** Nanoseconds per crCos call over the arguments CosineAnnealingLR(T_max=5000) steps through. */
function timeCos({ crCos }) {
  let sink = 0;
  const run = () => {
    for (let k = 0; k < STEPS; k++) sink += crCos((k * Math.PI) / 5000);
  };
  run();
  const seconds = best(run);
  if (Number.isNaN(sink)) throw new Error('crCos returned NaN');
  return (seconds / STEPS) * 1e9;
}

/** In a worker: the four engine timings of one case (or the cos timing), posted back in seconds. */
async function workerMain() {
  const engine = await import(pathToFileURL(workerData.engineFile).href);
  const c = workerData.case;
  parentPort.postMessage(
    c === null
      ? { cosNs: timeCos(engine) }
      : { simulated: timeSimulate(engine, c), stepped: timeRun(engine, c), sched: timeApi(engine, c, false), round: timeApi(engine, c, true) },
  );
}

function inWorker(engineFile, c) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { engineFile, case: c } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`bench worker exited with ${code}`)));
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lr-lens-bench-'));
  try {
    const engineFile = await loadEngine(dir);
    const engine = {};
    for (const c of cases) engine[c.id] = await inWorker(engineFile, c);
    const { cosNs } = await inWorker(engineFile, null);
    const torch = timeTorch(dir);
    console.log(`LR Lens engine (Node ${process.version}) vs torch ${torch.torch}, ${STEPS.toLocaleString('en-US')} steps per schedule, time per step in µs (best of ${REPEATS})`);
    console.log('sched: scheduler.step(); round: optimizer.step() + scheduler.step(); trace: simulateCase building every row;');
    console.log('run: runCase into a Float64Array (the panel). Ratios are torch / engine, like for like; each schedule in its own worker.');
    const head = ['schedule', 'engine sched', 'torch sched', 'ratio', 'engine round', 'torch round', 'ratio', 'engine trace', 'engine run'];
    console.log(head[0].padEnd(20) + head.slice(1).map((h) => h.padStart(13)).join(''));
    let worstSched = Infinity;
    let worstRound = Infinity;
    for (const result of torch.results) {
      const timings = engine[result.id];
      const torchSched = perStep(result.scheduler_s, result.steps);
      const torchRound = perStep(result.round_s, result.steps);
      const engineSched = perStep(timings.sched, result.steps);
      const engineRound = perStep(timings.round, result.steps);
      worstSched = Math.min(worstSched, torchSched / engineSched);
      worstRound = Math.min(worstRound, torchRound / engineRound);
      const cells = [
        fmt(engineSched, 4), fmt(torchSched, 3), times(torchSched / engineSched),
        fmt(engineRound, 4), fmt(torchRound, 3), times(torchRound / engineRound),
        fmt(perStep(timings.simulated, result.steps), 4), fmt(perStep(timings.stepped, result.steps), 4),
      ];
      console.log(result.id.padEnd(20) + cells.join(''));
    }
    const verdict = (ratio) => `${ratio.toFixed(0)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`;
    console.log(`slowest ratio, scheduler.step(): ${verdict(worstSched)}; optimizer.step() + scheduler.step(): ${verdict(worstRound)}`);
    const cosineTorch = perStep(torch.results.find((r) => r.id === 'CosineAnnealingLR').scheduler_s, STEPS) * 1e3;
    console.log(
      `one correctly rounded cos (crCos) costs ${cosNs.toFixed(1)} ns here; torch's CosineAnnealingLR.step() / ${TARGET_RATIO} is ${(cosineTorch / TARGET_RATIO).toFixed(1)} ns`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else await workerMain();
