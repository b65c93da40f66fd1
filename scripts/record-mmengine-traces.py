#!/usr/bin/env python3
"""Records reference traces of mmengine's parameter schedulers, driven the way mmengine trains.

Usage: scripts/record-mmengine-traces.py MMENGINE_SRC [--commit SHA]
MMENGINE_SRC is a folder holding mmengine's source tree (its `mmengine/` package folder), e.g. extracted
from a clone with `git archive`; scripts/record-mmengine-traces.sh does that and runs this with the
frameworks venv's torch. Nothing of mmengine is committed here.

Each case of test/reference/frameworks/mmengine-cases.json is the `simulate` contract's case with the
scheduler {"type": "mmengine.param_scheduler", "kwargs": {"param_scheduler": [dict, ...] (the config's
list, or one dict), "train_cfg": {...}, "epoch_length": len(train_dataloader)}}; `steps` iterations are
run and `metrics[j]` is the monitored value at the j-th validation. The result goes to
test/reference/frameworks/mmengine-traces.json, one result per line: row 0 after the schedulers are
built, row k after training iteration k and the hooks that follow it (the iteration hook; at an epoch's
end the epoch hook, then validation). A row holds every group's lr, `last_lr: [null]` (one framework
column without get_last_lr), and momentum / betas where every group has them, as torch_simulate does.

What runs is mmengine's own code, unchanged:
  mmengine/optim/scheduler/{param_scheduler,lr_scheduler,momentum_scheduler}.py  every scheduler class
  mmengine/optim/optimizer/base.py     BaseOptimWrapper (its param_groups add a base-settings group when
                                       the optimizer has several groups, and the schedulers step it too)
  mmengine/hooks/{hook,param_scheduler_hook}.py  ParamSchedulerHook: after_train_iter steps the
                                       iteration-based schedulers, after_train_epoch the epoch-based
                                       ones, after_val_epoch(metrics) ReduceOnPlateau*
  mmengine/utils/misc.py               is_list_of and is_method_overridden, which the hook modules import
Stubbed, because mmengine's package __init__ files import what cannot be installed here (addict, yapf,
rich, termcolor, ...) and these pieces do not change any value:
  - the packages mmengine, mmengine.optim, mmengine.optim.optimizer, mmengine.optim.scheduler,
    mmengine.hooks, mmengine.utils are bare module objects whose __path__ is the source folder (their
    __init__.py never runs); the few names imported from them are set to the real objects above;
  - mmengine.registry: PARAM_SCHEDULERS and HOOKS, whose register_module() returns the class
    unchanged and keeps it by its name (the registry lookup of `type`);
  - mmengine.logging.print_log: does nothing (the schedulers print only with verbose=True);
  - OptimWrapper: a BaseOptimWrapper subclass whose abstract methods do nothing, except step(),
    which calls the optimizer's step() (what the schedulers' step counter wraps).
Re-stated from mmengine, because their modules need the Config/Registry/Runner machinery:
  - Runner.build_train_loop: train_cfg's `type` (EpochBasedTrainLoop / IterBasedTrainLoop) or, without
    it, `by_epoch`; the loops' max_epochs / max_iters (max_iters = max_epochs * epoch_length, and an
    iteration-based loop counts as 1 epoch), val_begin and val_interval defaults;
  - Runner._build_param_scheduler: a dict's `end` defaults to max_epochs (by_epoch) or max_iters;
  - build_scheduler_from_cfg: `convert_to_iter_based` builds with cls.build_iter_from_epoch(**args),
    otherwise cls(**args) without `epoch_length`; the optimizer is passed as `optimizer=`;
  - EpochBasedTrainLoop.run / IterBasedTrainLoop.run: the order of the hook calls and validations.
"""

import argparse
import hashlib
import importlib
import importlib.util
import json
import os
import sys
import types
import warnings
from importlib.metadata import version

warnings.simplefilter("ignore")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_simulate import InputError, build_optimizer, error_of, number, write_results  # noqa: E402  (the torch oracle's helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "test", "reference", "frameworks", "mmengine-cases.json")
TRACES = os.path.join(ROOT, "test", "reference", "frameworks", "mmengine-traces.json")


class Registry:
    """Stub of mmengine.registry.Registry: register_module() keeps the class by name, unchanged."""

    def __init__(self, name):
        self.name = name
        self.classes = {}

    def register_module(self):
        def register(cls):
            self.classes[cls.__name__] = cls
            return cls

        return register


def bare_package(name, folder):
    module = types.ModuleType(name)
    module.__path__ = [folder]
    sys.modules[name] = module
    return module


def load_mmengine(source):
    """mmengine's scheduler, optimizer-wrapper base and hook modules, without its package __init__ files."""
    root = os.path.join(source, "mmengine")
    if not os.path.isfile(os.path.join(root, "optim", "scheduler", "param_scheduler.py")):
        raise SystemExit(f"{source} holds no mmengine source tree (mmengine/optim/scheduler/param_scheduler.py)")
    mmengine = bare_package("mmengine", root)
    optim = bare_package("mmengine.optim", os.path.join(root, "optim"))
    bare_package("mmengine.optim.optimizer", os.path.join(root, "optim", "optimizer"))
    bare_package("mmengine.optim.scheduler", os.path.join(root, "optim", "scheduler"))
    bare_package("mmengine.hooks", os.path.join(root, "hooks"))
    utils = bare_package("mmengine.utils", os.path.join(root, "utils"))

    registry = types.ModuleType("mmengine.registry")
    registry.PARAM_SCHEDULERS = Registry("parameter scheduler")
    registry.HOOKS = Registry("hook")
    sys.modules["mmengine.registry"] = registry
    logging_stub = types.ModuleType("mmengine.logging")
    logging_stub.print_log = lambda *args, **kwargs: None
    sys.modules["mmengine.logging"] = logging_stub

    misc = importlib.import_module("mmengine.utils.misc")
    utils.is_list_of = misc.is_list_of
    mmengine.is_method_overridden = misc.is_method_overridden
    optim.BaseOptimWrapper = importlib.import_module("mmengine.optim.optimizer.base").BaseOptimWrapper
    param_scheduler = importlib.import_module("mmengine.optim.scheduler.param_scheduler")
    optim._ParamScheduler = param_scheduler._ParamScheduler
    importlib.import_module("mmengine.optim.scheduler.lr_scheduler")
    importlib.import_module("mmengine.optim.scheduler.momentum_scheduler")
    hook = importlib.import_module("mmengine.hooks.param_scheduler_hook").ParamSchedulerHook()

    spec = importlib.util.spec_from_file_location("mmengine_version", os.path.join(root, "version.py"))
    version_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(version_module)

    class OptimWrapper(optim.BaseOptimWrapper):
        def update_params(self, *args, **kwargs):
            pass

        def backward(self, loss, **kwargs):
            pass

        def zero_grad(self, **kwargs):
            pass

        def step(self, **kwargs):
            self.optimizer.step()

    return registry.PARAM_SCHEDULERS.classes, hook, OptimWrapper, version_module.__version__


class TrainLoop:
    """What the schedulers see of Runner.build_train_loop's loop: its kind, length and validations."""

    def __init__(self, train_cfg, epoch_length):
        cfg = dict(train_cfg)
        if "type" in cfg and "by_epoch" in cfg:
            raise RuntimeError("Only one of `type` or `by_epoch` can exist in `loop_cfg`.")
        kind = cfg.pop("type", None)
        if kind is None:
            kind = "EpochBasedTrainLoop" if cfg.pop("by_epoch") else "IterBasedTrainLoop"
        self.by_epoch = kind == "EpochBasedTrainLoop"
        if kind not in ("EpochBasedTrainLoop", "IterBasedTrainLoop"):
            raise InputError(f"unknown train loop {kind!r}")
        if self.by_epoch:
            self.max_epochs = int(cfg["max_epochs"])
            self.max_iters = self.max_epochs * epoch_length
        else:
            self.max_iters = int(cfg["max_iters"])
            self.max_epochs = 1
        self.val_begin = cfg.get("val_begin", 1)
        self.val_interval = cfg.get("val_interval", 1 if self.by_epoch else 1000)
        self.epoch_length = epoch_length

    def validates_after(self, count):
        """EpochBasedTrainLoop: after epoch `count`; IterBasedTrainLoop: after iteration `count`."""
        last = self.max_epochs if self.by_epoch else self.max_iters
        return count >= self.val_begin and (count % self.val_interval == 0 or count == last)


def build_schedulers(classes, spec_list, loop, wrapper, epoch_length):
    """Runner._build_param_scheduler and build_scheduler_from_cfg, for a list of dicts."""
    schedulers = []
    for raw in spec_list if isinstance(spec_list, list) else [spec_list]:
        args = dict(raw)
        args.setdefault("end", loop.max_epochs if args.get("by_epoch", True) else loop.max_iters)
        args.setdefault("optimizer", wrapper)
        args.setdefault("epoch_length", epoch_length)
        if args.pop("convert_to_iter_based", False):
            cls = classes[args.pop("type")]
            assert "epoch_length" in args and args.get("by_epoch", True), (
                "Only epoch-based parameter scheduler can be converted to "
                "iter-based, and `epoch_length` should be set"
            )
            schedulers.append(cls.build_iter_from_epoch(**args))
        else:
            args.pop("epoch_length", None)
            cls = classes[args.pop("type")]
            schedulers.append(cls(**args))
    return schedulers


def row(step, optimizer):
    groups = optimizer.param_groups
    result = {"step": step, "lr": [number(g["lr"]) for g in groups], "last_lr": [None]}
    if all("momentum" in g for g in groups):
        result["momentum"] = [number(g["momentum"]) for g in groups]
    if all("betas" in g for g in groups):
        result["betas"] = [[number(b) for b in g["betas"]] for g in groups]
    return result


def run(case, mm):
    classes, hook, OptimWrapper, _ = mm
    kwargs = case["scheduler"]["kwargs"]
    epoch_length = kwargs["epoch_length"]
    loop = TrainLoop(kwargs["train_cfg"], epoch_length)
    if case["steps"] > loop.max_iters:
        raise InputError(f"case.steps is {case['steps']}, more than the {loop.max_iters} iterations the training loop runs")
    optimizer = build_optimizer(case["optimizer"])
    wrapper = OptimWrapper(optimizer)
    trace = []
    rows = {"trace": trace}
    try:
        runner = types.SimpleNamespace(param_schedulers=build_schedulers(classes, kwargs["param_scheduler"], loop, wrapper, epoch_length))
    except Exception as exc:  # noqa: BLE001 - mmengine's exception is the expected output
        rows["error"] = error_of(exc, "construct", 0)
        return rows
    monitors = [s.monitor for s in runner.param_schedulers if getattr(s, "need_val_args", False)]
    validations = 0

    def validate(k):
        nonlocal validations
        if monitors:
            metrics = case.get("metrics") or []
            if validations >= len(metrics):
                raise InputError(f"case.metrics has no value for validation {validations + 1} (iteration {k})")
            hook.after_val_epoch(runner, metrics={name: float(metrics[validations]) for name in monitors})
        validations += 1

    trace.append(row(0, optimizer))
    for k in range(1, case["steps"] + 1):
        try:
            wrapper.step()
            hook.after_train_iter(runner, batch_idx=(k - 1) % epoch_length)
            if loop.by_epoch and k % epoch_length == 0:
                hook.after_train_epoch(runner)
                if loop.validates_after(k // epoch_length):
                    validate(k)
            if not loop.by_epoch:
                if loop.validates_after(k):
                    validate(k)
                if k == loop.max_iters:
                    hook.after_train_epoch(runner)
        except InputError as exc:
            rows["error"] = {"phase": "input", "step": k, "type": "ValueError", "message": str(exc)}
            return rows
        except Exception as exc:  # noqa: BLE001
            rows["error"] = error_of(exc, "step", k)
            return rows
        trace.append(row(k, optimizer))
    return rows


def record(case, mm):
    result = {"id": case.get("id"), "trace": [], "error": None}
    try:
        result.update(run(case, mm))
    except InputError as exc:
        result["error"] = {"phase": "input", "step": 0, "type": "ValueError", "message": str(exc)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", help="folder holding mmengine's source tree (mmengine/...)")
    parser.add_argument("--commit", help="the mmengine commit the source was taken from, for the header")
    options = parser.parse_args()
    mm = load_mmengine(options.source)
    raw = open(CASES, "rb").read()
    cases = json.loads(raw)["cases"]
    results = [record(case, mm) for case in cases]
    header = {
        "versions": {"mmengine": mm[3], "torch": version("torch")},
        "mmengine_commit": options.commit,
        "python": sys.version.split()[0],
        "cases_sha256": hashlib.sha256(raw).hexdigest(),
    }
    write_results(TRACES, header, results)
    errors = sum(1 for r in results if r["error"])
    print(f"recorded {os.path.relpath(TRACES, ROOT)} ({len(results)} cases, {errors} with errors)")


if __name__ == "__main__":
    main()
