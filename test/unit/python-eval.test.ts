// The engine's Python evaluator against CPython 3.11, bit for bit: results recorded by
// scripts/record-python-eval.py into test/reference/python-eval/*.json.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PythonError, UnsupportedError } from '../../src/engine/errors';
import { BUILTINS, MATH_MODULE } from '../../src/engine/python/builtins';
import { compilePythonFunction, evaluatePythonExpression, importPythonName, type PyValue } from '../../src/engine/python/function';
import { crCos, crExp, crLog, crPow, crSin, doubleDoubleOnly } from '../../src/engine/python/libm';
import { power, trueDivide } from '../../src/engine/python/numbers';
import { PyCallable, PyTuple, typeName } from '../../src/engine/python/objects';
import { Float, floatRepr } from '../../src/engine/python/values';

const REFERENCE = path.join(__dirname, '..', 'reference', 'python-eval');

interface Outcome {
  type?: string;
  repr?: string;
  complex?: boolean;
  error?: { type: string; message: string };
}
interface Table {
  source: string;
  params: string[];
  globals?: Record<string, string>;
  rows: { args: string[]; result: Outcome }[];
}

/** A Python literal as recorded (repr of int, float, bool, None, str). */
function parseLiteral(text: string): PyValue {
  if (text === 'True' || text === 'False') return text === 'True';
  if (text === 'None') return null;
  if (text === 'inf' || text === '-inf') return text === 'inf' ? Infinity : -Infinity;
  if (text === 'nan') return NaN;
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  if (/^-?\d+$/.test(text)) {
    const big = BigInt(text);
    return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
  }
  const value = Number(text);
  return Number.isInteger(value) ? new Float(value) : value;
}

function repr(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (value instanceof Float) return floatRepr(value.value);
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (value instanceof PyTuple) return value.items.length === 1 ? `(${repr(value.items[0])},)` : `(${value.items.map(repr).join(', ')})`;
  return `<${typeName(value)}>`;
}

function outcomeOf(run: () => PyValue): Outcome {
  try {
    const value = run();
    return { type: typeName(value), repr: repr(value) };
  } catch (error) {
    if (error instanceof UnsupportedError) return { complex: true, error: { type: 'Unsupported', message: error.message } };
    if (error instanceof PythonError) return { error: { type: error.pyType, message: error.message } };
    throw error;
  }
}

function matches(expected: Outcome, actual: Outcome): boolean {
  if (expected.complex) return actual.complex === true;
  // CPython raises this from its complex power; LR Lens reports complex numbers as unsupported.
  if (expected.error?.message === 'complex exponentiation') return actual.complex === true;
  if (expected.error) return actual.error?.type === expected.error.type && actual.error.message === expected.error.message;
  return actual.type === expected.type && actual.repr === expected.repr;
}

/** Sources whose float results go through the libm (glibc in CPython, correctly rounded here). */
const USES_LIBM = /math\.(cos|sin|tan|exp|log|pow|atan|asin|acos|cosh)|\*\*/;

/** A float result that differs only as far as a 1-ulp libm difference, carried through the expression, can move it. */
function differsByLibmRounding(expected: Outcome, actual: Outcome): boolean {
  if (expected.type !== 'float' || actual.type !== 'float') return false;
  const e = Number(expected.repr);
  const a = Number(actual.repr);
  return Number.isFinite(e) && Math.abs(a - e) <= 4 * ulp(e);
}

function compileTable(table: Table) {
  const globals: Record<string, PyValue> = {};
  for (const [name, literal] of Object.entries(table.globals ?? {})) {
    globals[name] = compilePythonFunction(literal, []).invoke([]);
  }
  return compilePythonFunction(table.source, table.params, { globals });
}

describe('python evaluator: CPython semantics (recorded)', () => {
  const semantics = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'semantics.json'), 'utf8')) as { tables: Table[] };

  for (const table of semantics.tables) {
    const firstLine = table.source.split('\n')[0];
    const title = firstLine.length > 90 ? `${firstLine.slice(0, 87)}...` : firstLine;
    it(`${title} (${table.rows.length} cases)`, () => {
      const fn = compileTable(table);
      const failures: string[] = [];
      let libmRounding = 0;
      for (const row of table.rows) {
        const args = row.args.map(parseLiteral);
        const actual = outcomeOf(() => fn.invoke(args));
        if (matches(row.result, actual)) continue;
        if (USES_LIBM.test(table.source) && differsByLibmRounding(row.result, actual)) {
          libmRounding++;
          continue;
        }
        failures.push(`(${row.args.join(', ')}): expected ${JSON.stringify(row.result)}, got ${JSON.stringify(actual)}`);
      }
      assert.deepStrictEqual(failures.slice(0, 8), [], `${failures.length} of ${table.rows.length} differ`);
      // glibc misrounds about 1 transcendental result in 1,000 (see the numerics suite)
      assert.ok(libmRounding <= Math.max(1, table.rows.length * 0.01), `${libmRounding} results off by glibc's rounding`);
    });
  }
});

interface NumericSamples {
  arity: number;
  /** Whether each row ends with the correctly-rounded result (mpmath) after CPython's. */
  correctlyRounded: boolean;
  rows: string[][];
}

/** How each recorded numeric function is computed through the evaluator. */
const NUMERIC_OPERATIONS: Record<string, (args: PyValue[]) => PyValue> = {
  pow: ([x, y]) => power(x, y),
  pow_gamma_int: ([x, y]) => power(x, y),
  pow_random_gamma_int: ([x, y]) => power(x, y),
  pow_wide: ([x, y]) => power(x, y),
  pow_fraction: ([x, y]) => power(x, y),
  pow_tiny: ([x, y]) => power(x, y),
  log_base: (args) => mathCall('log', args),
  math_pow: (args) => mathCall('pow', args),
  round2: (args) => (BUILTINS.get('round') as PyCallable).invoke(args, null),
  true_div_int: ([a, b]) => trueDivide(a, b),
};

function mathCall(name: string, args: PyValue[]): PyValue {
  return (MATH_MODULE.members.get(name) as PyCallable).invoke(args, null);
}

function operationFor(name: string): (args: PyValue[]) => PyValue {
  return NUMERIC_OPERATIONS[name] ?? ((args) => mathCall(name.replace(/_(wide|tiny|near_one|int|pi_k_T|large)$/, ''), args));
}

/**
 * Agreement with CPython each function must reach. CPython calls glibc, which rounds exp/pow/cos/sin/
 * tan/asin... correctly in all but about 1 case in 1,000; LR Lens rounds them correctly always (checked
 * against mpmath below), so it differs from CPython exactly where glibc misrounds, by 1 ulp. The
 * functions without a correctly-rounded column follow fdlibm (glibc's and V8's common ancestor).
 */
const MIN_AGREEMENT: Record<string, number> = { expm1: 0.99 };
const DEFAULT_MIN_AGREEMENT = 0.995;

describe('python evaluator: libm numerics vs CPython (recorded random samples)', () => {
  const numerics = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'numerics.json'), 'utf8')) as {
    functions: Record<string, NumericSamples>;
  };
  const report: string[] = [];
  after(() => {
    if (report.length > 0) console.log(`      agreement (CPython 3.11 + glibc | correctly rounded):\n${report.map((line) => `        ${line}`).join('\n')}`);
  });

  for (const [name, { arity, correctlyRounded, rows }] of Object.entries(numerics.functions)) {
    it(`${name} (${rows.length} samples${correctlyRounded ? ', correctly rounded' : ''})`, () => {
      const operation = operationFor(name);
      let agreeCPython = 0;
      const notCorrectlyRounded: string[] = [];
      // glibc builds its fdlibm-derived expm1/tanh/... with FMA contraction; V8's are plain fdlibm: a
      // 1-ulp expm1 difference can move tanh by a few ulps (CPython's can be the farther from exact).
      const maxUlps = correctlyRounded ? 1 : 4;
      const beyondUlps: string[] = [];
      for (const row of rows) {
        const args = row.slice(0, arity).map(parseLiteral);
        const [cpython, exact] = row.slice(arity);
        let actual: string;
        try {
          actual = repr(operation(args));
        } catch (error) {
          if (!(error instanceof PythonError) || error instanceof UnsupportedError) throw error;
          actual = error.pyType;
        }
        const call = `${name}(${row.slice(0, arity).join(', ')})`;
        if (correctlyRounded && actual !== exact) notCorrectlyRounded.push(`${call}: correctly rounded ${exact}, LR Lens ${actual}`);
        if (actual === cpython) {
          agreeCPython++;
          continue;
        }
        const a = Number(actual);
        const e = Number(cpython);
        if (!(Number.isFinite(a) && Number.isFinite(e) && Math.abs(a - e) <= maxUlps * ulp(e))) {
          beyondUlps.push(`${call}: CPython ${cpython}, LR Lens ${actual}`);
        }
      }
      const rate = agreeCPython / rows.length;
      const crNote = correctlyRounded ? `${(((rows.length - notCorrectlyRounded.length) / rows.length) * 100).toFixed(2)} %` : '  (n/a)';
      report.push(`${name.padEnd(22)} ${(rate * 100).toFixed(2).padStart(6)} % | ${crNote}`);
      assert.deepStrictEqual(notCorrectlyRounded.slice(0, 5), [], `${notCorrectlyRounded.length} results not correctly rounded`);
      assert.deepStrictEqual(beyondUlps.slice(0, 5), [], `${beyondUlps.length} results differ from CPython by more than ${maxUlps} ulp`);
      assert.ok(rate >= (MIN_AGREEMENT[name] ?? DEFAULT_MIN_AGREEMENT), `agreement with CPython ${rate}`);
    });
  }
});

describe('python evaluator: fast libm paths round like the double-double paths', () => {
  // A seeded generator, so that a failure reproduces.
  let seed = 20260101;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const N = 60_000;

  it(`pow over ${N} inputs (gamma ** epoch, x ** y, near 1, wide)`, () => {
    const mismatches: string[] = [];
    for (let i = 0; i < N; i++) {
      const kind = i % 4;
      const x = kind === 0 ? random() * 3 : kind === 1 ? 0.5 + random() / 2 : kind === 2 ? Math.exp((random() - 0.5) * 1400) : 1 + (random() - 0.5) * 1e-3;
      const y = kind === 1 ? Math.floor(random() * 3000) : kind === 3 ? (random() - 0.5) * 1e5 : (random() - 0.5) * 120;
      if (x <= 0 || x === 1 || y === 0) continue;
      if (crPow(x, y) !== doubleDoubleOnly.pow(x, y)) mismatches.push(`pow(${x}, ${y})`);
    }
    assert.deepStrictEqual(mismatches.slice(0, 5), []);
  });

  it(`exp and log over ${N} inputs each`, () => {
    const mismatches: string[] = [];
    for (let i = 0; i < N; i++) {
      const e = (random() - 0.5) * 1400;
      if (crExp(e) !== doubleDoubleOnly.exp(e)) mismatches.push(`exp(${e})`);
      const x = i % 2 === 0 ? Math.exp((random() - 0.5) * 1400) : 1 + (random() - 0.5) * 2 ** -(random() * 40);
      if (x !== 1 && crLog(x) !== doubleDoubleOnly.log(x)) mismatches.push(`log(${x})`);
    }
    assert.deepStrictEqual(mismatches.slice(0, 5), []);
  });

  it(`sin and cos over ${N} inputs (small, pi*k/T, up to 1e6)`, () => {
    const mismatches: string[] = [];
    for (let i = 0; i < N; i++) {
      const kind = i % 3;
      const x = kind === 0 ? (random() - 0.5) * 20 : kind === 1 ? (Math.PI * Math.floor(random() * 600)) / Math.floor(1 + random() * 300) : (random() - 0.5) * 2e6;
      if (Math.abs(x) < 2 ** -26) continue;
      const [s, c] = doubleDoubleOnly.sinCos(x);
      if (crSin(x) !== s) mismatches.push(`sin(${x})`);
      if (crCos(x) !== c) mismatches.push(`cos(${x})`);
    }
    assert.deepStrictEqual(mismatches.slice(0, 5), []);
  });
});

function ulp(x: number): number {
  const magnitude = Math.abs(x);
  if (magnitude < 2.2250738585072014e-308) return 5e-324;
  return 2 ** (Math.floor(Math.log2(magnitude)) - 52) * 1.0000001;
}

describe('python evaluator: the subset and its limits', () => {
  const unsupported: [string, RegExp][] = [
    ['lambda epoch: self.foo * epoch', /attribute access 'self\.foo' in lr_lambda/],
    ['lambda epoch: [e for e in range(epoch)]', /list comprehension/],
    ['lambda epoch: {1: 2}[epoch]', /dict or set display/],
    ['lambda epoch: (lambda y: y)(epoch)', /nested lambda/],
    ['lambda epoch: (-8.0) ** (1 / 3) * epoch', /complex/],
    ['lambda epoch: f"{epoch}"', /f-string/],
    ['lambda epoch: math.gamma(epoch)', /math\.gamma/],
    ['lambda epoch: epoch is 3', /'is' on values other than None\/True\/False/],
    ['lambda epoch: x[1:2]', /slicing/],
    ['def f(epoch):\n    while True:\n        pass', /a while loop/],
    ['def f(epoch):\n    for i in range(10 ** 7):\n        pass\n    return 1', /more than 1000000 iterations/],
    ['lambda epoch: 7 ** (10 ** 7)', /an int of about/],
    ['lambda epoch: 1 +', /cannot parse lr_lambda/],
    ['lambda epoch: epoch +* 2', /cannot parse lr_lambda/],
    ['import os', /import of module 'os'|cannot parse/],
    ['lambda epoch: sum([epoch, 1])', /the builtin 'sum' in lr_lambda/],
    ['def f(epoch):\n    import os\n    return 1', /import of module 'os'/],
    ['lambda epoch: cfg.lr * epoch', /attribute access 'cfg\.lr'/],
    ['def f(epoch):\n    return 1 if epoch < 1 else f(epoch - 1)', /a recursive call of f\(\) in lr_lambda/],
  ];
  for (const [source, message] of unsupported) {
    it(`reports ${JSON.stringify(source)} as unsupported`, () => {
      assert.throws(() => compilePythonFunction(source, ['epoch']).call([3]), (error: unknown) => {
        assert.ok(error instanceof UnsupportedError, `expected UnsupportedError, got ${String(error)}`);
        assert.match((error as Error).message, message);
        return true;
      });
    });
  }

  it('reads module-level constants and other functions through globals', () => {
    const warmup = compilePythonFunction('def warmup(e):\n    return min(1.0, (e + 1) / WARMUP)', ['epoch'], { globals: { WARMUP: 5 } });
    const fn = compilePythonFunction('lambda epoch: warmup(epoch) * BASE', ['epoch'], {
      globals: { warmup: warmup.callable, BASE: 0.5 },
    });
    assert.strictEqual(fn.call([1]), 0.2);
    assert.deepStrictEqual(fn.unresolvedNames, []);
    const named = compilePythonFunction('warmup', ['epoch'], { globals: { warmup } });
    assert.strictEqual(named.call([10]), 1);
  });

  it('takes imported names and evaluates constant expressions', () => {
    const globals = { np: importPythonName('numpy'), c: importPythonName('math', 'cos'), TOTAL: evaluatePythonExpression('3 * 100') };
    const fn = compilePythonFunction('lambda epoch: c(np.pi * epoch / TOTAL)', ['epoch'], { globals });
    assert.strictEqual(fn.call([300]), -1);
    assert.throws(() => importPythonName('math', 'gamma'), UnsupportedError);
    assert.throws(() => importPythonName('torch'), UnsupportedError);
  });

  it('names the free variables it could not resolve', () => {
    const fn = compilePythonFunction('lambda epoch: epoch / TOTAL if epoch else OTHER', ['epoch']);
    assert.deepStrictEqual(fn.unresolvedNames, ['TOTAL', 'OTHER']);
    assert.throws(() => fn.call([1]), /name 'TOTAL' is not defined/);
  });

  it('dedents a def taken out of a class body and skips comments', () => {
    const fn = compilePythonFunction('    def f(self_epoch):\n        # comment\n        return self_epoch * 2  # twice\n', ['epoch']);
    assert.strictEqual(fn.call([4]), 8);
  });

  it('converts results with float() semantics for call()', () => {
    assert.strictEqual(compilePythonFunction('2 ** 60 + 1', ['epoch']).call([0]), 2 ** 60);
    assert.strictEqual(compilePythonFunction('epoch > 3', ['epoch']).call([5]), 1);
    assert.throws(() => compilePythonFunction('10 ** 400', ['epoch']).call([0]), /int too large to convert to float/);
    assert.throws(() => compilePythonFunction('None', ['epoch']).call([0]), /unsupported operand type\(s\) for \*: 'float' and 'NoneType'/);
  });

  it('is fast enough to call once per step for a million steps', () => {
    const fn = compilePythonFunction(
      'lambda e: (e + 1) / 5 if e < 5 else 0.5 * (1 + math.cos(math.pi * (e - 5) / 95))',
      ['epoch'],
    );
    const start = process.hrtime.bigint();
    let sum = 0;
    for (let step = 0; step < 1_000_000; step++) sum += fn.call([step]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    assert.ok(Number.isFinite(sum));
    assert.ok(seconds < 5, `1e6 calls took ${seconds.toFixed(2)} s`);
  });
});
