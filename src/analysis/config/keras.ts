// Keras learning-rate schedules as `keras.optimizers.schedules.serialize()` writes them
// ({"module": "keras.optimizers.schedules", "class_name": ..., "config": {...}}), alone or as an
// optimizer's `learning_rate`. The x axis is the optimizer's iteration count.
import type { PyLike } from '../../engine/case';
import { KERAS_SCHEDULE_NAMES } from '../../engine/frameworks';
import { isNumberLike, toNumber } from '../../engine/python/values';
import type { AnalysisOptions } from '../types';
import type { FoundSchedule } from './schedule';
import { child, entry, scalarString, walkMaps, type ConfigDocument } from './tree';
import { argumentsOf, callInfo, ConfigResolver } from './values';

/** A horizon that shows the whole schedule when the config does not say how long training runs. */
export function kerasNaturalSteps(className: string, config: Record<string, unknown>): number {
  const n = (key: string, fallback = 0) => (isNumberLike(config[key]) ? toNumber(config[key]) : fallback);
  switch (className) {
    case 'CosineDecay':
      return Math.ceil(n('warmup_steps') + n('decay_steps') * 1.1);
    case 'CosineDecayRestarts': {
      const tMul = n('t_mul', 2);
      return Math.ceil(n('first_decay_steps') * (1 + tMul + tMul * tMul));
    }
    case 'PiecewiseConstantDecay': {
      const boundaries = Array.isArray(config.boundaries) ? config.boundaries.map(toNumber) : [0];
      return Math.ceil(Math.max(...boundaries, 1) * 1.25);
    }
    case 'PolynomialDecay':
      return Math.ceil(n('decay_steps') * (config.cycle ? 3 : 1.1));
    default:
      return Math.ceil(n('decay_steps', 100) * 10);
  }
}

export function readKeras(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const resolver = new ConfigResolver(doc.root);
  const found: FoundSchedule[] = [];
  for (const { node, path } of walkMaps(doc.root)) {
    const className = scalarString(child(node, 'class_name'));
    const configNode = child(node, 'config');
    const module = scalarString(child(node, 'module'));
    if (!className || !KERAS_SCHEDULE_NAMES.includes(className) || configNode?.kind !== 'map') continue;
    if (module !== undefined && !/optimizers\.schedules/.test(module)) continue;
    const { args, missing } = argumentsOf(resolver, configNode, new Set());
    const config: Record<string, unknown> = {};
    for (const arg of args) if (arg.value !== undefined) config[arg.name as string] = arg.value;
    const assumptions: string[] = [];
    let steps: number;
    if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) steps = options.epochs * options.stepsPerEpoch;
    else {
      steps = kerasNaturalSteps(className, config);
      assumptions.push(`steps = ${steps} (enough to show the whole schedule; set epochs and steps per epoch to follow a training run)`);
    }
    const initial = isNumberLike(config.initial_learning_rate) ? toNumber(config.initial_learning_rate) : Array.isArray(config.values) ? toNumber(config.values[0]) : 0.001;
    const key = entry(node, 'class_name')!;
    found.push({
      line: key.keyRange.startLine + 1,
      type: className,
      variable: path.join('.') || null,
      unit: 'step',
      case: { optimizer: { type: 'SGD', defaults: { lr: initial } }, scheduler: { type: `keras.${className}`, kwargs: config as Record<string, PyLike> }, steps },
      unresolved: missing,
      call: callInfo(className, path.join('.') || null, node, configNode, args),
      optimizer: null,
      epochs: options.epochs !== undefined && options.stepsPerEpoch !== undefined ? options.epochs : 1,
      stepsPerEpoch: options.epochs !== undefined && options.stepsPerEpoch !== undefined ? options.stepsPerEpoch : steps,
      assumptions,
      source: 'keras',
      framework: 'keras',
    });
  }
  return found;
}
