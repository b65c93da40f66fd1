// Syntax tree of the Python subset. Every node keeps its source span so that messages can quote it.

import type { PyValue } from './objects';

export interface Span {
  start: number;
  end: number;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export type CompareOperator = '<' | '>' | '<=' | '>=' | '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';

export type Expr = Span &
  (
    | { kind: 'constant'; value: PyValue }
    | { kind: 'name'; id: string }
    | { kind: 'unary'; op: '-' | '+' | '~' | 'not'; operand: Expr }
    | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
    | { kind: 'boolean'; op: 'and' | 'or'; values: Expr[] }
    | { kind: 'compare'; left: Expr; ops: CompareOperator[]; comparators: Expr[] }
    | { kind: 'conditional'; test: Expr; body: Expr; orelse: Expr }
    | { kind: 'call'; func: Expr; args: Expr[]; keywords: Keyword[] }
    | { kind: 'attribute'; value: Expr; attr: string }
    | { kind: 'subscript'; value: Expr; index: Expr }
    | { kind: 'list' | 'tuple'; elements: Expr[] }
    | { kind: 'lambda'; params: Parameter[]; body: Expr }
  );

export interface Keyword {
  name: string;
  value: Expr;
}

export interface Parameter {
  name: string;
  defaultValue: Expr | null;
}

/** An assignment target: a name, or a tuple/list of targets to unpack. */
export type Target = Span & ({ kind: 'name'; id: string } | { kind: 'tuple'; elements: Target[] });

export type Stmt = Span &
  (
    | { kind: 'assign'; targets: Target[]; value: Expr }
    | { kind: 'augassign'; target: Target & { kind: 'name' }; op: BinaryOperator; value: Expr }
    | { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] }
    | { kind: 'for'; target: Target; iter: Expr; body: Stmt[]; orelse: Stmt[] }
    | { kind: 'return'; value: Expr | null }
    | { kind: 'pass' | 'break' | 'continue' }
    | { kind: 'expression'; value: Expr }
    | { kind: 'import'; module: string; alias: string }
    | { kind: 'importfrom'; module: string; names: { name: string; alias: string }[] }
  );

export interface FunctionDef extends Span {
  name: string;
  params: Parameter[];
  body: Stmt[];
}
