#!/usr/bin/env python3
"""Records what a real Lightning Trainer does with the LightningCLI config fixtures.

Usage: "$(scripts/setup-frameworks.sh)" scripts/record-lightning-traces.py
(the frameworks venv's python, which has lightning; the configs are listed in
test/reference/frameworks/lightning-configs.json, the result is test/reference/frameworks/lightning-traces.json).

LightningCLI needs jsonargparse, which is not installed here. For these plain configs what it does is
short, and this script does the same, calling Lightning's own code where Lightning has it:
- the YAML is read with PyYAML's safe loader (jsonargparse's loader is PyYAML's, which also reads an
  exponent without a point, `1e-6`, as a float; the fixtures write `1.0e-06`, as LightningCLI dumps it);
- top-level `optimizer:` / `lr_scheduler:`: LightningCLI instantiates them with its
  `instantiate_class(args, {"class_path", "init_args"})`, the optimizer on the module's parameters and the
  scheduler on the optimizer, and returns them through its static `LightningCLI.configure_optimizers`;
  both are called here unchanged;
- a bare class name (`optimizer: Adam`, `class_path: StepLR`): jsonargparse looks it up among the
  subclasses of the parameter's type, which for these names is torch.optim.NAME or
  torch.optim.lr_scheduler.NAME;
- `model.init_args.{optimizer, scheduler, scheduler_config}`: the dependency-injection pattern of the
  LightningCLI docs, where the model builds the classes it is given in its configure_optimizers. The model
  class (`my_project.…`) is not importable here, so the recorded module stands in for it and returns the
  dict form Lightning documents: {"optimizer": ..., "lr_scheduler": {"scheduler": ..., **scheduler_config}};
- nested class specs (SequentialLR's `schedulers`) are built on the same optimizer first, as a
  configure_optimizers has to (jsonargparse has no optimizer to give them);
- jsonargparse also casts each value to the constructor's annotated type; the fixtures write every value
  in that type already, so no cast changes one.

Each config is fit by a real lightning.Trainer(max_epochs, max_steps and accumulate_grad_batches from the
config's `trainer:`, limit_train_batches=batches_per_epoch, accelerator="cpu", logger=False,
enable_checkpointing=False, enable_progress_bar=False) on a one-weight linear model, one sample a batch.
The module logs each `logged` series once per epoch (in on_train_epoch_end), so ReduceLROnPlateau's
monitor reads a known series. Recorded per config, one line each:
  scheduler        Lightning's parsed scheduler config (trainer.lr_scheduler_configs[0]): interval,
                   frequency, monitor, reduce_on_plateau
  steps            one row per optimizer step: epoch, batch (batch_idx), lr (per group) that step used,
                   read in on_before_optimizer_step
  scheduler_steps  one row per call Lightning made to lr_scheduler_step: epoch, batch, global_step
                   (optimizer steps done), metric as the scheduler got it (float of the logged tensor), lr after it
  final_lr         the lr at on_train_end
  error            what stopped fit (type, message, optimizer steps done), else null
"""

import hashlib
import json
import os
import sys
import warnings
from importlib.metadata import version

warnings.simplefilter("ignore")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_simulate import hide_torchvision, number, write_results  # noqa: E402  (the torch oracle's trace numbers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "test", "fixtures", "configs")
REFERENCE = os.path.join(ROOT, "test", "reference", "frameworks")


def class_init(spec, package):
    """The {"class_path", "init_args"} of a class spec written as a dict or a bare name (resolved in `package`)."""
    if isinstance(spec, str):
        spec = {"class_path": spec}
    path = spec["class_path"]
    return {"class_path": path if "." in path else f"{package}.{path}", "init_args": dict(spec.get("init_args") or {})}


def lrs(optimizer):
    return [number(group["lr"]) for group in optimizer.param_groups]


def record_config(item):
    import torch
    import yaml
    from lightning import Callback, LightningModule, Trainer
    from lightning.pytorch.cli import LightningCLI, instantiate_class

    path = os.path.join(FIXTURES, item["fixture"])
    raw = open(path, "rb").read()
    config = yaml.safe_load(raw)
    trainer_config = config.get("trainer") or {}
    logged = item.get("logged") or {}
    result = {"fixture": item["fixture"], "fixture_sha256": hashlib.sha256(raw).hexdigest(),
              "batches_per_epoch": item["batches_per_epoch"], "max_epochs": trainer_config.get("max_epochs"),
              "max_steps": trainer_config.get("max_steps", -1), "accumulate_grad_batches": trainer_config.get("accumulate_grad_batches", 1),
              "scheduler": None, "steps": [], "scheduler_steps": [], "final_lr": None, "error": None}

    def build_scheduler(spec, optimizer):
        init = class_init(spec, "torch.optim.lr_scheduler")
        nested = init["init_args"].get("schedulers")
        if isinstance(nested, list):
            init["init_args"]["schedulers"] = [build_scheduler(s, optimizer) for s in nested]
        return instantiate_class(optimizer, init)

    class ConfiguredModule(LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)
            self.batch = None

        def training_step(self, batch, batch_idx):
            (x,) = batch
            return self.layer(x).pow(2).mean()

        def on_train_epoch_end(self):
            for name, series in logged.items():
                self.log(name, series[self.current_epoch])

        def configure_optimizers(self):
            if "optimizer" in config:
                optimizer = instantiate_class(self.parameters(), class_init(config["optimizer"], "torch.optim"))
                scheduler = build_scheduler(config["lr_scheduler"], optimizer) if config.get("lr_scheduler") else None
                return LightningCLI.configure_optimizers(self, optimizer, scheduler)
            model_args = config["model"]["init_args"]
            optimizer = instantiate_class(self.parameters(), class_init(model_args["optimizer"], "torch.optim"))
            scheduler = build_scheduler(model_args["scheduler"], optimizer)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, **(model_args.get("scheduler_config") or {})}}

        def lr_scheduler_step(self, scheduler, metric):
            super().lr_scheduler_step(scheduler, metric)
            result["scheduler_steps"].append({
                "epoch": self.current_epoch, "batch": self.batch, "global_step": self.trainer.global_step,
                "metric": None if metric is None else number(float(metric)), "lr": lrs(scheduler.optimizer)})

    class LrRecorder(Callback):
        def on_train_start(self, trainer, module):
            scheduler_config = trainer.lr_scheduler_configs[0]
            result["scheduler"] = {"type": type(scheduler_config.scheduler).__name__, "interval": scheduler_config.interval,
                                   "frequency": scheduler_config.frequency, "monitor": scheduler_config.monitor,
                                   "reduce_on_plateau": scheduler_config.reduce_on_plateau}

        def on_train_batch_start(self, trainer, module, batch, batch_idx):
            module.batch = batch_idx

        def on_before_optimizer_step(self, trainer, module, optimizer):
            result["steps"].append({"epoch": trainer.current_epoch, "batch": module.batch, "lr": lrs(optimizer)})

        def on_train_end(self, trainer, module):
            result["final_lr"] = lrs(trainer.optimizers[0])

    torch.manual_seed(0)
    samples = torch.utils.data.TensorDataset(torch.ones(item["batches_per_epoch"], 1))
    trainer = Trainer(max_epochs=result["max_epochs"], max_steps=result["max_steps"], limit_train_batches=item["batches_per_epoch"],
                      accumulate_grad_batches=result["accumulate_grad_batches"], accelerator="cpu", devices=1,
                      logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                      callbacks=[LrRecorder()])
    try:
        trainer.fit(ConfiguredModule(), torch.utils.data.DataLoader(samples, batch_size=1))
    except Exception as exc:  # noqa: BLE001 - the exception Lightning's fit raises is the recorded outcome
        message = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)
        result["error"] = {"type": type(exc).__name__, "message": message, "global_step": trainer.global_step}
    return result


def main():
    hide_torchvision()
    import logging

    import lightning  # noqa: F401  (it sets its loggers' level on import; quieten them after)

    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
    listing_path = os.path.join(REFERENCE, "lightning-configs.json")
    listing = open(listing_path, "rb").read()
    results = [record_config(item) for item in json.loads(listing)["configs"]]
    header = {"versions": {p: version(p) for p in ["lightning", "torch", "PyYAML"]}, "python": sys.version.split()[0],
              "configs_sha256": hashlib.sha256(listing).hexdigest()}
    out = os.path.join(REFERENCE, "lightning-traces.json")
    write_results(out, header, results)
    errors = sum(1 for r in results if r["error"])
    print(f"recorded {os.path.relpath(out, ROOT)} ({len(results)} configs, {errors} stopped by an error)")


if __name__ == "__main__":
    main()
