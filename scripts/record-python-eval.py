#!/usr/bin/env python3
"""Records CPython's results for the engine's Python evaluator (src/engine/python/).

Writes test/reference/python-eval/*.json:
  semantics.json  tables of (source, params, globals) evaluated for many argument tuples (hand-picked
                  operators, builtins, math functions, schedule lambdas, and seeded random expressions):
                  result type + repr, or exception type + message, or "complex" (LR Lens
                  reports complex results as unsupported).
  numerics.json   random samples of libm-backed operations (float **, math.exp/log/cos/...),
                  inputs and outputs as repr strings (exact round-trip doubles), and where mpmath
                  is available the correctly-rounded result (300-bit mpmath, rounded once).

Arguments and globals are Python literals (repr strings) so that int 2 and float 2.0 stay apart.
Usage: python3 scripts/record-python-eval.py [--samples N] [--out DIR] [--seed S]
numpy and mpmath are required; the torch venv's python (scripts/setup-torch.sh) has both:
  npm run record:python-eval
"""

import argparse
import json
import math
import os
import platform
import random
import sys

try:
    import mpmath
    import numpy
except ImportError:
    sys.exit('record-python-eval.py needs numpy and mpmath: run it with the torch venv python '
             '(npm run record:python-eval), which has both')

INF = float('inf')
NAN = float('nan')


def lit(value):
    return repr(value)


def describe(result):
    if isinstance(result, numpy.floating):
        result = float(result)
    if isinstance(result, complex):
        return {'complex': True}
    return {'type': type(result).__name__, 'repr': repr(result)}


def run_case(fn, args):
    try:
        return describe(fn(*args))
    except Exception as error:  # noqa: BLE001 - recording every exception is the point
        return {'error': {'type': type(error).__name__, 'message': str(error)}}


def compile_source(source, params, globals_src):
    env = {'math': math, 'np': numpy, 'numpy': numpy}
    for name, text in (globals_src or {}).items():
        env[name] = eval(text, env)  # literals written in this script, not user input
    stripped = source.strip()
    if stripped.startswith('def '):
        local = {}
        exec(stripped, env, local)
        (fn,) = local.values()
        return fn
    if stripped.startswith('lambda'):
        return eval(stripped, env)
    return eval('lambda %s: (%s)' % (', '.join(params), stripped), env)


def table(source, params, arg_tuples, globals_src=None):
    fn = compile_source(source, params, globals_src)
    rows = []
    for args in arg_tuples:
        rows.append({'args': [lit(a) for a in args], 'result': run_case(fn, args)})
    entry = {'source': source, 'params': params, 'rows': rows}
    if globals_src:
        entry['globals'] = globals_src
    return entry


INTS = [0, 1, -1, 2, -2, 3, -7, 7, 10, 30, 2 ** 53, 2 ** 53 + 1, -(2 ** 63), 10 ** 20, 3 ** 40]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 3.0, -3.0, 0.1, 1e-3, 7.25, 1e300, -1e300, 2.0 ** 60, INF, -INF, NAN, 5e-324]
BOOLS = [True, False]
VALUES = INTS + FLOATS + BOOLS


def semantics_tables():
    pairs = [(a, b) for a in VALUES for b in VALUES]
    small_exponents = [0, 1, 2, 3, -1, -2, 10, 0.5, -0.5, 2.0, 1.5, INF, -INF, NAN, True, False, 0.0, -0.0, 53, 100]
    tables = []
    for op in ['+', '-', '*', '/', '//', '%', '<', '<=', '==', '!=', '>', '>=']:
        tables.append(table('x %s y' % op, ['x', 'y'], pairs))
    tables.append(table('x ** y', ['x', 'y'], [(a, b) for a in VALUES for b in small_exponents]))
    tables.append(table('x & y | x ^ y', ['x', 'y'], [(a, b) for a in INTS[:10] + BOOLS for b in INTS[:10] + BOOLS]))
    tables.append(table('(x << 3, x >> 2, ~x)', ['x'], [(a,) for a in INTS + BOOLS]))
    unary = [(a,) for a in VALUES]
    for source in ['-x', '+x', 'not x', 'abs(x)', 'int(x)', 'float(x)', 'bool(x)', 'round(x)', 'x if x else 7', 'x and 2 or 3']:
        tables.append(table(source, ['x'], unary))
    for name in ['cos', 'sin', 'tan', 'acos', 'asin', 'atan', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt',
                 'floor', 'ceil', 'trunc', 'fabs', 'isnan', 'isinf', 'isfinite', 'radians', 'degrees', 'cosh', 'sinh', 'tanh']:
        tables.append(table('math.%s(x)' % name, ['x'], unary + [(-1,), (1e-300,), (709.0,), (710.0,), (-745.5,), (0.9999999999999999,)]))
    for name in ['atan2', 'copysign', 'fmod', 'pow', 'log', 'hypot']:
        tables.append(table('math.%s(x, y)' % name, ['x', 'y'], [(a, b) for a in INTS[:10] + FLOATS + BOOLS for b in INTS[:6] + FLOATS[:10] + [INF, -INF, NAN]]))
    tables.append(table('math.isclose(x, y)', ['x', 'y'], [(1.0, 1.0 + 1e-10), (1.0, 1.1), (INF, INF), (NAN, NAN), (0.0, 1e-300), (1, 1.0)]))
    tables.append(table('math.isclose(x, y, rel_tol=0.2, abs_tol=0.01)', ['x', 'y'], [(1.0, 1.1), (0.0, 0.009), (0.0, 0.02)]))
    tables.append(table('(math.pi, math.e, math.tau, math.inf, -math.inf)', ['x'], [(0,)]))
    tables.append(table('math.log(x)', ['x'], [(10 ** 400,), (2 ** 1024,), (3 ** 700,), (0,), (-5,), (True,)]))
    tables.append(table('math.log(x, 10)', ['x'], [(1000,), (10 ** 400,), (1e-5,), (1,)]))
    tables.append(table('math.log2(x) + math.log10(x)', ['x'], [(2 ** 1100,), (8,), (10 ** 30,)]))
    tables.append(table('math.log(x, 1)', ['x'], [(5,)]))
    tables.append(table('math.exp(x)', ['x'], [(10 ** 400,)]))
    tables.append(table('math.cos("a")', ['x'], [(0,)]))
    tables.append(table('math.cos()', ['x'], [(0,)]))
    for source in ['abs()', 'len()', 'math.atan2(x)', 'math.pow(x)', 'divmod(x)', 'math.floor()', 'math.log()', 'math.log2()',
                   'math.isnan()', 'math.fmod(x)', 'round()', 'int(x, y=2)', 'math.cos(x=1)', 'len(x)', 'len([x, 2])', 'float(x, 2)']:
        tables.append(table(source, ['x'], [(0,)]))
    tables.append(table('math.floor(x) + math.ceil(x)', ['x'], [(a,) for a in [2.5, -2.5, 1e20, 3, 2 ** 70, INF, NAN, True]]))

    round_values = [0.5, 1.5, 2.5, -0.5, -1.5, 2.675, 1.005, 0.125, 0.375, -0.125, 1e22, 1e300, 123.456, -0.001, 5e-324,
                    0.49999999999999994, 4503599627370497.0, 2.5e-5, 1234.5678, INF, -INF, NAN, 7, -15, 125, 2 ** 70]
    round_digits = [0, 1, 2, 3, -1, -2, 5, 10, 17, 30, 400, -400, -308, 323, 324, None]
    tables.append(table('round(x, n)', ['x', 'n'], [(x, n) for x in round_values for n in round_digits]))
    rng = random.Random(7)
    random_rounds = [(rng.uniform(-1000, 1000), rng.randint(-3, 8)) for _ in range(400)]
    random_rounds += [(rng.randint(0, 10 ** 6) / 1000 + 0.0005, 3) for _ in range(200)]
    tables.append(table('round(x, n)', ['x', 'n'], random_rounds))
    tables.append(table('round(x, ndigits=n)', ['x', 'n'], [(2.675, 2), (15, -1), (25, -1)]))
    tables.append(table('round(x, 1.5)', ['x'], [(2.5,)]))

    tables.append(table('int(s)', ['s'], [('42',), (' -7 ',), ('1_000',), ('3.5',), ('abc',), ('',), ('+5',)]))
    tables.append(table('float(s)', ['s'], [('1e-3',), (' inf ',), ('-Infinity',), ('nan',), ('1_0.5',), ('abc',), ('.5',), ('5.',)]))
    tables.append(table('min(x, y)', ['x', 'y'], [(1, 1.0), (1.0, 1), (NAN, 1), (1, NAN), (-0.0, 0.0), (0.0, -0.0), (2, True)]))
    tables.append(table('max(x, y)', ['x', 'y'], [(1, 1.0), (1.0, 1), (NAN, 1), (1, NAN), (-0.0, 0.0), (0.0, -0.0), (2, True)]))
    tables.append(table('(min([3, 1, 2]), max((3, 1.5, 2)), min(x, 0.5, 7), max([], default=x))', ['x'], [(0,), (1,)]))
    tables.append(table('min([])', ['x'], [(0,)]))
    tables.append(table('max()', ['x'], [(0,)]))
    tables.append(table('pow(x, y)', ['x', 'y'], [(2, 10), (2, -1), (0, -1), (2.0, 0.5), (-8.0, 1 / 3), (10, 400)]))
    tables.append(table('divmod(x, y)', ['x', 'y'], [(7, 2), (-7, 2), (7.5, -2), (1, 0)]))
    tables.append(table('x < y < z', ['x', 'y', 'z'], [(1, 2, 3), (1, 3, 2), (3, 2, 1), (1, 1.0, 1), (NAN, 1, 2)]))
    tables.append(table('x in [1, 2.5, 3] and x not in (7, 8)', ['x'], [(1,), (1.0,), (2.5,), (7,), (True,)]))
    tables.append(table('x is None or x is not True', ['x'], [(None,), (True,), (1,)]))
    tables.append(table('[1, 0.1, 0.01][x // 30]', ['x'], [(0,), (29,), (30,), (89,), (90,), (-1,), (-120,), (2.5,)]))
    tables.append(table('(1, 2)[x]', ['x'], [(1,), (2,)]))
    tables.append(table('x[0]', ['x'], [(5,), (None,)]))
    tables.append(table('x + None', ['x'], [(1,), (1.5,)]))
    tables.append(table('x * "a"', ['x'], [(1.5,), (None,)]))
    tables.append(table('"a" + x', ['x'], [(1,)]))
    tables.append(table('x()', ['x'], [(1,)]))
    tables.append(table('undefined_name + x', ['x'], [(1,)]))
    tables.append(table('1e-3 + 1_000 + .5 + 5. + 0x1F + 0o17 + 0b101 + 1E2 + 00.5', ['x'], [(0,)]))
    tables.append(table('10 ** 30 / 7 + 2 ** 1000 // 3 ** 500 + (2 ** 64 + 1) % 10 ** 9', ['x'], [(0,)]))
    tables.append(table('(2 ** 1100) / (2 ** 80 + 1)', ['x'], [(0,)]))
    tables.append(table('x / y', ['x', 'y'], [(2 ** 1100, 3), (10 ** 300, 10 ** -0 * 7), (1, 3 ** 700), (3 ** 700, 3 ** 699),
                                              (2 ** 1024 - 2 ** 970, 1), (2 ** 1024 - 2 ** 971, 1), (1, 2 ** 1074), (1, 2 ** 1075), (3, 2 ** 1076)]))
    tables.append(table('float(x)', ['x'], [(2 ** 1024 - 2 ** 970,), (2 ** 1024 - 2 ** 971,), (2 ** 53 + 1,), (2 ** 54 + 3,)]))
    tables.append(table('x == y', ['x', 'y'], [(2 ** 53 + 1, 2.0 ** 53), (2 ** 53, 2.0 ** 53), (10 ** 400, INF), (3 ** 40, 3.0 ** 40)]))
    return tables


SCHEDULES = [
    ('lambda epoch: 0.95 ** epoch', ['epoch'], None),
    ('0.95 ** epoch', ['epoch'], None),
    ('lambda epoch: 0.1 ** (epoch // 30)', ['epoch'], None),
    ('lambda e: min(1.0, (e + 1) / 10)', ['epoch'], None),
    ('lambda e: (e + 1) / 5 if e < 5 else 0.5 * (1 + math.cos(math.pi * (e - 5) / 95))', ['epoch'], None),
    ('lambda step: 1 / math.sqrt(max(step, 1))', ['epoch'], None),
    ('lambda e: math.exp(-0.1 * e)', ['epoch'], None),
    ('lambda e: math.log(e + 1) / math.log(2)', ['epoch'], None),
    ('lambda e: math.log(e + 1, 3)', ['epoch'], None),
    ('lambda e: 1 - e / 100', ['epoch'], None),
    ('lambda e: (1 - e / 300) ** 0.9', ['epoch'], None),
    ('lambda e: 0.5 ** (e / 10)', ['epoch'], None),
    ('lambda e: 1 / (e - 5)', ['epoch'], None),
    ('lambda e: round(0.97 ** e, 4)', ['epoch'], None),
    ('lambda e: int(e / 7) * 0.5 + e % 3 - e // 4', ['epoch'], None),
    ('lambda e: GAMMA ** (e // STEP)', ['epoch'], {'GAMMA': '0.5', 'STEP': '7'}),
    ('lambda epoch, k=3: epoch * k / 100', ['epoch'], None),
    ('1/(2.**(x-1))', ['x'], None),
    ('gamma**x', ['x'], {'gamma': '0.99994'}),
    ('0.5 * (1 + math.sin(x * math.pi / 2))', ['x'], None),
    ('lambda x: 1.0', ['x'], None),
    ('lambda x: np.sqrt(x) + np.floor(x / 3) + np.pi', ['x'], None),
    ("""def lr_lambda(current_step):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))
""", ['epoch'], {'num_warmup_steps': '10', 'num_training_steps': '300', 'num_cycles': '0.5'}),
    ("""def lr_lambda(current_step: int):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(
        0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps))
    )
""", ['epoch'], {'num_warmup_steps': '10', 'num_training_steps': '250'}),
    ("""def lr_lambda(current_step):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    if progress >= 1.0:
        return 0.0
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0))))
""", ['epoch'], {'num_warmup_steps': '20', 'num_training_steps': '280', 'num_cycles': '3'}),
    ("""def lr_lambda(current_step):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    elif current_step > num_training_steps:
        return lr_end / lr_init  # as LambdaLR multiplies by lr_init
    else:
        lr_range = lr_init - lr_end
        decay_steps = num_training_steps - num_warmup_steps
        pct_remaining = 1 - (current_step - num_warmup_steps) / decay_steps
        decay = lr_range * pct_remaining**power + lr_end
        return decay / lr_init  # as LambdaLR multiplies by lr_init
""", ['epoch'], {'num_warmup_steps': '5', 'num_training_steps': '200', 'lr_init': '1e-3', 'lr_end': '1e-7', 'power': '2.0'}),
    ("""def lr_lambda(current_step):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    shift = timescale - num_warmup_steps
    decay = 1.0 / math.sqrt((current_step + shift) / timescale)
    return decay
""", ['epoch'], {'num_warmup_steps': '10', 'timescale': '10'}),
    ("""def schedule(epoch):
    '''Step decay with a warm-up.'''
    import math
    from math import cos as c, pi
    factor = 1.0
    for boundary in (30, 60, 90):
        if epoch >= boundary:
            factor *= 0.1
    total = 0
    for i in range(0, epoch, 7):
        total += i
        if total > 500:
            break
    else:
        total = -1
    a, b = divmod(epoch, 4)
    factor **= 1
    return factor * (1 + 0 * c(pi * a)) + 0 * total * b
""", ['epoch'], None),
    ("""def f(epoch):
    if epoch > 3:
        y = 2
    return y * epoch
""", ['epoch'], None),
    ("""def f(epoch):
    pass
""", ['epoch'], None),
]


LEAVES = ['x', 'y', 'x', 'y', '0', '1', '2', '3', '7', '-4', '10', '0.5', '1.5', '-2.25', '3.0', '1e-3', '0.1', '2.0',
          'True', 'False', 'math.pi', 'math.e']
CALLS = ['abs', 'int', 'float', 'round', 'math.floor', 'math.ceil', 'math.sqrt', 'math.exp', 'math.log', 'math.cos',
         'math.sin', 'math.tan', 'math.atan', 'math.fabs', 'math.log2', 'math.log10', 'bool']
EXPONENTS = ['-2', '-1', '0', '1', '2', '3', '2.0', '-1.0']  # fractional ones would make complex numbers


def random_expression(rng, depth):
    """A random expression of the subset (exponents stay small so that ints stay printable)."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(LEAVES)
    kind = rng.random()
    sub = lambda: random_expression(rng, depth - 1)  # noqa: E731
    if kind < 0.45:
        return '(%s %s %s)' % (sub(), rng.choice(['+', '-', '*', '/', '//', '%']), sub())
    if kind < 0.52:
        return '(%s ** %s)' % (sub(), rng.choice(EXPONENTS))
    if kind < 0.58:
        return '(-%s)' % sub()
    if kind < 0.68:
        return '(%s if %s %s %s else %s)' % (sub(), sub(), rng.choice(['<', '<=', '==', '!=', '>']), sub(), sub())
    if kind < 0.84:
        return '%s(%s)' % (rng.choice(CALLS), sub())
    if kind < 0.90:
        return '%s(%s, %s)' % (rng.choice(['min', 'max', 'pow', 'math.atan2', 'math.pow', 'math.hypot', 'round']), sub(), rng.choice(['0', '1', '2', '-1', sub()]))
    if kind < 0.95:
        return '(%s %s %s)' % (sub(), rng.choice(['and', 'or']), sub())
    return '(%s < %s <= %s)' % (sub(), sub(), sub())


def random_tables(count, seed):
    rng = random.Random(seed)
    args = [(3, 0.25), (-7, 2), (0, -1.5), (12, 5), (2.5, -3)]
    tables = []
    for _ in range(count):
        source = random_expression(rng, 4)
        tables.append(table(source, ['x', 'y'], rng.sample(args, 3)))
    return tables


def schedule_tables():
    epochs = [(e,) for e in range(0, 320)] + [(-3,), (2.5,), (1000,), (10 ** 6,)]
    return [table(source, params, epochs, globals_src) for source, params, globals_src in SCHEDULES]


def to_double(value):
    """An mpmath number rounded once to the nearest double (subnormals included)."""
    if abs(value) < mpmath.mpf(2) ** -1022:
        return float(mpmath.nint(value * mpmath.mpf(2) ** 1074)) * 2.0 ** -1074
    return float(value)


def correctly_rounded(name):
    """The correctly-rounded version of a sampled operation, or None where LR Lens does not claim it."""
    mpf = mpmath.mpf
    table = {
        'pow': mpmath.power, 'exp': mpmath.exp, 'log': mpmath.log, 'log2': lambda x: mpmath.log(x, 2),
        'cos': mpmath.cos, 'sin': mpmath.sin, 'tan': mpmath.tan, 'atan': mpmath.atan, 'asin': mpmath.asin,
        'acos': mpmath.acos, 'atan2': mpmath.atan2, 'sqrt': mpmath.sqrt, 'hypot': mpmath.hypot,
    }
    base = name.split('_')[0]
    if name == 'log_base':  # CPython: log(x) / log(b), each correctly rounded in glibc
        return lambda x, b: to_double(mpmath.log(mpf(x))) / to_double(mpmath.log(mpf(b)))
    if name == 'math_pow':
        base = 'pow'
    if base not in table:
        return None
    fn = table[base]
    return lambda *args: to_double(fn(*[mpf(a) for a in args]))


def sample_numerics(samples, seed):
    rng = random.Random(seed)
    out = {}
    mpmath.mp.prec = 300

    def record(name, inputs, fn):
        rows = []
        exact = correctly_rounded(name)
        for args in inputs:
            try:
                result = repr(fn(*args))
            except (OverflowError, ValueError, ZeroDivisionError) as error:
                result = type(error).__name__
            row = [repr(a) for a in args] + [result]
            if exact is not None:
                row.append(result if result.endswith('Error') else repr(exact(*args)))
            rows.append(row)
        out[name] = {'arity': len(inputs[0]), 'correctlyRounded': exact is not None, 'rows': rows}

    n = samples
    record('pow', [(rng.uniform(0, 3), rng.uniform(-60, 60)) for _ in range(n)], lambda x, y: x ** y)
    record('pow_gamma_int', [(rng.choice([0.9, 0.95, 0.99, 0.1, 0.5, 0.97, 1.1, 0.999, 0.8, 0.3]), rng.randint(0, 3000)) for _ in range(n)], lambda x, y: x ** y)
    record('pow_random_gamma_int', [(rng.uniform(0.5, 1.0), rng.randint(0, 1000)) for _ in range(n)], lambda x, y: x ** y)
    record('pow_wide', [(math.exp(rng.uniform(-700, 700)), rng.uniform(-2, 2)) for _ in range(n)], lambda x, y: x ** y)
    record('pow_fraction', [(rng.uniform(0, 1), rng.choice([0.5, 0.9, 1.5, 2.0, 3.0, 1 / 3])) for _ in range(n)], lambda x, y: x ** y)
    record('exp', [(rng.uniform(-50, 50),) for _ in range(n)], math.exp)
    record('exp_wide', [(rng.uniform(-745.5, 709.9),) for _ in range(n)], math.exp)
    record('exp_tiny', [(rng.uniform(-745.2, -700),) for _ in range(n)], math.exp)  # near and below 2^-1022
    record('pow_tiny', [(rng.uniform(0.1, 0.9), rng.uniform(300, 7000)) for _ in range(n)], lambda x, y: x ** y)
    record('log', [(rng.uniform(0, 1000),) for _ in range(n)], math.log)
    record('log_wide', [(math.exp(rng.uniform(-740, 709)),) for _ in range(n)], math.log)
    record('log_near_one', [(1 + rng.uniform(-0.05, 0.05),) for _ in range(n)], math.log)
    record('log_int', [(float(i),) for i in range(1, n + 1)], math.log)
    record('log_base', [(rng.randint(1, 5000), rng.choice([2, 3, 5, 10, math.e, 0.5, 1.5])) for _ in range(n)], math.log)
    record('log2', [(math.exp(rng.uniform(-700, 700)),) for _ in range(n)], math.log2)
    record('log10', [(math.exp(rng.uniform(-700, 700)),) for _ in range(n)], math.log10)
    record('cos', [(rng.uniform(-10, 10),) for _ in range(n)], math.cos)
    record('sin', [(rng.uniform(-10, 10),) for _ in range(n)], math.sin)
    record('cos_pi_k_T', [(math.pi * k / t,) for t, k in ((rng.randint(1, 300), None) for _ in range(n)) for k in [rng.randint(0, 2 * t)]], math.cos)
    record('cos_large', [(rng.uniform(-1e6, 1e6),) for _ in range(n // 2)] + [(math.exp(rng.uniform(0, 700)),) for _ in range(n // 2)], math.cos)
    record('sin_large', [(math.exp(rng.uniform(0, 700)),) for _ in range(n)], math.sin)
    record('tan', [(rng.uniform(-3, 3),) for _ in range(n)], math.tan)
    record('sqrt', [(math.exp(rng.uniform(-700, 700)),) for _ in range(n)], math.sqrt)
    record('atan', [(rng.uniform(-10, 10),) for _ in range(n)], math.atan)
    record('asin', [(rng.uniform(-1, 1),) for _ in range(n)], math.asin)
    record('acos', [(rng.uniform(-1, 1),) for _ in range(n)], math.acos)
    record('atan2', [(rng.uniform(-5, 5), rng.uniform(-5, 5)) for _ in range(n)], math.atan2)
    record('tanh', [(rng.uniform(-5, 5),) for _ in range(n)], math.tanh)
    record('cosh', [(rng.uniform(-5, 5),) for _ in range(n)], math.cosh)
    record('sinh', [(rng.uniform(-5, 5),) for _ in range(n)], math.sinh)
    record('expm1', [(rng.uniform(-1, 1),) for _ in range(n)], math.expm1)
    record('log1p', [(rng.uniform(-0.5, 2),) for _ in range(n)], math.log1p)
    record('hypot', [(rng.uniform(-100, 100), rng.uniform(-100, 100)) for _ in range(n)], math.hypot)
    record('math_pow', [(rng.uniform(0, 3), rng.uniform(-60, 60)) for _ in range(n)], math.pow)
    record('round2', [(rng.uniform(-100, 100), rng.randint(0, 6)) for _ in range(n)], round)
    record('true_div_int', [(rng.randint(-10 ** 30, 10 ** 30), rng.randint(1, 10 ** 25)) for _ in range(n)], lambda a, b: a / b)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--samples', type=int, default=1200, help='random samples per numeric function')
    parser.add_argument('--seed', type=int, default=20260101)
    parser.add_argument('--expressions', type=int, default=1500, help='random expressions (3 argument tuples each)')
    parser.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'test', 'reference', 'python-eval'))
    args = parser.parse_args()
    numpy.seterr(all='ignore')  # numpy's warnings for sqrt(-1) etc. are expected
    os.makedirs(args.out, exist_ok=True)
    meta = {
        'python': sys.version.split()[0],
        'implementation': platform.python_implementation(),
        'libc': ' '.join(platform.libc_ver()),
        'machine': platform.machine(),
        'numpy': numpy.__version__,
        'mpmath': mpmath.__version__,
    }
    semantics = {'meta': meta, 'tables': semantics_tables() + schedule_tables() + random_tables(args.expressions, args.seed)}
    numerics = {'meta': dict(meta, samples=args.samples, seed=args.seed), 'functions': sample_numerics(args.samples, args.seed)}
    for name, data in [('semantics.json', semantics), ('numerics.json', numerics)]:
        path = os.path.join(args.out, name)
        with open(path, 'w') as handle:
            json.dump(data, handle, separators=(',', ':'))
            handle.write('\n')
        print('wrote', os.path.normpath(path), os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
