// Correctly-rounded exp, log, pow, sin, cos, tan, log2, atan, atan2, asin and acos for doubles.
//
// CPython calls the platform libm; on Linux that is glibc, whose exp/log/pow/sin/cos/atan... are
// accurate to about 0.52 ulp, so they return the correctly-rounded result in all but roughly 1 case
// in 1,000. JS's Math.* (fdlibm ports) are off by an ulp far more often (3-8 % for cos and pow), which
// changes schedules in their last bits. Here each function is evaluated in double-double arithmetic
// (~100 bits) and rounded once, so the result is the correctly-rounded double. exp, log, pow, sin and
// cos first try a fast path in plain doubles (~2^-66 error) and keep it when the error cannot change
// the rounding (Ziv's strategy; over 99 % of calls), so they cost 2-5 Math.cos calls, not 25.
//
// Double-double helpers leave their result in the registers DD[0] (high) and DD[1] (low): a typed
// array, because doubles passed through non-inlined calls or module-level `let`s would be boxed.

import { pow2, ratioToDoubles, scaleByPowerOfTwo } from './exact';

// Result registers in a typed array: plain `let` doubles would be boxed on every write.
const DD = new Float64Array(2);

const SPLITTER = 134217729; // 2^27 + 1 (Dekker split)

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  DD[0] = p;
  DD[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  DD[0] = s;
  DD[1] = a - (s - bb) + (b - bb);
}

function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  DD[0] = s;
  DD[1] = b - (s - a);
}

function mulDD(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  quickTwoSum(DD[0], DD[1] + (ah * bl + al * bh));
}

function addDD(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s1 = DD[0];
  const s2 = DD[1];
  twoSum(al, bl);
  const t2 = DD[1];
  quickTwoSum(s1, s2 + DD[0]);
  quickTwoSum(DD[0], DD[1] + t2);
}

/** a + b when no cancellation can occur (|b| well below |a| or same signs): fewer operations. */
function addDDFast(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  quickTwoSum(DD[0], DD[1] + al + bl);
}

function divDD(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  mulDD(bh, bl, q1, 0);
  addDD(ah, al, -DD[0], -DD[1]);
  const rh = DD[0];
  const rl = DD[1];
  const q2 = rh / bh;
  mulDD(bh, bl, q2, 0);
  addDD(rh, rl, -DD[0], -DD[1]);
  const q3 = DD[0] / bh;
  quickTwoSum(q1, q2);
  addDD(DD[0], DD[1], q3, 0);
}

// ---- constants, computed exactly with bigints at load time ----

/** atan(1/n) * 2^bits, truncated (Machin-style series). */
function atanInverse(n: bigint, bits: bigint): bigint {
  const one = 1n << bits;
  let power = one / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; power !== 0n; k++) {
    const term = power / (2n * k + 1n);
    sum += k % 2n === 0n ? term : -term;
    power /= n2;
  }
  return sum;
}

/** atanh(1/n) * 2^bits, truncated. */
function atanhInverse(n: bigint, bits: bigint): bigint {
  let power = (1n << bits) / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; power !== 0n; k++) {
    sum += power / (2n * k + 1n);
    power /= n2;
  }
  return sum;
}

const CONSTANT_BITS = 400n;
const CONSTANT_SCALE = 1n << CONSTANT_BITS;
/** pi * 2^CONSTANT_BITS (Machin: pi/4 = 4 atan(1/5) - atan(1/239)). */
const PI_FIXED = 4n * (4n * atanInverse(5n, CONSTANT_BITS) - atanInverse(239n, CONSTANT_BITS));
/** ln 2 * 2^CONSTANT_BITS (ln 2 = 2 atanh(1/3)). */
const LN2_FIXED = 2n * atanhInverse(3n, CONSTANT_BITS);

const [LN2_H, LN2_L] = ratioToDoubles(LN2_FIXED, CONSTANT_SCALE, 2);
const [LN2_N_1, LN2_N_2, LN2_N_3] = ratioToDoubles(LN2_FIXED, CONSTANT_SCALE * 1024n, 3); // ln2 / 1024
const [PIO2_1, PIO2_2, PIO2_3] = ratioToDoubles(PI_FIXED, CONSTANT_SCALE * 2n, 3);
const [INV_LN2_H, INV_LN2_L] = ratioToDoubles(CONSTANT_SCALE, LN2_FIXED, 2);
const TWO_OVER_PI = ratioToDoubles(2n * CONSTANT_SCALE, PI_FIXED, 1)[0];
const INV_LN2_X1024 = 1024 / LN2_H;

/** 1/i! as double-double, i = 0..40. */
const INV_FACT_H: number[] = [];
const INV_FACT_L: number[] = [];
{
  let factorial = 1n;
  for (let i = 0n; i <= 40n; i++) {
    if (i > 0n) factorial *= i;
    const [h, l] = ratioToDoubles(1n, factorial, 2);
    INV_FACT_H.push(h);
    INV_FACT_L.push(l);
  }
}

// ---- exp ----

/**
 * 2^(j/1024) as double-double, j = 0..1023, built at load time as 2^(i/32) * 2^(k/1024) from two
 * 32-entry tables evaluated by long Taylor series.
 */
const EXP_TABLE_H = new Float64Array(1024);
const EXP_TABLE_L = new Float64Array(1024);
{
  const coarseH: number[] = [];
  const coarseL: number[] = [];
  const fineH: number[] = [];
  const fineL: number[] = [];
  for (let i = 0; i < 32; i++) {
    mulDD(LN2_N_1, LN2_N_2, i * 32, 0);
    taylorExp(DD[0], DD[1], 32);
    coarseH.push(DD[0]);
    coarseL.push(DD[1]);
    mulDD(LN2_N_1, LN2_N_2, i, 0);
    taylorExp(DD[0], DD[1], 16);
    fineH.push(DD[0]);
    fineL.push(DD[1]);
  }
  for (let j = 0; j < 1024; j++) {
    mulDD(coarseH[j >> 5], coarseL[j >> 5], fineH[j & 31], fineL[j & 31]);
    EXP_TABLE_H[j] = DD[0];
    EXP_TABLE_L[j] = DD[1];
  }
}

/** exp(rh + rl) by its Taylor series to degree n, in double-double (used where |r| < 1). */
function taylorExp(rh: number, rl: number, n: number): void {
  let ph = INV_FACT_H[n];
  let pl = INV_FACT_L[n];
  for (let i = n - 1; i >= 0; i--) {
    mulDD(ph, pl, rh, rl);
    addDD(DD[0], DD[1], INV_FACT_H[i], INV_FACT_L[i]);
    ph = DD[0];
    pl = DD[1];
  }
}

let EXP_SCALE = 0;

/** exp(xh + xl) = 2^EXP_SCALE * (DD[0] + DD[1]), for |xh| < 2^20 * ln2 / 1024. */
function expCore(xh: number, xl: number): void {
  const n = Math.round(xh * INV_LN2_X1024);
  const j = n & 1023;
  EXP_SCALE = (n - j) / 1024;
  // r = x - n ln2/1024, with ln2/1024 as three doubles so that r keeps ~106 good bits.
  twoProd(n, LN2_N_1);
  addDD(xh, xl, -DD[0], -DD[1]);
  const r1h = DD[0];
  const r1l = DD[1];
  twoProd(n, LN2_N_2);
  addDD(r1h, r1l, -DD[0], -DD[1] - n * LN2_N_3);
  const rh = DD[0];
  const rl = DD[1];
  // |r| <= ln2/2048 < 2^-11.5: from r^4 on the terms are below 2^-50, so plain doubles suffice.
  const q = (((rh * INV_FACT_H[8] + INV_FACT_H[7]) * rh + INV_FACT_H[6]) * rh + INV_FACT_H[5]) * rh + INV_FACT_H[4];
  let ph = q;
  let pl = 0;
  for (let i = 3; i >= 0; i--) {
    mulDD(ph, pl, rh, rl);
    addDDFast(DD[0], DD[1], INV_FACT_H[i], INV_FACT_L[i]);
    ph = DD[0];
    pl = DD[1];
  }
  mulDD(EXP_TABLE_H[j], EXP_TABLE_L[j], ph, pl);
}

/** Rounds (DD[0] + DD[1]) * 2^scale to the nearest double, ties to even, subnormals included. */
function roundScaled(hi: number, lo: number, scale: number): number {
  if (scale > -1020) return scaleByPowerOfTwo(hi, scale); // hi is already fl(hi + lo)
  const shift = scale + 1074;
  if (shift < -2) return 0;
  const a = scaleByPowerOfTwo(hi, shift);
  // A normal result: scaling the rounded hi is exact.
  if (Math.abs(a) >= 2 ** 52) return scaleByPowerOfTwo(hi, scale);
  // A subnormal result: round (hi + lo) * 2^(scale + 1074) to an integer count of 2^-1074.
  const b = scaleByPowerOfTwo(lo, shift);
  let n = Math.floor(a);
  const fraction = a - n + b;
  if (fraction > 0.5 || (fraction === 0.5 && n % 2 === 1)) n += 1;
  else if (fraction < -0.5) n -= 1;
  return n * pow2(-1074);
}

export function crExp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.8) return Infinity;
  if (x < -745.2) return 0;
  if (Math.abs(x) < 2 ** -54) return 1 + x;
  const fast = fastExp(x, 0, FAST_EXP_ERROR);
  if (fast === fast) return fast;
  expCore(x, 0);
  return roundScaled(DD[0], DD[1], EXP_SCALE);
}

// ---- fast paths (Ziv): a ~2^-70 approximation in plain doubles, kept when its rounding is certain ----

/** ln2/1024 split Cody-Waite style: FAST_LN2_1 has 32 significant bits, so n * FAST_LN2_1 is exact. */
const FAST_LN2_1 = Number((LN2_FIXED << 42n) / (CONSTANT_SCALE * 1024n)) / 2 ** 42;
const FAST_LN2_2 = ratioToDoubles((LN2_FIXED << 42n) - BigInt(FAST_LN2_1 * 2 ** 42) * CONSTANT_SCALE * 1024n, CONSTANT_SCALE * 1024n << 42n, 1)[0];
/** Bounds on the fast paths' relative error, with a safety factor over the analysis in the comments. */
const FAST_EXP_ERROR = 2 ** -66;
const FAST_POW_ERROR = 2 ** -62;
const FAST_LOG_ERROR = 2 ** -60;

/**
 * exp(zh + zl) for |zh| <= 709.8 in plain doubles, or NaN when the approximation's error (relative,
 * errorBound) could change the rounding or the result leaves the normal range.
 */
function fastExp(zh: number, zl: number, errorBound: number): number {
  const n = Math.round(zh * INV_LN2_X1024);
  const j = n & 1023;
  const scale = (n - j) / 1024;
  if (scale < -1020 || scale > 1023) return NaN;
  // r = z - n ln2/1024: the first product and difference are exact; |r| <= 2^-11.4, error ~2^-74
  const rh0 = zh - n * FAST_LN2_1;
  const a = zl - n * FAST_LN2_2;
  const rh = rh0 + a;
  const bb = rh - rh0;
  const rl = rh0 - (rh - bb) + (a - bb);
  // exp(r) = 1 + rh + low, low = rl (1 + rh) + rh^2 (1/2 + rh/6 + ...), error ~2^-76
  const q = rh * rh * (0.5 + rh * (INV_FACT_H[3] + rh * (INV_FACT_H[4] + rh * (INV_FACT_H[5] + rh * INV_FACT_H[6]))));
  const low = rl + rl * rh + q;
  // T (1 + rh + low) = Th + Th rh + (Tl + Th low + Tl rh), with Th rh exact by twoProd
  const th = EXP_TABLE_H[j];
  const tl = EXP_TABLE_L[j];
  twoProd(th, rh);
  const ph = DD[0];
  const pl = DD[1];
  const sh = th + ph;
  const sb = sh - th;
  const sl = th - (sh - sb) + (ph - sb);
  const rest = sl + pl + tl + th * low + tl * rh;
  const y = sh + rest;
  const yl = rest - (y - sh);
  const e = errorBound * y;
  if (y + (yl + e) !== y || y + (yl - e) !== y) return NaN;
  return y * pow2(scale);
}

const FAST_LOG_OFFSET = 38; // table index j + 38 for j = round((m - 1) * 128) in [-38, 53]
const BITS = new Float64Array(1);
const BITS_HIGH = new Uint32Array(BITS.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: word 1

/**
 * log(x) for a normal x > 0 into DD[0]/DD[1] with an absolute error below ~2^-75 (relative below
 * ~2^-62 next to x = 1); false for a subnormal x.
 */
function fastLogCore(x: number): boolean {
  BITS[0] = x;
  const biased = (BITS_HIGH[HIGH_WORD] >>> 20) & 0x7ff;
  if (biased === 0) return false;
  let e = biased - 1023;
  let m = x * pow2(-e);
  if (m > SQRT_HALF_BOUND) {
    m *= 0.5;
    e++;
  }
  const index = Math.round((m - 1) * 128) + FAST_LOG_OFFSET;
  const invc = FAST_LOG_INVC[index];
  // r = m invc - 1 exactly as rh + pl (the subtraction is exact by Sterbenz)
  twoProd(m, invc);
  const rh = DD[0] - 1;
  const pl = DD[1];
  // log1p(r) = r - r^2/2 + r^3/3 - ...: r^2 exactly by twoProd, the cubic tail in doubles (~2^-78);
  // with r = rh + pl, the cross terms -rh pl and rh^2 pl matter (|z| up to 746 needs ~2^-72 here)
  twoProd(rh, rh);
  const sqh = DD[0];
  const sql = DD[1];
  const ah = rh - 0.5 * sqh;
  const al = rh - ah - 0.5 * sqh;
  const tail = rh * sqh * (1 / 3 + rh * (-0.25 + rh * (0.2 + rh * (-1 / 6 + rh * (1 / 7 + rh * (-0.125 + rh * (1 / 9 + rh * (-0.1 + rh / 11))))))));
  const lowR = al + pl - 0.5 * sql - rh * pl + sqh * pl + tail;
  // log x = e ln2 + L + log1p(r)
  twoProd(e, LN2_H);
  const eh = DD[0];
  const el = DD[1] + e * LN2_L;
  twoSum(eh, FAST_LOG_LH[index]);
  const s1 = DD[0];
  const s1l = DD[1];
  twoSum(s1, ah);
  DD[1] = DD[1] + s1l + el + FAST_LOG_LL[index] + lowR;
  return true;
}

/**
 * x ** y for finite x > 0 (x != 1), finite y != 0 through fastLogCore and the fast exp, or NaN when
 * the rounding is not certain (then the double-double path decides).
 */
function fastPow(x: number, y: number): number {
  if (!fastLogCore(x)) return NaN;
  const lh = DD[0];
  const ll = DD[1];
  // z = y log x
  twoProd(y, lh);
  const zh0 = DD[0];
  const zl0 = DD[1] + y * ll;
  const zh = zh0 + zl0;
  const zl = zl0 - (zh - zh0);
  if (!(zh < 709.7 && zh > -708)) return NaN;
  return fastExp(zh, zl, FAST_POW_ERROR);
}

// ---- log ----

const SQRT_HALF_BOUND = Math.SQRT2;

/** log(x) for finite x > 0, as double-double in DD[0]/DD[1]. */
function logCore(x: number): void {
  let exponent = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    m *= 2 ** 54;
    exponent -= 54;
  }
  let e = Math.floor(Math.log2(m));
  m *= pow2(-e);
  if (m >= 2) {
    m /= 2;
    e++;
  } else if (m < 1) {
    m *= 2;
    e--;
  }
  if (m > SQRT_HALF_BOUND) {
    m /= 2;
    e++;
  }
  exponent += e;
  const f = m - 1; // exact (Sterbenz)
  let yh: number;
  let yl: number;
  if (Math.abs(f) < 1 / 32) {
    // log(m) = 2 atanh(s), s = f / (m + 1): 2s + 2s^3/3 + 2s^5/5 + ...
    twoSum(m, 1);
    divDD(f, 0, DD[0], DD[1]);
    const sh = DD[0];
    const sl = DD[1];
    mulDD(sh, sl, sh, sl);
    const wh = DD[0];
    const wl = DD[1];
    let q = 2 / 25;
    for (let k = 11; k >= 4; k--) q = q * wh + 2 / (2 * k + 1);
    // q = sum_{k>=4} 2/(2k+1) w^(k-4); the first terms in double-double
    let ph = q;
    let pl = 0;
    for (let k = 3; k >= 1; k--) {
      mulDD(ph, pl, wh, wl);
      addDDFast(DD[0], DD[1], ATANH_COEFF_H[k], ATANH_COEFF_L[k]);
      ph = DD[0];
      pl = DD[1];
    }
    // log(m) = 2s + s * w * P(w)
    mulDD(ph, pl, wh, wl);
    mulDD(DD[0], DD[1], sh, sl);
    addDD(DD[0], DD[1], 2 * sh, 2 * sl);
    yh = DD[0];
    yl = DD[1];
  } else {
    // One Newton step on exp from a double estimate: log m = y0 + log(m e^-y0).
    const y0 = Math.log(m);
    expCore(-y0, 0);
    const scale = pow2(EXP_SCALE);
    const eh = DD[0] * scale;
    const el = DD[1] * scale;
    mulDD(eh, el, m, 0);
    addDD(DD[0], DD[1], -1, 0);
    const th = DD[0];
    const tl = DD[1];
    addDD(y0, 0, th, tl - (th * th) / 2);
    yh = DD[0];
    yl = DD[1];
  }
  if (exponent === 0) {
    DD[0] = yh;
    DD[1] = yl;
    return;
  }
  twoProd(exponent, LN2_H);
  addDD(DD[0], DD[1] + exponent * LN2_L, yh, yl);
}

/** 2/(2k+1) as double-double, k = 0..3. */
const ATANH_COEFF_H: number[] = [];
const ATANH_COEFF_L: number[] = [];
for (let k = 0n; k <= 3n; k++) {
  const [h, l] = ratioToDoubles(2n, 2n * k + 1n, 2);
  ATANH_COEFF_H.push(h);
  ATANH_COEFF_L.push(l);
}

/** Natural log; NaN for negative input, -Infinity at 0 (callers map these to Python errors). */
export function crLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  if (x === 1) return 0;
  if (fastLogCore(x)) {
    const y = DD[0] + DD[1];
    const yl = DD[1] - (y - DD[0]);
    const e = FAST_LOG_ERROR * Math.abs(y);
    if (y + (yl + e) === y && y + (yl - e) === y) return y;
  }
  logCore(x);
  return DD[0];
}

/** 1/c rounded, c = 1 + j/128, and -log(1/c rounded) as double-double, for j = -38..53 (fastPow). */
const FAST_LOG_INVC = new Float64Array(92);
const FAST_LOG_LH = new Float64Array(92);
const FAST_LOG_LL = new Float64Array(92);
for (let j = -FAST_LOG_OFFSET; j <= 53; j++) {
  const invc = 1 / (1 + j / 128);
  const index = j + FAST_LOG_OFFSET;
  FAST_LOG_INVC[index] = invc;
  if (invc === 1) continue;
  logCore(invc);
  FAST_LOG_LH[index] = -DD[0];
  FAST_LOG_LL[index] = -DD[1];
}

export function crLog2(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  logCore(x);
  mulDD(DD[0], DD[1], INV_LN2_H, INV_LN2_L);
  return DD[0];
}

// ---- pow ----

/** x ** y for finite x > 0, x != 1, finite y != 0 (the case CPython hands to the libm). */
export function crPow(x: number, y: number): number {
  const fast = fastPow(x, y);
  if (fast === fast) return fast;
  logCore(x);
  mulDD(DD[0], DD[1], y, 0);
  const zh = DD[0];
  const zl = DD[1];
  if (zh > 709.8) return Infinity;
  if (zh < -745.2) return 0;
  expCore(zh, zl);
  return roundScaled(DD[0], DD[1], EXP_SCALE);
}

// ---- sin, cos, tan ----

/** sin (hi, lo) and cos (hi, lo) results. */
const SC = new Float64Array(4);

/** sin(j/64), cos(j/64) as double-double, j = 0..52 (covers |r| <= pi/4). */
const SIN_TABLE_H = new Float64Array(53);
const SIN_TABLE_L = new Float64Array(53);
const COS_TABLE_H = new Float64Array(53);
const COS_TABLE_L = new Float64Array(53);
{
  for (let j = 0; j < 53; j++) {
    taylorSinCos(j / 64, 0, 19);
    SIN_TABLE_H[j] = SC[0];
    SIN_TABLE_L[j] = SC[1];
    COS_TABLE_H[j] = SC[2];
    COS_TABLE_L[j] = SC[3];
  }
}

/** sin and cos of t by Taylor series to degree 2n+1 in double-double. */
function taylorSinCos(th: number, tl: number, n: number): void {
  mulDD(th, tl, th, tl);
  const wh = DD[0];
  const wl = DD[1];
  // sin t = t * sum (-1)^k w^k / (2k+1)!, cos t = sum (-1)^k w^k / (2k)!
  let sh = 0;
  let sl = 0;
  let ch = 0;
  let cl = 0;
  for (let k = n; k >= 0; k--) {
    const sign = k % 2 === 0 ? 1 : -1;
    mulDD(sh, sl, wh, wl);
    addDD(DD[0], DD[1], sign * INV_FACT_H[2 * k + 1], sign * INV_FACT_L[2 * k + 1]);
    sh = DD[0];
    sl = DD[1];
    mulDD(ch, cl, wh, wl);
    addDD(DD[0], DD[1], sign * INV_FACT_H[2 * k], sign * INV_FACT_L[2 * k]);
    ch = DD[0];
    cl = DD[1];
  }
  mulDD(sh, sl, th, tl);
  SC[0] = DD[0];
  SC[1] = DD[1];
  SC[2] = ch;
  SC[3] = cl;
}

let QUADRANT = 0;

/** Reduces x to r = x - k pi/2 (|r| <= ~pi/4) in DD[0]/DD[1], with k mod 4 in QUADRANT. */
function reduce(x: number): void {
  if (Math.abs(x) <= Math.PI / 4) {
    QUADRANT = 0;
    DD[0] = x;
    DD[1] = 0;
    return;
  }
  if (Math.abs(x) < 2 ** 26) {
    const k = Math.round(x * TWO_OVER_PI);
    QUADRANT = k & 3;
    twoProd(k, PIO2_1);
    addDD(x, 0, -DD[0], -DD[1]);
    const r1h = DD[0];
    const r1l = DD[1];
    twoProd(k, PIO2_2);
    addDD(r1h, r1l, -DD[0], -DD[1] - k * PIO2_3);
    return;
  }
  reduceLarge(x);
}

let twoOverPiFixed: bigint | null = null;
const LARGE_BITS = 1300n;

/** Payne-Hanek style reduction with an exact bigint product against 1300 bits of 2/pi. */
function reduceLarge(x: number): void {
  if (twoOverPiFixed === null) {
    const bits = LARGE_BITS + 8n;
    const pi = 4n * (4n * atanInverse(5n, bits) - atanInverse(239n, bits));
    twoOverPiFixed = ((2n << bits) << LARGE_BITS) / pi;
  }
  const negative = x < 0;
  let mantissa = Math.abs(x);
  let exponent = 0;
  while (mantissa >= 2 ** 53) {
    mantissa /= 2;
    exponent++;
  }
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent--;
  }
  // |x| = mantissa * 2^exponent exactly; x * 2/pi = mantissa * B * 2^(exponent - LARGE_BITS).
  const product = BigInt(mantissa) * twoOverPiFixed;
  const shift = LARGE_BITS - BigInt(exponent);
  const half = 1n << (shift - 1n);
  const k = (product + half) >> shift;
  const fraction = product - (k << shift); // in [-2^(shift-1), 2^(shift-1)]
  const denominator = 1n << shift;
  const [fh, fl] = ratioToDoubles(fraction, denominator, 2);
  mulDD(fh, fl, PIO2_1, PIO2_2);
  const quadrant = Number(k & 3n);
  if (negative) {
    DD[0] = -DD[0];
    DD[1] = -DD[1];
    QUADRANT = (4 - quadrant) & 3;
  } else {
    QUADRANT = quadrant;
  }
}

/** sin and cos of r (DD[0]/DD[1], |r| <= ~pi/4) into SC (sin hi, lo, cos hi, lo). */
function sinCosReduced(rh: number, rl: number): void {
  const j = Math.round(Math.abs(rh) * 64);
  if (j === 0) {
    sinCosSmall(rh, rl);
    return;
  }
  const sign = rh < 0 ? -1 : 1;
  twoSum(Math.abs(rh) - j / 64, sign * rl); // the subtraction is exact
  sinCosSmall(DD[0], DD[1]);
  const st = SC[0];
  const stl = SC[1];
  const ct = SC[2];
  const ctl = SC[3];
  // sin(a + t) = sin a cos t + cos a sin t; cos(a + t) = cos a cos t - sin a sin t
  mulDD(SIN_TABLE_H[j], SIN_TABLE_L[j], ct, ctl);
  const p1h = DD[0];
  const p1l = DD[1];
  mulDD(COS_TABLE_H[j], COS_TABLE_L[j], st, stl);
  addDD(p1h, p1l, DD[0], DD[1]);
  const sinH = DD[0] * sign;
  const sinL = DD[1] * sign;
  mulDD(COS_TABLE_H[j], COS_TABLE_L[j], ct, ctl);
  const q1h = DD[0];
  const q1l = DD[1];
  mulDD(SIN_TABLE_H[j], SIN_TABLE_L[j], st, stl);
  addDD(q1h, q1l, -DD[0], -DD[1]);
  SC[2] = DD[0];
  SC[3] = DD[1];
  SC[0] = sinH;
  SC[1] = sinL;
}

/** sin and cos of |t| <= 1/128 (double-double), terms below 2^-53 relative in plain doubles. */
function sinCosSmall(th: number, tl: number): void {
  mulDD(th, tl, th, tl);
  const wh = DD[0];
  const wl = DD[1];
  // sin t = t (1 - w/3! + w^2/5! + w^3 D), D = -1/7! + w/9! - w^2/11! + w^3/13! in plain doubles.
  const d = ((INV_FACT_H[13] * wh - INV_FACT_H[11]) * wh + INV_FACT_H[9]) * wh - INV_FACT_H[7];
  mulDD(d, 0, wh, wl);
  addDDFast(DD[0], DD[1], INV_FACT_H[5], INV_FACT_L[5]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], -INV_FACT_H[3], -INV_FACT_L[3]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], 1, 0);
  mulDD(DD[0], DD[1], th, tl);
  const sinH = DD[0];
  const sinL = DD[1];
  // cos t = 1 - w/2! + w^2/4! - w^3/6! + w^4 E, E = 1/8! - w/10! + w^2/12! - w^3/14! in doubles.
  const e = ((-INV_FACT_H[14] * wh + INV_FACT_H[12]) * wh - INV_FACT_H[10]) * wh + INV_FACT_H[8];
  mulDD(e, 0, wh, wl);
  addDDFast(DD[0], DD[1], -INV_FACT_H[6], -INV_FACT_L[6]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], INV_FACT_H[4], INV_FACT_L[4]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], -INV_FACT_H[2], -INV_FACT_L[2]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], 1, 0);
  SC[2] = DD[0];
  SC[3] = DD[1];
  SC[0] = sinH;
  SC[1] = sinL;
}

/**
 * sin x or cos x in plain doubles with a relative error below 2^-69, or NaN when an error of 2^-67
 * could change the rounding (Ziv; about 1 call in 10^4) or when x is too close to a multiple of pi/2
 * (reduced argument below 2^-56, or below 2^-25 for |x| >= 2^20); the double-double path decides then. CosineAnnealingLR and OneCycleLR call this on every step, so
 * it is written for few operations and short dependency chains: constants as literals (a module
 * constant costs a checked load on each use; they are checked against their derivation below), no
 * double-double helpers, no writes to DD.
 */
function fastSinCos(x: number, cosine: boolean): number {
  const ax = Math.abs(x);
  // ax = k pi/2 + rh + rl (|rl| < 2^-45, not normalized: |rh| > |rl| suffices below); with n = k, or
  // k + 1 for cos (cos x = sin(x + pi/2)), sin(ax + n pi/2 - k pi/2) is sin r, cos r, -sin r, -cos r
  // for n mod 4 = 0, 1, 2, 3
  let rh: number;
  let rl: number;
  let n: number;
  if (ax < 2 ** 20) {
    // Cody-Waite with pi/2 = P1 + P2 + P3 (+ < 2^-118), P1 and P2 of 33 bits: k P1 and k P2 are
    // exact; ax - k P1 is exact (a multiple of ulp(ax) below 1 in size) and twoSum catches the error
    // of subtracting k P2; k P3 (< 2^-45) and its subtraction round by < 2^-99 each, and the error
    // of P3 costs k 2^-118: |r - (rh + rl)| < 2^-97, which is small enough where |rh| >= 2^-25.
    const k = Math.round(ax * 0.6366197723675814);
    const r1 = ax - k * (6746518852 / 2 ** 32);
    const p2 = k * (2242054355 / 2 ** 65);
    rh = r1 - p2;
    const sb = rh - r1;
    const e1 = r1 - (rh - sb) - (p2 + sb);
    if (rh >= 2 ** -25 || rh <= -(2 ** -25)) {
      rl = e1 - k * 2.0222662487959506e-21;
    } else {
      // ax is next to a multiple of pi/2: P3 in two parts instead, P3a of 30 bits (k P3a exact,
      // its subtraction by twoSum) and P3b (< 2^-98; + < 2^-151): |r - (rh + rl)| < 2^-127
      const p3 = k * (640881756 / 2 ** 98);
      const s = rh - p3;
      const sb3 = s - rh;
      rl = e1 + (rh - (s - sb3) - (p3 + sb3)) - k * 8.4784276603689e-32;
      rh = s;
      if (rh < 2 ** -56 && rh > -(2 ** -56)) return NaN;
    }
    n = cosine ? k + 1 : k;
  } else {
    reduce(ax);
    rh = DD[0];
    rl = DD[1];
    // next to a zero of sin/cos the reduction's absolute error matters: leave it to the careful path
    if (rh < 2 ** -25 && rh > -(2 ** -25)) return NaN;
    n = cosine ? QUADRANT + 1 : QUADRANT;
  }
  const negativeR = rh < 0;
  const ah = negativeR ? -rh : rh;
  const tl = negativeR ? -rl : rl;
  const wantSin = (n & 1) === 0;
  const negate = ((n & 2) !== 0) !== (wantSin && negativeR) !== (!cosine && x < 0);
  // a = ah + tl = j/256 + th + tl, j <= 202: the subtraction is exact (ah and j/256 are multiples of
  // ulp(ah), and |th| <= 1/512 <= ah for j >= 1)
  const j = Math.round(ah * 256);
  const th = ah - j / 256;
  // w = th^2, exactly w + wl (Dekker)
  const w = th * th;
  const split = 134217729 * th;
  const thHigh = split - (split - th);
  const thLow = th - thHigh;
  const wl = thHigh * thHigh - w + 2 * thHigh * thLow + thLow * thLow;
  // sin th - th (< 2^-29) and cos th - 1 + th^2/2 (< 2^-40) by Estrin's scheme; the first terms left
  // out are below 2^-99 and 2^-87
  const w2 = w * w;
  const sinPoly = th * w * (-1 / 6 + w * (1 / 120) + w2 * (-1 / 5040));
  const cosPoly = w2 * (1 / 24 + w * (-1 / 720));
  // sin(th + tl) = th + (tl + sinTail), cos(th + tl) = 1 + cosTail, to 2^-85; the small parts are
  // summed first, so that cosTail (< 2^-19) carries one rounding (< 2^-73)
  const sinTail = sinPoly - 0.5 * w * tl;
  const cosTail = -0.5 * w + (-0.5 * wl + cosPoly - tl * (th + sinPoly));
  // sin or cos of j/256 + t is A cos t + B sin t, (A, B) = (sin, cos)(j/256) for sin and
  // (cos, -sin)(j/256) for cos: A + B th + (A_l + B_l th + B (tl + sinTail) + A cosTail), B th exact
  // by Dekker's product, A + B th by Fast2Sum (|B th| <= |A| for j >= 1; A = 0 or B = 0 for j = 0).
  // The error: A cosTail (2^-72 A), the sum into rest (2^-53 |rest|, |rest| < 2^-18 A + 2^-29),
  // the rest below 2^-80; relative to the result (> A/2, and >= sin(1/512) for j >= 1) below 2^-69.
  const table = FAST_TRIG_TABLE;
  const base = 10 * j + (wantSin ? 0 : 2);
  const aHigh = table[base];
  const b26 = table[base + 6];
  const p = b26 * thHigh;
  const y = aHigh + p;
  const small = p - (y - aHigh) + table[base + 1] + (b26 * thLow + table[base + 7] * th);
  const rest = aHigh * cosTail + (small + table[base + 2] * (tl + sinTail));
  const result = y + rest;
  const resultLow = rest - (result - y);
  const e = 2 ** -67 * result;
  if (result + (resultLow + e) !== result || result + (resultLow - e) !== result) return NaN;
  return negate ? -result : result;
}

/**
 * For fastSinCos, j = 0..202: sin, cos and -sin of j/256 as double-doubles, then cos and -sin again
 * as a 26-bit part (its product with a 26-bit part of t is exact) and the rest (ten doubles per j).
 */
const FAST_TRIG_TABLE = new Float64Array(10 * 203);
{
  // from the j/64 table and i/256, i = 0..3, by the addition formulas (no cancellation: all terms >= 0)
  const fine: number[][] = [];
  for (let i = 0; i < 4; i++) {
    taylorSinCos(i / 256, 0, 19);
    fine.push([SC[0], SC[1], SC[2], SC[3]]);
  }
  for (let j = 0; j < 203; j++) {
    const [sh, sl, ch, cl] = fine[j & 3];
    const m = j >> 2;
    mulDD(SIN_TABLE_H[m], SIN_TABLE_L[m], ch, cl);
    const p1h = DD[0];
    const p1l = DD[1];
    mulDD(COS_TABLE_H[m], COS_TABLE_L[m], sh, sl);
    addDD(p1h, p1l, DD[0], DD[1]);
    const sinH = DD[0];
    const sinL = DD[1];
    mulDD(COS_TABLE_H[m], COS_TABLE_L[m], ch, cl);
    const q1h = DD[0];
    const q1l = DD[1];
    mulDD(SIN_TABLE_H[m], SIN_TABLE_L[m], sh, sl);
    addDD(q1h, q1l, -DD[0], -DD[1]);
    const cosH = DD[0];
    const cosL = DD[1];
    const cosSplit = SPLITTER * cosH;
    const cos26 = cosSplit - (cosSplit - cosH);
    const sinSplit = SPLITTER * sinH;
    const sin26 = sinSplit - (sinSplit - sinH);
    const cosRest = cosH - cos26 + cosL;
    const sinRest = sinH - sin26 + sinL;
    FAST_TRIG_TABLE.set([sinH, sinL, cosH, cosL, -sinH, -sinL, cos26, cosRest, -sin26, -sinRest], 10 * j);
  }
}

// fastSinCos's literal constants, checked against their exact derivation: 2/pi and pi/2 = P1 + P2 +
// P3 with P1 and P2 truncated to multiples of 2^-32 and 2^-65 (33 significant bits at most), and P3 =
// P3a + P3b with P3a truncated to a multiple of 2^-98.
{
  const unitBits = CONSTANT_BITS + 1n; // pi/2 = PI_FIXED / 2^unitBits
  const p1 = PI_FIXED >> (unitBits - 32n);
  const rest1 = PI_FIXED - (p1 << (unitBits - 32n));
  const p2 = rest1 >> (unitBits - 65n);
  const rest2 = rest1 - (p2 << (unitBits - 65n));
  const p3 = ratioToDoubles(rest2, 1n << unitBits, 1)[0];
  const p3a = rest2 >> (unitBits - 98n);
  const p3b = ratioToDoubles(rest2 - (p3a << (unitBits - 98n)), 1n << unitBits, 1)[0];
  if (
    p1 !== 6746518852n || p2 !== 2242054355n || p3 !== 2.0222662487959506e-21 || p3a !== 640881756n ||
    p3b !== 8.4784276603689e-32 || TWO_OVER_PI !== 0.6366197723675814
  ) {
    throw new Error('libm: the constants of fastSinCos disagree with their derivation');
  }
}

export function crSin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -26) return x;
  const fast = fastSinCos(x, false);
  if (fast === fast) return fast;
  reduce(x);
  sinCosReduced(DD[0], DD[1]);
  switch (QUADRANT) {
    case 0: return SC[0];
    case 1: return SC[2];
    case 2: return -SC[0];
    default: return -SC[2];
  }
}

export function crCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return 1;
  const fast = fastSinCos(x, true);
  if (fast === fast) return fast;
  reduce(x);
  sinCosReduced(DD[0], DD[1]);
  switch (QUADRANT) {
    case 0: return SC[2];
    case 1: return -SC[0];
    case 2: return -SC[2];
    default: return SC[0];
  }
}

export function crTan(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return x;
  reduce(x);
  sinCosReduced(DD[0], DD[1]);
  if (QUADRANT % 2 === 0) divDD(SC[0], SC[1], SC[2], SC[3]);
  else divDD(-SC[2], -SC[3], SC[0], SC[1]);
  return DD[0];
}

// ---- atan, atan2, asin, acos ----

/** atan(j/64) as double-double, j = 0..64: Newton on tan from Math.atan, at load time. */
const ATAN_TABLE_H = new Float64Array(65);
const ATAN_TABLE_L = new Float64Array(65);
{
  for (let j = 1; j <= 64; j++) {
    const c = j / 64;
    let yh = Math.atan(c);
    let yl = 0;
    for (let iteration = 0; iteration < 2; iteration++) {
      // y += (c - tan y) cos^2 y
      sinCosReduced(yh, yl);
      const sh = SC[0];
      const sl = SC[1];
      const ch = SC[2];
      const cl = SC[3];
      divDD(sh, sl, ch, cl);
      addDD(c, 0, -DD[0], -DD[1]);
      const dh = DD[0];
      const dl = DD[1];
      mulDD(ch, cl, ch, cl);
      mulDD(DD[0], DD[1], dh, dl);
      addDD(yh, yl, DD[0], DD[1]);
      yh = DD[0];
      yl = DD[1];
    }
    ATAN_TABLE_H[j] = yh;
    ATAN_TABLE_L[j] = yl;
  }
}

/** atan(x) for a double-double x >= 0, into DD[0]/DD[1]. */
function atanCore(xh: number, xl: number): void {
  if (xh > 1) {
    // atan x = pi/2 - atan(1/x)
    divDD(1, 0, xh, xl);
    atanCore(DD[0], DD[1]);
    addDD(PIO2_1, PIO2_2, -DD[0], -DD[1]);
    return;
  }
  const j = Math.round(xh * 64);
  const c = j / 64;
  // atan x = atan c + atan t, t = (x - c) / (1 + x c), |t| <= ~1/128
  let th = xh;
  let tl = xl;
  if (j > 0) {
    mulDD(xh, xl, c, 0);
    addDD(1, 0, DD[0], DD[1]);
    const dh = DD[0];
    const dl = DD[1];
    addDD(xh, xl, -c, 0);
    divDD(DD[0], DD[1], dh, dl);
    th = DD[0];
    tl = DD[1];
  }
  mulDD(th, tl, th, tl);
  const wh = DD[0];
  const wl = DD[1];
  // atan t = t (1 - w/3 + w^2/5 - w^3/7 + w^4 G), G = 1/9 - w/11 + w^2/13 - w^3/15 in doubles
  const g = ((-wh / 15 + 1 / 13) * wh - 1 / 11) * wh + 1 / 9;
  mulDD(g, 0, wh, wl);
  addDDFast(DD[0], DD[1], -ATAN_COEFF_H[3], -ATAN_COEFF_L[3]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], ATAN_COEFF_H[2], ATAN_COEFF_L[2]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], -ATAN_COEFF_H[1], -ATAN_COEFF_L[1]);
  mulDD(DD[0], DD[1], wh, wl);
  addDDFast(DD[0], DD[1], 1, 0);
  mulDD(DD[0], DD[1], th, tl);
  if (j > 0) addDD(ATAN_TABLE_H[j], ATAN_TABLE_L[j], DD[0], DD[1]);
}

/** 1/(2k+1) as double-double, k = 0..3. */
const ATAN_COEFF_H: number[] = [];
const ATAN_COEFF_L: number[] = [];
for (let k = 0n; k <= 3n; k++) {
  const [h, l] = ratioToDoubles(1n, 2n * k + 1n, 2);
  ATAN_COEFF_H.push(h);
  ATAN_COEFF_L.push(l);
}

export function crAtan(x: number): number {
  if (Number.isNaN(x)) return x;
  if (Math.abs(x) < 2 ** -27) return x;
  if (!Number.isFinite(x)) return x > 0 ? PIO2_1 : -PIO2_1;
  atanCore(Math.abs(x), 0);
  return x < 0 ? -DD[0] : DD[0];
}

/** atan2 for finite y != 0 and finite x (CPython handles the special values first). */
export function crAtan2(y: number, x: number): number {
  if (x === 0) return y > 0 ? PIO2_1 : -PIO2_1;
  const ay = Math.abs(y);
  const ax = Math.abs(x);
  if (ay <= ax) {
    divDD(ay, 0, ax, 0);
    atanCore(DD[0], DD[1]);
  } else {
    divDD(ax, 0, ay, 0);
    atanCore(DD[0], DD[1]);
    addDD(PIO2_1, PIO2_2, -DD[0], -DD[1]);
  }
  if (x < 0) addDD(2 * PIO2_1, 2 * PIO2_2, -DD[0], -DD[1]);
  return y < 0 ? -DD[0] : DD[0];
}

/** sqrt(1 - x^2) as double-double into DD[0]/DD[1], for |x| < 1. */
function sqrtOneMinusSquare(x: number): void {
  twoProd(x, x);
  addDD(1, 0, -DD[0], -DD[1]);
  const h = DD[0];
  const l = DD[1];
  const s = Math.sqrt(h);
  twoProd(s, s);
  // s + (h + l - s^2) / (2s)
  const residual = h - DD[0] - DD[1] + l;
  quickTwoSum(s, residual / (2 * s));
}

export function crAsin(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (Math.abs(x) === 1) return x > 0 ? PIO2_1 : -PIO2_1;
  if (Math.abs(x) < 2 ** -27) return x;
  sqrtOneMinusSquare(x);
  divDD(Math.abs(x), 0, DD[0], DD[1]);
  atanCore(DD[0], DD[1]);
  return x < 0 ? -DD[0] : DD[0];
}

export function crAcos(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (x === 1) return 0;
  if (x === -1) return 2 * PIO2_1;
  if (Math.abs(x) < 2 ** -60) return PIO2_1; // pi/2 - x rounds to pi/2
  sqrtOneMinusSquare(x);
  divDD(DD[0], DD[1], Math.abs(x), 0);
  atanCore(DD[0], DD[1]);
  if (x < 0) addDD(2 * PIO2_1, 2 * PIO2_2, -DD[0], -DD[1]);
  return DD[0];
}

/**
 * The double-double paths alone, without the fast paths: the tests check on many random inputs that
 * the fast paths never round differently.
 */
export const doubleDoubleOnly = {
  exp(x: number): number {
    expCore(x, 0);
    return roundScaled(DD[0], DD[1], EXP_SCALE);
  },
  log(x: number): number {
    logCore(x);
    return DD[0];
  },
  pow(x: number, y: number): number {
    logCore(x);
    mulDD(DD[0], DD[1], y, 0);
    const zh = DD[0];
    const zl = DD[1];
    if (zh > 709.8) return Infinity;
    if (zh < -745.2) return 0;
    expCore(zh, zl);
    return roundScaled(DD[0], DD[1], EXP_SCALE);
  },
  sinCos(x: number): [number, number] {
    reduce(x);
    sinCosReduced(DD[0], DD[1]);
    const [s, c] = [SC[0], SC[2]];
    return [
      [s, c, -s, -c][QUADRANT],
      [c, -s, -c, s][QUADRANT],
    ];
  },
};
