// Element types of the training core. float32 arrays round on every store, and `rounder` rounds the
// intermediate values an expression keeps in registers, so float32 math follows torch's per-op rounding.

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export function fromValues(dtype: DType, values: ArrayLike<number>): FloatArray {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

const identity = (x: number): number => x;

/** Rounds a value to the element type, as storing it in a tensor of that type would. */
export function rounder(dtype: DType): (x: number) => number {
  return dtype === 'float32' ? Math.fround : identity;
}

export function parseDType(text: string): DType {
  if (text === 'float32' || text === 'float64') return text;
  throw new Error(`unknown dtype '${text}' (expected float32 or float64)`);
}
