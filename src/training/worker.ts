// The training worker (a worker_threads entry): runs one request at a time on the CPU backend so the
// extension host's thread never blocks, streaming every epoch back as it finishes.

import { parentPort } from 'node:worker_threads';
import type { ScheduleCase } from '../engine/case';
import { decodeCase, runLrRangeTest, runTraining } from './session';
import type { StartMessage, WorkerMessage } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

port.on('message', (message: StartMessage) => {
  const cancel = new Int32Array(message.cancel);
  const isCancelled = () => Atomics.load(cancel, 0) !== 0;
  const post = (reply: WorkerMessage) => port.postMessage(reply);
  const fail = (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  const scheduleCase = decodeCase(message.request.case) as ScheduleCase;
  if (message.type === 'train') {
    runTraining({ ...message.request, case: scheduleCase, backend: 'cpu' }, { onEpoch: (epoch, steps) => post({ type: 'epoch', epoch, steps }), isCancelled }).then(
      (outcome) => post({ type: 'done', outcome, cancelled: isCancelled() }),
      fail,
    );
  } else {
    runLrRangeTest({ ...message.request, case: scheduleCase, backend: 'cpu' }, { isCancelled }).then(
      (outcome) => post({ type: 'lrRange', outcome, cancelled: isCancelled() }),
      fail,
    );
  }
});
