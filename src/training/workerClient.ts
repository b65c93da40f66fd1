// The extension host's side of the training worker: start a run, stream its epochs, cancel it.
// One worker thread is kept warm between runs (closed-loop tuning re-trains often).

import { Worker } from 'node:worker_threads';
import { encodeCase, type LrRangeOutcome, type LrRangeRequest, type TrainingOutcome, type TrainingRequest } from './session';
import type { EpochRecord, StepRecord } from './trainer';
import type { StartMessage, WorkerMessage } from './workerProtocol';

export interface WorkerRun<T> {
  /** Settles with the outcome (also when cancelled: `cancelled` is then true). */
  done: Promise<T & { cancelled: boolean }>;
  cancel(): void;
}

export class TrainingWorkerClient {
  private worker: Worker | null = null;
  private busy = false;

  /** @param workerScript the bundled worker.ts (e.g. dist/trainingWorker.js) */
  constructor(private readonly workerScript: string) {}

  train(request: TrainingRequest, onEpoch?: (epoch: EpochRecord, steps: StepRecord[]) => void): WorkerRun<TrainingOutcome> {
    return this.start<TrainingOutcome>({ type: 'train', request: { ...request, case: encodeCase(request.case) as TrainingRequest['case'] } }, (message) => {
      if (message.type === 'epoch') onEpoch?.(message.epoch, message.steps);
      return message.type === 'done' ? { ...message.outcome, cancelled: message.cancelled } : undefined;
    });
  }

  findLearningRate(request: LrRangeRequest): WorkerRun<LrRangeOutcome> {
    return this.start<LrRangeOutcome>({ type: 'findLr', request: { ...request, case: encodeCase(request.case) as LrRangeRequest['case'] } }, (message) =>
      message.type === 'lrRange' ? { ...message.outcome, cancelled: message.cancelled } : undefined,
    );
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  /** Posts the request; `settle` turns the final message into the outcome (undefined: not final yet). */
  private start<T>(
    message: Omit<StartMessage, 'cancel'>,
    settle: (message: WorkerMessage) => (T & { cancelled: boolean }) | undefined,
  ): WorkerRun<T> {
    if (this.busy) throw new Error('a training run is already in progress');
    const worker = (this.worker ??= new Worker(this.workerScript));
    const cancelFlag = new SharedArrayBuffer(4);
    this.busy = true;
    const done = new Promise<T & { cancelled: boolean }>((resolve, reject) => {
      const finish = () => {
        this.busy = false;
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (reply: WorkerMessage) => {
        if (reply.type === 'error') {
          finish();
          reject(new Error(reply.message));
          return;
        }
        const outcome = settle(reply);
        if (outcome) {
          finish();
          resolve(outcome);
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
    worker.postMessage({ ...message, cancel: cancelFlag } as StartMessage);
    return { done, cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1) };
  }
}
