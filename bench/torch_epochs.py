"""PyTorch side of the epoch benchmarks in bench/run.sh (run with Debian's /usr/bin/python3).

usage: torch_epochs.py {mlp,conv} --threads N --data DIR [--epochs E] [--steps S]
Prints one line: `TORCH <task> threads=<N> seconds=<best epoch time> rss_mb=<peak RSS> loss=<last epoch mean loss>
cpu_s=<CPU time of the best epoch>`. --steps cuts each epoch to its first S batches, as in Latent.Bench.
The models, losses, optimiser and batch sizes are exactly those of the Latent side (bench/Latent.Bench).
"""
import argparse, gzip, os, resource, struct, sys, time

# OpenBLAS sizes its own thread pool when the library loads (torch.set_num_threads does not reach it), so
# pin it to --threads before torch is imported, as torch_bench.py does.
_threads = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_images(data_dir):
    path = os.path.join(data_dir, "fashion-mnist", "train-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, h, w = struct.unpack(">IIII", raw[:16])
    assert magic == 2051, f"{path}: bad magic {magic}"
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, h * w).astype(np.float32) / 255.0
    return torch.from_numpy(x)


def mlp_model():
    # The seed autoencoder: 784-256-128-20-128-256-784, ReLU between layers, no activation on code/output.
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 20),
        nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 784))


class ConvVae(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten(),
            nn.Linear(3136, 2 * z))
        self.dec = nn.Sequential(
            nn.Linear(z, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))
        self.z = z

    def loss(self, x):
        h = self.enc(x)
        mu, logvar = h[:, :self.z], h[:, self.z:]
        zs = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec(zs)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return (rec + kl) / x.shape[0]


def epoch(task, model, opt, x, batch, gen, max_steps):
    perm = torch.randperm(x.shape[0], generator=gen)
    total, n = 0.0, 0
    for i in range(0, x.shape[0], batch):
        if n >= max_steps:
            break
        xb = x[perm[i:i + batch]]
        if task == "mlp":
            loss = F.binary_cross_entropy_with_logits(model(xb), xb)
        else:
            loss = model.loss(xb.view(-1, 1, 28, 28))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item(); n += 1
    return total / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["mlp", "conv"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--steps", type=int, default=1 << 30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = load_images(a.data)
    model = mlp_model() if a.task == "mlp" else ConvVae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = 512 if a.task == "mlp" else 128
    gen = torch.Generator().manual_seed(0)
    best, loss, cpu = float("inf"), float("nan"), 0.0
    for _ in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        loss = epoch(a.task, model, opt, x, batch, gen, a.steps)
        seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        if seconds < best:
            best, cpu = seconds, cpu_s
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"TORCH {a.task} threads={a.threads} seconds={best:.3f} rss_mb={rss_mb:.1f} loss={loss:.5f} cpu_s={cpu:.3f}")


if __name__ == "__main__":
    sys.exit(main())
