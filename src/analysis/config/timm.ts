// timm's train.py arguments as YAML (the `args.yaml` train.py saves, or a `--config` file): the
// scheduler comes from `create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch)`,
// stepped per epoch, or per optimizer update with `sched_on_updates`. Keys the file lacks take
// scheduler_kwargs' own fallbacks (timm 1.0.29), which LR Lens lists as assumptions.
import type { PyLike } from '../../engine/case';
import { buildOptimizer } from '../../engine/build';
import { timmCreateSchedulerV2 } from '../../engine/frameworks';
import { isNumberLike, toNumber } from '../../engine/python/values';
import { DEFAULT_STEPS_PER_EPOCH } from '../types';
import type { AnalysisOptions, ArgumentInfo } from '../types';
import type { FoundSchedule } from './schedule';
import { entry, type ConfigDocument } from './tree';
import { callInfo, ConfigResolver } from './values';

/** create_scheduler_v2 argument ← args key, with scheduler_kwargs' fallback when the key is missing. */
const MAPPING: [string, string, PyLike][] = [
  ['num_epochs', 'epochs', 100],
  ['decay_epochs', 'decay_epochs', 30],
  ['decay_milestones', 'decay_milestones', [30, 60]],
  ['warmup_epochs', 'warmup_epochs', 5],
  ['cooldown_epochs', 'cooldown_epochs', 0],
  ['patience_epochs', 'patience_epochs', 10],
  ['decay_rate', 'decay_rate', 0.1],
  ['min_lr', 'min_lr', 0],
  ['warmup_lr', 'warmup_lr', 1e-5],
  ['warmup_prefix', 'warmup_prefix', false],
  ['noise', 'lr_noise', null],
  ['noise_pct', 'lr_noise_pct', 0.67],
  ['noise_std', 'lr_noise_std', 1],
  ['noise_seed', 'seed', 42],
  ['cycle_mul', 'lr_cycle_mul', 1],
  ['cycle_decay', 'lr_cycle_decay', 0.1],
  ['cycle_limit', 'lr_cycle_limit', 1],
  ['k_decay', 'lr_k_decay', 1],
];

const OPTIMIZER_NAMES: Record<string, string> = { sgd: 'SGD', momentum: 'SGD', nesterov: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad', radam: 'RAdam', nadam: 'NAdam' };

export function readTimmArgs(doc: ConfigDocument, options: AnalysisOptions): FoundSchedule[] {
  const root = doc.root;
  const schedEntry = entry(root, 'sched');
  if (!schedEntry || typeof schedEntry.value.value !== 'string' || !entry(root, 'epochs')) return [];
  const resolver = new ConfigResolver(root);
  const args: ArgumentInfo[] = [];
  const unresolved: string[] = [];
  const assumptions: string[] = [];
  const value = (key: string): PyLike | undefined => {
    const found = entry(root, key);
    if (!found) return undefined;
    const r = resolver.resolve(found.value);
    unresolved.push(...r.missing.map((m) => `${key}: ${m}`));
    const info: ArgumentInfo = { name: key, position: null, text: found.value.text, range: found.value.range };
    if (r.value !== undefined) info.value = r.value;
    args.push(info);
    return r.value;
  };

  const kwargs: { [key: string]: PyLike } = { sched: value('sched') as string };
  for (const [name, key, fallback] of MAPPING) {
    const v = value(key);
    if (v === undefined) assumptions.push(`${key} = ${JSON.stringify(fallback)} (scheduler_kwargs' fallback; not in the file)`);
    kwargs[name] = v === undefined ? fallback : v;
  }
  const evalMetric = value('eval_metric') ?? 'top1';
  kwargs.plateau_mode = String(evalMetric).includes('loss') ? 'min' : 'max';
  const onUpdates = value('sched_on_updates') === true;
  kwargs.step_on_epochs = !onUpdates;
  const batches = options.stepsPerEpoch ?? DEFAULT_STEPS_PER_EPOCH;
  const accumulation = toNumber(value('grad_accum_steps') ?? 1);
  const updatesPerEpoch = Math.floor((batches + accumulation - 1) / accumulation);
  kwargs.updates_per_epoch = updatesPerEpoch;
  if (onUpdates) assumptions.push(`batches per epoch = ${batches} (${options.stepsPerEpoch !== undefined ? 'from the setting' : 'default'})`);

  const lr = value('lr');
  if (lr === undefined || lr === null) unresolved.push("lr (train.py derives it from lr_base and the global batch size)");
  const optimizerName = String(value('opt') ?? 'sgd').toLowerCase();
  const optimizer = { type: OPTIMIZER_NAMES[optimizerName] ?? 'SGD', defaults: { lr: isNumberLike(lr) ? lr : 0.1 } };

  // The run's length is what create_scheduler_v2 returns: cycles, cooldown and a warmup prefix included.
  let numEpochs = toNumber(kwargs.num_epochs);
  try {
    numEpochs = timmCreateSchedulerV2(buildOptimizer(optimizer), { ...kwargs }).numEpochs;
  } catch {
    // The engine reports the same error when the case runs.
  }
  const steps = onUpdates ? numEpochs * updatesPerEpoch : numEpochs;
  return [
    {
      line: schedEntry.keyRange.startLine + 1,
      type: String(kwargs.sched),
      variable: 'sched',
      unit: onUpdates ? 'step' : 'epoch',
      case: { optimizer, scheduler: { type: 'timm.create_scheduler_v2', kwargs }, steps },
      unresolved: [...new Set(unresolved)],
      call: callInfo('create_scheduler_v2', 'sched', root, root, args),
      optimizer: null,
      epochs: numEpochs,
      stepsPerEpoch: onUpdates ? updatesPerEpoch : null,
      assumptions,
      source: 'timm',
      framework: 'timm',
    },
  ];
}
