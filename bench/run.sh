#!/usr/bin/env bash
# Latent vs PyTorch on this machine. Prints a table and ends with one line:
#   RESULT key=value key=value ...
# Each benchmark is a section_<name> function that measures, adds table rows (row) and RESULT fields
# (result); add a section by writing the function and appending its name to SECTIONS.
#
#   bench/run.sh                 # all sections
#   SECTIONS="sgemm" ROUNDS=5 bench/run.sh
#
# ROUNDS: each measurement runs this many times (fresh process) and the best is kept, because the
# machine may be shared; every run already takes the best of several timed reps after a warm-up.
#
# PyTorch BLAS: Debian's python3-torch (BLAS_INFO=generic) does its matrix products through the system
# libblas.so.3, which by default is the unoptimised reference BLAS (~8 GFLOP/s here): no fair opponent.
# Unless TORCH_BLAS=system, the script fetches Debian's OpenBLAS (apt-get download, unpacked into a cache
# directory, the system untouched) and points torch at it with LD_LIBRARY_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
ROUNDS=${ROUNDS:-3}
CORES=$(nproc)
SECTIONS=${SECTIONS:-"sgemm mlp conv"}
# The epoch sections take minutes per run (the conv VAE ~20-40 s an epoch, 2 epochs per run); EPOCH_ROUNDS
# (default ROUNDS) sets their repeats separately.
EPOCH_ROUNDS=${EPOCH_ROUNDS:-$ROUNDS}
BENCH_DLL=bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll

RESULT_FIELDS=()
TABLE_ROWS=()

# result KEY VALUE: add key=value to the final RESULT line.
result() { RESULT_FIELDS+=("$1=$2"); }
# row NAME LATENT TORCH UNIT: one table line; the ratio is Latent / PyTorch (higher is better for rates).
row() {
    local ratio
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    TABLE_ROWS+=("$(printf '%-40s %10s %10s %7s  %s' "$1" "$2" "$3" "$ratio" "$4")")
}
# field KEY: the value of key=... in the line on stdin.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" | tail -n 1; }
# best CMD...: runs CMD ROUNDS times and prints the highest gflops=.
best() {
    local top=0 v
    for ((r = 0; r < ROUNDS; r++)); do
        v=$("$@" | field gflops)
        top=$(awk -v a="$top" -v b="$v" 'BEGIN { print (b > a) ? b : a }')
    done
    echo "$top"
}
# lowest CMD...: runs CMD EPOCH_ROUNDS times and prints the LATENT/TORCH line with the lowest seconds=.
lowest() {
    local best="" top=1e30 line s
    for ((r = 0; r < EPOCH_ROUNDS; r++)); do
        line=$("$@" | grep -E '^(LATENT|TORCH) ' | tail -n 1)
        s=$(field seconds <<< "$line")
        if awk -v a="$s" -v b="$top" 'BEGIN { exit !(a < b) }'; then top=$s; best=$line; fi
    done
    echo "$best"
}
latent() { dotnet "$BENCH_DLL" "$@"; }
torchb() { "${TORCH_ENV[@]}" "$PY" bench/torch_bench.py "$@"; }
torche() { "${TORCH_ENV[@]}" "$PY" bench/torch_epochs.py "$@"; }

# The folder holding fashion-mnist/: LATENT_DATA, else the first shared/datasets in the repository root's parents.
find_data() {
    if [[ -n "${LATENT_DATA:-}" ]]; then echo "$LATENT_DATA"; return; fi
    local d=$PWD
    while [[ $d != / ]]; do
        [[ -d $d/shared/datasets/fashion-mnist ]] && { echo "$d/shared/datasets"; return; }
        d=$(dirname "$d")
    done
    echo "error: no shared/datasets/fashion-mnist above $PWD; set LATENT_DATA" >&2
    exit 1
}

ensure_torch() {
    if ! "$PY" -c 'import torch' 2>/dev/null; then
        echo "installing python3-torch (apt-get)" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
    fi
}

# Sets TORCH_ENV (env assignments for torch runs) and TORCH_BLAS_NAME (for the header).
choose_torch_blas() {
    TORCH_ENV=()
    TORCH_BLAS_NAME="system libblas.so.3 ($(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?'))"
    [[ "${TORCH_BLAS:-openblas}" == system ]] && return
    local cache=${XDG_CACHE_HOME:-$HOME/.cache}/latent-bench/openblas
    local lib=$cache/usr/lib/x86_64-linux-gnu/openblas-pthread
    if [[ ! -e $lib/libblas.so.3 ]]; then
        mkdir -p "$cache"
        ( cd "$cache" && apt-get download libopenblas0-pthread >/dev/null 2>&1 \
            && dpkg-deb -x libopenblas0-pthread_*.deb . ) || true
    fi
    if [[ -e $lib/libblas.so.3 ]]; then
        TORCH_ENV=(env "LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
        TORCH_BLAS_NAME="OpenBLAS $(ls "$cache"/libopenblas0-pthread_*.deb | sed 's/.*pthread_\([^_]*\)_.*/\1/')"
    else
        echo "warning: could not fetch OpenBLAS; PyTorch runs on the system BLAS" >&2
    fi
}

build_bench() {
    dotnet build bench/Latent.Bench -c Release -nologo -v quiet >/dev/null
}

# sgemm: C = A B, 2048^3 float32, GFLOP/s. Latent on 1 thread and on all cores; PyTorch on 1 and 2 threads.
section_sgemm() {
    local size=2048 l1 lall t1 t2
    l1=$(best latent sgemm --size $size --threads 1)
    lall=$(best latent sgemm --size $size --threads "$CORES")
    t1=$(best torchb sgemm --size $size --threads 1)
    t2=$(best torchb sgemm --size $size --threads 2)
    row "sgemm ${size}^3, 1 thread" "$l1" "$t1" "GFLOP/s"
    row "sgemm ${size}^3, $CORES threads (PyTorch 2)" "$lall" "$t2" "GFLOP/s"
    result sgemm_1t "$l1"
    result sgemm_all "$lall"
}

# epoch_section TASK: one training epoch (best of 2 per run), Latent's best of 1 thread and all cores against
# PyTorch's best of 1 and 2 threads; adds seconds, loss and peak RSS rows and the ratio_TASK / rss_ratio_TASK fields.
epoch_section() {
    local task=$1 data l t1 t2 t ls ts
    data=$(find_data)
    # Each side gets its best thread count: Latent 1 or all cores, PyTorch 1 or 2 threads.
    local l1 lall
    l1=$(lowest latent "$task" --threads 1 --data "$data")
    lall=$(lowest latent "$task" --threads "$CORES" --data "$data")
    echo "$l1" >&2
    l=$l1
    if awk -v a="$(field seconds <<< "$lall")" -v b="$(field seconds <<< "$l1")" 'BEGIN { exit !(a < b) }'; then l=$lall; fi
    t1=$(lowest torche "$task" --threads 1 --data "$data")
    t2=$(lowest torche "$task" --threads 2 --data "$data")
    echo "$l" >&2; echo "$t1" >&2; echo "$t2" >&2
    t=$t1
    if awk -v a="$(field seconds <<< "$t2")" -v b="$(field seconds <<< "$t1")" 'BEGIN { exit !(a < b) }'; then t=$t2; fi
    ls=$(field seconds <<< "$l"); ts=$(field seconds <<< "$t")
    row "$task epoch, best (Latent $(field threads <<< "$l") thr, PyTorch $(field threads <<< "$t"))" "$ls" "$ts" "s (lower is better)"
    row "$task epoch, 1 thread each" "$(field seconds <<< "$l1")" "$(field seconds <<< "$t1")" "s"
    row "$task epoch, $CORES threads (PyTorch 2)" "$(field seconds <<< "$lall")" "$(field seconds <<< "$t2")" "s"
    row "$task loss after the epoch" "$(field loss <<< "$l")" "$(field loss <<< "$t")" "(should agree roughly)"
    row "$task peak RSS" "$(field rss_mb <<< "$l")" "$(field rss_mb <<< "$t")" "MB"
    row "$task GC gen0/gen1/gen2 (Latent, best epoch)" "$(field gc0 <<< "$l")/$(field gc1 <<< "$l")/$(field gc2 <<< "$l")" "-" ""
    result "ratio_$task" "$(awk -v a="$ls" -v b="$ts" 'BEGIN { printf "%.3f", a / b }')"
    result "rss_ratio_$task" "$(awk -v a="$(field rss_mb <<< "$l")" -v b="$(field rss_mb <<< "$t")" 'BEGIN { printf "%.3f", a / b }')"
}

# mlp: the seed autoencoder 784-256-128-20-128-256-784, BCE-with-logits, Adam, batch 512, one Fashion-MNIST epoch.
section_mlp() { epoch_section mlp; }

# conv: the convolutional VAE (two stride-2 convs, two transposed convs, z = 16), batch 128, one epoch.
section_conv() { epoch_section conv; }

ensure_torch
choose_torch_blas
build_bench
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $CORES cores; torch $("$PY" -c 'import torch; print(torch.__version__)') on $TORCH_BLAS_NAME; best of $ROUNDS runs"
for s in $SECTIONS; do "section_$s"; done

printf '%-40s %10s %10s %7s  %s\n' "benchmark" "Latent" "PyTorch" "ratio" "unit"
for r in "${TABLE_ROWS[@]}"; do echo "$r"; done
echo "RESULT ${RESULT_FIELDS[*]}"
