#!/usr/bin/env python3
"""Reference implementation of the `lr-lens simulate` contract, using real torch.

Usage: torch_simulate.py [FILE|-] [--header]
       torch_simulate.py --serve     (one case per stdin line -> one result per stdout line)
FILE holds one case, a JSON list of cases, or {"cases": [...]}; the result has the same shape
(one result, or a list). `--header` writes a reference-trace file instead: {"torch": version,
"python": version, "cases_sha256": hash of FILE's bytes, "results": [...]}, one result per line.

This is the oracle the engine is proven against (reference traces, differential test), so it does
what the contract says with nothing clever in between: one nn.Parameter per group, round k =
optimizer.step() then the schedulers' step(). Lambdas given as Python source are evaluated with
Python's own `eval` here, and only here: the product never evaluates user text this way.
"""

import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import textwrap
import sys
import warnings

import torch
from torch import nn, optim
from torch.optim import lr_scheduler, swa_utils

warnings.simplefilter("ignore")

# Schedulers whose kwargs.schedulers is a list of nested specs.
CONTAINERS = ("SequentialLR", "ChainedScheduler")


class InputError(Exception):
    """The case itself is malformed (nothing torch would see)."""


def python_function(source, parameter):
    """`lambda epoch: ...`, a bare expression in `parameter`, or a `def name(...):` block, as a function."""
    text = textwrap.dedent(source).strip()
    if text.startswith("def "):
        namespace = {"math": math}
        exec(text, namespace)  # noqa: S102 - reference script only, on committed test cases
        return namespace[re.match(r"def\s+(\w+)", text).group(1)]
    if not text.startswith("lambda"):
        text = f"lambda {parameter}: {text}"
    return eval(text, {"math": math})  # noqa: S307 - reference script only, on committed test cases


def scheduler_class(name):
    if name == "SWALR":
        return swa_utils.SWALR
    cls = getattr(lr_scheduler, name, None)
    if not isinstance(cls, type) or not issubclass(cls, lr_scheduler.LRScheduler):
        raise InputError(f"unknown scheduler type {name!r}")
    return cls


def build_scheduler(spec, optimizer):
    """Builds nested specs first, as Python code would (the children exist before the parent)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
        raise InputError("a scheduler spec needs a string 'type'")
    if spec["type"].startswith("transformers."):
        # transformers' schedules are torch LRSchedulers; only the frameworks venv has transformers.
        import transformers

        return getattr(transformers, spec["type"].split(".", 1)[1])(optimizer=optimizer, **(spec.get("kwargs") or {}))
    cls = scheduler_class(spec["type"])
    kwargs = dict(spec.get("kwargs") or {})
    if spec["type"] in CONTAINERS and isinstance(kwargs.get("schedulers"), list):
        kwargs["schedulers"] = [build_scheduler(child, optimizer) for child in kwargs["schedulers"]]
    lr_lambda = kwargs.get("lr_lambda")
    if isinstance(lr_lambda, str):
        kwargs["lr_lambda"] = python_function(lr_lambda, "epoch")
    elif isinstance(lr_lambda, list):
        kwargs["lr_lambda"] = [python_function(f, "epoch") if isinstance(f, str) else f for f in lr_lambda]
    if isinstance(kwargs.get("scale_fn"), str):
        kwargs["scale_fn"] = python_function(kwargs["scale_fn"], "x")
    if spec["type"] == "ChainedScheduler":
        return cls(**kwargs)  # its signature is (schedulers, optimizer=None)
    return cls(optimizer, **kwargs)


def build_optimizer(spec):
    if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
        raise InputError("the optimizer spec needs a string 'type'")
    cls = getattr(optim, spec["type"], None)
    if not isinstance(cls, type) or not issubclass(cls, optim.Optimizer):
        raise InputError(f"unknown optimizer type {spec['type']!r}")
    defaults = spec.get("defaults") or {}
    groups = spec.get("groups")
    if groups is None:
        return cls([nn.Parameter(torch.zeros(1))], **defaults)
    return cls([{"params": [nn.Parameter(torch.zeros(1))], **group} for group in groups], **defaults)


def number(value):
    """A trace number: ints stay ints, non-finite floats use the contract's spelling."""
    if isinstance(value, torch.Tensor):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    return repr(value)  # e.g. a complex from a lambda: no JSON number can say it


def trace_row(step, optimizer, schedulers):
    groups = optimizer.param_groups
    last_lrs = []
    for scheduler in schedulers:
        try:
            last_lrs.append([number(v) for v in scheduler.get_last_lr()])
        except AttributeError:
            last_lrs.append(None)
    row = {"step": step, "lr": [number(g["lr"]) for g in groups], "last_lr": last_lrs}
    if "momentum" in groups[0]:
        row["momentum"] = [number(g["momentum"]) for g in groups]
    if "betas" in groups[0]:
        row["betas"] = [[number(b) for b in g["betas"]] for g in groups]
    return row


def error_of(exc, phase, step):
    single_text = len(exc.args) == 1 and isinstance(exc.args[0], str)
    return {"phase": phase, "step": step, "type": type(exc).__name__,
            "message": exc.args[0] if single_text else str(exc)}


def check_case(case):
    if not isinstance(case, dict):
        raise InputError("a case must be a JSON object")
    if not isinstance(case.get("steps"), int) or case["steps"] < 0:
        raise InputError("'steps' must be a non-negative integer")
    for key in ("metrics", "epochs", "plan"):
        if key in case and case[key] is not None and (
                not isinstance(case[key], list) or len(case[key]) < case["steps"]):
            raise InputError(f"'{key}' must be a list with an entry for every step")


def step_scheduler(scheduler, case, k):
    epoch = (case.get("epochs") or [None] * k)[k - 1]
    if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau) and case.get("metrics") is not None:
        metric = case["metrics"][k - 1]
        scheduler.step(metric) if epoch is None else scheduler.step(metric, epoch)
    elif epoch is None:
        scheduler.step()
    else:
        scheduler.step(epoch)


def simulate(case):
    result = {"id": case.get("id") if isinstance(case, dict) else None, "trace": [], "error": None}
    try:
        check_case(case)
    except InputError as exc:
        result["error"] = error_of(exc, "input", 0)
        return result
    specs = case["schedulers"] if case.get("schedulers") is not None else (
        [case["scheduler"]] if case.get("scheduler") is not None else [])
    try:
        optimizer = build_optimizer(case["optimizer"])
        schedulers = [build_scheduler(spec, optimizer) for spec in specs]
    except InputError as exc:
        result["error"] = error_of(exc, "input", 0)
        return result
    except Exception as exc:  # noqa: BLE001 - torch's exception is the expected output
        result["error"] = error_of(exc, "construct", 0)
        return result
    result["trace"].append(trace_row(0, optimizer, schedulers))
    closure = (lambda: torch.zeros(())) if isinstance(optimizer, optim.LBFGS) else None
    k = 0
    try:
        for k in range(1, case["steps"] + 1):
            optimizer.step(closure) if closure else optimizer.step()
            plan = case["plan"][k - 1] if case.get("plan") is not None else range(len(schedulers))
            for index in plan:
                step_scheduler(schedulers[index], case, k)
            result["trace"].append(trace_row(k, optimizer, schedulers))
    except Exception as exc:  # noqa: BLE001
        result["error"] = error_of(exc, "step", k)
    return result


def read_cases(raw):
    data = json.loads(raw)
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        return data["cases"], True
    if isinstance(data, list):
        return data, True
    return data, False


def dumps(value):
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


def hide_torchvision():
    """For the framework recordings: transformers and torchmetrics (imported by lightning) import torchvision
    when its import spec or metadata says it is installed; the CUDA-only wheels on these machines cannot load
    next to torch's CPU build and nothing recorded uses them, so both lookups report it as absent."""
    find_spec = importlib.util.find_spec
    package_version = importlib.metadata.version

    def without_spec(name, package=None):
        return None if name.split(".")[0] == "torchvision" else find_spec(name, package)

    def without_version(name):
        if name == "torchvision":
            raise importlib.metadata.PackageNotFoundError(name)
        return package_version(name)

    importlib.util.find_spec = without_spec
    importlib.metadata.version = without_version


def results_document(header, results):
    """The header's fields, then "results" with one result per line (re-recordings diff line by line)."""
    return dumps(header)[:-1] + ',"results":[\n' + ",\n".join(dumps(r) for r in results) + "\n]}\n"


def write_results(path, header, results):
    """Writes results_document to path through a temporary file, so a failed recording leaves the old one."""
    with open(path + ".tmp", "w") as f:
        f.write(results_document(header, results))
    os.replace(path + ".tmp", path)


def serve():
    """Keeps torch loaded for many small requests (the differential test's shrinking)."""
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(dumps(simulate(json.loads(line))) + "\n")
            sys.stdout.flush()


def main(argv):
    if "--serve" in argv:
        return serve()
    args = [a for a in argv if not a.startswith("--")]
    path = args[0] if args else "-"
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    cases, many = read_cases(raw)
    results = [simulate(c) for c in cases] if many else simulate(cases)
    if "--header" in argv:
        rows = results if many else [results]
        header = {"torch": torch.__version__, "python": sys.version.split()[0],
                  "cases_sha256": hashlib.sha256(raw).hexdigest()}
        sys.stdout.write(results_document(header, rows))
    else:
        sys.stdout.write(dumps(results) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
