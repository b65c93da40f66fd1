import * as assert from 'assert';
import type { SourceRange } from '../../src/analysis/types';
import { applyToCallText, callEdits, staleCallReason } from '../../src/extension/panel/applyEdits';
import type { ArgumentChange, PanelCall } from '../../src/shared/protocol';

/** Position of a document offset, as the analysis reports it (0-based line and UTF-16 column). */
function positionAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, col: before[before.length - 1].length };
}

function rangeAt(text: string, from: number, to: number): SourceRange {
  const a = positionAt(text, from);
  const b = positionAt(text, to);
  return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
}

/**
 * A PanelCall for the call starting at `head` in `source`, with the given arguments found in order
 * (each `[name, position, valueText]`); the call ends at its matching parenthesis.
 */
function callIn(source: string, head: string, args: [string | null, number | null, string][]): PanelCall {
  const callStart = source.indexOf(head);
  assert.ok(callStart >= 0, `no ${head} in the source`);
  const open = callStart + head.length - 1;
  let depth = 0;
  let close = open;
  for (let i = open; i < source.length; i++) {
    if ('([{'.includes(source[i])) depth++;
    if (')]}'.includes(source[i]) && --depth === 0) {
      close = i;
      break;
    }
  }
  let cursor = open;
  const argumentsInfo = args.map(([name, position, text]) => {
    const at = source.indexOf(text, cursor);
    assert.ok(at >= 0 && at < close, `no argument ${text}`);
    cursor = at + text.length;
    return { name, position, text, range: rangeAt(source, at, at + text.length) };
  });
  return {
    type: head.replace(/\($/, '').split('.').pop() ?? head,
    variable: null,
    range: rangeAt(source, callStart, close + 1),
    argumentsRange: rangeAt(source, open, close + 1),
    arguments: argumentsInfo,
    text: source.slice(callStart, close + 1),
  };
}

function tuned(call: PanelCall, changes: ArgumentChange[]): string {
  const outcome = callEdits(call, changes);
  if ('error' in outcome) throw new Error(outcome.error);
  return applyToCallText(call, outcome.edits);
}

describe('panel Apply edits', () => {
  it('replaces only the changed keyword value and keeps comments and spacing', () => {
    const source = 'x = 1\nsched = StepLR(opt,  step_size = 30 ,  # every 30 epochs\n   gamma=0.1)\n';
    const call = callIn(source, 'StepLR(', [['optimizer', 0, 'opt'], ['step_size', null, '30'], ['gamma', null, '0.1']]);
    assert.strictEqual(tuned(call, [{ name: 'step_size', text: '3' }, { name: 'gamma', text: '0.1' }]), 'StepLR(opt,  step_size = 3 ,  # every 30 epochs\n   gamma=0.1)');
  });

  it('replaces an argument written positionally', () => {
    const source = 'opt = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9)';
    const call = callIn(source, 'torch.optim.SGD(', [['params', 0, 'model.parameters()'], ['lr', 1, '0.1'], ['momentum', null, '0.9']]);
    assert.strictEqual(tuned(call, [{ name: 'lr', text: '0.05' }]), 'torch.optim.SGD(model.parameters(), 0.05, momentum=0.9)');
  });

  it('adds a missing argument as a keyword on the same line', () => {
    const source = 's = ReduceLROnPlateau(optimizer, mode="min")';
    const call = callIn(source, 'ReduceLROnPlateau(', [['optimizer', 0, 'optimizer'], ['mode', null, '"min"']]);
    assert.strictEqual(
      tuned(call, [{ name: 'patience', text: '3' }, { name: 'factor', text: '0.5' }]),
      'ReduceLROnPlateau(optimizer, mode="min", patience=3, factor=0.5)',
    );
  });

  it('adds a missing argument on its own line in a one-argument-per-line call, after a trailing comment', () => {
    const source = 's = OneCycleLR(\n    optimizer,\n    max_lr=0.1,  # peak\n    total_steps=1000,\n)\n';
    const call = callIn(source, 'OneCycleLR(', [['optimizer', 0, 'optimizer'], ['max_lr', null, '0.1'], ['total_steps', null, '1000']]);
    assert.strictEqual(tuned(call, [{ name: 'pct_start', text: '0.25' }]), 'OneCycleLR(\n    optimizer,\n    max_lr=0.1,  # peak\n    total_steps=1000,\n    pct_start=0.25,\n)');
    const noComma = 's = OneCycleLR(\n    optimizer,\n    max_lr=0.1  # peak\n)\n';
    const call2 = callIn(noComma, 'OneCycleLR(', [['optimizer', 0, 'optimizer'], ['max_lr', null, '0.1']]);
    assert.strictEqual(tuned(call2, [{ name: 'total_steps', text: '100' }]), 'OneCycleLR(\n    optimizer,\n    max_lr=0.1,  # peak\n    total_steps=100\n)');
  });

  it('edits the lr of one param group inside its dict literal, or adds it', () => {
    const source = "opt = SGD([\n  {'params': a.parameters()},\n  {'params': b.parameters(), 'lr': 1e-3},  # head\n], lr=0.1)";
    const call = callIn(source, 'SGD(', [['params', 0, "[\n  {'params': a.parameters()},\n  {'params': b.parameters(), 'lr': 1e-3},  # head\n]"], ['lr', null, '0.1']]);
    assert.strictEqual(
      tuned(call, [{ name: 'lr', group: 1, text: '0.002' }, { name: 'lr', group: 0, text: '0.2' }]),
      "SGD([\n  {'params': a.parameters(), 'lr': 0.2},\n  {'params': b.parameters(), 'lr': 0.002},  # head\n], lr=0.1)",
    );
    const dictCalls = 'opt = Adam([dict(params=a, lr=0.1), dict(params=b)])';
    const call2 = callIn(dictCalls, 'Adam(', [['params', 0, '[dict(params=a, lr=0.1), dict(params=b)]']]);
    assert.strictEqual(tuned(call2, [{ name: 'lr', group: 0, text: '0.3' }, { name: 'lr', group: 1, text: '0.4' }]), 'Adam([dict(params=a, lr=0.3), dict(params=b, lr=0.4)])');
  });

  it('refuses a param group it cannot see', () => {
    const source = 'opt = SGD(groups, lr=0.1)';
    const call = callIn(source, 'SGD(', [['params', 0, 'groups'], ['lr', null, '0.1']]);
    const outcome = callEdits(call, [{ name: 'lr', group: 0, text: '0.2' }]);
    assert.ok('error' in outcome && /param group 0/.test(outcome.error));
  });

  it('knows when the call moved or changed', () => {
    const source = 'a = 1\ns = StepLR(opt, step_size=30)\n';
    const call = callIn(source, 'StepLR(', [['optimizer', 0, 'opt'], ['step_size', null, '30']]);
    assert.strictEqual(staleCallReason(source, call), null);
    assert.strictEqual(staleCallReason(source.replace('a = 1', 'a = 2'), call), null);
    assert.match(staleCallReason('# new line\n' + source, call) ?? '', /moved/);
    assert.match(staleCallReason(source.replace('30', '20'), call) ?? '', /changed or removed/);
    assert.match(staleCallReason('a = 1\n', call) ?? '', /changed or removed/);
  });
});
