#!/usr/bin/env bash
# The quality bench: every figure of docs/RESULTS.md, measured on real data by bench/Latent.Quality, with the PyTorch
# references from the scripts beside this one (torch_seed_ae.py, torch_vae.py).
#
# usage: bench/quality/run.sh [--quick] [--sections seed,ae-pca,odds,vae,vq,tdvae,regularised,bvae,dvae,sr,inpaint,compress,stacked,
#                             zoo-vae-variants,disentangle,timeseries,sample-quality,odds-heldout]
#                             [--set key=value ...] [--tag NAME] [--results DIR]
#   --quick     tiny versions of every section (a smoke check, minutes); writes no results and no pictures
#   --sections  run only these sections (default: all)
#   --set       override a section setting for an experiment, e.g. --set fm.epochs=5 (see bench/Latent.Quality/Sections)
#   --tag       append _NAME to every key, so that a variant's figures sit beside the defaults' (e.g. --tag seed2)
#   --results   folder for the SECTION.json files (default bench/results; --quick: a temporary folder)
# Each section writes bench/results/SECTION.json (schema: bench/README.md) and the run ends by regenerating
# docs/RESULTS.md from them, then prints one line: RESULT fm_ae30_sse=… mnist_ae30_sse=… seed_ae_ratio=… (more keys follow).
# The full vq section trains each of the two models for a 20-minute budget (--set vq.budget_s=…).
# Data: ../shared/datasets relative to the repository root, or $LATENT_DATA. PyTorch: /usr/bin/python3 (override with
# $TORCH_PYTHON); without it the seed and vae sections report their Latent side and the ratios as na.
# SEED_EPOCHS=1,10,20,50,100 sets the epochs of the seed experiment on both sides (default 1,10,20).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${LATENT_DATA:-$root/../shared/datasets}"
python="${TORCH_PYTHON:-/usr/bin/python3}"
command="bench/quality/run.sh $*"
[[ -n "${SEED_EPOCHS:-}" ]] && command="SEED_EPOCHS=$SEED_EPOCHS $command"
[[ -n "${LATENT_NUM_THREADS:-}" ]] && command="LATENT_NUM_THREADS=$LATENT_NUM_THREADS $command"
quick=0
sections="seed,ae-pca,odds,vae,vq,tdvae,regularised,bvae,dvae,sr,inpaint,compress,stacked"
sections="$sections,zoo-vae-variants,disentangle,timeseries,sample-quality"
results=""
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; extra+=(--quick) ;;
    --sections) sections="$2"; shift ;;
    --set) extra+=(--set "$2"); shift ;;
    --tag) extra+=(--tag "$2"); shift ;;
    --results) results="$2"; shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

dotnet build "$root/bench/Latent.Quality" -c Release -v q -nologo >&2
quality="$root/bench/Latent.Quality/bin/Release/net10.0/latent-quality.dll"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [[ -z "$results" ]]; then
  if [[ $quick == 1 ]]; then results="$tmp/results"; else results="$root/bench/results"; fi
fi

torch=0
if [[ ",$sections," == *",seed,"* || ",$sections," == *",vae,"* ]]; then
  if "$python" -c 'import torch' 2>/dev/null; then torch=1
  else echo "run.sh: no PyTorch for $python: seed_ae_ratio and vae_elbo_ratio will be na" >&2; fi
fi

# PyTorch side of the seed experiment, same epochs as the Latent side (one thread).
if [[ ",$sections," == *",seed,"* && $torch == 1 ]]; then
  if [[ $quick == 1 ]]; then
    "$python" "$root/bench/quality/torch_seed_ae.py" --data "$data" --epochs 1,2 --train 5000 | tee "$tmp/torch_seed.txt"
  else
    "$python" "$root/bench/quality/torch_seed_ae.py" --data "$data" --epochs "${SEED_EPOCHS:-1,10,20}" | tee "$tmp/torch_seed.txt"
  fi
  extra+=(--torch-seed "$tmp/torch_seed.txt")
fi
[[ ",$sections," == *",seed,"* && -n "${SEED_EPOCHS:-}" && $quick == 0 ]] && extra+=(--set "seed.epochs=$SEED_EPOCHS")

# PyTorch side of the VAE section: lines with test_neg_elbo=<test -ELBO> per seed and epoch.
if [[ ",$sections," == *",vae,"* && $torch == 1 ]]; then
  vae_args=()
  [[ $quick == 1 ]] && vae_args=(--quick)
  "$python" "$root/bench/quality/torch_vae.py" --data "$data" "${vae_args[@]}" | tee "$tmp/torch_vae.txt"
  extra+=(--torch-vae "$tmp/torch_vae.txt")
fi

img=()
[[ $quick == 0 ]] && img=(--img "$root/docs/img")
dotnet "$quality" --data "$data" --sections "$sections" --results "$results" --command "$command" "${img[@]}" "${extra[@]}"
if [[ $quick == 0 && "$results" == "$root/bench/results" ]]; then
  dotnet "$quality" results --root "$root"
fi
