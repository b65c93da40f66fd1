// Where quick training runs (lrLens.training.backend): WebGPU in the panel's webview, or the CPU
// worker with the reason said; the panel's answers as outcomes; and the host's validation of them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendSetting, fallbackText, panelRequest, panelResult, placeTraining } from '../../src/extension/training/backendChoice';
import { Float } from '../../src/engine/python/values';
import { parseCaseJson } from '../../src/engine/caseJson';
import { encodeCase, parseWebviewMessage, type TrainingFinishedMessage } from '../../src/shared/protocol';
import { DEFAULT_SAMPLE } from '../../src/training/samples';
import type { TrainingRequest } from '../../src/training/session';

const request: TrainingRequest = {
  case: { optimizer: { type: 'SGD', defaults: { lr: 0.1 } }, scheduler: { type: 'StepLR', kwargs: { step_size: 2, gamma: new Float(1) } }, steps: 4 },
  data: { kind: 'generated', name: 'spirals' },
  hidden: DEFAULT_SAMPLE.hidden,
  activation: DEFAULT_SAMPLE.activation,
  dtype: 'float64',
  backend: 'cpu',
  options: { ...DEFAULT_SAMPLE.options, epochs: 4 },
};

const epoch = { epoch: 0, train_loss: 1.1, val_loss: 1.05, val_accuracy: 0.4, lr: [0.1] };
const finished = (status: TrainingFinishedMessage['status'], reason: string | null = null): TrainingFinishedMessage => ({
  type: 'trainingFinished',
  runId: 3,
  status,
  backend: status === 'done' || status === 'cancelled' ? 'webgpu' : null,
  reason,
  epochs: status === 'done' || status === 'cancelled' ? [epoch] : [],
  steps: [],
});

describe('quick training backend choice (host side)', () => {
  it('reads the setting; anything but "cpu" or "webgpu" is the default "auto"', () => {
    assert.equal(backendSetting('cpu'), 'cpu');
    assert.equal(backendSetting('webgpu'), 'webgpu');
    assert.equal(backendSetting('auto'), 'auto');
    assert.equal(backendSetting(undefined), 'auto');
    assert.equal(backendSetting('WebGPU'), 'auto');
  });

  it('package.json declares the setting with exactly these values, "auto" by default', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const setting = manifest.contributes.configuration.properties['lrLens.training.backend'];
    assert.deepEqual(setting.enum, ['auto', 'cpu', 'webgpu']);
    assert.equal(setting.default, 'auto');
  });

  it('trains in the panel when asked for WebGPU (auto or webgpu) and the panel has started', () => {
    assert.deepEqual(placeTraining('auto', true), { where: 'panel', setting: 'auto' });
    assert.deepEqual(placeTraining('webgpu', true), { where: 'panel', setting: 'webgpu' });
  });

  it('"cpu" always trains on the worker, with nothing to explain', () => {
    assert.deepEqual(placeTraining('cpu', true), { where: 'worker', fallbackReason: null });
    assert.deepEqual(placeTraining('cpu', false), { where: 'worker', fallbackReason: null });
  });

  it('without a panel, trains on the worker and says why (naming the setting when it asked for WebGPU)', () => {
    const auto = placeTraining('auto', false);
    assert.equal(auto.where, 'worker');
    assert.equal(auto.where === 'worker' && auto.fallbackReason, 'WebGPU was not used (the schedule panel is not open): trained on the CPU worker');
    const webgpu = placeTraining('webgpu', false);
    assert.match(webgpu.where === 'worker' ? (webgpu.fallbackReason ?? '') : '', /^lrLens\.training\.backend is "webgpu", but WebGPU was not used \(the schedule panel is not open\)/);
    assert.equal(fallbackText('auto', 'no adapter'), 'WebGPU was not used (no adapter): trained on the CPU worker');
  });

  it('sends the panel the worker’s request in float32 with the setting, its case as Float-keeping JSON', () => {
    const sent = panelRequest(request, 'webgpu');
    assert.equal('case' in sent, false);
    assert.equal(sent.dtype, 'float32');
    assert.equal(sent.backend, 'webgpu');
    // Under "auto" the panel declines a software adapter (webview/training.ts PanelTrainer).
    assert.equal(panelRequest(request, 'auto').backend, 'auto');
    assert.deepEqual(sent.options, request.options);
    assert.deepEqual(sent.data, request.data);
    const revived = parseCaseJson(encodeCase(request.case)) as TrainingRequest['case'];
    assert.ok(revived.scheduler?.kwargs?.gamma instanceof Float, 'gamma=1.0 stays a Python float');
  });

  it('takes a finished or cancelled panel run as the outcome, on WebGPU', () => {
    assert.deepEqual(panelResult(finished('done')), { outcome: { steps: [], epochs: [epoch], backend: 'webgpu', fallbackReason: null, cancelled: false } });
    assert.equal('outcome' in panelResult(finished('cancelled')) && (panelResult(finished('cancelled')) as { outcome: { cancelled: boolean } }).outcome.cancelled, true);
  });

  it('falls back to the worker, with the reason, when the panel has no adapter or WebGPU fails', () => {
    assert.deepEqual(panelResult(finished('unavailable', 'the panel’s navigator.gpu gave no adapter')), { fallback: 'the panel’s navigator.gpu gave no adapter' });
    assert.deepEqual(panelResult(finished('error', 'GPUValidationError: buffer too large')), { fallback: 'WebGPU training failed in the panel: GPUValidationError: buffer too large' });
  });

  it('accepts the panel’s training messages exactly, and rejects malformed ones', () => {
    const progress = { type: 'trainingProgress', runId: 3, epoch };
    assert.deepEqual(parseWebviewMessage(progress), progress);
    assert.deepEqual(parseWebviewMessage({ ...progress, epoch: { ...epoch, train_loss: 'NaN', val_loss: null, val_accuracy: null } })?.type, 'trainingProgress');
    assert.equal(parseWebviewMessage({ ...progress, epoch: { ...epoch, train_loss: 'nan' } }), null);
    assert.equal(parseWebviewMessage({ ...progress, epoch: { ...epoch, extra: 1 } }), null);
    assert.equal(parseWebviewMessage({ ...progress, runId: 1.5 }), null);
    const done = { ...finished('done'), steps: [{ epoch: 0, batch: 0, loss: 1.2, lr: [0.1] }] };
    assert.deepEqual(parseWebviewMessage(done), done);
    assert.equal(parseWebviewMessage({ ...done, status: 'finished' }), null);
    assert.equal(parseWebviewMessage({ ...done, backend: 'cpu' }), null);
    assert.equal(parseWebviewMessage({ ...done, steps: [{ epoch: 0, batch: 0, loss: 1.2 }] }), null);
    assert.equal(parseWebviewMessage({ ...finished('unavailable', 'no adapter') })?.type, 'trainingFinished');
  });
});
