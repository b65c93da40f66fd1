#!/usr/bin/env python3
"""Reference implementation of the `lr-lens train` contract, using real torch.

Usage: torch_train.py --case CASE.json --data DATA.csv [--init INIT.json] [--epochs N]
  [--batch-size B] [--hidden 32,32] [--activation relu|tanh|gelu] [--no-shuffle]
  [--dtype float32|float64] [--backend IGNORED] [--step-per epoch|batch] [--val-fraction F]
  [--seed S] [--write-init INIT.json]

Same data, same initial weights, same batches and the same scheduler stepping as the TypeScript
trainer (src/training/trainer.ts), so per-step losses can be compared. The seeded stream
(xoshiro128** seeded by splitmix32) is re-implemented here bit for bit: it draws the default init
(torch's nn.Linear distribution) and the shuffles. The optimizer runs torch's single-tensor path
(foreach=False); schedulers are built by scripts/torch_simulate.py's builder.
"""

import argparse
import json
import math
import os
import sys
import warnings

import torch
from torch import nn, optim
from torch.nn import functional as F
from torch.optim import lr_scheduler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_simulate import build_scheduler  # noqa: E402

warnings.simplefilter("ignore")

MASK = 0xFFFFFFFF
STREAM_INIT = 1
STREAM_SHUFFLE = 2


def imul(a, b):
    return (a * b) & MASK


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


class Rng:
    """src/training/rng.ts: xoshiro128** seeded through splitmix32."""

    def __init__(self, seed, stream):
        state = (seed ^ imul(stream, 0x632BE5AB)) & MASK
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B9) & MASK
            z = state
            z = imul(z ^ (z >> 16), 0x85EBCA6B)
            z = imul(z ^ (z >> 13), 0xC2B2AE35)
            words.append((z ^ (z >> 16)) & MASK)
        self.s = words

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        result = imul(rotl(imul(s1, 5), 7), 9)
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        high = self.next_uint32() >> 5
        low = self.next_uint32() >> 6
        return (high * 67108864 + low) / 9007199254740992

    def uniform_in(self, low, high):
        return low + (high - low) * self.uniform()

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = math.floor(self.uniform() * (i + 1))
            items[i], items[j] = items[j], items[i]


def default_init(sizes, seed):
    """torch's nn.Linear init distribution, drawn from our stream (model.ts defaultInit)."""
    rng = Rng(seed, STREAM_INIT)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        a = math.sqrt(5)
        gain = math.sqrt(2.0 / (1 + a ** 2))
        w_bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
        weight = [[rng.uniform_in(-w_bound, w_bound) for _ in range(fan_in)] for _ in range(fan_out)]
        b_bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        bias = [rng.uniform_in(-b_bound, b_bound) for _ in range(fan_out)]
        layers.append({"weight": weight, "bias": bias})
    return {"layers": layers}


def read_csv(path):
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    rows = [line.split(",") for line in lines[1:]]
    features = [[float(cell) for cell in row[:-1]] for row in rows]
    labels = [int(float(row[-1])) for row in rows]
    return features, labels


def number(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--case", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--init")
    p.add_argument("--write-init")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--hidden", default="32,32")
    p.add_argument("--activation", default="relu", choices=sorted(ACTIVATIONS))
    p.add_argument("--no-shuffle", action="store_true")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--backend", default="cpu")
    p.add_argument("--step-per", default="epoch", choices=["epoch", "batch"])
    p.add_argument("--val-fraction", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    # The scalar optimizer state (step, NAdam's mu_product) takes the default dtype, as in a
    # program that trains in float64 with torch.set_default_dtype.
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    torch.set_default_dtype(dtype)
    torch.set_num_threads(1)

    with open(args.case) as f:
        case = json.load(f)
    features, labels = read_csv(args.data)
    rows = len(labels)
    val_rows = round(args.val_fraction * rows)
    train_rows = rows - val_rows
    hidden = [int(h) for h in args.hidden.split(",") if h.strip()] if args.hidden.strip() else []
    classes = max(labels) + 1
    sizes = [len(features[0])] + hidden + [classes]

    if args.init:
        with open(args.init) as f:
            init = json.load(f)
    else:
        init = default_init(sizes, args.seed)
    if args.write_init:
        with open(args.write_init, "w") as f:
            json.dump(init, f)

    modules = []
    linears = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = nn.Linear(fan_in, fan_out)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(init["layers"][i]["weight"], dtype=torch.float64))
            linear.bias.copy_(torch.tensor(init["layers"][i]["bias"], dtype=torch.float64))
        linears.append(linear)
        modules.append(linear)
        if i + 2 < len(sizes):
            modules.append(ACTIVATIONS[args.activation]())
    model = nn.Sequential(*modules)

    spec = case["optimizer"]
    cls = getattr(optim, spec["type"])
    defaults = dict(spec.get("defaults") or {})
    group_specs = spec.get("groups") or [{}]
    group_params = [[] for _ in group_specs]
    for i, linear in enumerate(linears):
        group_params[min(i, len(group_specs) - 1)] += [linear.weight, linear.bias]
    groups = [{"params": params, **overrides} for params, overrides in zip(group_params, group_specs)]
    optimizer = cls(groups, foreach=False, **defaults)

    specs = case["schedulers"] if case.get("schedulers") is not None else (
        [case["scheduler"]] if case.get("scheduler") is not None else [])
    schedulers = [build_scheduler(s, optimizer) for s in specs]

    x_all = torch.tensor(features, dtype=torch.float64).to(dtype)
    y_all = torch.tensor(labels, dtype=torch.long)
    x_train, y_train = x_all[:train_rows], y_all[:train_rows]
    x_val, y_val = x_all[train_rows:], y_all[train_rows:]
    rng = Rng(args.seed, STREAM_SHUFFLE)

    def step_schedulers(when, metric):
        for scheduler in schedulers:
            plateau = isinstance(scheduler, lr_scheduler.ReduceLROnPlateau)
            if when == "epoch" and plateau:
                scheduler.step(metric)
            elif when == args.step_per and not plateau:
                scheduler.step()

    steps, epochs = [], []
    for epoch in range(args.epochs):
        order = list(range(train_rows))
        if not args.no_shuffle:
            rng.shuffle(order)
        index = torch.tensor(order, dtype=torch.long)
        losses = []
        for batch, start in enumerate(range(0, train_rows, args.batch_size)):
            take = index[start:start + args.batch_size]
            lrs = [g["lr"] for g in optimizer.param_groups]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x_train[take]), y_train[take])
            loss.backward()
            optimizer.step()
            value = loss.item()
            losses.append(value)
            steps.append({"epoch": epoch, "batch": batch, "loss": number(value), "lr": lrs})
            if args.step_per == "batch":
                step_schedulers("batch", value)
        train_loss = sum(losses) / len(losses)
        val_loss = val_accuracy = None
        if val_rows > 0:
            with torch.no_grad():
                logits = model(x_val)
                val_loss = F.cross_entropy(logits, y_val).item()
                val_accuracy = (logits.argmax(dim=1) == y_val).sum().item() / val_rows
        step_schedulers("epoch", val_loss if val_loss is not None else train_loss)
        epochs.append({
            "epoch": epoch,
            "train_loss": number(train_loss),
            "val_loss": None if val_loss is None else number(val_loss),
            "val_accuracy": val_accuracy,
            "lr": [g["lr"] for g in optimizer.param_groups],
        })
    json.dump({"steps": steps, "epochs": epochs, "backend": "torch"}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
