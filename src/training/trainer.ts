// The training loop of the `train` contract: batches in file order or a seeded shuffle; per batch
// forward, mean cross-entropy, backward, optimizer.step(), then (per batch) the schedulers; per
// epoch a validation pass and the epoch's scheduler step, ReduceLROnPlateau fed the validation loss
// or, without a validation split, the mean of the epoch's batch losses.

import type { Backend, BackendName } from './backend';
import type { Dataset } from './data';
import { validationRows } from './data';
import { allocate, type DType, type FloatArray } from './dtype';
import { zeroLayers, type LayerParams, type LayerSizes } from './model';
import { TrainingOptimizer, type OptimizerType, type ParamGroupSource, type Parameter } from './optimizers';
import { Rng, RngStream } from './rng';

/** A number as the output JSON carries it: non-finite values spelled as torch's JSON does. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function jsonNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

export interface StepRecord {
  epoch: number;
  batch: number;
  loss: JsonNumber;
  /** Each group's lr as used by this step's optimizer.step(). */
  lr: number[];
}

export interface EpochRecord {
  epoch: number;
  train_loss: JsonNumber;
  val_loss: JsonNumber | null;
  val_accuracy: number | null;
  /** Each group's lr at the end of the epoch, after the schedulers stepped. */
  lr: number[];
}

export interface TrainResult {
  steps: StepRecord[];
  epochs: EpochRecord[];
  backend: BackendName;
}

export type StepWhen = 'batch' | 'epoch';

/** The optimizer's param groups and the schedulers that mutate them (the engine's, or a stand-in). */
export interface ScheduleDriver extends ParamGroupSource {
  /**
   * Called after optimizer.step() of every batch with `'batch'` (only when stepping per batch) and at
   * the end of every epoch with `'epoch'` and the epoch's metric (validation loss, else mean batch loss).
   */
  stepSchedulers(when: StepWhen, metric: number): void;
  /** Told after every optimizer.step() (the engine's schedulers check the call order, as torch's do). */
  optimizerStepped?(): void;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  stepPer: StepWhen;
  valFraction: number;
}

/** The network a run trains: on which backend, on what data, its layers (trained in place) and optimizer. */
export interface NetworkSetup {
  backend: Backend;
  data: Dataset;
  sizes: LayerSizes;
  dtype: DType;
  /** Initial weights; trained in place. */
  layers: LayerParams[];
  optimizerType: OptimizerType;
}

export interface TrainSetup extends NetworkSetup {
  driver: ScheduleDriver;
  options: TrainOptions;
  /** Streamed progress, after each epoch. */
  onEpoch?: (epoch: EpochRecord, steps: StepRecord[]) => void;
  /** Checked before every batch; true stops the run, which returns the epochs completed so far. */
  isCancelled?: () => boolean;
}

/**
 * Parameters of layer ℓ go to param group min(ℓ, groups − 1), weight before bias: one group trains
 * everything; with as many groups as layers, each layer has its own.
 */
export function groupParameters(layers: LayerParams[], grads: LayerParams[], groupCount: number): Parameter[][] {
  const groups: Parameter[][] = Array.from({ length: groupCount }, () => []);
  layers.forEach((layer, l) => {
    const group = groups[Math.min(l, groupCount - 1)];
    group.push({ data: layer.weight, grad: grads[l].weight }, { data: layer.bias, grad: grads[l].bias });
  });
  return groups;
}

export async function train(setup: TrainSetup): Promise<TrainResult> {
  const { backend, data, sizes, dtype, layers, driver, options } = setup;
  if (data.featureCount !== sizes[0]) throw new Error(`the data has ${data.featureCount} features, the network takes ${sizes[0]}`);
  if (data.classCount > sizes[sizes.length - 1]) throw new Error(`the data has ${data.classCount} classes, the network outputs ${sizes[sizes.length - 1]}`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error('batch size must be a positive integer');
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new Error('epochs must be a non-negative integer');

  const valRows = validationRows(data.rows, options.valFraction);
  const trainRows = data.rows - valRows;
  if (trainRows < 1) throw new Error('no training rows left after the validation split');
  const features = data.featureCount;
  const x = allocate(dtype, data.rows * features);
  x.set(data.features);
  const trainX = x.subarray(0, trainRows * features);
  const valX = x.subarray(trainRows * features);
  const trainLabels = data.labels.subarray(0, trainRows);
  const valLabels = data.labels.subarray(trainRows);

  const grads = zeroLayers(sizes, dtype);
  const optimizer = new TrainingOptimizer(setup.optimizerType, driver, groupParameters(layers, grads, driver.paramGroups.length), dtype);
  const rng = new Rng(options.seed, RngStream.Shuffle);
  const order = new Int32Array(trainRows);
  const batchX = allocate(dtype, Math.min(options.batchSize, trainRows) * features);
  const batchLabels = new Int32Array(Math.min(options.batchSize, trainRows));
  const lrs = () => driver.paramGroups.map((group) => group.lr);

  const steps: StepRecord[] = [];
  const epochs: EpochRecord[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = 0; i < trainRows; i++) order[i] = i;
    if (options.shuffle) rng.shuffle(order);
    const epochSteps: StepRecord[] = [];
    let lossSum = 0;
    for (let start = 0, batch = 0; start < trainRows; start += options.batchSize, batch++) {
      if (setup.isCancelled?.()) return { steps, epochs, backend: backend.name };
      const rows = Math.min(options.batchSize, trainRows - start);
      let bx: FloatArray;
      let by: Int32Array;
      if (options.shuffle) {
        for (let r = 0; r < rows; r++) {
          const source = order[start + r];
          batchX.set(trainX.subarray(source * features, (source + 1) * features), r * features);
          batchLabels[r] = trainLabels[source];
        }
        bx = batchX;
        by = batchLabels;
      } else {
        bx = trainX.subarray(start * features, (start + rows) * features);
        by = trainLabels.subarray(start, start + rows);
      }
      const lr = lrs();
      const loss = await backend.lossAndGradients(layers, grads, bx, by, rows);
      optimizer.step();
      driver.optimizerStepped?.();
      lossSum += loss;
      epochSteps.push({ epoch, batch, loss: jsonNumber(loss), lr });
      if (options.stepPer === 'batch') driver.stepSchedulers('batch', loss);
    }
    const trainLoss = lossSum / epochSteps.length;
    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (valRows > 0) {
      const evaluation = await backend.evaluate(layers, valX, valLabels, valRows);
      valLoss = evaluation.loss;
      valAccuracy = evaluation.correct / valRows;
    }
    driver.stepSchedulers('epoch', valLoss ?? trainLoss);
    const record: EpochRecord = {
      epoch,
      train_loss: jsonNumber(trainLoss),
      val_loss: valLoss === null ? null : jsonNumber(valLoss),
      val_accuracy: valAccuracy,
      lr: lrs(),
    };
    steps.push(...epochSteps);
    epochs.push(record);
    setup.onEpoch?.(record, epochSteps);
  }
  return { steps, epochs, backend: backend.name };
}
