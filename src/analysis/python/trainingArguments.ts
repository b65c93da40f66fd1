// Hugging Face's Trainer builds its schedule from TrainingArguments itself: `TrainingArguments(learning_rate=2e-5,
// lr_scheduler_type="cosine", warmup_steps=0.1, num_train_epochs=3)` in a script is read as the same arguments in a
// JSON/YAML config are (src/analysis/config/huggingface.ts, proven against the real Trainer), with the values
// resolved as any call's (argparse defaults, constants). The lens sits on the call; the panel writes its keywords.
import { trainerSchedule } from '../config/huggingface';
import type { AnalysisOptions, SchedulerFinding } from '../types';
import { callFinding, readCall } from './callFinding';
import type { Resolver } from './evaluate';
import type { FileModel } from './model';

/** The classes whose instances carry a Trainer's schedule arguments. */
const TRAINING_ARGUMENTS = new Set([
  'transformers.TrainingArguments',
  'transformers.Seq2SeqTrainingArguments',
  'transformers.training_args.TrainingArguments',
  'transformers.training_args_seq2seq.Seq2SeqTrainingArguments',
]);

export function trainingArgumentsFindings(model: FileModel, resolver: Resolver, options: AnalysisOptions): SchedulerFinding[] {
  const findings: SchedulerFinding[] = [];
  // A file that never names the class needs no search for its calls.
  if (!model.source.includes('TrainingArguments')) return findings;
  for (const record of model.findCalls(['TrainingArguments', 'Seq2SeqTrainingArguments'])) {
    const qualified = resolver.qualifiedCallee(record.node, record.scope);
    if (!qualified || !TRAINING_ARGUMENTS.has(qualified)) continue;
    // Read by keyword (TrainingArguments' only positional argument is output_dir).
    const { call, kwargs, unresolved } = readCall(record, qualified.slice(qualified.lastIndexOf('.') + 1), [], resolver);
    const read = (keys: string[]) => {
      const key = keys.find((name) => name in kwargs);
      return key === undefined ? undefined : kwargs[key];
    };
    const schedule = trainerSchedule(read, options);
    const finding = callFinding(call, {
      type: schedule.case.scheduler!.type,
      scheduleCase: schedule.case,
      unresolved: [...unresolved, ...schedule.unresolved],
      assumptions: schedule.assumptions,
      epochs: schedule.epochs,
      stepsPerEpoch: schedule.updatesPerEpoch,
    });
    findings.push(finding);
  }
  return findings;
}
