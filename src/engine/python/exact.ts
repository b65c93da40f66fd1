// Exact integer/rational helpers shared by the number tower and the correctly-rounded libm.

export function bitLength(a: bigint): number {
  return (a < 0n ? -a : a).toString(2).length;
}

/** The double nearest n/d (n >= 0, d > 0), ties to even. */
export function roundRatio(n: bigint, d: bigint): number {
  if (n === 0n) return 0;
  const exponent = bitLength(n) - bitLength(d); // n/d lies in [2^(exponent-1), 2^(exponent+1))
  if (exponent > 1025) return Infinity;
  if (exponent < -1080) return 0;
  // Scale so that the integer quotient carries the double's 53 bits plus two guard bits.
  const shift = 55 - exponent;
  const scaledN = shift >= 0 ? n << BigInt(shift) : n;
  const scaledD = shift >= 0 ? d : d << BigInt(-shift);
  let q = scaledN / scaledD;
  const sticky = scaledN % scaledD !== 0n;
  // Round to the double's precision here, then scale exactly.
  const qBits = bitLength(q);
  let drop = qBits - 53;
  const lowestUnit = -1074 + shift; // bits of q below 2^-1074 must go too
  if (lowestUnit > drop) drop = lowestUnit;
  if (drop > 0) {
    const unit = 1n << BigInt(drop);
    const remainder = q & (unit - 1n);
    q >>= BigInt(drop);
    const half = unit >> 1n;
    if (remainder > half || (remainder === half && (sticky || (q & 1n) === 1n))) q += 1n;
    return scaleByPowerOfTwo(Number(q), drop - shift);
  }
  return scaleByPowerOfTwo(Number(q), -shift);
}

// 2^k for every k a double can hold, built by exact doubling (not through Math.pow).
const POW2_MIN = -1074;
const POW2 = new Float64Array(1023 - POW2_MIN + 1);
POW2[0] = 5e-324;
for (let i = 1; i < POW2.length; i++) POW2[i] = POW2[i - 1] * 2;

/** 2^k exactly, for -1074 <= k <= 1023. */
export function pow2(k: number): number {
  return POW2[k - POW2_MIN];
}

/** x * 2^k, exact while the result is representable (split to avoid an intermediate overflow). */
export function scaleByPowerOfTwo(x: number, k: number): number {
  while (k > 1000) {
    x *= POW2[1000 - POW2_MIN];
    k -= 1000;
  }
  while (k < -1000) {
    x *= POW2[-1000 - POW2_MIN];
    k += 1000;
  }
  return x * POW2[k - POW2_MIN];
}

/** The exact value of a finite double as numerator / denominator (a power of two). */
export function doubleToRatio(x: number): [bigint, bigint] {
  let mantissa = x;
  let exponent = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent++;
  }
  return [BigInt(mantissa), 1n << BigInt(exponent)];
}

/** n/d (any sign) as `count` doubles whose exact sum approximates n/d (a multi-double constant). */
export function ratioToDoubles(n: bigint, d: bigint, count: number): number[] {
  const parts: number[] = [];
  for (let i = 0; i < count; i++) {
    const part = n < 0n ? -roundRatio(-n, d) : roundRatio(n, d);
    parts.push(part);
    const [pn, pd] = doubleToRatio(part);
    n = n * pd - pn * d;
    d = d * pd;
  }
  return parts;
}

