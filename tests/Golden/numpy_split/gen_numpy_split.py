#!/usr/bin/python3
"""Reference streams of numpy's legacy RandomState, for Latent.Data.Loading.NumpyRandomState and
DataSplit.SklearnTrainTestSplit.

Run with the system interpreter that has numpy (1.24.2 was used):  /usr/bin/python3 tests/Golden/numpy_split/gen_numpy_split.py
It writes numpy_split.json beside this script. Never regenerate it to make a failing test pass: fix the code.

scikit-learn is not installed here, so its train_test_split is not called; its rule (ShuffleSplit with a float
test_size) is written out in sklearn_split() below: n_test = ceil(test_size * n), n_train = n - n_test,
perm = check_random_state(seed).permutation(n), test = perm[:n_test], train = perm[n_test:n_test + n_train].
The numpy part, which is the part that has to match bit for bit, comes from numpy itself.
"""
import json
import math
import os

import numpy as np

ODDS_SIZES = {"arrhythmia": 452, "cardio": 1831, "ionosphere": 351, "mnist": 7603, "musk": 3062, "pendigits": 6870,
              "pima": 768, "satellite": 6435, "satimage-2": 5803, "shuttle": 49097, "wbc": 378}


def sklearn_split(n, test_size, seed):
    n_test = math.ceil(test_size * n)
    n_train = n - n_test
    perm = np.random.RandomState(seed).permutation(n)
    return perm[n_test:n_test + n_train], perm[:n_test]


def summary(idx):
    idx = [int(v) for v in idx]
    return {"count": len(idx), "head": idx[:8], "tail": idx[-8:], "weighted_sum": sum((i + 1) * v for i, v in enumerate(idx))}


out = {"numpy": np.__version__}
# Raw 32-bit outputs: randint over the full uint32 range returns next_uint32 unchanged in the legacy path.
out["uint32"] = [{"seed": s, "values": [int(v) for v in np.random.RandomState(s).randint(0, 2**32, size=1300, dtype=np.uint32)]}
                 for s in (0, 1, 12345, 2**32 - 1)]
# Bounded 64-bit draws with a range above 2**32: masked rejection on next_uint64, the same loop as random_interval.
out["interval64"] = [{"seed": s, "max": m, "values": [int(v) for v in np.random.RandomState(s).randint(0, m + 1, size=50, dtype=np.uint64)]}
                     for s, m in ((0, 2**33 + 4), (7, 2**40 - 1))]
out["permutations"] = [{"seed": s, "n": n, "perm": [int(v) for v in np.random.RandomState(s).permutation(n)]}
                       for s in (0, 1, 42) for n in (0, 1, 2, 3, 10, 37, 100, 1000)]
out["odds_splits"] = []
for name, n in ODDS_SIZES.items():
    for seed in range(10):
        train, test = sklearn_split(n, 0.4, seed)
        out["odds_splits"].append({"set": name, "n": n, "seed": seed, "train": summary(train), "test": summary(test)})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_split.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
