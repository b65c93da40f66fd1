#!/usr/bin/env python3
"""Times real torch stepping the benchmark schedules (called by scripts/bench-engine.mjs).

Usage: bench_torch.py CASES.json  -> JSON list of {"id", "steps", "scheduler_s", "round_s"} on stdout.
For each case (the simulate contract, built exactly as torch_simulate.py builds it) it times
`steps` rounds twice: scheduler.step() alone, and the full round optimizer.step() + scheduler.step()
that the trace records. Both read the group lrs after each step, as a trace row does. Best of REPEATS.
"""

import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_simulate  # noqa: E402  (same builders as the reference traces)

from torch.optim import lr_scheduler  # noqa: E402

REPEATS = 2
warnings.simplefilter("ignore")


def fresh(case):
    optimizer = torch_simulate.build_optimizer(case["optimizer"])
    return optimizer, torch_simulate.build_scheduler(case["scheduler"], optimizer)


def run(case, with_optimizer):
    optimizer, scheduler = fresh(case)
    metrics = case.get("metrics")
    groups = optimizer.param_groups
    plateau = isinstance(scheduler, lr_scheduler.ReduceLROnPlateau)
    started = time.perf_counter()
    for k in range(case["steps"]):
        if with_optimizer:
            optimizer.step()
        if plateau:
            scheduler.step(metrics[k])
        else:
            scheduler.step()
        [g["lr"] for g in groups]
    return time.perf_counter() - started


def main(path):
    cases = json.load(open(path, encoding="utf-8"))
    results = []
    for case in cases:
        results.append({
            "id": case["id"],
            "steps": case["steps"],
            "scheduler_s": min(run(case, False) for _ in range(REPEATS)),
            "round_s": min(run(case, True) for _ in range(REPEATS)),
        })
    json.dump({"torch": torch_simulate.torch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
