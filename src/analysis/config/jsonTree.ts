// JSON (comments and trailing commas allowed, as in VS Code's JSON with Comments) → ConfigNode.
import { Node as JsonNode, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { ConfigDocument, LineIndex, mapNode, pythonNumber, scalarNode, seqNode, type ConfigEntry, type ConfigNode } from './tree';

export function parseJsonConfig(fileName: string, text: string): ConfigDocument {
  const lines = new LineIndex(text);
  const parseErrors: ParseError[] = [];
  const tree = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.map((error) => ({
    message: `invalid JSON: ${printParseErrorCode(error.error)}`,
    range: lines.range(error.offset, error.offset + error.length),
  }));
  const root = tree ? toNode(tree, text, lines) : scalarNode(null, lines.range(0, 0), '');
  return { format: 'json', fileName, text, root, errors };
}

function toNode(node: JsonNode, text: string, lines: LineIndex): ConfigNode {
  const range = lines.range(node.offset, node.offset + node.length);
  const source = text.slice(node.offset, node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const entries: ConfigEntry[] = [];
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        entries.push({ key: String(key.value), keyRange: lines.range(key.offset, key.offset + key.length), value: toNode(value, text, lines) });
      }
      return mapNode(entries, range, source);
    }
    case 'array':
      return seqNode((node.children ?? []).map((item) => toNode(item, text, lines)), range, source);
    case 'number':
      return scalarNode(pythonNumber(node.value as number, source), range, source);
    default:
      return scalarNode(node.value as string | boolean | null, range, source);
  }
}
