// The host validates every message from the webview; the host's conversion of the analysis into the
// panel's schedules (real tree-sitter analysis of Python source).
import { strict as assert } from 'node:assert';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { parseCaseJson } from '../../src/engine/caseJson';
import { Float } from '../../src/engine/python/values';
import { panelSchedules, scheduleIndexAt } from '../../src/extension/panel/schedules';
import { encodeCase, parseWebviewMessage } from '../../src/shared/protocol';

const range = { startLine: 1, startCol: 0, endLine: 1, endCol: 10 };
const call = { type: 'StepLR', variable: 's', range, argumentsRange: range, arguments: [{ name: 'gamma', position: null, text: '0.1', range }], text: 'StepLR(...)' };

describe('panel protocol', () => {
  it('accepts the messages the webview sends', () => {
    const messages = [
      { type: 'ready', state: null },
      { type: 'ready', state: { uri: 'file:///a.py', line: 3, edits: { 'sched.gamma': '0.5' }, logScale: true, xUnit: 'epoch', metric: { kind: 'csv', name: 'a.csv', column: 1, text: 'a,b\n1,2' } } },
      { type: 'select', line: 4 },
      { type: 'apply', requestId: 1, uri: 'file:///a.py', version: 3, calls: [{ call, changes: [{ name: 'gamma', text: '0.5' }, { name: 'lr', text: '0.2', group: 1 }] }] },
      { type: 'exportPng', fileName: 'a.png', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'rendered', line: 3, rounds: 90, first: [0.1], last: [0.001], error: null },
    ];
    for (const message of messages) assert.deepEqual(parseWebviewMessage(message), message, message.type);
  });

  it('rejects anything else', () => {
    const bad = [
      null,
      'apply',
      { type: 'runCommand', command: 'x' },
      { type: 'select', line: -1 },
      { type: 'select', line: 2, extra: true },
      { type: 'apply', requestId: 1, uri: 'file:///a.py', version: 3, calls: [{ call: { ...call, text: 5 }, changes: [] }] },
      { type: 'apply', requestId: 1, uri: 'file:///a.py', version: 3, calls: [{ call, changes: [{ name: 'gamma' }] }] },
      { type: 'exportPng', fileName: 'a.png', dataUrl: 'javascript:alert(1)' },
      { type: 'ready', state: { uri: null, line: null, edits: { a: 1 }, logScale: false, xUnit: 'round', metric: { kind: 'synthetic' } } },
      { type: '__proto__' },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), null, JSON.stringify(message));
  });

  it('encodes cases so that Python floats stay floats', () => {
    const scheduleCase = { optimizer: { type: 'SGD', defaults: { lr: new Float(1) } }, steps: 3, scheduler: { type: 'OneCycleLR', kwargs: { max_lr: 0.1, pct_start: new Float(0), total_steps: 3 } } };
    const text = encodeCase(scheduleCase);
    assert.equal(text, '{"optimizer":{"type":"SGD","defaults":{"lr":1.0}},"steps":3,"scheduler":{"type":"OneCycleLR","kwargs":{"max_lr":0.1,"pct_start":0.0,"total_steps":3}}}');
    assert.deepEqual(parseCaseJson(text), scheduleCase);
  });
});

describe('panel schedules from the analysis', () => {
  before(() => initPythonAnalysis());

  const source = `import torch
from torch.optim.lr_scheduler import LinearLR, CosineAnnealingLR, SequentialLR, StepLR

model = torch.nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)
scheduler = SequentialLR(
    optimizer,
    schedulers=[warmup, CosineAnnealingLR(optimizer, T_max=95)],
    milestones=[5],
)
for epoch in range(100):
    optimizer.step()
    scheduler.step()
`;

  it('gives each scheduler its calls: the root that the controls edit, the children, the optimizer', () => {
    const schedules = panelSchedules(analyzePython(source).schedulers, source);
    const sequential = schedules.find((item) => item.type === 'SequentialLR')!;
    assert.ok(sequential, 'the analysis finds the SequentialLR');
    assert.equal(sequential.rootCall?.text, sequential.call.text);
    assert.ok(sequential.call.text.startsWith('SequentialLR(\n    optimizer,'));
    // One child named by its variable, one written inline.
    assert.deepEqual(
      sequential.children.map((child) => child?.text ?? null),
      ['LinearLR(optimizer, start_factor=0.1, total_iters=5)', 'CosineAnnealingLR(optimizer, T_max=95)'],
    );
    assert.equal(sequential.optimizer?.text, 'torch.optim.SGD(model.parameters(), lr=0.1)');
    const warmup = schedules.find((item) => item.variable === 'warmup')!;
    // A child is simulated inside its parent: the panel tunes the parent's case through the parent's call.
    assert.equal(warmup.rootCall?.text, sequential.call.text);
    assert.deepEqual(warmup.children, sequential.children);
    assert.equal(schedules[scheduleIndexAt(schedules, 9)].type, 'SequentialLR');
    assert.equal(schedules[scheduleIndexAt(schedules, 6)].variable, 'warmup');
  });
});
