// Correctly-rounded exp, log, pow, sin, cos, tan and log2 for doubles.
//
// CPython calls the platform libm; on Linux that is glibc, whose exp/log/pow/sin/cos are accurate to
// about 0.52 ulp, so they return the correctly-rounded result in all but roughly 1 case in 1,000.
// JS's Math.* (fdlibm ports) are off by an ulp far more often (3-8 % for cos and pow), which changes
// schedules in their last bits. Here every function is evaluated in double-double arithmetic
// (~100 bits) and rounded once, so the result is the correctly-rounded double.
//
// Double-double helpers leave their result in the registers HI/LO to avoid allocating.

import { pow2, ratioToDoubles, scaleByPowerOfTwo } from './exact';

let HI = 0;
let LO = 0;

const SPLITTER = 134217729; // 2^27 + 1 (Dekker split)

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  HI = p;
  LO = ah * bh - p + ah * bl + al * bh + al * bl;
}

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  HI = s;
  LO = a - (s - bb) + (b - bb);
}

function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  HI = s;
  LO = b - (s - a);
}

function mulDD(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  quickTwoSum(HI, LO + (ah * bl + al * bh));
}

function addDD(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s1 = HI;
  const s2 = LO;
  twoSum(al, bl);
  const t2 = LO;
  quickTwoSum(s1, s2 + HI);
  quickTwoSum(HI, LO + t2);
}

/** a + b when no cancellation can occur (|b| well below |a| or same signs): fewer operations. */
function addDDFast(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  quickTwoSum(HI, LO + al + bl);
}

function divDD(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  mulDD(bh, bl, q1, 0);
  addDD(ah, al, -HI, -LO);
  const rh = HI;
  const rl = LO;
  const q2 = rh / bh;
  mulDD(bh, bl, q2, 0);
  addDD(rh, rl, -HI, -LO);
  const q3 = HI / bh;
  quickTwoSum(q1, q2);
  addDD(HI, LO, q3, 0);
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
    taylorExp(HI, LO, 32);
    coarseH.push(HI);
    coarseL.push(LO);
    mulDD(LN2_N_1, LN2_N_2, i, 0);
    taylorExp(HI, LO, 16);
    fineH.push(HI);
    fineL.push(LO);
  }
  for (let j = 0; j < 1024; j++) {
    mulDD(coarseH[j >> 5], coarseL[j >> 5], fineH[j & 31], fineL[j & 31]);
    EXP_TABLE_H[j] = HI;
    EXP_TABLE_L[j] = LO;
  }
}

/** exp(rh + rl) by its Taylor series to degree n, in double-double (used where |r| < 1). */
function taylorExp(rh: number, rl: number, n: number): void {
  let ph = INV_FACT_H[n];
  let pl = INV_FACT_L[n];
  for (let i = n - 1; i >= 0; i--) {
    mulDD(ph, pl, rh, rl);
    addDD(HI, LO, INV_FACT_H[i], INV_FACT_L[i]);
    ph = HI;
    pl = LO;
  }
}

let EXP_SCALE = 0;

/** exp(xh + xl) = 2^EXP_SCALE * (HI + LO), for |xh| < 2^20 * ln2 / 1024. */
function expCore(xh: number, xl: number): void {
  const n = Math.round(xh * INV_LN2_X1024);
  const j = n & 1023;
  EXP_SCALE = (n - j) / 1024;
  // r = x - n ln2/1024, with ln2/1024 as three doubles so that r keeps ~106 good bits.
  twoProd(n, LN2_N_1);
  addDD(xh, xl, -HI, -LO);
  const r1h = HI;
  const r1l = LO;
  twoProd(n, LN2_N_2);
  addDD(r1h, r1l, -HI, -LO - n * LN2_N_3);
  const rh = HI;
  const rl = LO;
  // |r| <= ln2/2048 < 2^-11.5: from r^4 on the terms are below 2^-50, so plain doubles suffice.
  const q = rh * ((((rh * INV_FACT_H[8] + INV_FACT_H[7]) * rh + INV_FACT_H[6]) * rh + INV_FACT_H[5]) * rh + INV_FACT_H[4]);
  let ph = q;
  let pl = 0;
  for (let i = 3; i >= 0; i--) {
    mulDD(ph, pl, rh, rl);
    addDDFast(HI, LO, INV_FACT_H[i], INV_FACT_L[i]);
    ph = HI;
    pl = LO;
  }
  mulDD(EXP_TABLE_H[j], EXP_TABLE_L[j], ph, pl);
}

/** Rounds (HI + LO) * 2^scale to the nearest double, ties to even, subnormals included. */
function roundScaled(hi: number, lo: number, scale: number): number {
  if (scale > -1020) return scaleByPowerOfTwo(hi, scale); // hi is already fl(hi + lo)
  // The result may be subnormal: round (hi + lo) * 2^(scale + 1074) to an integer count of 2^-1074.
  const shift = scale + 1074;
  if (shift < -2) return 0;
  const a = scaleByPowerOfTwo(hi, shift);
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
  expCore(x, 0);
  return roundScaled(HI, LO, EXP_SCALE);
}

// ---- log ----

const SQRT_HALF_BOUND = Math.SQRT2;

/** log(x) for finite x > 0, as double-double in HI/LO. */
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
    divDD(f, 0, HI, LO);
    const sh = HI;
    const sl = LO;
    mulDD(sh, sl, sh, sl);
    const wh = HI;
    const wl = LO;
    let q = 2 / 25;
    for (let k = 11; k >= 4; k--) q = q * wh + 2 / (2 * k + 1);
    // q = sum_{k>=4} 2/(2k+1) w^(k-4); the first terms in double-double
    let ph = q;
    let pl = 0;
    for (let k = 3; k >= 1; k--) {
      mulDD(ph, pl, wh, wl);
      addDDFast(HI, LO, ATANH_COEFF_H[k], ATANH_COEFF_L[k]);
      ph = HI;
      pl = LO;
    }
    // log(m) = 2s + s * w * P(w)
    mulDD(ph, pl, wh, wl);
    mulDD(HI, LO, sh, sl);
    addDD(HI, LO, 2 * sh, 2 * sl);
    yh = HI;
    yl = LO;
  } else {
    // One Newton step on exp from a double estimate: log m = y0 + log(m e^-y0).
    const y0 = Math.log(m);
    expCore(-y0, 0);
    const scale = pow2(EXP_SCALE);
    const eh = HI * scale;
    const el = LO * scale;
    mulDD(eh, el, m, 0);
    addDD(HI, LO, -1, 0);
    const th = HI;
    const tl = LO;
    addDD(y0, 0, th, tl - (th * th) / 2);
    yh = HI;
    yl = LO;
  }
  if (exponent === 0) {
    HI = yh;
    LO = yl;
    return;
  }
  twoProd(exponent, LN2_H);
  addDD(HI, LO + exponent * LN2_L, yh, yl);
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
  logCore(x);
  return HI;
}

export function crLog2(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  logCore(x);
  mulDD(HI, LO, INV_LN2_H, INV_LN2_L);
  return HI;
}

// ---- pow ----

/** x ** y for finite x > 0, x != 1, finite y != 0 (the case CPython hands to the libm). */
export function crPow(x: number, y: number): number {
  logCore(x);
  mulDD(HI, LO, y, 0);
  const zh = HI;
  const zl = LO;
  if (zh > 709.8) return Infinity;
  if (zh < -745.2) return 0;
  expCore(zh, zl);
  return roundScaled(HI, LO, EXP_SCALE);
}

// ---- sin, cos, tan ----

let SIN_H = 0;
let SIN_L = 0;
let COS_H = 0;
let COS_L = 0;

/** sin(j/64), cos(j/64) as double-double, j = 0..52 (covers |r| <= pi/4). */
const SIN_TABLE_H = new Float64Array(53);
const SIN_TABLE_L = new Float64Array(53);
const COS_TABLE_H = new Float64Array(53);
const COS_TABLE_L = new Float64Array(53);
{
  for (let j = 0; j < 53; j++) {
    taylorSinCos(j / 64, 0, 19);
    SIN_TABLE_H[j] = SIN_H;
    SIN_TABLE_L[j] = SIN_L;
    COS_TABLE_H[j] = COS_H;
    COS_TABLE_L[j] = COS_L;
  }
}

/** sin and cos of t by Taylor series to degree 2n+1 in double-double. */
function taylorSinCos(th: number, tl: number, n: number): void {
  mulDD(th, tl, th, tl);
  const wh = HI;
  const wl = LO;
  // sin t = t * sum (-1)^k w^k / (2k+1)!, cos t = sum (-1)^k w^k / (2k)!
  let sh = 0;
  let sl = 0;
  let ch = 0;
  let cl = 0;
  for (let k = n; k >= 0; k--) {
    const sign = k % 2 === 0 ? 1 : -1;
    mulDD(sh, sl, wh, wl);
    addDD(HI, LO, sign * INV_FACT_H[2 * k + 1], sign * INV_FACT_L[2 * k + 1]);
    sh = HI;
    sl = LO;
    mulDD(ch, cl, wh, wl);
    addDD(HI, LO, sign * INV_FACT_H[2 * k], sign * INV_FACT_L[2 * k]);
    ch = HI;
    cl = LO;
  }
  mulDD(sh, sl, th, tl);
  SIN_H = HI;
  SIN_L = LO;
  COS_H = ch;
  COS_L = cl;
}

let QUADRANT = 0;

/** Reduces x to r = x - k pi/2 (|r| <= ~pi/4) in HI/LO, with k mod 4 in QUADRANT. */
function reduce(x: number): void {
  if (Math.abs(x) <= Math.PI / 4) {
    QUADRANT = 0;
    HI = x;
    LO = 0;
    return;
  }
  if (Math.abs(x) < 2 ** 26) {
    const k = Math.round(x * TWO_OVER_PI);
    QUADRANT = k & 3;
    twoProd(k, PIO2_1);
    addDD(x, 0, -HI, -LO);
    const r1h = HI;
    const r1l = LO;
    twoProd(k, PIO2_2);
    addDD(r1h, r1l, -HI, -LO - k * PIO2_3);
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
    HI = -HI;
    LO = -LO;
    QUADRANT = (4 - quadrant) & 3;
  } else {
    QUADRANT = quadrant;
  }
}

/** sin and cos of r (HI/LO, |r| <= ~pi/4) into SIN_*, COS_*. */
function sinCosReduced(rh: number, rl: number): void {
  const j = Math.round(Math.abs(rh) * 64);
  if (j === 0) {
    sinCosSmall(rh, rl);
    return;
  }
  const sign = rh < 0 ? -1 : 1;
  twoSum(Math.abs(rh) - j / 64, sign * rl); // the subtraction is exact
  sinCosSmall(HI, LO);
  const st = SIN_H;
  const stl = SIN_L;
  const ct = COS_H;
  const ctl = COS_L;
  // sin(a + t) = sin a cos t + cos a sin t; cos(a + t) = cos a cos t - sin a sin t
  mulDD(SIN_TABLE_H[j], SIN_TABLE_L[j], ct, ctl);
  const p1h = HI;
  const p1l = LO;
  mulDD(COS_TABLE_H[j], COS_TABLE_L[j], st, stl);
  addDD(p1h, p1l, HI, LO);
  const sinH = HI * sign;
  const sinL = LO * sign;
  mulDD(COS_TABLE_H[j], COS_TABLE_L[j], ct, ctl);
  const q1h = HI;
  const q1l = LO;
  mulDD(SIN_TABLE_H[j], SIN_TABLE_L[j], st, stl);
  addDD(q1h, q1l, -HI, -LO);
  COS_H = HI;
  COS_L = LO;
  SIN_H = sinH;
  SIN_L = sinL;
}

/** sin and cos of |t| <= 1/128 (double-double), terms below 2^-53 relative in plain doubles. */
function sinCosSmall(th: number, tl: number): void {
  mulDD(th, tl, th, tl);
  const wh = HI;
  const wl = LO;
  // sin t = t (1 - w/3! + w^2/5! + w^3 D), D = -1/7! + w/9! - w^2/11! + w^3/13! in plain doubles.
  const d = ((INV_FACT_H[13] * wh - INV_FACT_H[11]) * wh + INV_FACT_H[9]) * wh - INV_FACT_H[7];
  mulDD(d, 0, wh, wl);
  addDDFast(HI, LO, INV_FACT_H[5], INV_FACT_L[5]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, -INV_FACT_H[3], -INV_FACT_L[3]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, 1, 0);
  mulDD(HI, LO, th, tl);
  const sinH = HI;
  const sinL = LO;
  // cos t = 1 - w/2! + w^2/4! - w^3/6! + w^4 E, E = 1/8! - w/10! + w^2/12! - w^3/14! in doubles.
  const e = ((-INV_FACT_H[14] * wh + INV_FACT_H[12]) * wh - INV_FACT_H[10]) * wh + INV_FACT_H[8];
  mulDD(e, 0, wh, wl);
  addDDFast(HI, LO, -INV_FACT_H[6], -INV_FACT_L[6]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, INV_FACT_H[4], INV_FACT_L[4]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, -INV_FACT_H[2], -INV_FACT_L[2]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, 1, 0);
  COS_H = HI;
  COS_L = LO;
  SIN_H = sinH;
  SIN_L = sinL;
}

export function crSin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -26) return x;
  reduce(x);
  sinCosReduced(HI, LO);
  switch (QUADRANT) {
    case 0: return SIN_H;
    case 1: return COS_H;
    case 2: return -SIN_H;
    default: return -COS_H;
  }
}

export function crCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return 1;
  reduce(x);
  sinCosReduced(HI, LO);
  switch (QUADRANT) {
    case 0: return COS_H;
    case 1: return -SIN_H;
    case 2: return -COS_H;
    default: return SIN_H;
  }
}

export function crTan(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) < 2 ** -27) return x;
  reduce(x);
  sinCosReduced(HI, LO);
  if (QUADRANT % 2 === 0) divDD(SIN_H, SIN_L, COS_H, COS_L);
  else divDD(-COS_H, -COS_L, SIN_H, SIN_L);
  return HI;
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
      const sh = SIN_H;
      const sl = SIN_L;
      const ch = COS_H;
      const cl = COS_L;
      divDD(sh, sl, ch, cl);
      addDD(c, 0, -HI, -LO);
      const dh = HI;
      const dl = LO;
      mulDD(ch, cl, ch, cl);
      mulDD(HI, LO, dh, dl);
      addDD(yh, yl, HI, LO);
      yh = HI;
      yl = LO;
    }
    ATAN_TABLE_H[j] = yh;
    ATAN_TABLE_L[j] = yl;
  }
}

/** atan(x) for a double-double x >= 0, into HI/LO. */
function atanCore(xh: number, xl: number): void {
  if (xh > 1) {
    // atan x = pi/2 - atan(1/x)
    divDD(1, 0, xh, xl);
    atanCore(HI, LO);
    addDD(PIO2_1, PIO2_2, -HI, -LO);
    return;
  }
  const j = Math.round(xh * 64);
  const c = j / 64;
  // atan x = atan c + atan t, t = (x - c) / (1 + x c), |t| <= ~1/128
  let th = xh;
  let tl = xl;
  if (j > 0) {
    mulDD(xh, xl, c, 0);
    addDD(1, 0, HI, LO);
    const dh = HI;
    const dl = LO;
    addDD(xh, xl, -c, 0);
    divDD(HI, LO, dh, dl);
    th = HI;
    tl = LO;
  }
  mulDD(th, tl, th, tl);
  const wh = HI;
  const wl = LO;
  // atan t = t (1 - w/3 + w^2/5 - w^3/7 + w^4 G), G = 1/9 - w/11 + w^2/13 - w^3/15 in doubles
  const g = ((-wh / 15 + 1 / 13) * wh - 1 / 11) * wh + 1 / 9;
  mulDD(g, 0, wh, wl);
  addDDFast(HI, LO, -ATAN_COEFF_H[3], -ATAN_COEFF_L[3]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, ATAN_COEFF_H[2], ATAN_COEFF_L[2]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, -ATAN_COEFF_H[1], -ATAN_COEFF_L[1]);
  mulDD(HI, LO, wh, wl);
  addDDFast(HI, LO, 1, 0);
  mulDD(HI, LO, th, tl);
  if (j > 0) addDD(ATAN_TABLE_H[j], ATAN_TABLE_L[j], HI, LO);
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
  return x < 0 ? -HI : HI;
}

/** atan2 for finite y != 0 and finite x (CPython handles the special values first). */
export function crAtan2(y: number, x: number): number {
  if (x === 0) return y > 0 ? PIO2_1 : -PIO2_1;
  const ay = Math.abs(y);
  const ax = Math.abs(x);
  if (ay <= ax) {
    divDD(ay, 0, ax, 0);
    atanCore(HI, LO);
  } else {
    divDD(ax, 0, ay, 0);
    atanCore(HI, LO);
    addDD(PIO2_1, PIO2_2, -HI, -LO);
  }
  if (x < 0) addDD(2 * PIO2_1, 2 * PIO2_2, -HI, -LO);
  return y < 0 ? -HI : HI;
}

/** sqrt(1 - x^2) as double-double into HI/LO, for |x| < 1. */
function sqrtOneMinusSquare(x: number): void {
  twoProd(x, x);
  addDD(1, 0, -HI, -LO);
  const h = HI;
  const l = LO;
  const s = Math.sqrt(h);
  twoProd(s, s);
  // s + (h + l - s^2) / (2s)
  const residual = h - HI - LO + l;
  quickTwoSum(s, residual / (2 * s));
}

export function crAsin(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (Math.abs(x) === 1) return x > 0 ? PIO2_1 : -PIO2_1;
  if (Math.abs(x) < 2 ** -27) return x;
  sqrtOneMinusSquare(x);
  divDD(Math.abs(x), 0, HI, LO);
  atanCore(HI, LO);
  return x < 0 ? -HI : HI;
}

export function crAcos(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (x === 1) return 0;
  if (x === -1) return 2 * PIO2_1;
  if (Math.abs(x) < 2 ** -60) return PIO2_1; // pi/2 - x rounds to pi/2
  sqrtOneMinusSquare(x);
  divDD(HI, LO, Math.abs(x), 0);
  atanCore(HI, LO);
  if (x < 0) addDD(2 * PIO2_1, 2 * PIO2_2, -HI, -LO);
  return HI;
}
