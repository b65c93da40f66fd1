// The training worker (a worker_threads entry): runs one request at a time on the CPU backend so the
// extension host's thread never blocks, streaming every epoch back as it finishes.

import { parentPort } from 'node:worker_threads';
import type { ScheduleCase } from '../engine/case';
import { decodeCase, runTraining } from './session';
import type { StartMessage, WorkerMessage } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

port.on('message', (message: StartMessage) => {
  if (message.type !== 'train') return;
  const cancel = new Int32Array(message.cancel);
  const isCancelled = () => Atomics.load(cancel, 0) !== 0;
  const post = (reply: WorkerMessage) => port.postMessage(reply);
  runTraining(
    { ...message.request, case: decodeCase(message.request.case) as ScheduleCase, backend: 'cpu' },
    { onEpoch: (epoch, steps) => post({ type: 'epoch', epoch, steps }), isCancelled },
  ).then(
    (outcome) => post({ type: 'done', outcome, cancelled: isCancelled() }),
    (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
