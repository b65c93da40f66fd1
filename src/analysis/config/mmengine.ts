// mmengine `param_scheduler` (a list of dicts with `type`, `begin`, `end`, `by_epoch`, … or one dict) with
// the optimizer of `optim_wrapper.optimizer` (or mmcv's `optimizer`) and the loop of `train_cfg`: ONE
// finding for the whole list, as the framework case "mmengine.param_scheduler" (src/engine/frameworks/
// mmengine.ts), which runs mmengine's own scheduler classes as its Runner and ParamSchedulerHook do.
// The x axis is iterations when any scheduler steps per iteration (by_epoch=False, convert_to_iter_based)
// or the loop is iteration-based, else epochs (one row per epoch: epoch_length 1 changes nothing then).
// Iterations per epoch are len(train_dataloader), which a config does not show (the batch size alone
// does not give it): the setting or a default, listed as an assumption where it matters.
import type { PyLike, ScheduleCase } from '../../engine/case';
import { MMENGINE_PARAM_SCHEDULER, MMENGINE_SCHEDULER_TYPES } from '../../engine/frameworks';
import { isNumberLike, toNumber } from '../../engine/python/values';
import { syntheticPlateauMetrics } from '../plateauMetric';
import { DEFAULT_EPOCHS, DEFAULT_STEPS_PER_EPOCH } from '../types';
import type { AnalysisOptions, ArgumentInfo, CallInfo, SchedulerFinding } from '../types';
import { DEFAULT_OPTIMIZER, type FoundSchedule } from './schedule';
import { child, childAt, entry, scalarString, type ConfigDocument, type ConfigNode } from './tree';
import { argumentsOf, callInfo, ConfigResolver } from './values';

const TYPE_ONLY = new Set(['type']);

interface SchedulerDict {
  node: ConfigNode;
  type: string;
  kwargs: { [key: string]: PyLike };
  args: ArgumentInfo[];
}

/** `type='LinearLR'`, `type='mmengine.LinearLR'` (a registry scope) or, in pure-Python configs, `type=LinearLR`. */
function typeName(node: ConfigNode | undefined): string | null {
  const typeNode = child(node, 'type');
  const text = scalarString(typeNode) ?? (typeNode && typeNode.value === undefined && /^[A-Za-z_][\w.]*$/.test(typeNode.text) ? typeNode.text : null);
  return text === null ? null : text.replace(/^mmengine\./, '').split('.').pop()!;
}

/** Schedulers of the learning rate: the LR classes, a *ParamScheduler with param_name='lr', or an unknown `…LR`. */
function schedulesLr(dict: SchedulerDict): boolean {
  const registered = MMENGINE_SCHEDULER_TYPES[dict.type];
  if (!registered) return /LR$/.test(dict.type);
  return registered.param === 'lr' || (registered.param === null && dict.kwargs.param_name === 'lr');
}

/** The entries of a param_scheduler value (a list, or one dict), each with its type; null where it is not a scheduler dict. */
export function paramSchedulerItems(listNode: ConfigNode): { node: ConfigNode; type: string | null }[] {
  return (listNode.kind === 'seq' ? listNode.items : [listNode]).map((node) => ({ node, type: node.kind === 'map' ? typeName(node) : null }));
}

const truthy = (value: PyLike | undefined, fallback: boolean) => (value === undefined || value === null ? fallback : Boolean(toNumber(value as number)));

export function readMmengine(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const schedulerEntry = entry(doc.root, 'param_scheduler');
  if (!schedulerEntry) return [];
  const resolver = new ConfigResolver(doc.root);
  const unresolved: string[] = (doc.missingBases ?? []).map((path) => `_base_: ${path} (could not be read)`);
  const assumptions: string[] = [];
  const listNode = schedulerEntry.value;
  // Inherited from a `_base_` file: read, shown on the `_base_` line, never edited here.
  const inheritedFrom = (node: ConfigNode | undefined) => (node ? doc.inherited?.get(node) : undefined);
  const schedulerBase = inheritedFrom(listNode);
  if (schedulerBase) assumptions.push(`param_scheduler from ${schedulerBase} (_base_)`);
  const dicts: SchedulerDict[] = [];
  for (const { node, type } of paramSchedulerItems(listNode)) {
    if (!type) {
      unresolved.push(`param_scheduler: ${node.text} (not a scheduler dict with a type)`);
      continue;
    }
    const { args, missing } = argumentsOf(resolver, node, TYPE_ONLY);
    unresolved.push(...missing);
    const kwargs: { [key: string]: PyLike } = { type };
    for (const arg of args) if (arg.value !== undefined) kwargs[arg.name as string] = arg.value;
    dicts.push({ node, type, kwargs, args });
    if (!MMENGINE_SCHEDULER_TYPES[type]) unresolved.push(`${type}: not one of mmengine's own parameter schedulers (LR Lens does not know this class)`);
  }
  const lrDicts = dicts.filter(schedulesLr);
  if (lrDicts.length === 0) return [];

  const optimizerNode = childAt(doc.root, ['optim_wrapper', 'optimizer']) ?? child(doc.root, 'optimizer');
  let optimizerCall: CallInfo | null = null;
  let optimizerSpec = DEFAULT_OPTIMIZER;
  const optimizerType = typeName(optimizerNode);
  if (optimizerNode && optimizerType) {
    const { args, missing } = argumentsOf(resolver, optimizerNode);
    const defaults: { [key: string]: PyLike } = {};
    for (const arg of args) if (arg.value !== undefined) defaults[arg.name as string] = arg.value;
    optimizerSpec = { type: optimizerType, defaults };
    const optimizerBase = inheritedFrom(optimizerNode);
    if (optimizerBase) assumptions.push(`optim_wrapper.optimizer from ${optimizerBase} (_base_)`);
    else {
      // Keys merged in from a base file are read but not written here.
      const own = args.filter((arg) => !inheritedFrom(child(optimizerNode, arg.name ?? '')));
      optimizerCall = callInfo(optimizerType, 'optim_wrapper.optimizer', optimizerNode, optimizerNode, own);
    }
    unresolved.push(...missing);
  } else {
    assumptions.push('optimizer = SGD(lr=0.1) (no optim_wrapper.optimizer in this file)');
  }

  // train_cfg as Runner.build_train_loop reads it: `type`, or the older `by_epoch` key.
  const trainNode = child(doc.root, 'train_cfg');
  const train = trainNode ? resolver.resolve(trainNode) : { value: undefined, missing: [] };
  const trainCfg = (train.value && typeof train.value === 'object' && !Array.isArray(train.value) ? train.value : {}) as { [key: string]: PyLike };
  unresolved.push(...train.missing.map((name) => `train_cfg: ${name}`));
  const loopType = typeof trainCfg.type === 'string' ? trainCfg.type : truthy(trainCfg.by_epoch, true) ? 'EpochBasedTrainLoop' : 'IterBasedTrainLoop';
  const byEpochLoop = loopType !== 'IterBasedTrainLoop';
  const loopCfg: { [key: string]: PyLike } = { ...trainCfg };
  delete loopCfg.by_epoch;
  loopCfg.type = loopType;
  const lengthKey = byEpochLoop ? 'max_epochs' : 'max_iters';
  if (!isNumberLike(trainCfg[lengthKey])) {
    const fallback = byEpochLoop ? (options.epochs ?? DEFAULT_EPOCHS) : (options.epochs ?? DEFAULT_EPOCHS) * (options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH);
    loopCfg[lengthKey] = fallback;
    assumptions.push(`${lengthKey} = ${fallback} (${options.epochs !== undefined ? 'from the setting' : 'default'}; train_cfg sets no ${lengthKey})`);
  }
  const loopLength = toNumber(loopCfg[lengthKey] as number);

  const converts = dicts.some((d) => truthy(d.kwargs.convert_to_iter_based, false));
  const perIteration = !byEpochLoop || converts || dicts.some((d) => !truthy(d.kwargs.by_epoch, true));
  // Iterations per epoch matter where epochs are turned into iterations: an epoch-based loop counted in
  // iterations, or a conversion.
  const needsEpochLength = (byEpochLoop && perIteration) || converts;
  let epochLength = 1;
  if (needsEpochLength || !byEpochLoop) epochLength = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
  if (needsEpochLength) {
    const from = options.stepsPerEpoch !== undefined ? 'from the setting' : 'default';
    assumptions.push(`iterations per epoch = ${epochLength} (${from}; mmengine's epoch_length is len(train_dataloader), which the config does not show)`);
  }
  const steps = byEpochLoop ? loopLength * epochLength : loopLength;

  const scheduleCase: ScheduleCase = {
    optimizer: optimizerSpec,
    scheduler: {
      type: MMENGINE_PARAM_SCHEDULER,
      kwargs: { param_scheduler: dicts.map((d) => d.kwargs), train_cfg: loopCfg, epoch_length: epochLength },
    },
    steps,
  };
  const plateau = dicts.find((d) => MMENGINE_SCHEDULER_TYPES[d.type]?.impl.name === 'ReduceOnPlateauParamScheduler');
  let metric: SchedulerFinding['metric'] = null;
  if (plateau) {
    // One metric per validation (a round of the synthetic series): each epoch, or every val_interval iterations.
    const validations = byEpochLoop ? loopLength : Math.ceil(loopLength / toNumber((loopCfg.val_interval as number) ?? 1000));
    const synthetic = syntheticPlateauMetrics(validations, plateau.kwargs.rule === 'greater' ? 'max' : 'min', null);
    scheduleCase.metrics = synthetic.metrics;
    metric = synthetic.info;
  }

  const first = lrDicts[0];
  const type = lrDicts.map((d) => d.type).join(' + ');
  const baseEntry = entry(doc.root, '_base_');
  const call = schedulerBase && baseEntry
    ? callInfo(type, 'param_scheduler', baseEntry.value, baseEntry.value, [])
    : callInfo(type, 'param_scheduler', listNode, listNode, dicts.flatMap((d) => d.args));
  return [
    {
      line: (schedulerBase && baseEntry ? baseEntry.keyRange : entry(first.node, 'type')!.keyRange).startLine + 1,
      type,
      variable: 'param_scheduler',
      unit: perIteration ? 'step' : 'epoch',
      case: scheduleCase,
      unresolved: [...new Set(unresolved)],
      call,
      optimizer: optimizerCall,
      epochs: byEpochLoop ? loopLength : 1,
      stepsPerEpoch: perIteration ? (byEpochLoop ? epochLength : loopLength) : null,
      assumptions,
      metric,
      source: 'mmengine',
      framework: 'mmengine',
    },
  ];
}
