import * as assert from 'assert';
import type { SchedulerFinding, SourceRange } from '../../../src/analysis/types';
import { dottedNameAt, hoverTarget } from '../../../src/extension/present/hoverTarget';

// Only the fields hoverTarget reads: where each constructor call is and which variables it binds.
function finding(variable: string, optimizer: string, range: SourceRange): SchedulerFinding {
  const call = { type: 'StepLR', variable, range, argumentsRange: range, arguments: [] };
  return {
    line: range.startLine + 1, type: 'StepLR', variable, unit: 'epoch', case: { optimizer: { type: 'SGD' }, steps: 1 },
    unresolved: [], trace: null, error: null, call, optimizer: { ...call, type: 'SGD', variable: optimizer }, epochs: 1, stepsPerEpoch: null,
  };
}

const at = (line: number, startCol: number, endCol: number): SourceRange => ({ startLine: line, startCol, endLine: line, endCol });

describe('present: what a hover is about', () => {
  const first = finding('scheduler', 'optimizer', at(3, 16, 50));
  const second = finding('scheduler', 'optimizer', at(20, 16, 50));
  const findings = [first, second];

  it('reads dotted names under the cursor', () => {
    assert.deepStrictEqual(dottedNameAt('    self.scheduler.step()', 11), { name: 'self.scheduler', start: 4, end: 18 });
    assert.deepStrictEqual(dottedNameAt('x = scheduler . get_last_lr()', 20), { name: 'scheduler.get_last_lr', start: 4, end: 27 });
    assert.strictEqual(dottedNameAt('a  b', 2), null);
  });

  it('the constructor call under the cursor', () => {
    assert.strictEqual(hoverTarget(findings, '    scheduler = StepLR(optimizer, step_size=30)', 3, 25)?.finding, first);
  });

  it('the variable, bound by the latest assignment at or before the line', () => {
    assert.strictEqual(hoverTarget(findings, '    scheduler.step()', 10, 6)?.finding, first);
    assert.strictEqual(hoverTarget(findings, '    scheduler.step()', 25, 6)?.finding, second);
    assert.strictEqual(hoverTarget(findings, '    scheduler.step()', 10, 15), null, 'not on .step');
  });

  it('get_last_lr() of a scheduler variable', () => {
    const target = hoverTarget(findings, 'print(scheduler.get_last_lr()[0])', 12, 20);
    assert.strictEqual(target?.finding, first);
    assert.deepStrictEqual(target?.range, at(12, 6, 27));
  });

  it("optimizer.param_groups[i]['lr'], with the group read", () => {
    const line = 'print(f"{optimizer.param_groups[1][\'lr\']:.2e}")';
    const target = hoverTarget(findings, line, 22, line.indexOf('param_groups') + 3);
    assert.strictEqual(target?.finding, second);
    assert.strictEqual(target?.group, 1);
  });

  it('nothing for unrelated names', () => {
    assert.strictEqual(hoverTarget(findings, '    model.train()', 8, 6), null);
  });
});
