// The format layer under the config readers: every format gives the same tree with the ranges of
// keys and values, and OmegaConf interpolations resolve within the file as OmegaConf documents them.
import { strict as assert } from 'node:assert';
import { Float } from '../../src/engine/python/values';
import { parseJsonConfig } from '../../src/analysis/config/jsonTree';
import { parseTomlConfig } from '../../src/analysis/config/tomlTree';
import { childAt, type ConfigNode } from '../../src/analysis/config/tree';
import { ConfigResolver } from '../../src/analysis/config/values';
import { parseYamlConfig } from '../../src/analysis/config/yamlTree';
import type { SourceRange } from '../../src/analysis/types';

function textAt(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  if (range.startLine === range.endLine) return lines[range.startLine].slice(range.startCol, range.endCol);
  return [lines[range.startLine].slice(range.startCol), ...lines.slice(range.startLine + 1, range.endLine), lines[range.endLine].slice(0, range.endCol)].join('\n');
}

function resolve(text: string, path: string[]): { value: unknown; missing: string[] } {
  const doc = parseYamlConfig('c.yaml', text);
  return new ConfigResolver(doc.root).resolve(childAt(doc.root, path) as ConfigNode);
}

describe('config formats', () => {
  it('YAML and JSON keep ints and floats apart as Python would', () => {
    const yaml = parseYamlConfig('a.yaml', 'a: 2\nb: 2.0\nc: 1e-3\nd: "2.0"\n').root;
    assert.equal(childAt(yaml, ['a'])?.value, 2);
    assert.ok(childAt(yaml, ['b'])?.value instanceof Float);
    assert.equal(childAt(yaml, ['c'])?.value, 0.001);
    assert.equal(childAt(yaml, ['d'])?.value, '2.0');
    const json = parseJsonConfig('a.json', '{"a": 2, "b": 2.0, "c": [1e3]}').root;
    assert.equal(childAt(json, ['a'])?.value, 2);
    assert.ok(childAt(json, ['b'])?.value instanceof Float);
    assert.ok(childAt(json, ['c', '0'])?.value instanceof Float);
  });

  it('TOML: tables, dotted keys, arrays of tables, inline tables and multi-line arrays, with ranges', () => {
    const text = [
      'title = "run" # comment',
      '[optim]',
      'lr = 1e-3',
      'betas = [',
      '  0.9,',
      '  0.999, # trailing comma',
      ']',
      'sched.kind = "cosine"',
      '[[phases]]',
      'steps = 10',
      '[[phases]]',
      'steps = 20',
      'extra = { warmup = 2, "quoted key" = true }',
    ].join('\n');
    const doc = parseTomlConfig('a.toml', text);
    assert.deepEqual(doc.errors, []);
    const root = doc.root;
    assert.equal(childAt(root, ['title'])?.value, 'run');
    assert.equal(childAt(root, ['optim', 'lr'])?.value, 0.001);
    assert.equal(textAt(text, childAt(root, ['optim', 'lr'])!.range), '1e-3');
    assert.deepEqual(childAt(root, ['optim', 'betas'])?.items.map((n) => n.value), [0.9, 0.999]);
    assert.equal(childAt(root, ['optim', 'sched', 'kind'])?.value, 'cosine');
    assert.deepEqual(childAt(root, ['phases'])?.items.map((t) => childAt(t, ['steps'])?.value), [10, 20]);
    assert.equal(childAt(root, ['phases', '1', 'extra', 'quoted key'])?.value, true);
    assert.equal(textAt(text, childAt(root, ['phases', '1', 'extra', 'warmup'])!.range), '2');
  });

  it('TOML syntax errors are reported with their position', () => {
    const doc = parseTomlConfig('a.toml', 'a = 1\nb = = 2\n');
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].range.startLine, 1);
  });

  describe('OmegaConf interpolation', () => {
    it('keeps the type of a whole-value reference', () => {
      assert.deepEqual(resolve('a: 3\nb: ${a}\n', ['b']), { value: 3, missing: [] });
      assert.deepEqual(resolve('a: {x: [1, 2]}\nb: ${a.x}\n', ['b']), { value: [1, 2], missing: [] });
      assert.deepEqual(resolve('a: [5, 6]\nb: ${a[1]}\n', ['b']), { value: 6, missing: [] });
    });

    it('formats references inside a string', () => {
      assert.deepEqual(resolve('name: resnet\nlr: 0.1\nrun: ${name}_lr${lr}\n', ['run']), { value: 'resnet_lr0.1', missing: [] });
    });

    it('resolves relative references from the containing node upwards', () => {
      const text = 'model:\n  decay: 0.2\n  sched:\n    gamma: ${..decay}\n    step: ${.size}\n    size: 4\n';
      assert.deepEqual(resolve(text, ['model', 'sched', 'gamma']), { value: 0.2, missing: [] });
      assert.deepEqual(resolve(text, ['model', 'sched', 'step']), { value: 4, missing: [] });
    });

    it('reports resolvers, missing keys and cycles by name', () => {
      assert.deepEqual(resolve('a: ${oc.env:HOME}\n', ['a']), { value: undefined, missing: ['${oc.env:HOME}'] });
      assert.deepEqual(resolve('a: ${nope.x}\n', ['a']), { value: undefined, missing: ['${nope.x}'] });
      assert.equal(resolve('a: ${b}\nb: ${a}\n', ['a']).value, undefined);
    });
  });
});
