#!/usr/bin/env python3
"""Records reference traces of framework schedules with the real libraries.

Usage: scripts/record-framework-traces.py [LIBRARY ... | configs]   (default: all of them)
Run it with the frameworks venv's python (scripts/setup-frameworks.sh prints it); the wrapper
`scripts/record-framework-traces.sh` does both.

Each test/reference/frameworks/cases/LIBRARY.json ({"cases": [...]}, schedule cases whose scheduler
type is "LIBRARY.NAME") is run into test/reference/frameworks/traces/LIBRARY.json:
{"versions": {...}, "cases_sha256": ..., "results": [...]}, one result per line, the same row shape as
`lr-lens simulate` (row 0 after construction, row k after the k-th optimizer step):
  transformers  the optimizer and the library's LambdaLR / ReduceLROnPlateau, stepped as torch is;
  timm          step(k, metric) when the scheduler counts epochs, else step_update(k, metric), as
                timm's train.py does; create_scheduler_v2 also records the num_epochs it returns;
  keras, optax  the schedule evaluated at the optimizer's iteration count k (optax: an int32 array,
                as optax keeps its count), as float32 values widened to float.
`configs` runs the config fixtures listed in test/reference/frameworks/configs.json through the real
frameworks into test/reference/frameworks/config-traces.json: Hugging Face configs through the real
Trainer (TrainingArguments, its step counts, its optimizer and scheduler), timm args YAML through
timm's create_scheduler(args, ...) stepped as train.py steps it.
It also writes the JSON of keras.optimizers.schedules.serialize() for the Keras cases that name a
`fixture`, into test/fixtures/configs/, so the config reader is tested on what Keras itself writes.
"""

import hashlib
import json
import math
import os
import sys
import warnings
from importlib.metadata import version

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
warnings.simplefilter("ignore")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_simulate import build_optimizer, error_of, hide_torchvision, number, write_results  # noqa: E402
from torch_simulate import simulate as torch_simulate_case  # noqa: E402  (the torch oracle's helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "test", "reference", "frameworks", "cases")
TRACES = os.path.join(ROOT, "test", "reference", "frameworks", "traces")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "configs")
PACKAGES = {
    "transformers": ["transformers", "torch"],
    "timm": ["timm", "torch"],
    "keras": ["keras", "jax", "jaxlib"],
    "optax": ["optax", "jax", "jaxlib"],
}


def lr_row(step, optimizer, last_lr):
    return {"step": step, "lr": [number(g["lr"]) for g in optimizer.param_groups], "last_lr": [last_lr]}


def value_row(step, value, groups):
    return {"step": step, "lr": [number(float(value))] * groups, "last_lr": [None]}


def group_count(case):
    return len((case.get("optimizer") or {}).get("groups") or [None])


def run_transformers(case, name, kwargs, result):
    import transformers
    from torch.optim.lr_scheduler import ReduceLROnPlateau

    optimizer = build_optimizer(case["optimizer"])
    scheduler = getattr(transformers, name)(optimizer=optimizer, **kwargs)
    result["trace"].append(lr_row(0, optimizer, [number(v) for v in scheduler.get_last_lr()]))
    for k in range(1, case["steps"] + 1):
        optimizer.step()
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(case["metrics"][k - 1])
        else:
            scheduler.step()
        result["trace"].append(lr_row(k, optimizer, [number(v) for v in scheduler.get_last_lr()]))


def timm_scheduler_package():
    """timm.scheduler, without running timm/__init__.py.

    The package's __init__ imports its models and so torchvision, whose only wheels here are CUDA
    builds that cannot load next to torch's CPU build; timm.scheduler itself needs only torch. An empty
    `timm` package pointing at the installed folder lets the real scheduler modules import unchanged.
    """
    import importlib
    import importlib.machinery
    import importlib.util

    if "timm" not in sys.modules:
        found = importlib.util.find_spec("timm")
        spec = importlib.machinery.ModuleSpec("timm", None, is_package=True)
        spec.submodule_search_locations = list(found.submodule_search_locations)
        package = importlib.util.module_from_spec(spec)
        sys.modules["timm"] = package
    return importlib.import_module("timm.scheduler")


def run_timm(case, name, kwargs, result):
    scheduler_module = timm_scheduler_package()

    optimizer = build_optimizer(case["optimizer"])
    if name == "create_scheduler_v2":
        scheduler, num_epochs = scheduler_module.create_scheduler_v2(optimizer, **kwargs)
        result["num_epochs"] = num_epochs
    else:
        scheduler = getattr(scheduler_module, name)(optimizer, **kwargs)
    metrics = case.get("metrics")
    result["trace"].append(lr_row(0, optimizer, None))
    for k in range(1, case["steps"] + 1):
        metric = metrics[k - 1] if metrics else None
        if scheduler.t_in_epochs:
            scheduler.step(k, metric)
        else:
            scheduler.step_update(k, metric)
        result["trace"].append(lr_row(k, optimizer, None))


def run_keras(case, name, kwargs, result):
    import keras

    schedule = getattr(keras.optimizers.schedules, name)(**kwargs)
    if case.get("fixture"):
        with open(os.path.join(FIXTURES, case["fixture"]), "w") as out:
            json.dump(keras.optimizers.schedules.serialize(schedule), out, indent=2)
            out.write("\n")
    for k in range(case["steps"] + 1):
        result["trace"].append(value_row(k, schedule(k), group_count(case)))


def optax_schedule(name, kwargs):
    import optax

    kwargs = dict(kwargs)
    if isinstance(kwargs.get("boundaries_and_scales"), dict):
        kwargs["boundaries_and_scales"] = {int(k): v for k, v in kwargs["boundaries_and_scales"].items()}
    if name == "join_schedules":
        kwargs["schedules"] = [optax_schedule(s["type"].split(".", 1)[1], s.get("kwargs") or {}) for s in kwargs["schedules"]]
    return getattr(optax, name)(**kwargs)


def run_optax(case, name, kwargs, result):
    import jax.numpy as jnp

    schedule = optax_schedule(name, kwargs)
    for k in range(case["steps"] + 1):
        result["trace"].append(value_row(k, schedule(jnp.asarray(k, dtype=jnp.int32)), group_count(case)))


RUNNERS = {"transformers": run_transformers, "timm": run_timm, "keras": run_keras, "optax": run_optax}


def record(case):
    if "schedulers" in case:
        # Several schedulers on one optimizer (transformers' with torch's): the torch oracle runs the contract.
        return torch_simulate_case(case)
    result = {"id": case.get("id"), "trace": [], "error": None}
    library, name = case["scheduler"]["type"].split(".", 1)
    kwargs = case["scheduler"].get("kwargs") or {}
    try:
        RUNNERS[library](case, name, kwargs, result)
    except Exception as exc:  # noqa: BLE001 - the library's exception is the expected output
        # Rows 0..k-1 were recorded when round k failed; no row means construction failed.
        rows = len(result["trace"])
        result["error"] = error_of(exc, "step", rows) if rows else error_of(exc, "construct", 0)
    return result


def read_config(path):
    text = open(path).read()
    if path.endswith(".json"):
        # JSON with comments, as VS Code writes it: drop whole-line // comments.
        return json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))
    if path.endswith(".toml"):
        import tomllib

        data = tomllib.loads(text)
        return data.get("training", data)
    import yaml

    return yaml.safe_load(text)


# axolotl spells two TrainingArguments differently; it renames them before building them.
AXOLOTL_NAMES = {"lr_scheduler": "lr_scheduler_type", "num_epochs": "num_train_epochs"}


def record_hf_config(item):
    """What the real Trainer does with a TrainingArguments config: its step counts and its schedule."""
    import dataclasses

    import torch
    from torch import nn
    from transformers import Trainer, TrainingArguments

    raw = read_config(os.path.join(FIXTURES, item["fixture"]))
    fields = {f.name for f in dataclasses.fields(TrainingArguments)}
    kwargs = {AXOLOTL_NAMES.get(k, k): v for k, v in raw.items()}
    kwargs = {k: v for k, v in kwargs.items() if k in fields}
    kwargs.update(output_dir=os.path.join("/tmp", "lr-lens-hf"), report_to=[], use_cpu=True)
    args = TrainingArguments(**kwargs)
    size = item["batches_per_epoch"] * args.per_device_train_batch_size

    class Rows(torch.utils.data.Dataset):
        def __len__(self):
            return size

        def __getitem__(self, i):
            return {"x": torch.zeros(1)}

    trainer = Trainer(model=nn.Linear(1, 1), args=args, train_dataset=Rows())
    max_steps = trainer.set_initial_training_values(args, trainer.get_train_dataloader())[-1]
    trainer.create_optimizer_and_scheduler(num_training_steps=max_steps)
    optimizer, scheduler = trainer.optimizer, trainer.lr_scheduler
    trace = [lr_row(0, optimizer, [number(v) for v in scheduler.get_last_lr()])]
    for k in range(1, max_steps + 1):
        optimizer.step()
        scheduler.step()
        trace.append(lr_row(k, optimizer, [number(v) for v in scheduler.get_last_lr()]))
    return {"fixture": item["fixture"], "batches_per_epoch": item["batches_per_epoch"], "num_training_steps": max_steps,
            "num_warmup_steps": args.get_warmup_steps(max_steps), "trace": trace}


def record_timm_config(item):
    """What timm's train.py does with an args YAML: create_scheduler(args, optimizer, updates_per_epoch),
    stepped with step(epoch) at each epoch end or step_update(num_updates) after each update."""
    import types

    import torch
    from torch import nn

    scheduler_module = timm_scheduler_package()
    args = types.SimpleNamespace(**read_config(os.path.join(FIXTURES, item["fixture"])))
    accumulation = getattr(args, "grad_accum_steps", 1)
    updates_per_epoch = (item["batches_per_epoch"] + accumulation - 1) // accumulation
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=args.lr)
    scheduler, num_epochs = scheduler_module.create_scheduler(args, optimizer, updates_per_epoch=updates_per_epoch)
    rounds = num_epochs if scheduler.t_in_epochs else num_epochs * updates_per_epoch
    trace = [lr_row(0, optimizer, None)]
    for k in range(1, rounds + 1):
        scheduler.step(k) if scheduler.t_in_epochs else scheduler.step_update(k)
        trace.append(lr_row(k, optimizer, None))
    return {"fixture": item["fixture"], "batches_per_epoch": item["batches_per_epoch"], "num_epochs": num_epochs, "trace": trace}


def record_configs():
    """Config fixtures run through the real framework (test/reference/frameworks/configs.json)."""
    path = os.path.join(ROOT, "test", "reference", "frameworks", "configs.json")
    raw = open(path, "rb").read()
    listed = json.loads(raw)
    results = {"huggingface": [record_hf_config(item) for item in listed["huggingface"]],
               "timm": [record_timm_config(item) for item in listed["timm"]]}
    header = {"versions": {p: version(p) for p in ["transformers", "accelerate", "timm", "torch"]}, "cases_sha256": hashlib.sha256(raw).hexdigest()}
    out = os.path.join(TRACES, "..", "config-traces.json")
    parts = [f'"{name}":[\n' + ",\n".join(json.dumps(r, allow_nan=False, separators=(",", ":")) for r in rows) + "\n]"
             for name, rows in results.items()]
    with open(out, "w") as f:
        f.write(json.dumps(header, separators=(",", ":"))[:-1] + "," + ",\n".join(parts) + "}\n")
    print(f"recorded {os.path.normpath(out)} ({', '.join(f'{len(v)} {k}' for k, v in results.items())} configs)")


def main(libraries):
    os.makedirs(TRACES, exist_ok=True)
    for library in libraries:
        path = os.path.join(CASES, f"{library}.json")
        raw = open(path, "rb").read()
        cases = json.loads(raw)["cases"]
        results = [record(case) for case in cases]
        header = {
            "versions": {p: version(p) for p in PACKAGES[library]},
            "python": sys.version.split()[0],
            "cases_sha256": hashlib.sha256(raw).hexdigest(),
        }
        if library == "keras":
            header["keras_backend"] = os.environ["KERAS_BACKEND"]
        out = os.path.join(TRACES, f"{library}.json")
        write_results(out, header, results)
        errors = sum(1 for r in results if r["error"])
        print(f"recorded {out} ({len(results)} cases, {errors} with errors)")


if __name__ == "__main__":
    hide_torchvision()
    names = sys.argv[1:] or sorted(f[:-5] for f in os.listdir(CASES) if f.endswith(".json")) + ["configs"]
    main([n for n in names if n != "configs"])
    if "configs" in names:
        record_configs()
