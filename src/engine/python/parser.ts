// Recursive-descent parser for the Python subset: expressions (with lambda), and `def` blocks with
// assignments, if/elif/else, bounded for loops, return, pass and imports. Anything else is reported
// as unsupported, quoting the source, rather than approximated.

import { UnsupportedError } from '../errors';
import type { BinaryOperator, CompareOperator, Expr, FunctionDef, Keyword, Parameter, Span, Stmt, Target } from './ast';
import type { PyValue } from './objects';
import { columnOf, tokenize, type Token } from './tokenizer';
import { Float } from './values';

/** What the source turned out to be. */
export type ParsedSource =
  | { kind: 'lambda'; params: Parameter[]; body: Expr }
  | { kind: 'expression'; body: Expr }
  | { kind: 'def'; def: FunctionDef };

const AUGMENTED: Record<string, BinaryOperator> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '//=': '//', '%=': '%', '**=': '**',
  '<<=': '<<', '>>=': '>>', '&=': '&', '|=': '|', '^=': '^',
};

const UNSUPPORTED_STATEMENTS: Record<string, string> = {
  while: 'a while loop', try: 'a try statement', with: 'a with statement', class: 'a class definition',
  raise: 'a raise statement', assert: 'an assert statement', del: 'a del statement', global: 'a global statement',
  nonlocal: 'a nonlocal statement', yield: 'yield', async: 'async code', await: 'await', match: 'a match statement',
};

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export class Parser {
  private tokens: Token[];
  private index = 0;

  /**
   * @param source the text (already dedented)
   * @param role what the text is, for messages ("lr_lambda")
   */
  constructor(
    private readonly source: string,
    private readonly role: string,
  ) {
    this.tokens = tokenize(source, (what) => `LR Lens cannot parse ${role}: ${what}`);
  }

  parseSource(): ParsedSource {
    while (this.peek().kind === 'newline') this.index++;
    if (this.isName('def')) {
      const def = this.parseDef();
      if (this.peek().kind !== 'end') this.unsupported('code after the function definition', this.peek());
      return { kind: 'def', def };
    }
    if (this.isOp('@')) this.unsupported('a decorator', this.peek());
    const body = this.parseTestList();
    while (this.peek().kind === 'newline') this.index++;
    if (this.peek().kind !== 'end') this.syntaxError(this.peek());
    if (body.kind === 'lambda') return { kind: 'lambda', params: body.params, body: body.body };
    return { kind: 'expression', body };
  }

  // ---- statements ----

  private parseDef(): FunctionDef {
    const start = this.next().start; // 'def'
    const name = this.expectName();
    this.expectOp('(');
    const params: Parameter[] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**') || this.isOp('/')) this.unsupported("a '*', '**' or '/' parameter", this.peek());
      const param = this.expectName();
      if (this.acceptOp(':')) this.parseTest(); // annotations are ignored
      const defaultValue = this.acceptOp('=') ? this.parseTest() : null;
      params.push({ name: param, defaultValue });
      if (!this.acceptOp(',')) break;
    }
    this.expectOp(')');
    if (this.acceptOp('->')) this.parseTest();
    this.expectOp(':');
    const body = this.parseSuite();
    return { name, params, body, start, end: this.tokens[this.index - 1].end };
  }

  private parseSuite(): Stmt[] {
    if (this.peek().kind !== 'newline') return this.parseSimpleStatements();
    this.index++;
    if (this.peek().kind !== 'indent') this.syntaxError(this.peek(), 'expected an indented block');
    this.index++;
    const body: Stmt[] = [];
    while (this.peek().kind !== 'dedent' && this.peek().kind !== 'end') body.push(...this.parseStatement());
    if (this.peek().kind === 'dedent') this.index++;
    return body;
  }

  private parseStatement(): Stmt[] {
    const token = this.peek();
    if (token.kind === 'name') {
      switch (token.text) {
        case 'if':
          return [this.parseIf()];
        case 'for':
          return [this.parseFor()];
        case 'def':
          this.unsupported('a nested function definition', token);
      }
      if (UNSUPPORTED_STATEMENTS[token.text] && this.tokens[this.index + 1]?.text !== '=') {
        this.unsupported(UNSUPPORTED_STATEMENTS[token.text], token);
      }
    }
    if (token.kind === 'op' && token.text === '@') this.unsupported('a decorator', token);
    return this.parseSimpleStatements();
  }

  private parseIf(): Stmt {
    const start = this.next().start; // 'if' or 'elif'
    const test = this.parseNamedTest();
    this.expectOp(':');
    const body = this.parseSuite();
    let orelse: Stmt[] = [];
    if (this.isName('elif')) orelse = [this.parseIf()];
    else if (this.isName('else')) {
      this.index++;
      this.expectOp(':');
      orelse = this.parseSuite();
    }
    return { kind: 'if', test, body, orelse, start, end: this.tokens[this.index - 1].end };
  }

  private parseFor(): Stmt {
    const start = this.next().start;
    const target = this.toTarget(this.parseExprList());
    this.expectName('in');
    const iter = this.parseTestList();
    this.expectOp(':');
    const body = this.parseSuite();
    let orelse: Stmt[] = [];
    if (this.isName('else')) {
      this.index++;
      this.expectOp(':');
      orelse = this.parseSuite();
    }
    return { kind: 'for', target, iter, body, orelse, start, end: this.tokens[this.index - 1].end };
  }

  private parseSimpleStatements(): Stmt[] {
    const statements: Stmt[] = [this.parseSmallStatement()];
    while (this.acceptOp(';')) {
      if (this.peek().kind === 'newline') break;
      statements.push(this.parseSmallStatement());
    }
    const end = this.peek();
    if (end.kind === 'newline') this.index++;
    else if (end.kind !== 'end' && end.kind !== 'dedent') this.syntaxError(end);
    return statements;
  }

  private parseSmallStatement(): Stmt {
    const token = this.peek();
    const start = token.start;
    if (token.kind === 'name') {
      switch (token.text) {
        case 'pass':
        case 'break':
        case 'continue':
          this.index++;
          return { kind: token.text, start, end: token.end };
        case 'return': {
          this.index++;
          const atEnd = ['newline', 'end', 'dedent'].includes(this.peek().kind) || this.isOp(';');
          const value = atEnd ? null : this.parseTestList();
          return { kind: 'return', value, start, end: this.tokens[this.index - 1].end };
        }
        case 'import':
          return this.parseImport();
        case 'from':
          return this.parseFromImport();
      }
      if (UNSUPPORTED_STATEMENTS[token.text] && this.tokens[this.index + 1]?.text !== '=') {
        this.unsupported(UNSUPPORTED_STATEMENTS[token.text], token);
      }
    }
    const first = this.parseTestList();
    const op = this.peek();
    if (op.kind === 'op' && AUGMENTED[op.text]) {
      this.index++;
      const target = this.toTarget(first);
      if (target.kind !== 'name') this.unsupported('augmented assignment to', first);
      const value = this.parseTestList();
      return { kind: 'augassign', target: target as Target & { kind: 'name' }, op: AUGMENTED[op.text], value, start, end: value.end };
    }
    if (op.kind === 'op' && op.text === ':') {
      // Annotated assignment: `x: float = 0.5`.
      this.index++;
      this.parseTest();
      const target = this.toTarget(first);
      if (!this.acceptOp('=')) return { kind: 'pass', start, end: this.tokens[this.index - 1].end };
      const value = this.parseTestList();
      return { kind: 'assign', targets: [target], value, start, end: value.end };
    }
    if (op.kind === 'op' && op.text === '=') {
      const targets: Target[] = [];
      let value = first;
      while (this.acceptOp('=')) {
        targets.push(this.toTarget(value));
        value = this.parseTestList();
      }
      return { kind: 'assign', targets, value, start, end: value.end };
    }
    return { kind: 'expression', value: first, start, end: first.end };
  }

  private parseImport(): Stmt {
    const start = this.next().start;
    const module = this.parseDottedName();
    const alias = this.acceptName('as') ? this.expectName() : module.split('.')[0];
    if (this.isOp(',')) this.unsupported('importing several modules in one statement', this.peek());
    if (module.includes('.') && alias === module.split('.')[0]) this.unsupported(`import ${module}`, this.tokens[this.index - 1]);
    return { kind: 'import', module, alias, start, end: this.tokens[this.index - 1].end };
  }

  private parseFromImport(): Stmt {
    const start = this.next().start;
    const module = this.parseDottedName();
    this.expectName('import');
    const parenthesized = this.acceptOp('(');
    const names: { name: string; alias: string }[] = [];
    do {
      if (this.isOp('*')) this.unsupported('a star import', this.peek());
      if (parenthesized && this.isOp(')')) break;
      const name = this.expectName();
      names.push({ name, alias: this.acceptName('as') ? this.expectName() : name });
    } while (this.acceptOp(','));
    if (parenthesized) this.expectOp(')');
    return { kind: 'importfrom', module, names, start, end: this.tokens[this.index - 1].end };
  }

  private parseDottedName(): string {
    let name = this.expectName();
    while (this.acceptOp('.')) name += '.' + this.expectName();
    return name;
  }

  private toTarget(expr: Expr): Target {
    if (expr.kind === 'name') return { kind: 'name', id: expr.id, start: expr.start, end: expr.end };
    if (expr.kind === 'tuple' || expr.kind === 'list') {
      return { kind: 'tuple', elements: expr.elements.map((e) => this.toTarget(e)), start: expr.start, end: expr.end };
    }
    if (expr.kind === 'attribute' || expr.kind === 'subscript') this.unsupported('assignment to', expr);
    return this.syntaxError(expr, 'cannot assign to expression');
  }

  // ---- expressions ----

  private parseExprList(): Expr {
    // Targets of `for`: a comma list of bitwise-or expressions.
    const first = this.parseBitOr();
    if (!this.isOp(',')) return first;
    const elements = [first];
    while (this.acceptOp(',')) {
      if (this.isName('in')) break;
      elements.push(this.parseBitOr());
    }
    return { kind: 'tuple', elements, start: first.start, end: this.tokens[this.index - 1].end };
  }

  private parseTestList(): Expr {
    const first = this.parseTest();
    if (!this.isOp(',')) return first;
    const elements = [first];
    while (this.acceptOp(',')) {
      if (this.atExpressionEnd()) break;
      elements.push(this.parseTest());
    }
    return { kind: 'tuple', elements, start: first.start, end: this.tokens[this.index - 1].end };
  }

  private atExpressionEnd(): boolean {
    const token = this.peek();
    if (token.kind === 'newline' || token.kind === 'end' || token.kind === 'dedent') return true;
    return token.kind === 'op' && [')', ']', '}', '=', ';', ':'].includes(token.text);
  }

  private parseNamedTest(): Expr {
    const expr = this.parseTest();
    if (this.isOp(':=')) this.unsupported('an assignment expression', this.peek());
    return expr;
  }

  private parseTest(): Expr {
    if (this.isName('lambda')) return this.parseLambda();
    const body = this.parseOr();
    if (!this.isName('if')) return body;
    this.index++;
    const test = this.parseOr();
    this.expectName('else');
    const orelse = this.parseTest();
    return { kind: 'conditional', test, body, orelse, start: body.start, end: orelse.end };
  }

  private parseLambda(): Expr {
    const start = this.next().start;
    const params: Parameter[] = [];
    while (!this.isOp(':')) {
      if (this.isOp('*') || this.isOp('**') || this.isOp('/')) this.unsupported("a '*', '**' or '/' parameter", this.peek());
      const name = this.expectName();
      const defaultValue = this.acceptOp('=') ? this.parseTest() : null;
      params.push({ name, defaultValue });
      if (!this.acceptOp(',')) break;
    }
    this.expectOp(':');
    const body = this.parseTest();
    return { kind: 'lambda', params, body, start, end: body.end };
  }

  private parseOr(): Expr {
    const first = this.parseAnd();
    if (!this.isName('or')) return first;
    const values = [first];
    while (this.acceptName('or')) values.push(this.parseAnd());
    return { kind: 'boolean', op: 'or', values, start: first.start, end: values[values.length - 1].end };
  }

  private parseAnd(): Expr {
    const first = this.parseNot();
    if (!this.isName('and')) return first;
    const values = [first];
    while (this.acceptName('and')) values.push(this.parseNot());
    return { kind: 'boolean', op: 'and', values, start: first.start, end: values[values.length - 1].end };
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const start = this.next().start;
      const operand = this.parseNot();
      return { kind: 'unary', op: 'not', operand, start, end: operand.end };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseBitOr();
    const ops: CompareOperator[] = [];
    const comparators: Expr[] = [];
    for (;;) {
      const token = this.peek();
      let op: CompareOperator | null = null;
      if (token.kind === 'op' && ['<', '>', '<=', '>=', '==', '!='].includes(token.text)) {
        op = token.text as CompareOperator;
        this.index++;
      } else if (token.kind === 'op' && token.text === '<>') {
        this.syntaxError(token);
      } else if (this.isName('in')) {
        op = 'in';
        this.index++;
      } else if (this.isName('not') && this.tokens[this.index + 1].kind === 'name' && this.tokens[this.index + 1].text === 'in') {
        op = 'not in';
        this.index += 2;
      } else if (this.isName('is')) {
        this.index++;
        op = this.acceptName('not') ? 'is not' : 'is';
      }
      if (!op) break;
      ops.push(op);
      comparators.push(this.parseBitOr());
    }
    if (ops.length === 0) return left;
    return { kind: 'compare', left, ops, comparators, start: left.start, end: comparators[comparators.length - 1].end };
  }

  private parseBinaryLevel(operators: string[], next: () => Expr): Expr {
    let left = next();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || !operators.includes(token.text)) return left;
      this.index++;
      const right = next();
      left = { kind: 'binary', op: token.text as BinaryOperator, left, right, start: left.start, end: right.end };
    }
  }

  private parseBitOr = (): Expr => this.parseBinaryLevel(['|'], this.parseBitXor);
  private parseBitXor = (): Expr => this.parseBinaryLevel(['^'], this.parseBitAnd);
  private parseBitAnd = (): Expr => this.parseBinaryLevel(['&'], this.parseShift);
  private parseShift = (): Expr => this.parseBinaryLevel(['<<', '>>'], this.parseArith);
  private parseArith = (): Expr => this.parseBinaryLevel(['+', '-'], this.parseTerm);
  private parseTerm = (): Expr => this.parseBinaryLevel(['*', '/', '//', '%', '@'], this.parseFactor);

  private parseFactor = (): Expr => {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+' || token.text === '~')) {
      this.index++;
      const operand = this.parseFactor();
      return { kind: 'unary', op: token.text, operand, start: token.start, end: operand.end };
    }
    return this.parsePower();
  };

  private parsePower(): Expr {
    if (this.isName('await')) this.unsupported('await', this.peek());
    const base = this.parsePrimary();
    if (!this.acceptOp('**')) return base;
    const exponent = this.parseFactor();
    return { kind: 'binary', op: '**', left: base, right: exponent, start: base.start, end: exponent.end };
  }

  private parsePrimary(): Expr {
    let expr = this.parseAtom();
    for (;;) {
      if (this.acceptOp('(')) {
        const args: Expr[] = [];
        const keywords: Keyword[] = [];
        while (!this.isOp(')')) {
          if (this.isOp('*') || this.isOp('**')) this.unsupported('argument unpacking', this.peek());
          const next = this.tokens[this.index + 1];
          if (this.peek().kind === 'name' && next.kind === 'op' && next.text === '=') {
            const name = this.expectName();
            this.index++;
            keywords.push({ name, value: this.parseTest() });
          } else {
            if (keywords.length > 0) this.syntaxError(this.peek(), 'positional argument follows keyword argument');
            const arg = this.parseTest();
            if (this.isName('for')) this.unsupported('a generator expression', this.peek());
            args.push(arg);
          }
          if (!this.acceptOp(',')) break;
        }
        const end = this.expectOp(')').end;
        expr = { kind: 'call', func: expr, args, keywords, start: expr.start, end };
      } else if (this.acceptOp('[')) {
        const slice = () => this.unsupported('slicing', { start: expr.start, end: this.peek().end });
        if (this.isOp(':')) slice();
        const index = this.parseTestList();
        if (this.isOp(':')) slice();
        const end = this.expectOp(']').end;
        expr = { kind: 'subscript', value: expr, index, start: expr.start, end };
      } else if (this.acceptOp('.')) {
        const nameToken = this.peek();
        const attr = this.expectName();
        expr = { kind: 'attribute', value: expr, attr, start: expr.start, end: nameToken.end };
      } else {
        return expr;
      }
    }
  }

  private parseAtom(): Expr {
    const token = this.peek();
    const { start, end } = token;
    if (token.kind === 'number') {
      this.index++;
      return { kind: 'constant', value: this.numberValue(token), start, end };
    }
    if (token.kind === 'string') {
      let value = '';
      let last = token;
      while (this.peek().kind === 'string') {
        last = this.next();
        value += this.stringValue(last);
      }
      return { kind: 'constant', value, start, end: last.end };
    }
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'False' || token.text === 'None') {
        this.index++;
        return { kind: 'constant', value: token.text === 'None' ? null : token.text === 'True', start, end };
      }
      if (token.text === 'lambda') return this.parseLambda();
      if (token.text === 'yield' || token.text === 'await') this.unsupported(token.text, token);
      if (KEYWORDS.has(token.text)) this.syntaxError(token);
      this.index++;
      return { kind: 'name', id: token.text, start, end };
    }
    if (token.kind === 'op') {
      if (token.text === '(') {
        this.index++;
        if (this.isOp(')')) return { kind: 'tuple', elements: [], start, end: this.next().end };
        const first = this.parseNamedTest();
        if (this.isName('for')) this.unsupported('a generator expression', this.peek());
        if (this.acceptOp(')')) return { ...first, start, end: this.tokens[this.index - 1].end };
        const elements = [first];
        while (this.acceptOp(',')) {
          if (this.isOp(')')) break;
          elements.push(this.parseNamedTest());
        }
        return { kind: 'tuple', elements, start, end: this.expectOp(')').end };
      }
      if (token.text === '[') {
        this.index++;
        const elements: Expr[] = [];
        while (!this.isOp(']')) {
          elements.push(this.parseNamedTest());
          if (this.isName('for')) this.unsupported('a list comprehension', this.peek());
          if (!this.acceptOp(',')) break;
        }
        return { kind: 'list', elements, start, end: this.expectOp(']').end };
      }
      if (token.text === '{') this.unsupported('a dict or set display', token);
      if (token.text === '...') this.unsupported('Ellipsis', token);
    }
    return this.syntaxError(token);
  }

  private numberValue(token: Token): PyValue {
    const text = token.text.replace(/_/g, '');
    if (/[jJ]$/.test(text)) this.unsupported('a complex number', token);
    if (/^0[xXoObB]/.test(text)) return normalizeLiteralInt(BigInt(text.toLowerCase()));
    if (/[.eE]/.test(text)) {
      const value = Number(text);
      return Number.isInteger(value) ? new Float(value) : value;
    }
    if (/^0+[1-9]/.test(text)) this.syntaxError(token, 'leading zeros in decimal integer literals are not permitted');
    return normalizeLiteralInt(BigInt(text));
  }

  private stringValue(token: Token): string {
    const match = /^([A-Za-z]*)('''|"""|'|")([\s\S]*)\2$/.exec(token.text);
    if (!match) return this.syntaxError(token);
    const prefix = match[1].toLowerCase();
    if (prefix.includes('f')) this.unsupported('an f-string', token);
    if (prefix.includes('b')) this.unsupported('a bytes literal', token);
    const body = match[3];
    if (prefix.includes('r')) return body;
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\s\S])/g, (whole, code: string) => {
      if (code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 16));
      return escapes[code] ?? whole;
    });
  }

  // ---- token helpers ----

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private isOp(text: string): boolean {
    const token = this.tokens[this.index];
    return token.kind === 'op' && token.text === text;
  }

  private isName(text: string): boolean {
    const token = this.tokens[this.index];
    return token.kind === 'name' && token.text === text;
  }

  private acceptOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.index++;
    return true;
  }

  private acceptName(text: string): boolean {
    if (!this.isName(text)) return false;
    this.index++;
    return true;
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.syntaxError(this.peek(), `expected '${text}'`);
    return this.next();
  }

  private expectName(text?: string): string {
    const token = this.peek();
    if (token.kind !== 'name' || (text !== undefined && token.text !== text) || (text === undefined && KEYWORDS.has(token.text))) {
      this.syntaxError(token, text ? `expected '${text}'` : 'expected a name');
    }
    this.index++;
    return token.text;
  }

  private syntaxError(at: Span, what = 'invalid syntax'): never {
    const near = at.end > at.start ? ` near '${this.source.slice(at.start, at.end)}'` : '';
    throw new UnsupportedError(`LR Lens cannot parse ${this.role}: ${what}${near} (column ${columnOf(this.source, at.start)})`);
  }

  private unsupported(what: string, at: Span): never {
    const text = this.source.slice(at.start, at.end);
    throw new UnsupportedError(`LR Lens cannot evaluate ${what} '${text}' in ${this.role}`);
  }
}

function normalizeLiteralInt(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** Removes the indentation common to all non-blank lines (for a `def` taken out of a class or block). */
export function dedent(source: string): string {
  const lines = source.split(/\r?\n|\r/);
  let common: string | null = null;
  for (const line of lines) {
    if (!/\S/.test(line) || /^\s*#/.test(line)) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === null || !indent.startsWith(common)) {
      let i = 0;
      while (common !== null && i < common.length && i < indent.length && common[i] === indent[i]) i++;
      common = common === null ? indent : common.slice(0, i);
    }
  }
  if (!common) return lines.join('\n');
  const prefix = common;
  return lines.map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line.trimStart())).join('\n');
}
