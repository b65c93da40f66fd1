// PyTorch Lightning steps the schedulers that `configure_optimizers` returns itself: once per epoch by
// default, once per batch with `"interval": "step"`, only every n-th with `"frequency": n`; the number of
// epochs is the Trainer's `max_epochs`.
import { LIGHTNING_DEFAULT_MAX_EPOCHS, lightningSteps } from '../lightningSteps';
import type { Resolver } from './evaluate';
import type { FileModel } from './model';
import { callArguments, namedChildrenOf, stringValue, type Node } from './syntax';

export interface LightningSchedule {
  interval: 'epoch' | 'step';
  /** `"frequency"`: steps when the 1-based batch (or epoch) index is a multiple of it; null when not resolvable. */
  frequency: number | null;
  /** The `"frequency"` value's text (for what is unresolved). */
  frequencyText: string | null;
  /** `Trainer(max_epochs=…)` when the file shows it. */
  maxEpochs: number | null;
  /** The Trainer's limits and accumulation, as the file shows them. */
  trainer: LightningTrainer;
}

export interface LightningTrainer {
  /** Whether the file calls `Trainer(...)` at all. */
  found: boolean;
  maxEpochs: number | null;
  maxSteps: number | null;
  accumulateGradBatches: number;
}

/** The file's `Trainer(...)` arguments that decide how long training runs and how many optimizer steps an epoch has. */
export function lightningTrainer(model: FileModel, resolver: Resolver): LightningTrainer {
  const maxSteps = trainerArgument(model, resolver, 'max_steps');
  return {
    found: model.callSitesOf('Trainer').length > 0,
    maxEpochs: trainerArgument(model, resolver, 'max_epochs'),
    maxSteps: maxSteps !== null && maxSteps > 0 ? maxSteps : null,
    accumulateGradBatches: trainerArgument(model, resolver, 'accumulate_grad_batches') ?? 1,
  };
}

/** How Lightning steps a scheduler built in `configure_optimizers`, or null when it is not built there. */
export function lightningSchedule(schedulerCall: Node, variable: string | null, model: FileModel, resolver: Resolver): LightningSchedule | null {
  let method: Node | null = schedulerCall.parent;
  while (method && method.type !== 'function_definition') method = method.parent;
  if (!method || method.childForFieldName('name')?.text !== 'configure_optimizers') return null;
  let interval: 'epoch' | 'step' = 'epoch';
  let frequency: number | null = 1;
  let frequencyText: string | null = null;
  for (const dictionary of method.descendantsOfType('dictionary')) {
    if (!dictionary) continue;
    const pairs = new Map<string, Node>();
    for (const pair of namedChildrenOf(dictionary)) {
      const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
      const value = pair.childForFieldName('value');
      const name = key ? stringValue(key) : null;
      if (name && value) pairs.set(name, value);
    }
    const scheduler = pairs.get('scheduler');
    const isThis = scheduler && (scheduler.id === schedulerCall.id || (variable !== null && scheduler.text === variable));
    const intervalNode = pairs.get('interval');
    if (isThis && intervalNode && stringValue(intervalNode) === 'step') interval = 'step';
    const frequencyNode = pairs.get('frequency');
    if (isThis && frequencyNode) {
      const value = resolver.evaluate(frequencyNode, model.scopeOf(frequencyNode));
      const known = value.ok && typeof value.value === 'number' && Number.isInteger(value.value) && value.value >= 1;
      frequency = known ? (value.value as number) : null;
      frequencyText = frequencyNode.text;
    }
  }
  const trainer = lightningTrainer(model, resolver);
  return { interval, frequency, frequencyText, maxEpochs: trainer.maxEpochs, trainer };
}

/** An integer keyword argument of the file's `Trainer(...)` call, when it shows one. */
function trainerArgument(model: FileModel, resolver: Resolver, name: string): number | null {
  for (const site of model.callSitesOf('Trainer')) {
    const keyword = callArguments(site.node).keywords.find((k) => k.name === name);
    if (!keyword) continue;
    const value = resolver.evaluate(keyword.value, site.scope);
    if (value.ok && typeof value.value === 'number' && Number.isInteger(value.value)) return value.value;
  }
  return null;
}

/**
 * `self.trainer.estimated_stepping_batches` as Lightning computes it for the file's `Trainer(...)`, with
 * `batches` training batches per epoch (the steps-per-epoch setting): max_steps when set (capped by
 * max_epochs when that is set too), else max_epochs × ceil(batches / accumulate_grad_batches). Null when the
 * file has no Trainer call or never reads it.
 */
export function lightningSteppingBatches(model: FileModel, resolver: Resolver, batches: number): { text: string; value: number; why: string } | null {
  const text = 'self.trainer.estimated_stepping_batches';
  if (!model.source.includes('estimated_stepping_batches')) return null;
  const trainer = lightningTrainer(model, resolver);
  if (!trainer.found) return null;
  const { maxEpochs, maxSteps, accumulateGradBatches: accumulate } = trainer;
  const { perEpoch, total: value } = lightningSteps(batches, accumulate, maxEpochs, maxSteps);
  const epochs = maxEpochs ?? LIGHTNING_DEFAULT_MAX_EPOCHS;
  if (maxSteps !== null) {
    if (maxEpochs === null) return { text, value, why: "Lightning: the Trainer's max_steps" };
    return { text, value, why: `Lightning: the Trainer's max_steps ${maxSteps}, or max_epochs ${epochs} × ${perEpoch} optimizer steps if fewer` };
  }
  const epochsWhy = maxEpochs === null ? `${epochs} epochs (Lightning's default max_epochs)` : `max_epochs ${epochs}`;
  const stepsWhy = accumulate > 1 ? `ceil(${batches} batches / accumulate_grad_batches ${accumulate})` : `${batches} batches (the steps-per-epoch setting)`;
  return { text, value, why: `Lightning: ${epochsWhy} × ${stepsWhy}` };
}
