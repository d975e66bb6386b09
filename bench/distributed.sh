#!/usr/bin/env bash
# Data-parallel scaling on this machine: samples/s of `latent train` on 1 process and on 2 (mpirun, --distributed),
# each process with one kernel thread, for the MLP (seed autoencoder shape, batch 512) and the conv VAE (batch 128)
# on 28x28 sprites. Prints one line per run: workload ranks samples_per_s allreduce_ms_per_step parameters.
# The 2-rank runs go twice: with the default gradient buckets (1 MiB first, then 25 MiB) started during backward
# (mlp, conv) and with one all-reduce after backward (--bucket-mb 0: mlp-b0, conv-b0), interleaved so that both see
# about the same load.
# The second epoch is timed (the first includes JIT warm-up). Usage: bench/distributed.sh [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-6144}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 LATENT_NUM_THREADS=1
dotnet build src/Latent.Cli -c Release -v q -nologo >/dev/null
latent=src/Latent.Cli/bin/Release/net10.0/latent.dll
out=$(mktemp -d)
run() { # name ranks args...
  local name=$1 ranks=$2; shift 2
  local dir="$out/$name-$ranks" log
  if [ "$ranks" -gt 1 ]; then
    log=$(mpirun --oversubscribe -np "$ranks" dotnet "$latent" train "$@" --out "$dir" --distributed 2>&1)
  else
    log=$(dotnet "$latent" train "$@" --out "$dir" 2>&1)
  fi
  local secs params ms
  secs=$(awk -F, 'NR==3 {print $NF}' "$dir/metrics.csv")
  params=$(echo "$log" | grep -o '[0-9,]* parameters' | head -1 | tr -d ', parameters')
  ms=$(echo "$log" | grep -o '([0-9.]* ms per step)' | tr -d '()a-z ' || true)
  echo "$name $ranks $(awk -v n="$samples" -v s="$secs" 'BEGIN {printf "%.1f", n / s}') ${ms:-0} $params"
}
common=(--data sprites --samples "$samples" --epochs 2 --val-fraction 0 --no-report --threads 1)
mlp=(--model ae --arch 784-256-128-20 --batch 512)
conv=(--model vae --set network=conv --code 16 --batch 128)
run mlp 1 "${common[@]}" "${mlp[@]}"
run mlp 2 "${common[@]}" "${mlp[@]}"
run mlp-b0 2 "${common[@]}" "${mlp[@]}" --bucket-mb 0
run conv 1 "${common[@]}" "${conv[@]}"
run conv-b0 2 "${common[@]}" "${conv[@]}" --bucket-mb 0
run conv 2 "${common[@]}" "${conv[@]}"
rm -rf "$out"
