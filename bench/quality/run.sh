#!/usr/bin/env bash
# Evidence on real data (issues 4 and 5): AE vs PCA at code 30, the seed experiment vs PyTorch, ODDS anomaly detection,
# the VAE hook, VQ-VAE / VQ-VAE-2 on Fashion-MNIST, TD-VAE jumpy prediction, the regularised autoencoders' claims,
# beta-VAE disentanglement (MIG) on the built-in sprites, the dVAE on Fashion-MNIST.
#
# usage: bench/quality/run.sh [--quick] [--sections seed,ae-pca,odds,vae,vq,tdvae,zoo1a,bvae,dvae] [--set key=value ...]
#   --quick     tiny versions of every section (a smoke check, minutes)
#   --sections  run only these sections (default: all)
#   --set       override a section setting for an experiment, e.g. --set fm.epochs=5 (see bench/Latent.Quality)
# Ends with one line: RESULT fm_ae30_sse=… mnist_ae30_sse=… seed_ae_ratio=… vae_elbo_ratio=… odds_mean_auc=…
#   vqvae_mse_over_var=… vqvae_perplexity=… vqvae2_mse_over_var=… tdvae_gain_over_copy=… tdvae_min_gain_over_copy=… (more keys follow).
# The full vq section trains each of the two models for a 20-minute budget (--set vq.budget_s=…).
# Data: ../shared/datasets relative to the repository root, or $LATENT_DATA. PyTorch: /usr/bin/python3 (override with $TORCH_PYTHON).
# Pictures go to docs/img/ (full runs only).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${LATENT_DATA:-$root/../shared/datasets}"
python="${TORCH_PYTHON:-/usr/bin/python3}"
quick=0
sections="seed,ae-pca,odds,vae,vq,tdvae,zoo1a,bvae,dvae"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; extra+=(--quick) ;;
    --sections) sections="$2"; shift ;;
    --set) extra+=(--set "$2"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

dotnet build "$root/bench/Latent.Quality" -c Release -v q -nologo >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# PyTorch side of the seed experiment, same epochs as the Latent side (one thread, as the brief asks).
if [[ ",$sections," == *",seed,"* ]]; then
  if [[ $quick == 1 ]]; then
    "$python" "$root/bench/quality/torch_seed_ae.py" --data "$data" --epochs 1,2 --train 5000 | tee "$tmp/torch_seed.txt"
  else
    "$python" "$root/bench/quality/torch_seed_ae.py" --data "$data" --epochs "${SEED_EPOCHS:-1,10,20}" | tee "$tmp/torch_seed.txt"
  fi
  extra+=(--torch-seed "$tmp/torch_seed.txt")
  [[ -n "${SEED_EPOCHS:-}" && $quick == 0 ]] && extra+=(--set "seed.epochs=$SEED_EPOCHS")
fi

# Hook for the VAE section: bench/quality/torch_vae.py (written with the VAE) prints a line with elbo=<test ELBO>.
if [[ ",$sections," == *",vae,"* && -f "$root/bench/quality/torch_vae.py" ]]; then
  vae_args=()
  [[ $quick == 1 ]] && vae_args=(--epochs 1 --seeds 0)
  "$python" "$root/bench/quality/torch_vae.py" --data "$data" "${vae_args[@]}" | tee "$tmp/torch_vae.txt"
  extra+=(--torch-vae "$tmp/torch_vae.txt")
fi

img=()
[[ $quick == 0 ]] && img=(--img "$root/docs/img")
dotnet "$root/bench/Latent.Quality/bin/Release/net10.0/latent-quality.dll" --data "$data" --sections "$sections" "${img[@]}" "${extra[@]}"
