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
SECTIONS=${SECTIONS:-"sgemm"}
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
latent() { dotnet "$BENCH_DLL" "$@"; }
torchb() { "${TORCH_ENV[@]}" "$PY" bench/torch_bench.py "$@"; }

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

ensure_torch
choose_torch_blas
build_bench
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $CORES cores; torch $("$PY" -c 'import torch; print(torch.__version__)') on $TORCH_BLAS_NAME; best of $ROUNDS runs"
for s in $SECTIONS; do "section_$s"; done

printf '%-40s %10s %10s %7s  %s\n' "benchmark" "Latent" "PyTorch" "ratio" "unit"
for r in "${TABLE_ROWS[@]}"; do echo "$r"; done
echo "RESULT ${RESULT_FIELDS[*]}"
