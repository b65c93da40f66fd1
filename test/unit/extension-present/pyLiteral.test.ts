import * as assert from 'assert';
import { Float } from '../../../src/engine/python/values';
import { parsePythonLiteral } from '../../../src/extension/present/pyLiteral';

const value = (text: string) => {
  const parsed = parsePythonLiteral(text);
  assert.ok(parsed.ok, `${text}: ${!parsed.ok && parsed.error}`);
  return parsed.value;
};

describe('present: values typed for unresolved names', () => {
  it('reads ints and floats as Python does, keeping integral floats floats', () => {
    assert.strictEqual(value('30'), 30);
    assert.strictEqual(value('0.1'), 0.1);
    assert.strictEqual(value('-3e-4'), -3e-4);
    assert.strictEqual(value('1_000'), 1000);
    assert.deepStrictEqual(value('2.0'), new Float(2));
    assert.deepStrictEqual(value('1e3'), new Float(1000));
  });

  it('reads strings, constants, lists, tuples and dicts', () => {
    assert.strictEqual(value("'cos'"), 'cos');
    assert.strictEqual(value('"triangular2"'), 'triangular2');
    assert.strictEqual(value('True'), true);
    assert.strictEqual(value('None'), null);
    assert.deepStrictEqual(value('[30, 60, 90]'), [30, 60, 90]);
    assert.deepStrictEqual(value('(0.9, 0.999)'), [0.9, 0.999]);
    assert.deepStrictEqual(value("{'lr': 0.1, 'warmup': 5}"), { lr: 0.1, warmup: 5 });
  });

  it('refuses anything that is not a literal', () => {
    for (const text of ['', 'lr * 2', '__import__("os")', '[1, 2', 'Truee', '-"a"', 'math.pi']) {
      assert.strictEqual(parsePythonLiteral(text).ok, false, text);
    }
  });
});
