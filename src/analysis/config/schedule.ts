// What a config reader finds: one schedule, as the engine's case plus where it is written, before the
// trace is computed (analyzeConfig does that for every reader alike).
import type { CaseError, OptimizerSpec } from '../../engine/case';
import type { FrameworkLibrary } from '../../engine/frameworks';
import type { SchedulerFinding } from '../types';

export type ConfigSource = 'lightning' | 'hydra' | 'huggingface' | 'keras' | 'mmengine' | 'timm';

/** A scheduler found in a config: the analysis contract's finding plus which config convention it follows. */
export interface ConfigSchedulerFinding extends SchedulerFinding {
  /** The config convention: LightningCLI, Hydra `_target_`, Hugging Face TrainingArguments, Keras, mmengine, timm's train.py args. */
  source: ConfigSource;
  /** For schedules of a framework rather than torch (`case.scheduler.type` is then "LIBRARY.NAME"). */
  framework: FrameworkLibrary | null;
  /** Who raises `error` when it is neither torch nor `framework` (Lightning refusing the configuration). */
  errorRaisedBy?: string;
}

export type FoundSchedule = Omit<ConfigSchedulerFinding, 'trace' | 'error'> & {
  /** What the trainer raises before the schedule runs (e.g. Lightning refusing a plateau scheduler without `monitor`). */
  trainerError?: { error: CaseError; raisedBy: string };
};

export const DEFAULT_OPTIMIZER: OptimizerSpec = { type: 'SGD', defaults: { lr: 0.1 } };
