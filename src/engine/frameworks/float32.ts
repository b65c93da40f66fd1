// float32 arithmetic as Keras and optax compute schedules (JAX/XLA, x64 off): every tensor operation
// rounds its result to float32, and Python scalars meet tensors as float32 ("weak" types).
// Basic operations (+ - * / floor, min/max) round exactly as the hardware does; transcendental ones
// (cos, log, pow, tanh) go through double precision and are rounded once, which can differ from XLA's
// float32 kernels by an ulp or two: the framework tests state that tolerance.

export const f32 = Math.fround;

export const add = (a: number, b: number) => f32(f32(a) + f32(b));
export const sub = (a: number, b: number) => f32(f32(a) - f32(b));
export const mul = (a: number, b: number) => f32(f32(a) * f32(b));
export const div = (a: number, b: number) => f32(f32(a) / f32(b));
export const cos = (a: number) => f32(Math.cos(f32(a)));
export const log = (a: number) => f32(Math.log(f32(a)));
export const pow = (a: number, b: number) => f32(Math.pow(f32(a), f32(b)));
export const floor = (a: number) => f32(Math.floor(f32(a)));
export const ceil = (a: number) => f32(Math.ceil(f32(a)));
export const min = (a: number, b: number) => f32(Math.min(f32(a), f32(b)));
export const max = (a: number, b: number) => f32(Math.max(f32(a), f32(b)));

/** Smallest float32 spacing at |x| (one ulp), for tolerances stated in ulps. */
export function ulp32(x: number): number {
  const a = Math.abs(f32(x));
  if (a === 0 || !Number.isFinite(a)) return 2 ** -149;
  const exponent = Math.floor(Math.log2(a));
  // log2 can land one off at exact powers of two; correct by checking the bracket.
  const e = 2 ** exponent > a ? exponent - 1 : 2 ** (exponent + 1) <= a ? exponent + 1 : exponent;
  return Math.max(2 ** (e - 23), 2 ** -149);
}
