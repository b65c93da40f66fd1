#!/usr/bin/env node
// Training throughput: the CPU backend (float32, Node, one thread) against torch CPU training the
// same MLP on the same data with the same batch size, in one run; then 30 epochs of the default
// sample problem end to end (target: ≤ 200 ms).
//
// Usage: node scripts/bench-training.mjs [--python PATH] [--epochs N] [--optimizer Adam|SGD]
// The Python must have torch (default: /root/.cache/lr-lens/torch-venv/bin/python, else python3).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const venvPython = '/root/.cache/lr-lens/torch-venv/bin/python';
const python = option('--python', existsSync(venvPython) ? venvPython : 'python3');
const epochs = Number(option('--epochs', '10'));
const optimizerType = option('--optimizer', 'Adam');

const dir = mkdtempSync(join(tmpdir(), 'lr-lens-bench-'));
try {
  const bundle = join(dir, 'training.cjs');
  buildSync({
    stdin: {
      contents: `
        export { CpuBackend } from './src/training/cpuBackend';
        export { generateDataset, toCsv } from './src/training/data';
        export { defaultInit } from './src/training/model';
        export { train } from './src/training/trainer';
        export { runTraining } from './src/training/session';
        export { DEFAULT_SAMPLE } from './src/training/samples';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
  const t = createRequire(import.meta.url)(bundle);
  const sample = t.DEFAULT_SAMPLE;
  const data = t.generateDataset(sample.data.name, sample.data.options);
  const sizes = [data.featureCount, ...sample.hidden, data.classCount];
  const batchSize = sample.options.batchSize;
  const lr = optimizerType === 'SGD' ? 0.05 : 0.005;

  // --- throughput: the same loop in both (no validation split, no shuffle cost difference) ---
  const runTs = async () => {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await t.train({
      backend: new t.CpuBackend({ sizes, activation: sample.activation }, 'float32'),
      data,
      sizes,
      dtype: 'float32',
      layers: t.defaultInit(sizes, 'float32', 0),
      optimizerType,
      driver: { paramGroups: [{ lr }], stepSchedulers() {} },
      options: { epochs, batchSize, shuffle: true, seed: 0, stepPer: 'epoch', valFraction: 0 },
    });
    const cpu = process.cpuUsage(cpuStart);
    return [performance.now() - start, (cpu.user + cpu.system) / 1000];
  };
  for (let i = 0; i < 3; i++) await runTs(); // let the JIT reach its optimizing tier
  const tsTimes = [];
  for (let i = 0; i < 7; i++) tsTimes.push(await runTs());
  const tsMs = median(tsTimes.map((time) => time[0]));
  const tsCpuMs = median(tsTimes.map((time) => time[1]));
  const samples = data.rows * epochs;

  const csv = join(dir, 'data.csv');
  writeFileSync(csv, t.toCsv(data));
  const torchScript = `
import sys, time, torch
from torch import nn
from torch.nn import functional as F
rows = [l.strip().split(',') for l in open(sys.argv[1]) if l.strip()][1:]
x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
y = torch.tensor([int(r[-1]) for r in rows])
sizes = ${JSON.stringify(sizes)}
act = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'gelu': nn.GELU}['${sample.activation}']
def run():
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes): layers.append(act())
    model = nn.Sequential(*layers)
    opt = torch.optim.${optimizerType}(model.parameters(), lr=${lr})
    g = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for epoch in range(${epochs}):
        order = torch.randperm(len(y), generator=g)
        for b in range(0, len(y), ${batchSize}):
            idx = order[b:b + ${batchSize}]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss.item()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu_start) * 1000
if sys.argv[2] != 'default':
    torch.set_num_threads(int(sys.argv[2]))
run()
runs = [run() for _ in range(3)]
wall = sorted(r[0] for r in runs)[1]
cpu = sorted(r[1] for r in runs)[1]
print(wall, cpu, torch.__version__, torch.get_num_threads())
`;
  // torch's default thread count, and one thread (often faster for ops this small): the faster counts
  const torchRuns = ['default', '1'].map((threads) => execFileSync(python, ['-c', torchScript, csv, threads], { encoding: 'utf8' }).trim().split(/\s+/));
  const [torchMs, torchCpuMs, torchVersion, threads] = torchRuns.reduce((a, b) => (Number(b[0]) < Number(a[0]) ? b : a));
  const otherTorch = torchRuns.find((run) => run[3] !== threads);

  const tsRate = samples / (tsMs / 1000);
  const torchRate = samples / (Number(torchMs) / 1000);
  const rate = (ms) => fmt(samples / (Number(ms) / 1000));
  console.log(`MLP ${sizes.join('-')} (${sample.activation}), ${optimizerType}, batch ${batchSize}, ${data.rows} rows × ${epochs} epochs, float32`);
  console.log('  samples/s by wall clock, and by CPU time (steadier on a busy machine); medians');
  console.log(`  LR Lens CPU backend (Node ${process.versions.node}): ${fmt(tsRate)} wall  ${rate(tsCpuMs)} CPU  (${tsMs.toFixed(1)} ms)`);
  console.log(`  torch ${torchVersion} CPU (${threads} threads):        ${fmt(torchRate)} wall  ${rate(torchCpuMs)} CPU  (${Number(torchMs).toFixed(1)} ms)`);
  if (otherTorch) console.log(`  torch with ${otherTorch[3]} threads:                  ${rate(otherTorch[0])} wall  ${rate(otherTorch[1])} CPU`);
  console.log(`  ratio (LR Lens / torch): ${(tsRate / torchRate).toFixed(2)}× wall, ${(Number(torchCpuMs) / tsCpuMs).toFixed(2)}× CPU time`);

  // --- the default sample problem, end to end as the panel runs it (engine, data, init, training) ---
  const request = {
    case: { optimizer: { type: 'Adam', defaults: { lr: 0.01 } }, scheduler: { type: 'ReduceLROnPlateau', kwargs: { patience: 2 } }, steps: 0 },
    data: sample.data,
    hidden: sample.hidden,
    activation: sample.activation,
    dtype: 'float32',
    backend: 'cpu',
    options: sample.options,
  };
  for (let i = 0; i < 3; i++) await t.runTraining(request);
  const endToEnd = [];
  let last;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    last = await t.runTraining(request);
    endToEnd.push(performance.now() - start);
  }
  const ms = median(endToEnd);
  const final = last.epochs[last.epochs.length - 1];
  console.log(`Default sample problem (${sample.label}), ${sample.options.epochs} epochs, ${last.steps.length} steps: ${ms.toFixed(1)} ms ` +
    `(target ≤ 200 ms: ${ms <= 200 ? 'met' : 'MISSED'}); final val accuracy ${(final.val_accuracy * 100).toFixed(1)}%`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fmt(rate) {
  return Math.round(rate).toLocaleString('en-US').padStart(10);
}
