// Keras and optax schedules written in Python (`keras.optimizers.schedules.CosineDecay(1e-3, 1000)`,
// `optax.warmup_cosine_decay_schedule(0.0, 1e-3, 100, 1000)`): pure functions of the optimizer's step, which the
// engine evaluates as the libraries do (src/engine/frameworks/keras.ts, optax.ts). Nothing steps them, so the
// lens shows the whole schedule (or the settings' epochs × steps per epoch), and the panel edits the call.
import { KERAS_SIGNATURES, OPTAX_SIGNATURES } from '../../engine/frameworks';
import { isNumberLike, toNumber } from '../../engine/python/values';
import { kerasNaturalSteps } from '../config/keras';
import type { AnalysisOptions, SchedulerFinding } from '../types';
import { callFinding, readCall } from './callFinding';
import type { Resolver } from './evaluate';
import type { FileModel } from './model';
import type { PyLike } from '../../engine/case';

const KERAS_PATTERN = /^(?:tensorflow\.)?(?:tf\.)?keras\.(?:src\.)?optimizers\.schedules(?:\.learning_rate_schedule)?\.(\w+)$/;
const OPTAX_PATTERN = /^optax(?:\.schedules)?\.(\w+)$/;

/** The library and name a fully qualified callee names, when it is one of the schedules the engine runs. */
function functionSchedule(qualified: string): { library: 'keras' | 'optax'; name: string } | null {
  const keras = KERAS_PATTERN.exec(qualified)?.[1];
  if (keras && Object.prototype.hasOwnProperty.call(KERAS_SIGNATURES, keras)) return { library: 'keras', name: keras };
  const optax = OPTAX_PATTERN.exec(qualified)?.[1];
  if (optax && Object.prototype.hasOwnProperty.call(OPTAX_SIGNATURES, optax)) return { library: 'optax', name: optax };
  return null;
}

/** A horizon that shows the whole optax schedule when the settings do not say how long training runs. */
function optaxNaturalSteps(name: string, kwargs: Record<string, PyLike>): number {
  const n = (key: string) => (isNumberLike(kwargs[key]) ? toNumber(kwargs[key]) : 0);
  const boundaries = () => Object.keys((kwargs.boundaries_and_scales ?? {}) as object).map(Number).filter(Number.isFinite);
  switch (name) {
    case 'piecewise_constant_schedule':
    case 'piecewise_interpolate_schedule':
      return Math.ceil(Math.max(...boundaries(), 1) * 1.25);
    case 'exponential_decay':
      return n('transition_begin') + 10 * Math.max(n('transition_steps'), 1);
    case 'warmup_exponential_decay_schedule':
      return n('warmup_steps') + n('transition_begin') + 10 * Math.max(n('transition_steps'), 1);
    case 'warmup_constant_schedule':
      return Math.max(2 * n('warmup_steps'), 10);
    default:
      return Math.max(Math.ceil((n('transition_begin') + n('transition_steps') + n('decay_steps')) * 1.1), 10);
  }
}

export function functionScheduleFindings(model: FileModel, resolver: Resolver, options: AnalysisOptions): SchedulerFinding[] {
  const findings: SchedulerFinding[] = [];
  // Their callees qualify through `keras` or `optax` imports: a file without either needs no search.
  if (!/\b(?:keras|optax)\b/.test(model.source)) return findings;
  const names = [...Object.keys(KERAS_SIGNATURES), ...Object.keys(OPTAX_SIGNATURES)];
  for (const record of model.findCalls(names)) {
    const schedule = functionSchedule(resolver.qualifiedCallee(record.node, record.scope) ?? '');
    if (!schedule) continue;
    const signature = (schedule.library === 'keras' ? KERAS_SIGNATURES : OPTAX_SIGNATURES)[schedule.name];
    const { call, kwargs, unresolved } = readCall(record, schedule.name, signature.params.map((param) => param.py), resolver);
    const assumptions: string[] = [];
    let steps: number;
    if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) steps = options.epochs * options.stepsPerEpoch;
    else {
      steps = schedule.library === 'keras' ? kerasNaturalSteps(schedule.name, kwargs) : optaxNaturalSteps(schedule.name, kwargs);
      assumptions.push(`steps = ${steps} (enough to show the whole schedule; set epochs and steps per epoch to follow a training run)`);
    }
    const type = `${schedule.library}.${schedule.name}`;
    const finding = callFinding(call, {
      type,
      scheduleCase: { optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, scheduler: { type, kwargs }, steps },
      unresolved,
      assumptions,
      epochs: options.epochs !== undefined && options.stepsPerEpoch !== undefined ? options.epochs : 1,
      stepsPerEpoch: options.epochs !== undefined && options.stepsPerEpoch !== undefined ? options.stepsPerEpoch : steps,
    });
    findings.push(finding);
  }
  return findings;
}
