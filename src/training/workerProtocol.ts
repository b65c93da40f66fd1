// Messages between the extension host (workerClient.ts) and the training worker (worker.ts).

import type { EpochRecord, StepRecord } from './trainer';
import type { TrainingOutcome, TrainingRequest } from './session';

export interface StartMessage {
  type: 'train';
  /** The request with its case passed through encodeCase. */
  request: TrainingRequest;
  /** Int32 flag the host sets to 1 to cancel; read between batches. */
  cancel: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'epoch'; epoch: EpochRecord; steps: StepRecord[] }
  | { type: 'done'; outcome: TrainingOutcome; cancelled: boolean }
  | { type: 'error'; message: string };
