// The optimizers torch.optim defines, by torch's class name.
import { Adadelta } from './Adadelta';
import { Adagrad } from './Adagrad';
import { Adam } from './Adam';
import { Adamax } from './Adamax';
import { AdamW } from './AdamW';
import { ASGD } from './ASGD';
import { LBFGS } from './LBFGS';
import { NAdam } from './NAdam';
import { Optimizer, ParamGroupInit } from './Optimizer';
import { RAdam } from './RAdam';
import { RMSprop } from './RMSprop';
import { Rprop } from './Rprop';
import { SGD } from './SGD';
import { SparseAdam } from './SparseAdam';
import type { Signature } from '../signature';

export { Adadelta, Adagrad, Adam, Adamax, AdamW, ASGD, LBFGS, NAdam, Optimizer, RAdam, RMSprop, Rprop, SGD, SparseAdam };
export type { ParamGroup, ParamGroupInit } from './Optimizer';

export interface OptimizerClass {
  new (params: ParamGroupInit[], options: never): Optimizer;
  readonly signature: Signature;
}

export const OPTIMIZERS: Record<string, OptimizerClass> = {
  SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, NAdam, RAdam, Rprop, ASGD, Adadelta, SparseAdam, LBFGS,
};
