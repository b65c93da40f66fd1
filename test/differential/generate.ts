// fast-check generators of random schedule cases, valid and invalid, for the differential test.
// Integral floats (`10.0`) are generated as `Float` and serialized with a decimal point, so the
// case text means the same thing to Python's json.load and to the engine's parseCaseJson.
import fc from 'fast-check';
import { Float } from '../../src/engine/python/values';

type Json = number | string | boolean | null | Float | Json[] | { [key: string]: Json };
type Kwargs = { [key: string]: Json };
export interface GeneratedCase {
  [key: string]: Json;
}

const MOMENTUM_OPTIMIZERS = ['SGD', 'RMSprop'];
const BETAS_OPTIMIZERS = ['Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'SparseAdam'];
const OTHER_OPTIMIZERS = ['Adagrad', 'Rprop', 'ASGD', 'Adadelta', 'LBFGS'];
const LEAF_SCHEDULERS = [
  'LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR',
  'PolynomialLR', 'CosineAnnealingLR', 'CyclicLR', 'OneCycleLR', 'CosineAnnealingWarmRestarts', 'SWALR',
];

/** Python expressions in `epoch`: Python's ** // % on negatives, int(), round(), math.*, conditionals. */
const LAMBDA_EXPRESSIONS = [
  '0.95 ** epoch',
  'lambda epoch: 0.9 ** (epoch // 4)',
  'lambda e: 1 / (e + 1)',
  '(epoch - 10) // 3 * 0.1 + 1.5',
  '((epoch - 7) % 5) / 5 + 0.1',
  '-(epoch % -3) + 0.5',
  '(7 - epoch) % 4 + 0.25',
  'int((epoch - 5.5) / 2) * 0.2 + 1',
  'int(-epoch / 3) + 5',
  'min(1.0, (epoch + 1) / 10)',
  'max(0.1, 1 - epoch / 50)',
  'abs(epoch - 10) / 10 + 0.01',
  'round(epoch / 3) / 4 + 0.25',
  'round(epoch * 0.15, 1) + 0.1',
  'round(-epoch / 2) + 8',
  '0.5 * (1 + math.cos(math.pi * epoch / 20))',
  'math.exp(-epoch / 10)',
  'math.log(epoch + 2)',
  'math.sqrt(epoch + 1) / 3',
  '1.0 if epoch < 10 else 0.1',
  '0.1 if epoch >= 5 and epoch % 2 == 0 else 1',
  '(epoch > 3) + 0.5',
  '(epoch == 4) * 2 + (epoch != 4) * 1.0',
  '2 ** -epoch',
  '(-2) ** int(epoch) / 2 ** epoch + 1.5',
  'epoch // 3',
  '1',
  'math.log(5 - epoch)',
  '1 / (epoch - 4)',
  'math.sqrt(3 - epoch)',
  'min(epoch, 3) / max(epoch, 1)',
  '1 - epoch / 8',
];

/** Per-epoch factors for MultiplicativeLR (close to 1, so traces stay finite). */
const MULTIPLICATIVE_EXPRESSIONS = [
  '0.95',
  'lambda epoch: 0.99',
  '1 - 0.01 * (epoch % 3)',
  '0.9 if epoch % 2 else 1.05',
  'max(0.5, 1 - epoch / 100)',
  'math.exp(-0.01 * epoch)',
  '0.5 + abs(math.cos(epoch)) / 2',
  '1 + (epoch // 5 - 2) * 0.01',
  '0.97 ** (epoch % 4)',
  'round(0.987654, 3)',
  '1 / (epoch - 3)',
  'math.sqrt(epoch - 2)',
];

/** scale_fn expressions in `x` for CyclicLR. */
const SCALE_FN_EXPRESSIONS = [
  '1 / (2.0 ** (x - 1))',
  '0.9 ** x',
  'lambda x: 1.0',
  'abs(math.cos(x))',
  '1 / x',
  'max(0.2, 1 - x / 10)',
  '0.5 if x % 2 == 0 else 1',
  'min(1, x // 2)',
  'math.exp(-x / 50)',
];

const CONTAINERS = { SequentialLR: true, ChainedScheduler: true };
const LAMBDA_KWARGS = ['lr_lambda', 'scale_fn'];
const BAD_VALUES: Json[] = ['abc', null, true, false, -1, 0, -0.5, new Float(2), new Float(0), 1e9, [], [0.1, 0.2, 0.3]];

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const bool = (p: number) => fc.integer({ min: 0, max: 999 }).map((u) => u < p * 1000);
const maybe = <T>(arb: fc.Arbitrary<T>, p: number) => fc.tuple(bool(p), arb).map(([on, value]) => (on ? value : undefined));
const int = (min: number, max: number) => fc.integer({ min, max });
/** Uniform over [min, max] (fc.double favours extremes such as 5e-324, which no schedule uses). */
const num = (min: number, max: number) => fc.integer({ min: 0, max: 1_000_000 }).map((i) => min + ((max - min) * i) / 1_000_000);
/** A float the way a person writes one, now and then an integral float (10.0) or an int. */
const nice = (min: number, max: number): fc.Arbitrary<Json> => {
  const options: fc.WeightedArbitrary<Json>[] = [
    { weight: 6, arbitrary: num(min, max).map((x) => Number(x.toPrecision(3))) },
    { weight: 2, arbitrary: num(min, max) },
  ];
  if (Math.ceil(min) <= Math.floor(max)) {
    const integral = int(Math.ceil(min), Math.floor(max));
    options.push({ weight: 1, arbitrary: integral.map((x) => new Float(x)) }, { weight: 1, arbitrary: integral });
  }
  return fc.oneof(...options);
};
/** Mostly `usual`, now and then one of the edge values (valid or not) that torch treats specially. */
const rare = (usual: fc.Arbitrary<Json>, ...edges: Json[]): fc.Arbitrary<Json> =>
  fc.oneof({ weight: 10, arbitrary: usual }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
const lr = (): fc.Arbitrary<Json> => fc.oneof(pick<Json>(0.1, 0.01, 0.001, 0.05, 1, 0.5, 3e-4), nice(1e-5, 2));
const perGroup = (arb: fc.Arbitrary<Json>, groups: number): fc.Arbitrary<Json> =>
  fc.oneof(
    { weight: 8, arbitrary: arb },
    { weight: 3, arbitrary: fc.array(arb, { minLength: groups, maxLength: groups }) },
    { weight: 1, arbitrary: fc.array(arb, { minLength: 0, maxLength: 3 }) },
  );
const lambdaSource = (expressions: string[], groups: number): fc.Arbitrary<Json> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...expressions) },
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...expressions), { minLength: groups, maxLength: groups }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...expressions), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: pick<Json>(0.5, 1, [0.9]) },
  );

/** Drops the undefined entries of a record of optional kwargs. */
const present = (kwargs: { [key: string]: Json | undefined }): Kwargs =>
  Object.fromEntries(Object.entries(kwargs).filter(([, value]) => value !== undefined)) as Kwargs;
const optionalKwargs = (model: { [key: string]: fc.Arbitrary<Json> }, p = 0.5) =>
  fc.record(Object.fromEntries(Object.entries(model).map(([key, arb]) => [key, maybe(arb, p)]))).map(present);

function leafKwargs(type: string, groups: number): fc.Arbitrary<Kwargs> {
  const momentum = () => nice(0.5, 0.99);
  switch (type) {
    case 'LambdaLR':
      return fc.record({ lr_lambda: lambdaSource(LAMBDA_EXPRESSIONS, groups) });
    case 'MultiplicativeLR':
      return fc.record({ lr_lambda: lambdaSource(MULTIPLICATIVE_EXPRESSIONS, groups) });
    case 'StepLR':
      return fc.tuple(fc.record({ step_size: rare(int(1, 15), -2, 0, 2.5, new Float(3)) }), optionalKwargs({ gamma: nice(0.05, 1.2) }))
        .map(([a, b]) => ({ ...a, ...b }));
    case 'MultiStepLR':
      return fc.tuple(
        fc.record({ milestones: fc.array(int(0, 40), { maxLength: 6 }) as fc.Arbitrary<Json> }),
        optionalKwargs({ gamma: nice(0.05, 1.5) }),
      ).map(([a, b]) => ({ ...a, ...b }));
    case 'ConstantLR':
      return optionalKwargs({ factor: rare(nice(0, 1), 0, 1, 1.5), total_iters: int(0, 20) });
    case 'LinearLR':
      return optionalKwargs({ start_factor: rare(nice(0.01, 1), 0, 1.5), end_factor: nice(0, 1), total_iters: int(0, 30) });
    case 'ExponentialLR':
      return fc.record({ gamma: rare(nice(0.8, 1.05), 0, 1, 2) });
    case 'PolynomialLR':
      return optionalKwargs({ total_iters: int(0, 40), power: rare(nice(0, 3), -1) });
    case 'CosineAnnealingLR':
      return fc.tuple(fc.record({ T_max: rare(int(1, 50), 0, new Float(10), 7.5) }), optionalKwargs({ eta_min: nice(0, 0.01) }))
        .map(([a, b]) => ({ ...a, ...b }));
    case 'CosineAnnealingWarmRestarts':
      return fc.tuple(
        fc.record({ T_0: rare(int(1, 20), 0, -2, new Float(5), true) }),
        optionalKwargs({ T_mult: rare(int(1, 3), 0, new Float(2)), eta_min: rare(nice(0, 0.01), '0') }),
      ).map(([a, b]) => ({ ...a, ...b }));
    case 'CyclicLR':
      return fc.tuple(
        fc.record({ base_lr: perGroup(nice(1e-4, 0.01), groups), max_lr: perGroup(nice(0.01, 1), groups) }),
        optionalKwargs({
          step_size_up: rare(int(1, 20), 0, 2.5),
          step_size_down: fc.oneof(int(1, 20), pick<Json>(null)),
          mode: rare(pick<Json>('triangular', 'triangular2', 'exp_range'), 'CATS'),
          gamma: nice(0.9, 1),
          scale_fn: fc.constantFrom(...SCALE_FN_EXPRESSIONS),
          scale_mode: pick<Json>('cycle', 'iterations'),
          cycle_momentum: fc.boolean(),
          base_momentum: perGroup(nice(0.7, 0.85), groups),
          max_momentum: perGroup(nice(0.85, 0.99), groups),
        }, 0.35),
      ).map(([a, b]) => ({ ...a, ...b }));
    case 'OneCycleLR':
      return fc.tuple(
        fc.record({ max_lr: perGroup(nice(0.01, 1), groups) }),
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ total_steps: int(2, 80) as fc.Arbitrary<Json> }) },
          { weight: 2, arbitrary: fc.record({ epochs: int(1, 6) as fc.Arbitrary<Json>, steps_per_epoch: int(1, 15) as fc.Arbitrary<Json> }) },
          { weight: 1, arbitrary: optionalKwargs({ total_steps: pick<Json>(0, -3, new Float(10)), epochs: int(0, 3), steps_per_epoch: int(-1, 5) }) },
        ),
        optionalKwargs({
          pct_start: rare(nice(0, 1), 1, 0.1, new Float(1), 1.5),
          anneal_strategy: rare(pick<Json>('cos', 'linear'), 'exp'),
          cycle_momentum: fc.boolean(),
          base_momentum: perGroup(momentum(), groups),
          max_momentum: perGroup(momentum(), groups),
          div_factor: nice(1, 50),
          final_div_factor: nice(1, 1e4),
          three_phase: fc.boolean(),
        }, 0.3),
      ).map(([a, b, c]) => ({ ...a, ...b, ...c }));
    case 'SWALR':
      return fc.tuple(
        fc.record({ swa_lr: perGroup(nice(1e-4, 0.1), groups) }),
        optionalKwargs({ anneal_epochs: rare(int(0, 10), -1, 1.7), anneal_strategy: rare(pick<Json>('cos', 'linear'), 'exp') }),
      ).map(([a, b]) => ({ ...a, ...b }));
    default:
      throw new Error(`no kwargs generator for ${type}`);
  }
}

/** Now and then breaks a valid kwargs dict the way users do: a bad value, a stray kwarg, a missing one. */
function mutate(kwargs: Kwargs): fc.Arbitrary<Kwargs> {
  const keys = Object.keys(kwargs);
  return fc.oneof(
    keys.length > 0
      ? fc.constantFrom(...keys).chain((key) =>
          // Text in a lambda slot is Python source: a bad one is a NameError, not a torch behaviour to test.
          fc.constantFrom(...BAD_VALUES.filter((bad) => !(LAMBDA_KWARGS.includes(key) && typeof bad === 'string'))).map((bad) => ({ ...kwargs, [key]: bad })),
        )
      : fc.constant({ ...kwargs, verbose: true }),
    fc.constantFrom<Kwargs>({ verbose: true }, { verbose: false }, { last_epoch: 3 }, { last_epoch: 0 }, { warmup: 5 }).map((extra) => ({ ...kwargs, ...extra })),
    keys.length > 0 ? fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(kwargs).filter(([k]) => k !== key))) : fc.constant(kwargs),
  );
}

const withMutation = (arb: fc.Arbitrary<Kwargs>, p: number) =>
  fc.tuple(arb, bool(p)).chain(([kwargs, broken]) => (broken ? mutate(kwargs) : fc.constant(kwargs)));

function plateauKwargs(groups: number): fc.Arbitrary<Kwargs> {
  return optionalKwargs({
    mode: rare(pick<Json>('min', 'max'), 'minimum'),
    factor: rare(nice(0.05, 0.9), 1, 0),
    patience: int(0, 5),
    threshold: fc.oneof(nice(0, 0.2), pick<Json>(1e-4)),
    threshold_mode: rare(pick<Json>('rel', 'abs'), 'relative'),
    cooldown: int(0, 4),
    min_lr: perGroup(nice(0, 1e-3), groups),
    eps: pick<Json>(1e-8, 0, 1e-3),
  }, 0.4);
}

type Spec = { type: string; kwargs: Kwargs };

function schedulerSpec(groups: number, depth: number, allowPlateau: boolean): fc.Arbitrary<Spec> {
  const leaf = fc.constantFrom(...LEAF_SCHEDULERS).chain((type) =>
    withMutation(leafKwargs(type, groups), 0.06).map((kwargs): Spec => ({ type, kwargs })),
  );
  const options: fc.WeightedArbitrary<Spec>[] = [{ weight: 60, arbitrary: leaf }];
  if (allowPlateau) {
    options.push({ weight: 10, arbitrary: withMutation(plateauKwargs(groups), 0.06).map((kwargs): Spec => ({ type: 'ReduceLROnPlateau', kwargs })) });
  }
  if (depth > 0) {
    // Containers get leaf children mostly; a plateau child is invalid and rare.
    const children = fc.array(schedulerSpec(groups, depth - 1, false), { minLength: 1, maxLength: 3 });
    const sequential = fc.tuple(children, bool(0.9)).chain(([specs, valid]) =>
      fc.array(int(0, 25), { minLength: valid ? specs.length - 1 : 0, maxLength: valid ? specs.length - 1 : 3 })
        .map((milestones) => milestones.sort((a, b) => a - b))
        .map((milestones): Spec => ({ type: 'SequentialLR', kwargs: { schedulers: specs as unknown as Json[], milestones } })),
    );
    const chained = children.map((specs): Spec => ({ type: 'ChainedScheduler', kwargs: { schedulers: specs as unknown as Json[] } }));
    options.push({ weight: 15, arbitrary: sequential }, { weight: 10, arbitrary: chained });
    options.push({ weight: 1, arbitrary: fc.constant<Spec>({ type: 'SequentialLR', kwargs: { schedulers: [{ type: 'ReduceLROnPlateau' }], milestones: [] } }) });
  }
  return fc.oneof(...options);
}

function optimizerSpec(): fc.Arbitrary<{ spec: Kwargs; groups: number }> {
  const type = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...MOMENTUM_OPTIMIZERS) },
    { weight: 4, arbitrary: fc.constantFrom(...BETAS_OPTIMIZERS) },
    { weight: 2, arbitrary: fc.constantFrom(...OTHER_OPTIMIZERS) },
  );
  const betas = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(nice(0.5, 0.99), pick<Json>(0.999, 0.99, 0.98)).map((b) => b as Json) },
    { weight: 1, arbitrary: pick<Json>([new Float(1), 0.999], [0, 0.999], [0.9, -0.1]) },
  );
  return fc.tuple(type, int(1, 3), bool(0.3)).chain(([name, groupCount, explicitGroups]) => {
    const hasMomentum = MOMENTUM_OPTIMIZERS.includes(name);
    const hasBetas = BETAS_OPTIMIZERS.includes(name);
    const defaults = optionalKwargs({
      lr: rare(lr(), 0, -0.1, 'abc'),
      ...(hasMomentum ? { momentum: rare(nice(0, 0.99), -0.5) } : {}),
      ...(hasBetas ? { betas } : {}),
      ...(name === 'SGD' ? { nesterov: rare(pick<Json>(false), true) } : {}),
    }, 0.6);
    const group = optionalKwargs({
      lr: lr(),
      initial_lr: lr(),
      ...(hasMomentum ? { momentum: nice(0, 0.99) } : {}),
      ...(hasBetas ? { betas } : {}),
    }, 0.35);
    const groups = explicitGroups || groupCount > 1 ? fc.array(group, { minLength: groupCount, maxLength: groupCount }) : fc.constant(undefined);
    return fc.tuple(defaults, groups).map(([d, g]) => {
      const spec: Kwargs = { type: name, defaults: d };
      if (g) spec.groups = g;
      return { spec, groups: g ? g.length : 1 };
    });
  });
}

const metric: fc.Arbitrary<Json> = fc.oneof(
  { weight: 12, arbitrary: num(-2, 2).map((x) => Number(x.toPrecision(4))) },
  { weight: 2, arbitrary: int(-3, 3) },
  { weight: 1, arbitrary: pick<Json>('nan', 'inf', '-inf') },
);
/** Metrics that mostly plateau, so reductions happen. */
const metrics = (steps: number) =>
  fc.tuple(fc.array(metric, { minLength: steps, maxLength: steps }), int(1, 6)).map(([values, run]) =>
    values.map((value, i) => values[i - (i % run)] ?? value),
  );
const epochEntry: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: pick<Json>(null) },
  { weight: 3, arbitrary: int(0, 40) },
  { weight: 2, arbitrary: num(0, 40).map((x) => Math.round(x * 4) / 4) },
  { weight: 1, arbitrary: pick<Json>(-1, new Float(3)) },
);

/** A random case: an optimizer, one to three schedulers, rounds, and sometimes metrics, epochs or a plan. */
export function scheduleCase(): fc.Arbitrary<GeneratedCase> {
  return optimizerSpec().chain(({ spec, groups }) =>
    fc.tuple(
      fc.oneof({ weight: 5, arbitrary: fc.array(schedulerSpec(groups, 2, true), { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(schedulerSpec(groups, 1, true), { minLength: 2, maxLength: 3 }) }),
      // Mostly short; some long enough for the chainable recursions' rounding to build up.
      fc.oneof({ weight: 12, arbitrary: int(0, 40) }, { weight: 4, arbitrary: int(40, 150) }, { weight: 2, arbitrary: int(150, 400) }, { weight: 1, arbitrary: int(400, 1000) }),
    ).chain(([schedulers, steps]) => {
      const usesPlateau = schedulers.some((s) => s.type === 'ReduceLROnPlateau');
      return fc.tuple(
        usesPlateau ? metrics(steps) : fc.constant(undefined),
        // SequentialLR/ChainedScheduler.step() take no epoch: a TypeError, worth seeing now and then only.
        maybe(fc.array(epochEntry, { minLength: steps, maxLength: steps }), schedulers.some((s) => s.type in CONTAINERS) ? 0.01 : 0.12),
        schedulers.length > 1
          ? maybe(fc.array(fc.subarray(schedulers.map((_, i) => i)), { minLength: steps, maxLength: steps }), 0.3)
          : fc.constant(undefined),
      ).map(([metricValues, epochs, plan]) => {
        const result: GeneratedCase = { optimizer: spec };
        if (schedulers.length === 1 && !plan) result.scheduler = schedulers[0] as unknown as Json;
        else result.schedulers = schedulers as unknown as Json[];
        result.steps = steps;
        if (metricValues) result.metrics = metricValues;
        if (epochs) result.epochs = epochs;
        if (plan) result.plan = plan;
        return result;
      });
    }),
  );
}

/** JSON text in which a Float keeps its decimal point (`10.0`), as Python's json.dump would write it. */
export function caseJson(value: unknown): string {
  if (value instanceof Float) {
    const text = JSON.stringify(value.value);
    return /^-?\d+$/.test(text) ? `${text}.0` : text;
  }
  if (Array.isArray(value)) return `[${value.map(caseJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${caseJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
