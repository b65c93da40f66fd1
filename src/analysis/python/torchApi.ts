// The parts of torch.optim's public API that the analysis needs to read a constructor call: class names,
// and the parameter names in positional order (recorded from `inspect.signature` on torch 2.13.0).
import { TRANSFORMERS_WILDCARD_EXPORTS } from './transformersApi';

/** Optimizer classes: positional parameter names after `params` (keyword-only ones omitted). */
export const OPTIMIZER_POSITIONAL: { [type: string]: string[] } = {
  SGD: ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'],
  Adam: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  AdamW: ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  RMSprop: ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'capturable', 'foreach', 'maximize', 'differentiable'],
  Adagrad: ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'foreach'],
  Adamax: ['lr', 'betas', 'eps', 'weight_decay', 'foreach'],
  NAdam: ['lr', 'betas', 'eps', 'weight_decay', 'momentum_decay', 'decoupled_weight_decay'],
  RAdam: ['lr', 'betas', 'eps', 'weight_decay', 'decoupled_weight_decay'],
  Rprop: ['lr', 'etas', 'step_sizes'],
  ASGD: ['lr', 'lambd', 'alpha', 't0', 'weight_decay', 'foreach', 'maximize', 'differentiable', 'capturable'],
  Adadelta: ['lr', 'rho', 'eps', 'weight_decay', 'foreach'],
  SparseAdam: ['lr', 'betas', 'eps', 'maximize'],
  LBFGS: ['lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn'],
};

/**
 * Optimizer keyword arguments a schedule can depend on (the lr, what OneCycleLR/CyclicLR cycle, and what
 * torch validates together with them). Others (weight_decay, eps, foreach, …) are left out of the case
 * when they cannot be resolved, since they cannot change a learning rate.
 */
export const SCHEDULE_RELEVANT_OPTIMIZER_KWARGS = new Set(['lr', 'momentum', 'betas', 'nesterov', 'dampening']);

/** Scheduler classes (torch.optim.lr_scheduler, plus swa_utils.SWALR): all parameters in positional order. */
export const SCHEDULER_POSITIONAL: { [type: string]: string[] } = {
  LambdaLR: ['optimizer', 'lr_lambda', 'last_epoch'],
  MultiplicativeLR: ['optimizer', 'lr_lambda', 'last_epoch'],
  StepLR: ['optimizer', 'step_size', 'gamma', 'last_epoch'],
  MultiStepLR: ['optimizer', 'milestones', 'gamma', 'last_epoch'],
  ConstantLR: ['optimizer', 'factor', 'total_iters', 'last_epoch'],
  LinearLR: ['optimizer', 'start_factor', 'end_factor', 'total_iters', 'last_epoch'],
  ExponentialLR: ['optimizer', 'gamma', 'last_epoch'],
  SequentialLR: ['optimizer', 'schedulers', 'milestones', 'last_epoch'],
  CosineAnnealingLR: ['optimizer', 'T_max', 'eta_min', 'last_epoch'],
  ChainedScheduler: ['schedulers', 'optimizer'],
  ReduceLROnPlateau: ['optimizer', 'mode', 'factor', 'patience', 'threshold', 'threshold_mode', 'cooldown', 'min_lr', 'eps'],
  CyclicLR: [
    'optimizer', 'base_lr', 'max_lr', 'step_size_up', 'step_size_down', 'mode', 'gamma', 'scale_fn', 'scale_mode',
    'cycle_momentum', 'base_momentum', 'max_momentum', 'last_epoch',
  ],
  CosineAnnealingWarmRestarts: ['optimizer', 'T_0', 'T_mult', 'eta_min', 'last_epoch'],
  OneCycleLR: [
    'optimizer', 'max_lr', 'total_steps', 'epochs', 'steps_per_epoch', 'pct_start', 'anneal_strategy', 'cycle_momentum',
    'base_momentum', 'max_momentum', 'div_factor', 'final_div_factor', 'three_phase', 'last_epoch',
  ],
  PolynomialLR: ['optimizer', 'total_iters', 'power', 'last_epoch'],
  SWALR: ['optimizer', 'swa_lr', 'anneal_epochs', 'anneal_strategy', 'last_epoch'],
};

export const COMPOSITE_SCHEDULERS = new Set(['SequentialLR', 'ChainedScheduler']);

/** Arguments holding Python functions, passed to the engine as source text. */
export const FUNCTION_ARGUMENTS = new Set(['lr_lambda', 'scale_fn']);

export const OPTIMIZER_MODULE = 'torch.optim';
export const SCHEDULER_MODULES = ['torch.optim.lr_scheduler', 'torch.optim.swa_utils'];

/** What `from MODULE import *` binds, for the torch modules that matter here (and transformers' schedules). */
export const WILDCARD_EXPORTS: { [module: string]: string[] } = {
  'torch.optim': [...Object.keys(OPTIMIZER_POSITIONAL), 'lr_scheduler', 'swa_utils'],
  'torch.optim.lr_scheduler': [...Object.keys(SCHEDULER_POSITIONAL).filter((name) => name !== 'SWALR'), 'LRScheduler'],
  'torch.optim.swa_utils': ['SWALR', 'AveragedModel'],
  ...TRANSFORMERS_WILDCARD_EXPORTS,
};
