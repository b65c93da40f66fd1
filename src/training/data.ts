// Datasets for training: CSV (numeric columns, a header, the last column the integer class label)
// and deterministic generators (spirals, moons, blobs) drawn from a seed.

import { Rng, RngStream } from './rng';

export interface Dataset {
  /** Column names of the features, then the label's. */
  header: string[];
  /** rows × features, row-major, float64 (converted to the training dtype when training). */
  features: Float64Array;
  labels: Int32Array;
  rows: number;
  featureCount: number;
  classCount: number;
}

export function parseCsv(text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) throw new Error('CSV needs a header row and at least one data row');
  const header = splitCsvLine(lines[0]);
  if (header.length < 2) throw new Error('CSV needs at least one feature column and a label column');
  const featureCount = header.length - 1;
  const rows = lines.length - 1;
  const features = new Float64Array(rows * featureCount);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = splitCsvLine(lines[r + 1]);
    if (cells.length !== header.length) throw new Error(`CSV line ${r + 2}: ${cells.length} columns, the header has ${header.length}`);
    for (let c = 0; c < featureCount; c++) {
      const value = Number(cells[c]);
      if (cells[c].trim() === '' || !Number.isFinite(value)) throw new Error(`CSV line ${r + 2}, column '${header[c]}': '${cells[c]}' is not a finite number`);
      features[r * featureCount + c] = value;
    }
    const label = Number(cells[featureCount]);
    if (!Number.isInteger(label) || label < 0) throw new Error(`CSV line ${r + 2}: the label '${cells[featureCount]}' is not a non-negative integer`);
    labels[r] = label;
  }
  return { header, features, labels, rows, featureCount, classCount: maxLabel(labels) + 1 };
}

function splitCsvLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function maxLabel(labels: Int32Array): number {
  let max = 0;
  for (const label of labels) max = Math.max(max, label);
  return max;
}

export function toCsv(data: Dataset): string {
  const lines = [data.header.join(',')];
  for (let r = 0; r < data.rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < data.featureCount; c++) cells.push(String(data.features[r * data.featureCount + c]));
    cells.push(String(data.labels[r]));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Python 3's round(): halves go to the even neighbour. */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The last round(F × rows) rows are the validation split. */
export function validationRows(rows: number, fraction: number): number {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validation fraction must be in [0, 1), got ${fraction}`);
  return pythonRound(fraction * rows);
}

export type GeneratorName = 'spirals' | 'moons' | 'blobs';
export const GENERATORS: readonly GeneratorName[] = ['spirals', 'moons', 'blobs'];

export interface GeneratorOptions {
  rows?: number;
  classes?: number;
  noise?: number;
  seed?: number;
}

/** A deterministic 2-D classification problem; the rows interleave the classes, so any split keeps them all. */
export function generateDataset(name: GeneratorName, options: GeneratorOptions = {}): Dataset {
  const rows = options.rows ?? 600;
  const seed = options.seed ?? 0;
  const rng = new Rng(seed, RngStream.Data);
  const classes = name === 'moons' ? 2 : (options.classes ?? 3);
  const noise = options.noise ?? (name === 'blobs' ? 1.0 : name === 'moons' ? 0.1 : 0.2);
  const features = new Float64Array(rows * 2);
  const labels = new Int32Array(rows);
  const centers: [number, number][] = [];
  for (let c = 0; c < classes; c++) centers.push([rng.uniformIn(-10, 10), rng.uniformIn(-10, 10)]);
  for (let r = 0; r < rows; r++) {
    const label = r % classes;
    let x: number;
    let y: number;
    if (name === 'spirals') {
      // an arm per class, 1.25 turns: radius grows along the arm, angle offset by the class
      const t = rng.uniform();
      const angle = 2.5 * t * Math.PI + (2 * Math.PI * label) / classes;
      x = t * Math.cos(angle) + noise * t * rng.normal();
      y = t * Math.sin(angle) + noise * t * rng.normal();
    } else if (name === 'moons') {
      const angle = Math.PI * rng.uniform();
      x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
      y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
      x += noise * rng.normal();
      y += noise * rng.normal();
    } else {
      x = centers[label][0] + noise * rng.normal();
      y = centers[label][1] + noise * rng.normal();
    }
    features[2 * r] = x;
    features[2 * r + 1] = y;
    labels[r] = label;
  }
  return { header: ['x', 'y', 'label'], features, labels, rows, featureCount: 2, classCount: classes };
}
