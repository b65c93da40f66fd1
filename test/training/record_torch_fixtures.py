#!/usr/bin/env python3
"""Records what real torch does for every run in train-cases.json, through scripts/torch_train.py
(the `train` contract implemented with torch), into fixtures/torch-train.json.

Run from the repository root with the torch venv's python:
  /root/.cache/lr-lens/torch-venv/bin/python test/training/record_torch_fixtures.py
test/unit/training-torch.test.ts replays the same runs through runTrainCommand and compares.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write_torch_init(path, sizes, seed):
    """INIT.json from torch's own default nn.Linear init (torch.manual_seed(seed)), in its layout."""
    torch.manual_seed(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        linear = torch.nn.Linear(fan_in, fan_out, dtype=torch.float64)
        layers.append({"weight": linear.weight.tolist(), "bias": linear.bias.tolist()})
    with open(path, "w") as f:
        json.dump({"layers": layers}, f)


def main():
    os.makedirs(os.path.join(HERE, "fixtures"), exist_ok=True)
    write_torch_init(os.path.join(HERE, "fixtures", "init-iris-4-16-8-3.json"), [4, 16, 8, 3], 0)
    cases_path = os.path.join(HERE, "train-cases.json")
    raw = open(cases_path, "rb").read()
    runs = json.loads(raw)["runs"]
    results = []
    for run in runs:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(run["case"], f)
            case_path = f.name
        try:
            out = subprocess.run(
                [sys.executable, os.path.join(ROOT, "scripts", "torch_train.py"),
                 "--case", case_path, "--data", os.path.join(ROOT, run["data"]), *run["args"]],
                cwd=ROOT,
                check=True, capture_output=True, text=True)
        finally:
            os.unlink(case_path)
        results.append({"id": run["id"], "result": json.loads(out.stdout)})
        print(run["id"], len(results[-1]["result"]["steps"]), "steps", file=sys.stderr)
    fixture = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "cases_sha256": hashlib.sha256(raw).hexdigest(),
        "runs": results,
    }
    with open(os.path.join(HERE, "fixtures", "torch-train.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
