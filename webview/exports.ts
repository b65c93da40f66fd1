// Export texts: the trajectory as CSV and the tuned constructor as Python. Pure: no DOM.
import type { SchedulerSpec } from '../src/engine/case';
import { floatRepr, pyRepr } from '../src/engine/python/values';
import { applyToCallText, callEdits } from '../src/extension/panel/applyEdits';
import type { TextEdit } from '../src/analysis/types';
import type { ArgumentChange, CallChanges, PanelCall } from '../src/shared/protocol';
import type { Series } from './series';

/** Full precision (Python's repr), so the CSV round-trips the engine's values exactly. */
const cell = (value: number | undefined) => (value === undefined ? '' : floatRepr(value));

export function trajectoryCsv(series: Series, unit: 'epoch' | 'step', stepsPerEpoch: number | null, metric: number[] | null): string {
  const groups = series.lr.length;
  const header = [unit === 'step' ? 'step' : 'epoch'];
  if (unit === 'step' && stepsPerEpoch) header.push('epoch');
  for (let g = 0; g < groups; g++) header.push(groups === 1 ? 'lr' : `lr_group${g}`);
  if (series.momentum) for (let g = 0; g < groups; g++) header.push(groups === 1 ? series.momentumLabel : `${series.momentumLabel}_group${g}`);
  if (metric) header.push('metric');
  const lines = [header.join(',')];
  for (let k = 0; k < series.rounds; k++) {
    const row = [String(k)];
    if (unit === 'step' && stepsPerEpoch) row.push(String(Math.floor(k / stepsPerEpoch)));
    for (let g = 0; g < groups; g++) row.push(cell(series.lr[g][k]));
    if (series.momentum) for (let g = 0; g < groups; g++) row.push(cell(series.momentum[g][k]));
    if (metric) row.push(k > 0 ? cell(metric[k - 1]) : '');
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The constructor as the code writes it, with the tuned arguments written in (formatting kept): its own,
 * and those of the calls written inside it (`inner`: inline children, mmengine's dicts in their list).
 */
export function tunedCallText(call: PanelCall, changes: ArgumentChange[], inner: CallChanges[] = []): string {
  const edits: TextEdit[] = [];
  for (const item of [{ call, changes }, ...inner]) {
    const outcome = callEdits(item.call, item.changes);
    if ('error' in outcome) return call.text;
    edits.push(...outcome.edits);
  }
  const text = applyToCallText(call, edits);
  return call.variable ? assignment(call.variable, text) : text;
}

/**
 * `variable = text`; a config dict under a key path (mmengine's `optim_wrapper.optimizer`) as the nested dict a
 * config writes, `optim_wrapper = dict(optimizer=dict(...))`, which mmengine merges into a `_base_`'s.
 */
function assignment(variable: string, text: string): string {
  const [head, ...keys] = variable.split('.');
  if (!keys.length || head === 'self' || !/^\s*(?:dict\(|\{)/.test(text)) return `${variable} = ${text}`;
  return `${head} = ${keys.reduceRight((inner, key) => `dict(${key}=${inner})`, text)}`;
}

/** A constructor written from a spec, for schedulers the panel has no source text of. */
export function specAsPython(spec: SchedulerSpec, optimizerName = 'optimizer'): string {
  const args = [optimizerName];
  for (const [name, value] of Object.entries(spec.kwargs ?? {})) {
    if (name === 'schedulers' && Array.isArray(value)) {
      args.push(`schedulers=[${(value as SchedulerSpec[]).map((child) => specAsPython(child, optimizerName)).join(', ')}]`);
    } else if ((name === 'lr_lambda' || name === 'scale_fn') && typeof value === 'string') {
      args.push(`${name}=${value}`);
    } else {
      args.push(`${name}=${pyRepr(value)}`);
    }
  }
  return `${spec.type}(${args.join(', ')})`;
}
