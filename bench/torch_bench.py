#!/usr/bin/env python3
"""PyTorch side of bench/run.sh: the same measurements as Latent.Bench, printed the same way.

    torch_bench.py sgemm --size 2048 --threads 1 --reps 7

prints one line of key=value fields (gflops=...). Commands are a table so other benchmarks can be added.
"""
import argparse
import os
import sys
import time


def sgemm(args):
    """C = A @ B on size x size float32 (torch.mm), best of --reps timed runs after a warm-up."""
    import torch

    torch.set_num_threads(args.threads)
    n = args.size
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, generator=g, dtype=torch.float32) - 0.5
    b = torch.rand(n, n, generator=g, dtype=torch.float32) - 0.5
    c = torch.empty(n, n, dtype=torch.float32)
    for _ in range(3):
        torch.mm(a, b, out=c)
    best = float("inf")
    for _ in range(args.reps):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - t0)
    gflops = 2.0 * n * n * n / best / 1e9
    print(f"sgemm size={n} threads={args.threads} torch={torch.__version__} best_s={best:.5f} gflops={gflops:.1f}")


COMMANDS = {"sgemm": sgemm}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args(argv)
    # torch.set_num_threads governs torch's own pool, but a Debian torch (BLAS_INFO=generic) calls the
    # system libblas.so.3, which for OpenBLAS keeps its own thread pool, sized when the library loads:
    # pin it before torch is imported, or "1 thread" would use every core.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    COMMANDS[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
