#!/usr/bin/env python3
"""Records torch's values for the training core's elementwise ops and losses, forward and backward,
in float64 and float32, into fixtures/torch-ops.json. Inputs are fixed grids (no randomness).

Run from the repository root: /root/.cache/lr-lens/torch-venv/bin/python test/training/record_torch_ops.py
"""

import json
import os

import torch
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def grid():
    # dense near 0, where the activations bend, and a few large magnitudes
    xs = [i / 16 for i in range(-96, 97)] + [-30.0, -12.5, -8.0, 8.0, 12.5, 30.0]
    return xs


def record(dtype):
    out = {}
    xs = grid()
    for name, fn in (("relu", F.relu), ("tanh", torch.tanh), ("gelu", F.gelu)):
        x = torch.tensor(xs, dtype=dtype, requires_grad=True)
        y = fn(x)
        upstream = torch.linspace(-1.5, 2.0, len(xs), dtype=dtype)
        (grad,) = torch.autograd.grad(y, x, upstream)
        out[name] = {"x": x.tolist(), "upstream": upstream.tolist(), "y": y.tolist(), "grad": grad.tolist()}
    logits = torch.tensor([[(r * 7 + c * 3) % 11 / 2.5 - 2 for c in range(5)] for r in range(9)], dtype=dtype, requires_grad=True)
    labels = torch.tensor([r % 5 for r in range(9)])
    loss = F.cross_entropy(logits, labels)
    (grad,) = torch.autograd.grad(loss, logits)
    out["cross_entropy"] = {"logits": logits.tolist(), "labels": labels.tolist(), "loss": loss.item(), "grad": grad.tolist()}
    pred = torch.tensor([(i * 5 % 13) / 3 - 2 for i in range(17)], dtype=dtype, requires_grad=True)
    target = torch.tensor([(i * 3 % 7) / 2 - 1.5 for i in range(17)], dtype=dtype)
    loss = F.mse_loss(pred, target)
    (grad,) = torch.autograd.grad(loss, pred)
    out["mse"] = {"pred": pred.tolist(), "target": target.tolist(), "loss": loss.item(), "grad": grad.tolist()}
    return out


def main():
    fixture = {"torch": torch.__version__, "float64": record(torch.float64), "float32": record(torch.float32)}
    with open(os.path.join(HERE, "fixtures", "torch-ops.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
