// The schedulers torch.optim.lr_scheduler (and swa_utils) define, by torch's class name.
export { ChainedScheduler } from './ChainedScheduler';
export { ConstantLR } from './ConstantLR';
export { CosineAnnealingLR } from './CosineAnnealingLR';
export { CosineAnnealingWarmRestarts } from './CosineAnnealingWarmRestarts';
export { CyclicLR } from './CyclicLR';
export { ExponentialLR } from './ExponentialLR';
export { LambdaLR } from './LambdaLR';
export { LinearLR } from './LinearLR';
export { LRScheduler } from './LRScheduler';
export { MultiplicativeLR } from './MultiplicativeLR';
export { MultiStepLR } from './MultiStepLR';
export { OneCycleLR } from './OneCycleLR';
export { PolynomialLR } from './PolynomialLR';
export { ReduceLROnPlateau } from './ReduceLROnPlateau';
export { SequentialLR } from './SequentialLR';
export { StepLR } from './StepLR';
export { SWALR } from './SWALR';
export type { LrLambda } from './lambdas';
