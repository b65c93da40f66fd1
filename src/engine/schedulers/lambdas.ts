// lr_lambda / scale_fn as torch holds them: one callable per param group, called with an epoch.
import { typeError, valueError } from '../errors';
import type { Optimizer } from '../optimizers/Optimizer';
import { Float, pyTypeName } from '../python/values';

/** A Python callable of one number; the engine compiles Python source into one of these. */
export type LrLambda = (epoch: number | Float) => number;

/** LambdaLR / MultiplicativeLR: a single lambda is shared by every group; a list needs one per group. */
export function lambdasPerGroup(optimizer: Optimizer, lrLambda: unknown): unknown[] {
  const groupCount = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return new Array(groupCount).fill(lrLambda);
  if (lrLambda.length !== groupCount) throw valueError(`Expected ${groupCount} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/** Calls what the user passed, raising Python's TypeError when it is not callable. */
export function callLambda(fn: unknown, epoch: number | Float): number {
  if (typeof fn !== 'function') throw typeError(`'${pyTypeName(fn)}' object is not callable`);
  return (fn as LrLambda)(epoch);
}
