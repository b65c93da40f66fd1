// Apply for schedules read from training configs: the panel's changes (Python literal texts for the
// engine's argument names) become config values at their key paths, written by configEdits so that
// comments, order, quoting and indentation stay as they are. No `vscode` import.
import { parseConfig, type ConfigSchedulerFinding } from '../../analysis/analyzeConfig';
import { applyEdits, ConfigEditError, configEdits, type ConfigChange } from '../../analysis/config/edit';
import { LineIndex, type ConfigDocument, type ConfigNode } from '../../analysis/config/tree';
import type { SourceRange, TextEdit } from '../../analysis/types';
import type { PyLike } from '../../engine/case';
import { Float } from '../../engine/python/values';
import type { ArgumentChange, CallChanges, PanelCall } from '../../shared/protocol';
import { parsePythonLiteral } from '../present/pyLiteral';
import type { EditsOutcome } from './applyEdits';

type KeyPath = (string | number)[];

const sameRange = (a: SourceRange, b: SourceRange) =>
  a.startLine === b.startLine && a.startCol === b.startCol && a.endLine === b.endLine && a.endCol === b.endCol;

/** The key path of the node written at `range` (list items by index), or null. */
function pathOf(node: ConfigNode, range: SourceRange, path: KeyPath = []): KeyPath | null {
  if (sameRange(node.range, range)) return path;
  for (const entry of node.entries) {
    const found = pathOf(entry.value, range, [...path, entry.key]);
    if (found) return found;
  }
  for (let i = 0; i < node.items.length; i++) {
    const found = pathOf(node.items[i], range, [...path, i]);
    if (found) return found;
  }
  return null;
}

/**
 * Hugging Face TrainingArguments spell the engine's get_scheduler arguments differently; the Trainer
 * derives the warmup and total steps from these keys (a positive `max_steps` and `warmup_steps` win over
 * epochs and ratios), so writing them gives the tuned schedule.
 */
function trainingArgumentsKey(name: string, call: PanelCall): string {
  switch (name) {
    case 'name':
      return call.arguments.find((argument) => argument.name === 'lr_scheduler_type' || argument.name === 'lr_scheduler')?.name ?? 'lr_scheduler_type';
    case 'num_warmup_steps':
      return 'warmup_steps';
    case 'num_training_steps':
      return 'max_steps';
    case 'scheduler_specific_kwargs':
      return 'lr_scheduler_kwargs';
    case 'lr':
      return 'learning_rate';
    default:
      return name;
  }
}

/** A `TrainingArguments(...)` call written in Python (its text starts with the class, however imported). */
export function isTrainingArgumentsCall(call: PanelCall): boolean {
  return /^\s*(?:[\w.]+\.)?(?:Seq2Seq)?TrainingArguments\s*\(/.test(call.text);
}

/** The panel's get_scheduler changes as the TrainingArguments keywords that give them (`num_warmup_steps` → `warmup_steps`). */
export function trainingArgumentsChanges(call: PanelCall, changes: ArgumentChange[]): ArgumentChange[] {
  return changes.map((change) => {
    const [name, ...inner] = change.name.split('.');
    // An argument the panel already knows under its own name (the optimizer's `lr` is `learning_rate`'s text) stays.
    const key = call.arguments.some((argument) => argument.name === name) ? name : trainingArgumentsKey(name, call);
    return { ...change, name: [key, ...inner].join('.') };
  });
}

/**
 * timm's train.py arguments that scheduler_kwargs(args) passes to create_scheduler_v2 under another name
 * (see readTimmArgs); `plateau_mode` is not a key, train.py derives it from eval_metric.
 */
const TIMM_ARGS_KEYS: Record<string, string> = {
  num_epochs: 'epochs',
  noise: 'lr_noise',
  noise_pct: 'lr_noise_pct',
  noise_std: 'lr_noise_std',
  noise_seed: 'seed',
  cycle_mul: 'lr_cycle_mul',
  cycle_decay: 'lr_cycle_decay',
  cycle_limit: 'lr_cycle_limit',
  k_decay: 'lr_k_decay',
};
const TIMM_DERIVED: Record<string, string> = { plateau_mode: 'train.py derives plateau_mode from eval_metric' };

/** The node at a key path, or null. */
function nodeAt(node: ConfigNode, path: KeyPath): ConfigNode | null {
  let current: ConfigNode | undefined = node;
  for (const key of path) {
    current = typeof key === 'number' ? current?.items[key] : current?.entries.find((entry) => entry.key === key)?.value;
    if (!current) return null;
  }
  return current;
}

/**
 * The edit that writes every call's `changes` into the config (each call is a scheduler's or optimizer's
 * map as the panel read it from `text`); `findings` are the document's analysis, to tell the convention.
 * One edit for all calls: Hugging Face's scheduler and optimizer are the same TrainingArguments map.
 */
export function configApplyEdits(fileName: string, text: string, calls: CallChanges[], findings: ConfigSchedulerFinding[]): EditsOutcome {
  const doc = parseConfig(fileName, text);
  if (!doc) return { error: 'the file is not a config LR Lens reads.' };
  if (doc.errors.length > 0) return { error: `the config has a syntax error (${doc.errors[0].message}); fix it first.` };
  const configChanges: ConfigChange[] = [];
  for (const { call, changes } of calls) {
    const refuse = (why: string): EditsOutcome => ({ error: `Cannot write into ${call.variable ?? call.type} in this config: ${why}; edit it by hand.` });
    const source = findings.find((finding) => sameRange(finding.call.range, call.range))?.source;
    const huggingFace = source === 'huggingface';
    const argumentsPath = pathOf(doc.root, call.argumentsRange);
    for (const change of changes) {
      if (change.group !== undefined) return refuse('configs do not write per-group learning rates');
      // A key of a dict argument comes as "argument.key" (transformers' scheduler_specific_kwargs.num_cycles).
      const [name, ...inner] = change.name.split('.');
      if (source === 'timm' && name in TIMM_DERIVED) return refuse(TIMM_DERIVED[name]);
      const key = huggingFace ? trainingArgumentsKey(name, call) : source === 'timm' ? (TIMM_ARGS_KEYS[name] ?? name) : name;
      const literal = parsePythonLiteral(change.text);
      if (!literal.ok) return refuse(`${change.name}=${change.text} is not a plain value (${literal.error})`);
      const written = call.arguments.find((argument) => argument.name === key || (huggingFace && argument.name === name));
      const at = written ? pathOf(doc.root, written.range) : argumentsPath && [...argumentsPath, key];
      if (!at) return refuse(`its ${written ? key : 'arguments'} could not be found in the file`);
      if (inner.length > 0 && written && nodeAt(doc.root, at)?.kind !== 'map') return refuse(`its ${key} is not a map`);
      // jsonc-parser adds a missing map on the way; the YAML/TOML writers add a key to a map that exists.
      if (inner.length > 0 && !written && doc.format !== 'json') return refuse(`it has no ${key} map to hold ${inner.join('.')}`);
      configChanges.push(...changesFor(doc.format, [...at, ...inner], literal.value));
    }
  }
  // One change at a time, each against the text the previous ones made (two new keys in one map would
  // otherwise be inserted at the same place); the result is written as one edit of the span that differs.
  let tuned = text;
  try {
    for (const change of configChanges) tuned = applyEdits(tuned, configEdits(fileName, tuned, [change]).map((edit) => keepingLineEnd(tuned, edit)));
  } catch (error) {
    if (error instanceof ConfigEditError) return { error: `${error.message}; edit it by hand.` };
    throw error;
  }
  return { edits: tuned === text ? [] : [differingSpan(text, tuned)] };
}

/**
 * The config changes that write a value. In JSON and YAML a dict (a whole `lr_scheduler_kwargs`, which the
 * panel sends after a type switch drops keys) is written as an empty map and then key by key, so that each
 * value goes through the format's scalar writer and the keys it no longer holds are gone.
 */
function changesFor(format: ConfigDocument['format'], path: KeyPath, value: PyLike): ConfigChange[] {
  const dict = typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Float);
  if (!dict || (format !== 'json' && format !== 'yaml')) return [{ path, value }];
  return [{ path, value: {} }, ...Object.entries(value).map(([key, item]) => ({ path: [...path, key], value: item }))];
}

/** A block value (a YAML block map) ends with the line break before the next key: its replacement keeps it. */
function keepingLineEnd(text: string, edit: TextEdit): TextEdit {
  const lines = new LineIndex(text);
  const replaced = text.slice(lines.offset(edit.range.startLine, edit.range.startCol), lines.offset(edit.range.endLine, edit.range.endCol));
  const lineEnd = /\r?\n$/.exec(replaced)?.[0];
  return lineEnd && !edit.newText.endsWith(lineEnd) ? { ...edit, newText: edit.newText + lineEnd } : edit;
}

/** The single edit that turns `before` into `after`: the span between their common prefix and suffix. */
function differingSpan(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { range: new LineIndex(before).range(start, before.length - end), newText: after.slice(start, after.length - end) };
}
