// mmengine `param_scheduler` (a dict or a list of dicts with `type`, `begin`, `end`, `by_epoch`) with the
// optimizer of `optim_wrapper.optimizer` (or mmcv's `optimizer`) and the loop length of `train_cfg`.
// mmengine runs its own scheduler classes. Where one is the same arithmetic as torch's class of the same
// name (StepLR, MultiStepLR, ExponentialLR: the same chainable rule) and covers the whole run from step 0,
// the case is that torch class; a window (`begin` > 0 or a finite `end`), several LR schedulers at once or
// another class are reported as unresolved rather than approximated.
import type { PyLike } from '../../engine/case';
import { isNumberLike, toNumber } from '../../engine/python/values';
import { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH } from '../python/analyzer';
import type { AnalysisOptions, CallInfo } from '../types';
import { DEFAULT_OPTIMIZER, type FoundSchedule } from './schedule';
import { child, childAt, entry, scalarString, type ConfigDocument, type ConfigNode } from './tree';
import { argumentsOf, callInfo, ConfigResolver } from './values';

/** mmengine LR scheduler classes whose per-step rule is torch's class of the same name. */
const SAME_AS_TORCH = new Set(['StepLR', 'MultiStepLR', 'ExponentialLR']);
/** Keys of mmengine's scheduler base class, not of the schedule itself. */
const WINDOW_KEYS = new Set(['type', 'begin', 'end', 'by_epoch', 'convert_to_iter_based', 'last_step', 'verbose']);
const INF = 1e9;

function isLrScheduler(type: string): boolean {
  return /LR$/.test(type) && !/Momentum|Param/.test(type);
}

export function readMmengine(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const schedulerEntry = entry(doc.root, 'param_scheduler');
  if (!schedulerEntry) return [];
  const resolver = new ConfigResolver(doc.root);
  const list = schedulerEntry.value.kind === 'seq' ? schedulerEntry.value.items : [schedulerEntry.value];
  const dicts = list.filter((node) => node.kind === 'map' && isLrScheduler(scalarString(child(node, 'type')) ?? ''));

  const optimizerNode = childAt(doc.root, ['optim_wrapper', 'optimizer']) ?? child(doc.root, 'optimizer');
  let optimizerCall: CallInfo | null = null;
  let optimizerSpec = DEFAULT_OPTIMIZER;
  const optimizerMissing: string[] = [];
  const optimizerType = scalarString(child(optimizerNode, 'type'));
  if (optimizerNode && optimizerType) {
    const { args, missing } = argumentsOf(resolver, optimizerNode);
    const defaults: { [key: string]: PyLike } = {};
    for (const arg of args) if (arg.value !== undefined) defaults[arg.name as string] = arg.value;
    optimizerSpec = { type: optimizerType, defaults };
    optimizerCall = callInfo(optimizerType, 'optim_wrapper.optimizer', optimizerNode, optimizerNode, args);
    optimizerMissing.push(...missing);
  }

  const trainCfg = child(doc.root, 'train_cfg');
  const number = (node: ConfigNode | undefined) => {
    const value = node && resolver.resolve(node).value;
    return value !== undefined && value !== null && isNumberLike(value) ? toNumber(value) : null;
  };
  const maxEpochs = number(child(trainCfg, 'max_epochs'));
  const maxIters = number(child(trainCfg, 'max_iters'));

  return dicts.map((node) => {
    const type = scalarString(child(node, 'type')) as string;
    const { args, missing } = argumentsOf(resolver, node, new Set(['type']));
    const value = (key: string, fallback: PyLike): PyLike => args.find((a) => a.name === key)?.value ?? fallback;
    const byEpoch = value('by_epoch', true) !== false;
    const begin = toNumber(value('begin', 0));
    const end = toNumber(value('end', INF));
    const unresolved = [...missing, ...optimizerMissing];
    const assumptions: string[] = [];
    if (!optimizerCall) assumptions.push('optimizer = SGD(lr=0.1) (no optim_wrapper.optimizer in this file)');
    if (dicts.length > 1) unresolved.push(`param_scheduler: ${dicts.length} LR schedulers in begin/end windows (mmengine composes them; LR Lens does not model that yet)`);
    else if (begin !== 0 || end < INF) unresolved.push(`${type}: begin=${begin}, end=${end} (mmengine's step window; LR Lens does not model it yet)`);
    if (!SAME_AS_TORCH.has(type)) unresolved.push(`${type}: mmengine's own class (LR Lens models it only where it is torch's arithmetic)`);

    const unit: 'epoch' | 'step' = byEpoch ? 'epoch' : 'step';
    let epochs = maxEpochs ?? options.epochs ?? DEFAULT_EPOCHS;
    if (maxEpochs === null && maxIters === null) assumptions.push(`epochs = ${epochs} (${options.epochs !== undefined ? 'from the setting' : 'default'}; train_cfg sets no max_epochs)`);
    let stepsPerEpoch: number | null = null;
    let steps = epochs;
    if (unit === 'step') {
      if (maxIters !== null) {
        steps = maxIters;
        epochs = 1;
        stepsPerEpoch = maxIters;
      } else {
        stepsPerEpoch = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
        assumptions.push(`iterations per epoch = ${stepsPerEpoch} (${options.stepsPerEpoch !== undefined ? 'from the setting' : 'default'})`);
        steps = epochs * stepsPerEpoch;
      }
    }
    const kwargs: { [key: string]: PyLike } = {};
    for (const arg of args) if (!WINDOW_KEYS.has(arg.name ?? '') && arg.value !== undefined) kwargs[arg.name as string] = arg.value;
    const typeEntry = entry(node, 'type')!;
    return {
      line: typeEntry.keyRange.startLine + 1,
      type,
      variable: 'param_scheduler',
      unit,
      case: { optimizer: optimizerSpec, scheduler: { type, kwargs }, steps },
      unresolved: [...new Set(unresolved)],
      call: callInfo(type, 'param_scheduler', node, node, args),
      optimizer: optimizerCall,
      epochs,
      stepsPerEpoch,
      assumptions,
      source: 'mmengine',
      framework: null,
    };
  });
}
