// Apply for configs: edits that set values and keep everything else (comments, quoting, order) as written.
// Each result is read back with the config reader, so the edit is checked by what LR Lens then sees.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float } from '../../src/engine/python/values';
import { analyzeConfig, initConfigAnalysis } from '../../src/analysis/analyzeConfig';
import { applyEdits, configEdits, ConfigEditError } from '../../src/analysis/config/edit';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function edit(name: string, text: string, changes: Parameters<typeof configEdits>[2]): string {
  return applyEdits(text, configEdits(name, text, changes));
}

/** Only the edited lines differ. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  return after.split('\n').filter((line, i) => line !== a[i]);
}

describe('config edits (Apply)', () => {
  before(() => initConfigAnalysis());

  it('YAML: replaces a value in place and keeps the comment on its line', () => {
    const text = read('lightning-cli.yaml');
    const after = edit('lightning-cli.yaml', text, [
      { path: ['optimizer', 'init_args', 'lr'], value: 0.003 },
      { path: ['lr_scheduler', 'init_args', 'eta_min'], value: 1e-7 },
    ]);
    assert.deepEqual(changedLines(text, after), ['    lr: 0.003  # tuned by hand', '    eta_min: 1.0e-07']);
    const [f] = analyzeConfig('lightning-cli.yaml', after).schedulers;
    assert.equal(f.case.optimizer.defaults?.lr, 0.003);
    assert.equal((f.case.scheduler?.kwargs as Record<string, unknown>).eta_min, 1e-7);
  });

  it('YAML: adds a missing key next to its siblings, in block and flow maps', () => {
    const text = read('lightning-sequential.yaml');
    const after = edit('lightning-sequential.yaml', text, [
      { path: ['optimizer', 'init_args', 'momentum'], value: 0.9 },
      { path: ['lr_scheduler', 'init_args', 'schedulers', 0, 'init_args', 'end_factor'], value: new Float(1) },
    ]);
    assert.ok(after.includes('    lr: 0.05\n    momentum: 0.9\n'));
    assert.ok(after.includes('init_args: {start_factor: 0.1, total_iters: 5, end_factor: 1.0}'));
    const [f] = analyzeConfig('lightning-sequential.yaml', after).schedulers;
    assert.equal(f.case.optimizer.defaults?.momentum, 0.9);
    const first = (f.case.scheduler?.kwargs as { schedulers: { kwargs: Record<string, unknown> }[] }).schedulers[0];
    assert.ok(first.kwargs.end_factor instanceof Float);
  });

  it('JSON with comments: sets and adds properties, comments and layout kept', () => {
    const text = read('hf-training-args.json');
    const after = edit('hf-training-args.json', text, [
      { path: ['learning_rate'], value: 3e-5 },
      { path: ['max_steps'], value: 500 },
      { path: ['num_train_epochs'], value: new Float(2) },
    ]);
    assert.ok(after.includes('// TrainingArguments for Trainer'));
    assert.ok(after.includes('"learning_rate": 3e-05,'));
    assert.ok(after.includes('"num_train_epochs": 2.0,'));
    assert.ok(/\n  "max_steps": 500\n}/.test(after));
    const [f] = analyzeConfig('hf-training-args.json', after).schedulers;
    assert.equal((f.case.scheduler?.kwargs as Record<string, unknown>).num_training_steps, 500);
  });

  it('JSON: floats keep their point wherever they are written, also inside a whole dict and in an empty object', () => {
    const text = '{\n  "learning_rate": 1e-4,\n  "lr_scheduler_kwargs": {}\n}\n';
    const added = edit('args.json', text, [{ path: ['lr_scheduler_kwargs', 'power'], value: new Float(2) }]);
    assert.ok(added.includes('"power": 2.0'), added);
    const whole = edit('args.json', text, [{ path: ['lr_scheduler_kwargs'], value: { power: new Float(2), lr_end: 1e-7, cycles: [new Float(1), 2] } }]);
    assert.ok(whole.includes('"power": 2.0') && whole.includes('"lr_end": 1e-07') && /\[\s*1\.0,\s*2\s*\]/.test(whole), whole);
    assert.ok(!whole.includes('value'), 'no Float box written as an object');
    const parsed = JSON.parse(whole) as { lr_scheduler_kwargs: Record<string, unknown> };
    assert.deepEqual(parsed.lr_scheduler_kwargs, { power: 2, lr_end: 1e-7, cycles: [1, 2] });
  });

  it('TOML: replaces a value and adds a key to the table', () => {
    const text = read('training.toml');
    const after = edit('training.toml', text, [
      { path: ['training', 'warmup_steps'], value: 8 },
      { path: ['training', 'lr_scheduler_kwargs'], value: { power: new Float(2) } },
    ]);
    assert.ok(after.includes('warmup_steps = 8\n'));
    assert.ok(after.includes('output_dir = "out"\nlr_scheduler_kwargs = {"power" = 2.0}'));
    assert.equal(analyzeConfig('training.toml', after).diagnostics.length, 0);
  });

  it('mmengine Python: edits a dict() argument and adds one', () => {
    const text = read('mmengine_schedule.py');
    const after = edit('mmengine_schedule.py', text, [
      { path: ['param_scheduler', 0, 'gamma'], value: 0.5 },
      { path: ['param_scheduler', 0, 'end'], value: 12 },
    ]);
    assert.ok(after.includes("dict(type='MultiStepLR', begin=0, by_epoch=True, milestones=[8, 11], gamma=0.5, end=12)"));
  });

  it("mmengine Python: adds a key to a {'type': ...} dict literal as a quoted key", () => {
    const text = "param_scheduler = [\n    {'type': 'StepLR', 'step_size': 3},\n    {\"type\": \"LinearLR\", \"begin\": 0},\n]\n";
    const after = edit('schedule.py', text, [
      { path: ['param_scheduler', 0, 'gamma'], value: 0.5 },
      { path: ['param_scheduler', 1, 'end'], value: 5 },
    ]);
    assert.ok(after.includes("{'type': 'StepLR', 'step_size': 3, 'gamma': 0.5}"), after);
    assert.ok(after.includes('{"type": "LinearLR", "begin": 0, "end": 5}'), after);
    const [finding] = analyzeConfig('schedule.py', after).schedulers;
    const lists = finding.case.scheduler?.kwargs?.param_scheduler as unknown as Record<string, unknown>[];
    assert.equal(lists[0].gamma, 0.5);
    assert.equal(lists[1].end, 5);
  });

  it('refuses a path whose parent is not a map', () => {
    assert.throws(() => configEdits('lightning-cli.yaml', read('lightning-cli.yaml'), [{ path: ['seed_everything', 'x'], value: 1 }]), ConfigEditError);
  });
});
