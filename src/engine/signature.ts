// Python-style argument binding for the torch constructors, so a case's snake_case kwargs reach the
// TypeScript classes with torch's own TypeErrors for unknown or missing arguments.
import { typeError, UnsupportedError } from './errors';
import { Float, pyRepr, pyTypeName } from './python/values';

/** What a parameter accepts, so a value torch would choke on later is refused clearly up front. */
export type ParamKind =
  | 'number' // an int or float (Float boxes kept, so isinstance checks work)
  | 'number-or-list' // a float or a per-group list of floats
  | 'number-list' // milestones
  | 'pair' // (beta1, beta2)
  | 'string'
  | 'bool'
  | 'optional-number'
  | 'optional-string'
  | 'function' // lr_lambda / scale_fn: Python source text, or a list of them
  | 'optional-function'
  | 'schedulers' // nested scheduler specs
  | 'any';

export interface ParamSpec {
  /** torch's name, e.g. "step_size". */
  py: string;
  /** The TypeScript option name, e.g. "stepSize". */
  ts: string;
  kind: ParamKind;
  required: boolean;
  default?: unknown;
  /** torch checks this value itself before using it (a comparison raising TypeError), so any value may pass. */
  checkedByTorch?: boolean;
}

export interface Signature {
  /** e.g. "StepLR.__init__", as Python names it in TypeErrors. */
  qualname: string;
  params: ParamSpec[];
  /** Leading parameters the engine passes positionally (the optimizer, or an optimizer's params). */
  positional: string[];
}

const camel = (py: string) => py.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export const required = (py: string, kind: ParamKind = 'number', ts = camel(py)): ParamSpec => ({ py, ts, kind, required: true });
export const optional = (py: string, defaultValue: unknown, kind: ParamKind = 'number', ts = camel(py)): ParamSpec => ({
  py,
  ts,
  kind,
  required: false,
  default: defaultValue,
});

export function signature(qualname: string, params: ParamSpec[], positional: string[] = ['optimizer']): Signature {
  return { qualname, params, positional };
}

/** Marks a parameter that torch validates with comparisons before using it (see ParamSpec.checkedByTorch). */
export const checkedByTorch = (spec: ParamSpec): ParamSpec => ({ ...spec, checkedByTorch: true });

/** Fills defaults for a TypeScript options object (camelCase keys). */
export function withDefaults<T extends object>(sig: Signature, options: T): Required<T> {
  const filled: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const param of sig.params) {
    if (filled[param.ts] === undefined && !param.required) filled[param.ts] = param.default;
  }
  return filled as Required<T>;
}

/**
 * Binds Python keyword arguments (snake_case) to a TypeScript options object, raising the TypeErrors
 * CPython raises for unexpected and missing arguments.
 */
export function bindKwargs(sig: Signature, kwargs: Record<string, unknown>): Record<string, unknown> {
  const known = new Map(sig.params.map((p) => [p.py, p]));
  for (const name of Object.keys(kwargs)) {
    if (sig.positional.includes(name)) throw typeError(`${sig.qualname}() got multiple values for argument '${name}'`);
    if (!known.has(name)) throw typeError(`${sig.qualname}() got an unexpected keyword argument '${name}'`);
  }
  const missing = sig.params.filter((p) => p.required && !(p.py in kwargs)).map((p) => `'${p.py}'`);
  if (missing.length > 0) {
    const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    const noun = missing.length === 1 ? 'argument' : 'arguments';
    throw typeError(`${sig.qualname}() missing ${missing.length} required positional ${noun}: ${names}`);
  }
  const options: Record<string, unknown> = {};
  for (const param of sig.params) {
    if (param.py in kwargs) {
      checkKind(sig, param, kwargs[param.py]);
      options[param.ts] = kwargs[param.py];
    } else {
      options[param.ts] = param.default;
    }
  }
  return options;
}

const isNumeric = (v: unknown) => typeof v === 'number' || v instanceof Float || typeof v === 'boolean';

function kindAccepts(kind: ParamKind, value: unknown): boolean {
  switch (kind) {
    case 'number':
      return isNumeric(value);
    case 'optional-number':
      return value === null || isNumeric(value);
    case 'number-or-list':
      return isNumeric(value) || (Array.isArray(value) && value.every(isNumeric));
    case 'number-list':
      return Array.isArray(value) && value.every(isNumeric);
    case 'pair':
      return Array.isArray(value) && value.length >= 2 && value.every(isNumeric);
    case 'string':
      return typeof value === 'string';
    case 'optional-string':
      return value === null || typeof value === 'string';
    case 'bool':
      return isNumeric(value) || value === null;
    case 'function':
      return typeof value === 'string' || typeof value === 'function' || (Array.isArray(value) && value.length > 0);
    case 'optional-function':
      return value === null || typeof value === 'string' || typeof value === 'function';
    case 'schedulers':
      return Array.isArray(value);
    case 'any':
      return true;
  }
}

function checkKind(sig: Signature, param: ParamSpec, value: unknown): void {
  if (param.checkedByTorch || kindAccepts(param.kind, value)) return;
  const owner = sig.qualname.replace(/\.__init__$/, '');
  throw new UnsupportedError(
    `LR Lens does not model ${owner}(${param.py}=${pyRepr(value)}): a ${pyTypeName(value)} where torch expects ${describeKind(param.kind)}`,
  );
}

function describeKind(kind: ParamKind): string {
  switch (kind) {
    case 'number':
      return 'a number';
    case 'optional-number':
      return 'a number or None';
    case 'number-or-list':
      return 'a number or a list of numbers (one per param group)';
    case 'number-list':
      return 'a list of numbers';
    case 'pair':
      return 'a pair of numbers';
    case 'string':
    case 'optional-string':
      return 'a string';
    case 'bool':
      return 'a bool';
    case 'function':
    case 'optional-function':
      return 'a function (Python source such as "lambda epoch: 0.95 ** epoch")';
    case 'schedulers':
      return 'a list of schedulers';
    case 'any':
      return 'a value';
  }
}
