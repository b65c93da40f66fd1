// A multilayer perceptron as torch builds it: nn.Linear layers (weight [out×in], bias [out]) with an
// activation between them, the last layer's outputs the class logits.

import { allocate, fromValues, type DType, type FloatArray } from './dtype';
import { Rng, RngStream } from './rng';

export interface LayerParams {
  /** Row-major [out × in], as nn.Linear.weight. */
  weight: FloatArray;
  bias: FloatArray;
}

/** Layer widths from input to logits, e.g. [4, 32, 32, 3]. */
export type LayerSizes = readonly number[];

/** INIT.json: `{ "layers": [ { "weight": [[out×in]], "bias": [out] }, ... ] }`. */
export interface InitFile {
  layers: { weight: number[][]; bias: number[] }[];
}

export function zeroLayers(sizes: LayerSizes, dtype: DType): LayerParams[] {
  const layers: LayerParams[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push({ weight: allocate(dtype, sizes[i + 1] * sizes[i]), bias: allocate(dtype, sizes[i + 1]) });
  }
  return layers;
}

/**
 * torch's default nn.Linear init, drawn from our seeded stream: kaiming_uniform_(a=√5) for the
 * weight, i.e. U(−b, b) with b = √3 · gain / √fan_in and gain = √(2 / (1 + a²)), and
 * U(−1/√fan_in, 1/√fan_in) for the bias; layer by layer, weight (row-major) then bias.
 */
export function defaultInit(sizes: LayerSizes, dtype: DType, seed: number): LayerParams[] {
  const rng = new Rng(seed, RngStream.Init);
  const layers = zeroLayers(sizes, dtype);
  layers.forEach((layer, i) => {
    const fanIn = sizes[i];
    const a = Math.sqrt(5);
    const gain = Math.sqrt(2.0 / (1 + a ** 2));
    const weightBound = Math.sqrt(3.0) * (gain / Math.sqrt(fanIn));
    for (let j = 0; j < layer.weight.length; j++) layer.weight[j] = rng.uniformIn(-weightBound, weightBound);
    const biasBound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    for (let j = 0; j < layer.bias.length; j++) layer.bias[j] = rng.uniformIn(-biasBound, biasBound);
  });
  return layers;
}

/** Layers from INIT.json, checked against the expected widths. */
export function layersFromInit(init: InitFile, sizes: LayerSizes, dtype: DType): LayerParams[] {
  if (!init || !Array.isArray(init.layers)) throw new Error('INIT.json must be { "layers": [ { "weight", "bias" }, ... ] }');
  if (init.layers.length !== sizes.length - 1) {
    throw new Error(`INIT.json has ${init.layers.length} layers, the network has ${sizes.length - 1}`);
  }
  return init.layers.map((layer, i) => {
    const fanIn = sizes[i];
    const fanOut = sizes[i + 1];
    if (!Array.isArray(layer.weight) || layer.weight.length !== fanOut || layer.weight.some((row) => !Array.isArray(row) || row.length !== fanIn)) {
      throw new Error(`INIT.json layer ${i}: weight must be ${fanOut}×${fanIn}`);
    }
    if (!Array.isArray(layer.bias) || layer.bias.length !== fanOut) throw new Error(`INIT.json layer ${i}: bias must have ${fanOut} values`);
    const flat = layer.weight.flat();
    if (flat.some((v) => typeof v !== 'number' || !Number.isFinite(v)) || layer.bias.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new Error(`INIT.json layer ${i}: values must be finite numbers`);
    }
    return { weight: fromValues(dtype, flat), bias: fromValues(dtype, layer.bias) };
  });
}

export function layersToInit(layers: LayerParams[], sizes: LayerSizes): InitFile {
  return {
    layers: layers.map((layer, i) => {
      const fanIn = sizes[i];
      const weight: number[][] = [];
      for (let o = 0; o < layer.bias.length; o++) weight.push(Array.from(layer.weight.subarray(o * fanIn, (o + 1) * fanIn)));
      return { weight, bias: Array.from(layer.bias) };
    }),
  };
}
