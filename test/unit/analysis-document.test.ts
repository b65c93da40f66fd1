// The incremental document (edits as VS Code reports them) must always agree with a fresh analysis of
// the same text; malformed Python must not break the analysis of what parses; the analyze CLI contract.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePython, initPythonAnalysis, PythonDocumentAnalysis, type TextChange } from '../../src/analysis/analyzePython';
import { formatAnalyzeJson, runAnalyzeCommand } from '../../src/analysis/analyzeCommand';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { AnalysisResult } from '../../src/analysis/types';
import { Float } from '../../src/engine/python/values';
import { fixture, py } from '../fixtures/python/helpers';

/** Everything an analysis says, as text (traces included), for comparing two analyses. */
const summary = (result: AnalysisResult) =>
  stringifyPython({
    schedulers: result.schedulers.map(({ line, type, variable, unit, case: c, unresolved, trace, error, call, epochs, stepsPerEpoch }) => ({
      line, type, variable, unit, c, unresolved, trace, error, call, epochs, stepsPerEpoch,
    })),
    diagnostics: result.diagnostics,
  });

describe('analysis: incremental documents', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('agrees with a fresh analysis after each of a series of edits', () => {
    const source = fixture('step_loops.py');
    const document = new PythonDocumentAnalysis(source);
    try {
      const edits: ((text: string) => TextChange)[] = [
        // retype a number
        (text) => ({ rangeOffset: text.indexOf('BATCHES = 8') + 10, rangeLength: 1, text: '12' }),
        // insert lines above everything (all positions shift)
        () => ({ rangeOffset: 0, rangeLength: 0, text: '# header\n\n"""docstring"""\n' }),
        // break the syntax, then repair it
        (text) => ({ rangeOffset: text.indexOf('max_lr=1e-2') + 'max_lr=1e-2'.length, rangeLength: 0, text: ', (' }),
        (text) => ({ rangeOffset: text.indexOf(', (') , rangeLength: 3, text: '' }),
        // a multi-line replacement, and a deletion spanning lines
        (text) => ({ rangeOffset: text.indexOf('    warmup ='), rangeLength: text.indexOf('\n', text.indexOf('    warmup =')) + 1 - text.indexOf('    warmup ='), text: '    warmup = LinearLR(optimizer,\n                      start_factor=0.5,\n                      total_iters=3)\n' }),
        (text) => ({ rangeOffset: text.indexOf('def fit('), rangeLength: text.indexOf('def fit_two_rates') - text.indexOf('def fit('), text: '' }),
        // non-ASCII text before the schedulers (UTF-16 columns)
        () => ({ rangeOffset: 0, rangeLength: 0, text: '# π ≈ 3.14159 — 😀 emoji\n' }),
      ];
      let text = source;
      for (const makeEdit of edits) {
        const change = makeEdit(text);
        text = text.slice(0, change.rangeOffset) + change.text + text.slice(change.rangeOffset + change.rangeLength);
        document.applyChanges([change]);
        assert.equal(document.source, text);
        assert.equal(summary(document.analyze()), summary(analyzePython(text)), `after inserting ${JSON.stringify(change.text)}`);
      }
      assert.ok(document.analyze().schedulers.length >= 2);
    } finally {
      document.dispose();
    }
  });

  it('applies several changes of one event in order', () => {
    const source = 'import torch\nopt = torch.optim.SGD(p, lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, 3)\n';
    const document = new PythonDocumentAnalysis(source);
    try {
      // VS Code lists a multi-cursor edit's changes from the end of the document backwards.
      document.applyChanges([
        { rangeOffset: source.indexOf('3)') + 1, rangeLength: 0, text: ', gamma=0.5' },
        { rangeOffset: source.indexOf('0.1'), rangeLength: 3, text: '0.25' },
      ]);
      assert.equal(document.source, 'import torch\nopt = torch.optim.SGD(p, lr=0.25)\ns = torch.optim.lr_scheduler.StepLR(opt, 3, gamma=0.5)\n');
      assert.deepEqual(document.analyze().schedulers[0].case.scheduler?.kwargs, { step_size: 3, gamma: 0.5 });
      assert.deepEqual(document.analyze().schedulers[0].case.optimizer.defaults, { lr: 0.25 });
    } finally {
      document.dispose();
    }
  });

  it('analyses again when a value set for an unresolved name changes (2 and 2.0 differ)', () => {
    const source = 'import torch\nopt = torch.optim.SGD(p, lr=cfg.lr)\ns = torch.optim.lr_scheduler.StepLR(opt, 3)\n';
    const document = new PythonDocumentAnalysis(source);
    try {
      assert.deepEqual(document.analyze().schedulers[0].unresolved, ['cfg.lr']);
      const lrOf = (value: number | Float) => document.analyze({ overrides: { 'cfg.lr': value } }).schedulers[0].case.optimizer.defaults?.lr;
      assert.equal(lrOf(0.5), 0.5);
      assert.equal(lrOf(0.25), 0.25);
      assert.equal(stringifyPython(lrOf(2)), '2');
      assert.equal(stringifyPython(lrOf(new Float(2))), '2.0');
      assert.deepEqual(document.analyze({ overrides: {} }).schedulers[0].unresolved, ['cfg.lr']);
    } finally {
      document.dispose();
    }
  });

  it('reports positions in UTF-16 columns, as VS Code does', () => {
    const line = 's = torch.optim.lr_scheduler.StepLR(opt, 3)  # 😀';
    const source = `import torch\nnote = "😀 é"; opt = torch.optim.SGD(p, lr=0.1)\n${line}\nprint("😀", s.get_lr())\n`;
    const result = analyzePython(source);
    assert.deepEqual(result.schedulers[0].call.range, { startLine: 2, startCol: 4, endLine: 2, endCol: line.indexOf('  #') });
    const getLr = result.diagnostics.find((d) => d.code === 'get-lr-call')!;
    assert.equal(getLr.range.startCol, 'print("😀", '.length);
  });
});

describe('analysis: malformed Python', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('never throws, and still analyses the parts that parse', () => {
    const source = py`
      import torch
      from torch.optim.lr_scheduler import StepLR

      def broken(:
          return [1, 2

      optimizer = torch.optim.SGD(params, lr=0.1)
      scheduler = StepLR(optimizer, step_size=5)
      for epoch in range(20):
          optimizer.step()
          scheduler.step()

      class Half(
    `;
    const [found] = analyzePython(source).schedulers;
    assert.equal(found.type, 'StepLR');
    assert.deepEqual(found.case.scheduler?.kwargs, { step_size: 5 });
    assert.equal(found.epochs, 20);
  });

  it('warns on the first line it could not read (syntax-error), and keeps analysing the rest', () => {
    const source = py`
      import torch
      from torch.optim.lr_scheduler import StepLR, ExponentialLR

      optimizer = torch.optim.SGD(params, lr=0.1)
      first = StepLR(optimizer, step_size=5)
          broken = ExponentialLR(optimizer, gamma=0.9,
      for epoch in range(20):
          optimizer.step()
          first.step()
    `;
    const document = new PythonDocumentAnalysis(source);
    const results = [analyzePython(source), document.analyze()];
    document.dispose();
    for (const result of results) {
      const syntax = result.diagnostics.filter((d) => d.code === 'syntax-error');
      assert.equal(syntax.length, 1);
      const brokenLine = source.split('\n').findIndex((line) => line.includes('broken ='));
      assert.deepEqual(syntax[0].range, { startLine: brokenLine, startCol: 4, endLine: brokenLine, endCol: source.split('\n')[brokenLine].length });
      assert.equal(syntax[0].line, brokenLine + 1);
      assert.equal(syntax[0].severity, 'warning');
      assert.match(syntax[0].message, /could not read this line \(Python syntax error\); schedules after it may be missing/);
      assert.deepEqual(result.schedulers.map((s) => [s.variable, s.epochs]), [['first', 20]]);
    }
    // The message goes once the line is fixed, and valid Python never gets it.
    const fixed = source.replace('    broken = ExponentialLR(optimizer, gamma=0.9,', 'second = ExponentialLR(optimizer, gamma=0.9)');
    assert.deepEqual(analyzePython(fixed).diagnostics.filter((d) => d.code === 'syntax-error'), []);
    assert.deepEqual(analyzePython(fixture('step_loops.py')).diagnostics.filter((d) => d.code === 'syntax-error'), []);
  });

  it('survives every prefix of a training script', () => {
    const source = fixture('resolution.py');
    for (let end = 0; end <= source.length; end += 7) analyzePython(source.slice(0, end));
  });
});

describe('analysis: the analyze CLI contract', () => {
  before(async () => {
    await initPythonAnalysis();
  });

  it('prints file, schedulers (line, type, variable, unit, case, unresolved, trace, error) and diagnostics', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lr-lens-analyze-'));
    const file = join(folder, 'train.py');
    writeFileSync(
      file,
      py`
        import torch
        opt = torch.optim.SGD(params, lr=0.1)
        scheduler = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.5, end_factor=1.0, total_iters=4)
        for batch in loader:
            opt.step()
            scheduler.step()
        print(scheduler.get_lr())
      `,
    );
    const output = (await runAnalyzeCommand(file, { epochs: 3, stepsPerEpoch: 4 })) as {
      file: string;
      schedulers: Record<string, unknown>[];
      diagnostics: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(output), ['file', 'schedulers', 'diagnostics']);
    assert.equal(output.file, file);
    assert.deepEqual(Object.keys(output.schedulers[0]), ['line', 'type', 'variable', 'unit', 'case', 'unresolved', 'trace', 'error', 'assumptions']);
    assert.deepEqual({ ...output.schedulers[0], trace: undefined }, {
      line: 3,
      type: 'LinearLR',
      variable: 'scheduler',
      unit: 'step',
      case: {
        optimizer: { type: 'SGD', defaults: { lr: 0.1 } },
        steps: 12,
        scheduler: { type: 'LinearLR', kwargs: { start_factor: 0.5, end_factor: new Float(1), total_iters: 4 } },
      },
      unresolved: [],
      trace: undefined,
      error: null,
      assumptions: [
        'epochs = 3 (from the setting; no epoch loop around the batch loop)',
        'len(loader) = 4 (from the steps-per-epoch setting)',
      ],
    });
    assert.equal((output.schedulers[0].trace as unknown[]).length, 13);
    assert.deepEqual(output.diagnostics, [{ line: 7, code: 'get-lr-call', severity: 'warning', message: output.diagnostics[0].message }]);

    // Python floats stay floats in the JSON text.
    const json = formatAnalyzeJson(output);
    assert.match(json, /"end_factor": 1\.0,/);
    assert.deepEqual(JSON.parse(json).schedulers[0].case.scheduler.kwargs, { start_factor: 0.5, end_factor: 1, total_iters: 4 });
  });
});
