// YAML → ConfigNode with the `yaml` package's source ranges. Scalars follow YAML 1.2's core schema,
// except that a number's int/float kind comes from how it is written, as Python tells them apart.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node as YamlNode } from 'yaml';
import type { PyLike } from '../../engine/case';
import { ConfigDocument, LineIndex, mapNode, pythonNumber, scalarNode, seqNode, type ConfigEntry, type ConfigNode } from './tree';

export function parseYamlConfig(fileName: string, text: string): ConfigDocument {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter: new LineCounter(), uniqueKeys: false });
  const errors = doc.errors.map((error) => ({ message: error.message.split('\n')[0], range: lines.range(error.pos[0], error.pos[1]) }));
  const empty = scalarNode(null, lines.range(0, 0), '');
  const root = doc.contents ? toNode(doc.contents as YamlNode, text, lines) : empty;
  return { format: 'yaml', fileName, text, root, errors };
}

function toNode(node: YamlNode, text: string, lines: LineIndex): ConfigNode {
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  const range = lines.range(start, valueEnd);
  const source = text.slice(start, valueEnd);
  if (isMap(node)) {
    const entries: ConfigEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      if (!key || !isScalar(key) || pair.value === null || pair.value === undefined) continue;
      const [ks, ke] = key.range ?? [0, 0];
      entries.push({ key: String(key.value), keyRange: lines.range(ks, ke), value: toNode(pair.value as YamlNode, text, lines) });
    }
    return mapNode(entries, range, source);
  }
  if (isSeq(node)) return seqNode(node.items.map((item) => toNode(item as YamlNode, text, lines)), range, source);
  if (isScalar(node)) return scalarNode(scalarValue(node, source), range, source);
  // Aliases and other nodes: their value is not read here.
  return scalarNode(undefined, range, source);
}

function scalarValue(node: Scalar, source: string): PyLike {
  const value = node.value;
  if (typeof value === 'number') return pythonNumber(value, source);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return String(value);
}
