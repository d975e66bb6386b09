"""scikit-learn IsolationForest ROC-AUC on the 11 ODDS sets, PyOD's benchmark splits.

For every set and t = 0..9: train_test_split(X, y, test_size=0.4, random_state=np.random.RandomState(t)) (as PyOD's
notebooks/benchmark.py), IsolationForest(random_state=t) with scikit-learn's defaults (100 trees, max_samples =
min(256, n)) fitted on the train rows, ROC-AUC of -score_samples on the test rows. Writes iforest_sklearn.json:
per set the mean ROC-AUC over the 10 splits and each split's value. Latent.Models.Tests.Anomaly.IsolationForestTests
checks Latent's IsolationForest on the same splits against these numbers (±0.02 per set); the numbers are committed,
the test never runs this script.

usage: python3 tests/Golden/iforest/gen_iforest.py [DATASETS_DIR]   (default ../shared/datasets from the repo root)
"""
import csv, gzip, json, os, sys

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

SETS = ["arrhythmia", "cardio", "ionosphere", "mnist", "musk", "pendigits", "pima", "satellite", "satimage-2", "shuttle", "wbc"]


def load(path):
    with gzip.open(path, "rt") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    li = header.index("label")
    x = np.array([[float(v) for i, v in enumerate(r) if i != li] for r in body], dtype=np.float32)
    y = np.array([int(float(r[li])) for r in body])
    return x, y


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "datasets")
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "trials": 10, "sets": {}}
    for name in SETS:
        x, y = load(os.path.join(data, "odds", name + ".csv.gz"))
        aucs = []
        for t in range(10):
            x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=np.random.RandomState(t))
            forest = IsolationForest(random_state=t).fit(x_train)
            aucs.append(float(roc_auc_score(y_test, -forest.score_samples(x_test))))
        out["sets"][name] = {"mean_roc_auc": round(float(np.mean(aucs)), 4), "roc_auc": [round(a, 4) for a in aucs]}
        print(f"{name:11s} {np.mean(aucs):.4f}", flush=True)
    with open(os.path.join(here, "iforest_sklearn.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
