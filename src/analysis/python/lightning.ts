// PyTorch Lightning steps the schedulers that `configure_optimizers` returns itself: once per epoch by
// default, once per batch with `"interval": "step"`, only every n-th with `"frequency": n`; the number of
// epochs is the Trainer's `max_epochs`.
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
  return { interval, frequency, frequencyText, maxEpochs: trainerMaxEpochs(model, resolver) };
}

function trainerMaxEpochs(model: FileModel, resolver: Resolver): number | null {
  for (const site of model.callSitesOf('Trainer')) {
    const maxEpochs = callArguments(site.node).keywords.find((keyword) => keyword.name === 'max_epochs');
    if (!maxEpochs) continue;
    const value = resolver.evaluate(maxEpochs.value, site.scope);
    if (value.ok && typeof value.value === 'number' && Number.isInteger(value.value)) return value.value;
  }
  return null;
}
