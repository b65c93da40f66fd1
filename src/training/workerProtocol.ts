// Messages between the extension host (workerClient.ts) and the training worker (worker.ts).

import type { EpochRecord, StepRecord } from './trainer';
import type { LrRangeOutcome, LrRangeRequest, TrainingOutcome, TrainingRequest } from './session';

/** Requests carry their case passed through encodeCase, and an Int32 flag the host sets to 1 to cancel. */
export type StartMessage =
  | { type: 'train'; request: TrainingRequest; cancel: SharedArrayBuffer }
  | { type: 'findLr'; request: LrRangeRequest; cancel: SharedArrayBuffer };

export type WorkerMessage =
  | { type: 'epoch'; epoch: EpochRecord; steps: StepRecord[] }
  | { type: 'done'; outcome: TrainingOutcome; cancelled: boolean }
  | { type: 'lrRange'; outcome: LrRangeOutcome; cancelled: boolean }
  | { type: 'error'; message: string };
