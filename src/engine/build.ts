// Builds torch objects from case specs: the optimizer, then each scheduler in order (nested
// children first, as Python evaluates `SequentialLR(opt, [LinearLR(opt, ...), ...], ...)`).
import type { OptimizerSpec, SchedulerSpec } from './case';
import { typeError, UnsupportedError } from './errors';
import { createTransformersSchedule } from './frameworks/transformers';
import { Optimizer, OPTIMIZERS } from './optimizers';
import { compilePythonFunction } from './python/function';
import { toNumber } from './python/values';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  SWALR,
} from './schedulers';
import { bindKwargs, optional, required, Signature, signature } from './signature';

type Kwargs = Record<string, unknown>;

interface SchedulerEntry {
  signature: Signature;
  create(optimizer: Optimizer, options: Kwargs): LRScheduler;
}

const simple = (cls: { signature: Signature; new (optimizer: Optimizer, options: never): LRScheduler }): SchedulerEntry => ({
  signature: cls.signature,
  create: (optimizer, options) => new cls(optimizer, options as never),
});

/** ChainedScheduler(schedulers, optimizer=None) and SequentialLR(optimizer, schedulers, milestones, last_epoch=-1). */
const chainedSignature = signature('ChainedScheduler.__init__', [required('schedulers', 'schedulers'), optional('optimizer', null, 'any')], []);
const sequentialSignature = signature('SequentialLR.__init__', [
  required('schedulers', 'schedulers'),
  required('milestones', 'number-list'),
  optional('last_epoch', -1),
]);

export const SCHEDULERS: Record<string, SchedulerEntry> = {
  LambdaLR: simple(LambdaLR),
  MultiplicativeLR: simple(MultiplicativeLR),
  StepLR: simple(StepLR),
  MultiStepLR: simple(MultiStepLR),
  ConstantLR: simple(ConstantLR),
  LinearLR: simple(LinearLR),
  ExponentialLR: simple(ExponentialLR),
  PolynomialLR: simple(PolynomialLR),
  CosineAnnealingLR: simple(CosineAnnealingLR),
  ChainedScheduler: {
    signature: chainedSignature,
    create: (optimizer, options) => new ChainedScheduler(options.schedulers as LRScheduler[], optimizer),
  },
  SequentialLR: {
    signature: sequentialSignature,
    create: (optimizer, options) =>
      new SequentialLR(optimizer, {
        schedulers: options.schedulers as LRScheduler[],
        milestones: options.milestones as number[],
        lastEpoch: toNumber(options.lastEpoch),
      }),
  },
  ReduceLROnPlateau: simple(ReduceLROnPlateau),
  CyclicLR: simple(CyclicLR),
  OneCycleLR: simple(OneCycleLR),
  CosineAnnealingWarmRestarts: simple(CosineAnnealingWarmRestarts),
  SWALR: simple(SWALR),
};

export function buildOptimizer(spec: OptimizerSpec): Optimizer {
  const cls = OPTIMIZERS[spec.type];
  if (!cls) throw new UnsupportedError(`Unknown optimizer '${spec.type}'; LR Lens models torch.optim.${Object.keys(OPTIMIZERS).join(', ')}`);
  const options = bindKwargs(cls.signature, (spec.defaults ?? {}) as Kwargs);
  const groups = (spec.groups ?? [{}]) as Kwargs[];
  return new cls(groups, options as never);
}

export function buildScheduler(spec: SchedulerSpec, optimizer: Optimizer): LRScheduler {
  // transformers' schedules are torch LRSchedulers (a LambdaLR, or ReduceLROnPlateau): they step with torch's.
  if (spec.type.startsWith('transformers.')) {
    return createTransformersSchedule(spec.type.slice('transformers.'.length), optimizer, (spec.kwargs ?? {}) as Kwargs);
  }
  const entry = SCHEDULERS[spec.type];
  if (!entry) {
    throw new UnsupportedError(`Unknown scheduler '${spec.type}'; LR Lens models torch.optim.lr_scheduler.${Object.keys(SCHEDULERS).join(', ')}`);
  }
  const kwargs: Kwargs = { ...(spec.kwargs ?? {}) };
  const options = bindKwargs(entry.signature, kwargs);
  if ('schedulers' in options) {
    const children = options.schedulers as unknown[];
    options.schedulers = children.map((child, index) => {
      if (!isSchedulerSpec(child)) throw typeError(`${spec.type} at index ${index} should have \`optimizer\` as its attribute.`);
      return buildScheduler(child, optimizer);
    });
  }
  if ('lrLambda' in options) options.lrLambda = compileEach(options.lrLambda, 'epoch');
  if ('scaleFn' in options && options.scaleFn !== null) options.scaleFn = compileEach(options.scaleFn, 'x');
  return entry.create(optimizer, options);
}

function isSchedulerSpec(value: unknown): value is SchedulerSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as SchedulerSpec).type === 'string';
}

/** Python source text becomes a callable; anything else is left for torch's own checks to reject. */
function compileEach(value: unknown, parameter: string): unknown {
  if (Array.isArray(value)) return value.map((item) => compileEach(item, parameter));
  if (typeof value !== 'string') return value;
  const fn = compilePythonFunction(value, [parameter]);
  return (x: number) => fn.call([x]);
}
