// Benchmark of the Python analysis (issue 3, "Speed"): a generated 5,000-line training script, analysed
// cold (parser already loaded), again after a one-line edit (incremental re-parse), and the lens
// computation (the engine runs of the schedulers' cases). Targets: ≤ 50 ms cold, ≤ 10 ms after an edit.
// "Cold" is what the editor does when a file is opened: parse it and analyse it (the document then keeps
// its tree for incremental re-parses and frees it when closed). The CLI's analyzePython, which also frees
// the tree, is shown beside it.
//
// Usage: node scripts/bench-analysis.mjs [--lines N] [--runs N] [--json]
// On a busy machine wall-clock times include waiting for a core: read the CPU column (or the fastest run).
// It bundles src/analysis with esbuild into a temporary folder (with the two .wasm files, as dist/ has them).
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argValue = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const targetLines = argValue('--lines', 5000);
const runs = argValue('--runs', 30);
const asJson = process.argv.includes('--json');

/** A training script of about `lines` lines: argparse, model code, data helpers, and a training loop. */
function generateScript(lines) {
  const out = [
    'import argparse',
    'import math',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from torch.optim import SGD',
    'from torch.optim.lr_scheduler import SequentialLR, LinearLR, CosineAnnealingLR, OneCycleLR',
    '',
    'parser = argparse.ArgumentParser()',
    "parser.add_argument('--lr', type=float, default=0.1)",
    "parser.add_argument('--epochs', type=int, default=90)",
    "parser.add_argument('--warmup-epochs', type=int, default=5)",
  ];
  for (let i = 0; i < 40; i++) out.push(`parser.add_argument('--option-${i}', type=float, default=${i}.5)`);
  out.push('args = parser.parse_args()', '');
  let block = 0;
  // Model and helper code until the training part fits in the remaining lines.
  while (out.length < lines - 40) {
    out.push(
      `class Block${block}(nn.Module):`,
      `    """Residual block ${block}."""`,
      '',
      '    def __init__(self, channels, expansion=4, dropout=0.1):',
      '        super().__init__()',
      '        hidden = channels * expansion',
      '        self.conv1 = nn.Conv2d(channels, hidden, kernel_size=3, padding=1, bias=False)',
      '        self.bn1 = nn.BatchNorm2d(hidden)',
      '        self.conv2 = nn.Conv2d(hidden, channels, kernel_size=3, padding=1, bias=False)',
      '        self.bn2 = nn.BatchNorm2d(channels)',
      '        self.dropout = nn.Dropout(dropout)',
      '        self.scale = 1.0 / math.sqrt(hidden)',
      '',
      '    def forward(self, x):',
      '        residual = x',
      '        out = F.relu(self.bn1(self.conv1(x)))',
      '        out = self.dropout(out) * self.scale',
      '        out = self.bn2(self.conv2(out))',
      '        for index in range(2):',
      '            out = out + 0.5 * residual if index % 2 == 0 else out',
      '        return F.relu(out + residual)',
      '',
      '',
      `def helper_${block}(values, factor=${block % 7}.0):`,
      '    total = 0.0',
      '    for value in values:',
      '        if value > factor:',
      '            total += value * factor',
      '        else:',
      '            total -= value / (factor + 1)',
      "    stats = {'total': total, 'count': len(values), 'mean': total / max(1, len(values))}",
      '    return stats',
      '',
      '',
    );
    block++;
  }
  out.push(
    'def train(model, loader, optimizer, scheduler):',
    '    for epoch in range(args.epochs):',
    '        for step in range(100):',
    '            loss = model(step).sum()',
    '            optimizer.zero_grad()',
    '            loss.backward()',
    '            optimizer.step()',
    '            scheduler.step()',
    '',
    '',
    'def main():',
    `    model = nn.Sequential(${Array.from({ length: 4 }, (_, i) => `Block${i}(64)`).join(', ')})`,
    '    optimizer = SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)',
    '    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=args.warmup_epochs * 100)',
    '    cosine = CosineAnnealingLR(optimizer, T_max=(args.epochs - args.warmup_epochs) * 100)',
    '    scheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[args.warmup_epochs * 100])',
    '    train(model, None, optimizer, scheduler)',
    '',
    '',
    "if __name__ == '__main__':",
    '    main()',
  );
  while (out.length < lines) out.push('# end of file');
  return out.join('\n') + '\n';
}

async function loadAnalysis() {
  const folder = mkdtempSync(join(tmpdir(), 'lr-lens-bench-'));
  const outfile = join(folder, 'analysis.cjs');
  await build({
    stdin: {
      contents:
        "export * from './src/analysis/analyzePython';\nexport { simulateCase } from './src/engine/simulate';\n" +
        "export { lensText } from './src/extension/present/lensText';\n",
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
  copyFileSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(folder, 'tree-sitter.wasm'));
  copyFileSync(join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'), join(folder, 'tree-sitter-python.wasm'));
  const analysis = createRequire(import.meta.url)(outfile);
  await analysis.initPythonAnalysis(folder);
  return { analysis, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.floor(sorted.length / 2)].toFixed(2));
}

/** Wall-clock and CPU milliseconds of one call (CPU time is what to read on a busy machine). */
function time(fn) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000, result };
}

function summary(samples) {
  const wall = samples.map((s) => s.wall);
  return { wallMs: median(wall), minWallMs: Number(Math.min(...wall).toFixed(2)), cpuMs: median(samples.map((s) => s.cpu)) };
}

const { analysis, cleanup } = await loadAnalysis();
try {
  const source = generateScript(targetLines);
  const lineCount = source.split('\n').length - 1;
  // Warm the JIT a little, as an editor session would be.
  for (let i = 0; i < 3; i++) analysis.analyzePython(source, {});

  const parse = [];
  for (let i = 0; i < runs; i++) parse.push(time(() => new analysis.PythonDocumentAnalysis(source).dispose()));

  const cold = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const run = time(() => {
      const opened = new analysis.PythonDocumentAnalysis(source);
      return { opened, result: opened.analyze({}) };
    });
    run.result.opened.dispose();
    cold.push(run);
    findings = run.result.result.schedulers.length;
  }
  const cli = [];
  for (let i = 0; i < runs; i++) cli.push(time(() => analysis.analyzePython(source, {})));

  // A one-line edit: retype the warmup's start factor (a new value each time, so no cached trace helps),
  // then re-analyse; then the lens computation: each scheduler's trace and its lens title.
  const document = new analysis.PythonDocumentAnalysis(source);
  document.analyze({});
  const edited = [];
  const lens = [];
  let offset = source.indexOf('start_factor=') + 'start_factor='.length;
  let current = '0.01';
  for (let i = 0; i < runs; i++) {
    const next = `0.0${101 + i}`;
    const edit = { rangeOffset: offset, rangeLength: current.length, text: next };
    current = next;
    const run = time(() => {
      document.applyChanges([edit]);
      return document.analyze({});
    });
    edited.push(run);
    lens.push(time(() => run.result.schedulers.map((finding) => analysis.lensText(finding, '2.13'))));
  }
  const after = document.analyze({}).schedulers[0];
  document.dispose();

  const report = {
    lines: lineCount,
    bytes: source.length,
    schedulers: findings,
    traceRows: after.trace?.length ?? 0,
    parse: summary(parse),
    cold: summary(cold),
    analyzePython: summary(cli),
    afterEdit: summary(edited),
    lens: summary(lens),
    runs,
    targets: { coldMs: 50, afterEditMs: 10 },
  };
  if (asJson) console.log(JSON.stringify(report));
  else {
    const line = (label, s) =>
      `  ${label.padEnd(44)} ${s.wallMs.toFixed(2).padStart(8)} ms ${s.minWallMs.toFixed(2).padStart(8)} ms ${s.cpuMs.toFixed(2).padStart(8)} ms`;
    console.log(`Python analysis of a ${lineCount}-line (${(source.length / 1024).toFixed(0)} KiB) training script, ${findings} schedulers, ${runs} runs`);
    console.log(`  ${''.padEnd(44)} ${'median'.padStart(11)} ${'fastest'.padStart(11)} ${'CPU (median)'.padStart(11)}`);
    console.log(line('tree-sitter parse alone', report.parse));
    console.log(line('cold analysis (file opened: parse + analyse)', report.cold) + '   target ≤ 50 ms');
    console.log(line('analyzePython (CLI: parse, analyse, free)', report.analyzePython));
    console.log(line('after a one-line edit (incremental)', report.afterEdit) + '   target ≤ 10 ms');
    console.log(line(`lens computation (${report.traceRows} trace rows)`, report.lens));
  }
} finally {
  cleanup();
}
