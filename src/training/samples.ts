// The bundled sample problems: the default quick-training setup (small enough that 30 epochs train
// in well under 200 ms on the CPU backend, so the panel can re-train live on every control change).

import type { GeneratorName, GeneratorOptions } from './data';
import type { Activation } from './cpuKernels';
import type { TrainOptions } from './trainer';

export interface SampleProblem {
  label: string;
  data: { kind: 'generated'; name: GeneratorName; options: GeneratorOptions } | { kind: 'bundled'; file: string };
  hidden: number[];
  activation: Activation;
  options: TrainOptions;
}

const quick: TrainOptions = { epochs: 30, batchSize: 32, shuffle: true, seed: 0, stepPer: 'epoch', valFraction: 0.2 };

export const DEFAULT_SAMPLE: SampleProblem = {
  label: 'Spirals (3 classes, 600 points)',
  data: { kind: 'generated', name: 'spirals', options: { rows: 600, classes: 3, seed: 0 } },
  hidden: [32, 32],
  activation: 'relu',
  options: quick,
};

export const SAMPLE_PROBLEMS: SampleProblem[] = [
  DEFAULT_SAMPLE,
  { label: 'Moons (2 classes, 600 points)', data: { kind: 'generated', name: 'moons', options: { rows: 600, seed: 0 } }, hidden: [32, 32], activation: 'relu', options: quick },
  { label: 'Blobs (4 classes, 600 points)', data: { kind: 'generated', name: 'blobs', options: { rows: 600, classes: 4, seed: 0 } }, hidden: [16], activation: 'relu', options: quick },
  /** data/*.csv ship with the extension; the host reads them and passes the text. */
  { label: 'Iris (real data, 150 rows)', data: { kind: 'bundled', file: 'data/iris.csv' }, hidden: [16, 16], activation: 'relu', options: { ...quick, batchSize: 16 } },
  { label: 'Wine (real data, standardized, 178 rows)', data: { kind: 'bundled', file: 'data/wine.csv' }, hidden: [32], activation: 'relu', options: { ...quick, batchSize: 16 } },
];
