"""PyTorch side of the seed experiment in bench/quality/run.sh (run with Debian's /usr/bin/python3).

usage: torch_seed_ae.py --data DIR [--epochs 1,10,20,100] [--train N] [--seed S]
The seed autoencoder 784-256-128-20-128-256-784 (ReLU between hidden layers, no activation on the code or
the output), BCE-with-logits averaged over all elements, Adam lr 1e-3, batch 512, shuffled every epoch,
PyTorch's default initialisation, one thread. Trained on the Fashion-MNIST training set (the first N images
with --train), evaluated on the full test set after each listed epoch.
Prints one line per listed epoch: `TORCH_SEED epoch=<e> sse=<test SSE per image> seconds=<training time so far>`.
"""
import argparse, gzip, os, struct, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_images(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    path = os.path.join(data_dir, "fashion-mnist", f"{prefix}-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, h, w = struct.unpack(">IIII", raw[:16])
    assert magic == 2051, f"{path}: bad magic {magic}"
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, h * w).astype(np.float32) / 255.0
    return torch.from_numpy(x)


def model():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 20),
        nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 784))


def test_sse(net, x):
    with torch.no_grad():
        total = 0.0
        for i in range(0, x.shape[0], 1000):
            xb = x[i:i + 1000]
            r = torch.sigmoid(net(xb))
            total += float(((r - xb) ** 2).sum(dtype=torch.float64))
    return total / x.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", default="1,10,20")
    ap.add_argument("--train", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    report = sorted({int(e) for e in a.epochs.split(",")})
    xtr, xte = load_images(a.data, "train"), load_images(a.data, "test")
    if a.train > 0:
        xtr = xtr[:a.train]
    net = model()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    seconds = 0.0
    for epoch in range(1, report[-1] + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(xtr.shape[0])
        for i in range(0, xtr.shape[0], 512):
            xb = xtr[perm[i:i + 512]]
            loss = F.binary_cross_entropy_with_logits(net(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - t0
        if epoch in report:
            print(f"TORCH_SEED epoch={epoch} sse={test_sse(net, xte):.4f} seconds={seconds:.1f}", flush=True)


if __name__ == "__main__":
    main()
