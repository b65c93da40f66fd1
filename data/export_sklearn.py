#!/usr/bin/env python3
"""Writes the real datasets shipped in data/ from scikit-learn's bundled copies.

iris.csv: Fisher's Iris (150 rows, 4 features in cm, 3 classes), UCI, CC BY 4.0.
wine.csv: UCI Wine recognition (178 rows, 13 features, 3 classes), CC BY 4.0; standardized
(z-scores, 6 decimals) because its raw columns span five orders of magnitude.
Both are stored in one fixed random order (numpy seed 0), so any tail validation split holds
every class. Run: python data/export_sklearn.py (needs scikit-learn and numpy).
"""

import os

import numpy as np
from sklearn.datasets import load_iris, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))


def column_name(name):
    return name.replace(" (cm)", "_cm").replace(" ", "_").replace("/", "_")


def write(path, names, features, labels, digits):
    order = np.random.RandomState(0).permutation(len(labels))
    with open(path, "w") as f:
        f.write(",".join([column_name(n) for n in names] + ["label"]) + "\n")
        for i in order:
            cells = [f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits else repr(float(v)) for v in features[i]]
            f.write(",".join(cells + [str(int(labels[i]))]) + "\n")


iris = load_iris()
write(os.path.join(HERE, "iris.csv"), iris.feature_names, iris.data, iris.target, 0)
wine = load_wine()
standardized = (wine.data - wine.data.mean(axis=0)) / wine.data.std(axis=0)
write(os.path.join(HERE, "wine.csv"), wine.feature_names, standardized, wine.target, 6)
