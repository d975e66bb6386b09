"""PyTorch reference for the seed VAE on Fashion-MNIST (run with Debian's /usr/bin/python3, torch 1.13).

usage: torch_vae.py --data DIR [--epochs 5] [--seeds 0,1,2] [--threads 1] [--batch 128] [--lr 1e-3] [--train N]
       [--quick]  (= --epochs 1 --seeds 0 --train 5000, the smoke check of bench/quality/run.sh --quick)

Model: encoder 784-128 (ReLU) -> 40 = [mu, log var] (20-d latent), decoder 20-128 (ReLU) -> 784 logits; PyTorch's
default Linear init (Kaiming-uniform a=sqrt(5), bias U(+-1/sqrt(fan_in))), the same scheme as Latent's Linear.
Loss per batch: (BCE-with-logits summed over the batch + KL summed over the batch) / batch size, Adam(lr), shuffled
mini-batches. After every epoch prints the test negative ELBO (one reparameterised sample per image, nats per image)
as `TORCH seed=<s> epoch=<e> train_loss=<mean> test_neg_elbo=<value> test_rec=<..> test_kl=<..> seconds=<epoch time>`.
Latent's side: the `vae` model with arch=784-128-20 hidden=relu output=bernoulli, same optimiser and batch size.
"""
import argparse, gzip, os, struct, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_images(data_dir, split):
    name = "train-images-idx3-ubyte.gz" if split == "train" else "t10k-images-idx3-ubyte.gz"
    path = os.path.join(data_dir, "fashion-mnist", name)
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, h, w = struct.unpack(">IIII", raw[:16])
    assert magic == 2051, f"{path}: bad magic {magic}"
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, h * w).astype(np.float32) / 255.0
    return torch.from_numpy(x)


class SeedVae(nn.Module):
    def __init__(self, z=20, hidden=128):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, hidden), nn.ReLU(), nn.Linear(hidden, 784))
        self.z = z

    def terms(self, x):
        h = self.enc(x)
        mu, logvar = h[:, :self.z], h[:, self.z:]
        zs = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)  # z = mu + sigma * eps
        rec = F.binary_cross_entropy_with_logits(self.dec(zs), x, reduction="sum") / x.shape[0]
        kl = 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1 - logvar) / x.shape[0]
        return rec, kl


def evaluate(model, x, batch=1000):
    rec_sum, kl_sum = 0.0, 0.0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            xb = x[i:i + batch]
            rec, kl = model.terms(xb)
            rec_sum += rec.item() * xb.shape[0]
            kl_sum += kl.item() * xb.shape[0]
    n = x.shape[0]
    return rec_sum / n, kl_sum / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--train", type=int, default=60000, help="train on the first N training images")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.epochs, a.seeds, a.train = 1, "0", 5000
    torch.set_num_threads(a.threads)
    train, test = load_images(a.data, "train"), load_images(a.data, "test")
    train = train[:a.train]
    for seed in [int(s) for s in a.seeds.split(",")]:
        torch.manual_seed(seed)
        model = SeedVae()
        opt = torch.optim.Adam(model.parameters(), lr=a.lr)
        for e in range(1, a.epochs + 1):
            t0 = time.time()
            perm = torch.randperm(train.shape[0])
            total, n = 0.0, 0
            for i in range(0, train.shape[0], a.batch):
                xb = train[perm[i:i + a.batch]]
                rec, kl = model.terms(xb)
                loss = rec + kl
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                total += loss.item() * xb.shape[0]; n += xb.shape[0]
            seconds = time.time() - t0
            rec, kl = evaluate(model, test)
            print(f"TORCH seed={seed} epoch={e} train_loss={total / n:.4f} test_neg_elbo={rec + kl:.4f} "
                  f"test_rec={rec:.4f} test_kl={kl:.4f} seconds={seconds:.1f}", flush=True)


if __name__ == "__main__":
    main()
