// Reads case JSON the way Python's json.load does: `2.0` stays a float (boxed as Float) and `2` an int,
// because torch tells them apart (`isinstance(T_0, int)`, `isinstance(pct_start, float)`).
import { Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { Float } from './python/values';

export class JsonSyntaxError extends Error {}

export function parseCaseJson(text: string): unknown {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !root) {
    const first = errors[0];
    const where = first ? lineAndColumn(text, first.offset) : 'end of input';
    throw new JsonSyntaxError(`invalid JSON at ${where}: ${first ? printParseErrorCode(first.error) : 'empty document'}`);
  }
  return toValue(root, text);
}

function toValue(node: Node, text: string): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) result[key.value as string] = toValue(value, text);
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map((child) => toValue(child, text));
    case 'number': {
      const literal = text.slice(node.offset, node.offset + node.length);
      const value = node.value as number;
      return /[.eE]/.test(literal) && Number.isInteger(value) ? new Float(value) : value;
    }
    default:
      return node.value;
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length} column ${before[before.length - 1].length + 1}`;
}
