// The extension host's side of the training worker: start a run, stream its epochs, cancel it.
// One worker thread is kept warm between runs (closed-loop tuning re-trains often).

import { Worker } from 'node:worker_threads';
import { encodeCase, type TrainingOutcome, type TrainingRequest } from './session';
import type { EpochRecord, StepRecord } from './trainer';
import type { StartMessage, WorkerMessage } from './workerProtocol';

export interface TrainingRun {
  /** Settles with the outcome (also when cancelled: `cancelled` is then true). */
  done: Promise<TrainingOutcome & { cancelled: boolean }>;
  cancel(): void;
}

export class TrainingWorkerClient {
  private worker: Worker | null = null;
  private busy = false;

  /** @param workerScript the bundled worker.ts (e.g. dist/trainingWorker.js) */
  constructor(private readonly workerScript: string) {}

  train(request: TrainingRequest, onEpoch?: (epoch: EpochRecord, steps: StepRecord[]) => void): TrainingRun {
    if (this.busy) throw new Error('a training run is already in progress');
    const worker = (this.worker ??= new Worker(this.workerScript));
    const cancelFlag = new SharedArrayBuffer(4);
    const cancel = () => Atomics.store(new Int32Array(cancelFlag), 0, 1);
    this.busy = true;
    const done = new Promise<TrainingOutcome & { cancelled: boolean }>((resolve, reject) => {
      const finish = () => {
        this.busy = false;
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'epoch') {
          onEpoch?.(message.epoch, message.steps);
        } else if (message.type === 'done') {
          finish();
          resolve({ ...message.outcome, cancelled: message.cancelled });
        } else {
          finish();
          reject(new Error(message.message));
        }
      };
      const onError = (error: Error) => {
        finish();
        this.worker = null;
        reject(error);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
    const start: StartMessage = { type: 'train', request: { ...request, case: encodeCase(request.case) as TrainingRequest['case'] }, cancel: cancelFlag };
    worker.postMessage(start);
    return { done, cancel };
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
