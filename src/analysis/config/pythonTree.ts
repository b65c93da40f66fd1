// mmengine/mmcv Python config files → ConfigNode: each module-level `name = value` is a root entry;
// `dict(k=v)`, `{...}`, lists, tuples and literals become maps, lists and scalars. A name bound earlier in
// the file stands for that binding's node (so Apply edits the definition), and plain arithmetic on
// numbers is evaluated. Anything else (calls, `_base_` values from other files) stays unresolved.
import type { Node } from 'web-tree-sitter';
import type { PyLike } from '../../engine/case';
import { Float, isNumberLike, toNumber } from '../../engine/python/values';
import { loadedPythonParser } from '../python/parser';
import { namedChildrenOf, rangeOf, stringValue, unparenthesize } from '../python/syntax';
import { ConfigDocument, LineIndex, mapNode, scalarNode, seqNode, type ConfigEntry, type ConfigNode } from './tree';

export function parsePythonConfig(fileName: string, text: string): ConfigDocument {
  const tree = loadedPythonParser().parser.parse(text);
  if (!tree) throw new Error('tree-sitter could not parse the config');
  try {
    const bindings = new Map<string, ConfigNode>();
    const entries: ConfigEntry[] = [];
    for (const statement of namedChildrenOf(tree.rootNode)) {
      if (statement.type !== 'expression_statement') continue;
      const assignment = statement.namedChild(0);
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      const value = toNode(right, bindings);
      bindings.set(left.text, value);
      const existing = entries.findIndex((e) => e.key === left.text);
      const record = { key: left.text, keyRange: rangeOf(left), value };
      if (existing >= 0) entries[existing] = record;
      else entries.push(record);
    }
    const errors = tree.rootNode.hasError ? [{ message: 'syntax error in the Python config', range: rangeOf(tree.rootNode) }] : [];
    const lines = new LineIndex(text);
    return { format: 'python', fileName, text, root: mapNode(entries, lines.range(0, text.length), text), errors };
  } finally {
    tree.delete();
  }
}

function toNode(raw: Node, bindings: Map<string, ConfigNode>): ConfigNode {
  const node = unparenthesize(raw);
  const range = rangeOf(node);
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn?.text !== 'dict' || !args) return scalarNode(undefined, range, node.text);
      const entries: ConfigEntry[] = [];
      for (const arg of namedChildrenOf(args)) {
        const name = arg.type === 'keyword_argument' ? arg.childForFieldName('name') : null;
        const value = arg.childForFieldName('value');
        if (!name || !value) return scalarNode(undefined, range, node.text);
        entries.push({ key: name.text, keyRange: rangeOf(name), value: toNode(value, bindings) });
      }
      return mapNode(entries, range, node.text);
    }
    case 'dictionary': {
      const entries: ConfigEntry[] = [];
      for (const pair of namedChildrenOf(node)) {
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        const keyText = key && (stringValue(key) ?? (key.type === 'integer' ? key.text : null));
        if (pair.type !== 'pair' || !key || !value || keyText === null) return scalarNode(undefined, range, node.text);
        entries.push({ key: keyText, keyRange: rangeOf(key), value: toNode(value, bindings) });
      }
      return mapNode(entries, range, node.text);
    }
    case 'list':
    case 'tuple':
      return seqNode(namedChildrenOf(node).map((item) => toNode(item, bindings)), range, node.text);
    case 'integer':
    case 'float': {
      const literal = node.text.replace(/_/g, '');
      const value = Number(literal);
      return scalarNode(node.type === 'float' && Number.isInteger(value) ? new Float(value) : value, range, node.text);
    }
    case 'string':
    case 'concatenated_string': {
      const value = stringValue(node);
      return scalarNode(value === null ? undefined : value, range, node.text);
    }
    case 'true':
      return scalarNode(true, range, node.text);
    case 'false':
      return scalarNode(false, range, node.text);
    case 'none':
      return scalarNode(null, range, node.text);
    case 'identifier':
      return bindings.get(node.text) ?? scalarNode(undefined, range, node.text);
    case 'unary_operator':
    case 'binary_operator':
      return scalarNode(arithmetic(node, bindings), range, node.text);
    default:
      return scalarNode(undefined, range, node.text);
  }
}

/** `-x`, `a + b`, `a * b`, … on numbers, with Python's int/float result types. */
function arithmetic(node: Node, bindings: Map<string, ConfigNode>): PyLike | undefined {
  const operand = (n: Node | null): { value: number; float: boolean } | null => {
    if (!n) return null;
    const value = toNode(n, bindings).value;
    if (value === undefined || value === null || !isNumberLike(value) || typeof value === 'boolean') return null;
    return { value: toNumber(value), float: value instanceof Float || !Number.isInteger(value) };
  };
  const result = (value: number, float: boolean): PyLike => (float && Number.isInteger(value) ? new Float(value) : value);
  if (node.type === 'unary_operator') {
    const x = operand(node.childForFieldName('argument'));
    const op = node.childForFieldName('operator')?.text;
    if (!x || (op !== '-' && op !== '+')) return undefined;
    return result(op === '-' ? -x.value : x.value, x.float);
  }
  const a = operand(node.childForFieldName('left'));
  const b = operand(node.childForFieldName('right'));
  const op = node.childForFieldName('operator')?.text;
  if (!a || !b) return undefined;
  const float = a.float || b.float;
  switch (op) {
    case '+':
      return result(a.value + b.value, float);
    case '-':
      return result(a.value - b.value, float);
    case '*':
      return result(a.value * b.value, float);
    case '/':
      return b.value === 0 ? undefined : result(a.value / b.value, true);
    case '//':
      return b.value === 0 ? undefined : result(Math.floor(a.value / b.value), float);
    case '**':
      return result(a.value ** b.value, float || b.value < 0);
    default:
      return undefined;
  }
}
