#!/usr/bin/env bash
# Latent against TorchSharp (libtorch 2.10, MKL + oneDNN) and PyTorch 1.13 (Debian, on OpenBLAS) on this machine,
# interleaved: every round runs each peer once per thread count, one after the other, so that all peers see the same
# neighbours. Prints a table and one line `RESULT key=value ...`, and writes bench/results/speed.json (an array of
# {name, value, target, unit, higher_is_better, command, date, machine, commit, notes}; schema in bench/README.md). A run
# of some sections replaces only their entries: the others stay, each with the command, date and commit that made it.
#
#   bench/run.sh                                  # every section, 3 rounds, full epochs
#   SECTIONS="conv" ROUNDS=5 STEPS=100 bench/run.sh
#
# Sections: sgemm (2048^3), mlp (seed AE epoch, batch 512), conv (conv VAE epoch, batch 128), conv_loaded (the conv
# epoch while a CPU-bound process spins pinned to core 0: does Latent's second thread still help?), infer (conv AE
# inference against ONNX Runtime 1.32).
# ROUNDS (default 3): rounds of interleaved runs; a peer's figure is its best over rounds and thread counts, and the
# spread of each ratio is its range over rounds (the ratio of the round's bests).
# EPOCHS (default 2): epochs per run, best kept (the first includes JIT warm-up). STEPS: cut each epoch to its first
# STEPS batches (all peers alike) for a shorter run; empty = whole epochs (MLP 118 steps, conv 469).
# SUMMARY_ONLY=1: no measurement; summarise bench/results/speed_runs.txt as it stands (an interrupted run's rounds).
# TorchSharp runs twice per thread count: with glibc's default malloc and with its mmap/trim thresholds raised
# (TS_TUNED below), which spares libtorch most of its page faults; the better of the two is TorchSharp's figure.
#
# PyTorch BLAS: Debian's python3-torch does its matrix products through the system libblas.so.3, by default the
# unoptimised reference BLAS: unless TORCH_BLAS=system, Debian's OpenBLAS is fetched (apt-get download, unpacked into
# a cache directory, the system untouched) and torch pointed at it with LD_LIBRARY_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
ROUNDS=${ROUNDS:-3}
EPOCHS=${EPOCHS:-2}
STEPS=${STEPS:-}
CORES=$(nproc)
SECTIONS=${SECTIONS:-"sgemm mlp conv conv_loaded infer"}
TS_TUNED="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648"
BENCH_DLL=bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll
TS_DLL=bench/TorchSharpBench/bin/Release/net10.0/TorchSharpBench.dll
OUT=bench/results
RAW=$OUT/speed_runs.txt
mkdir -p "$OUT"
# SUMMARY_ONLY=1: skip the measurements and summarise the runs already in $RAW (e.g. after an interrupted run).
[[ -n ${SUMMARY_ONLY:-} ]] || : > "$RAW"

latent() { dotnet "$BENCH_DLL" "$@"; }
tsharp() { dotnet "$TS_DLL" "$@"; }
tsharp_tuned() { GLIBC_TUNABLES=$TS_TUNED dotnet "$TS_DLL" "$@"; }
torchb() { "${TORCH_ENV[@]}" "$PY" bench/torch_bench.py "$@"; }
torche() { "${TORCH_ENV[@]}" "$PY" bench/torch_epochs.py "$@"; }

# run SECTION ROUND PEER CMD...: runs CMD once and appends its result line (the last line with '=' in it) to $RAW,
# tagged with the section, round, peer, the 1-minute load average before the run and the command itself.
run() {
    local section=$1 round=$2 peer=$3 load line
    shift 3
    load=$(cut -d' ' -f1 /proc/loadavg)
    line=$("$@" | grep '=' | tail -n 1)
    echo "section=$section round=$round peer=$peer load=$load $line | $*" >> "$RAW"
    echo "  [$section r$round] $peer load=$load: $line" >&2
}

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
    TORCH_ENV=(env)
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

build() {
    dotnet build bench/Latent.Bench -c Release -nologo -v quiet >/dev/null
    dotnet build bench/TorchSharpBench -c Release -nologo -v quiet >/dev/null
    dotnet build bench/OrtBench -c Release -nologo -v quiet >/dev/null
}

# sgemm: C = A B, 2048^3 float32, GFLOP/s, on 1 thread and on all cores.
section_sgemm() {
    local r
    for ((r = 1; r <= ROUNDS; r++)); do
        run sgemm "$r" latent_1 latent sgemm --size 2048 --threads 1
        run sgemm "$r" latent_n latent sgemm --size 2048 --threads "$CORES"
        run sgemm "$r" ts_1 tsharp sgemm --size 2048 --threads 1
        run sgemm "$r" ts_n tsharp sgemm --size 2048 --threads "$CORES"
        run sgemm "$r" torch_1 torchb sgemm --size 2048 --threads 1
        run sgemm "$r" torch_n torchb sgemm --size 2048 --threads "$CORES"
    done
}

# epoch_section TASK: per round, one run (EPOCHS epochs, best kept) of each peer on 1 thread and on all cores.
epoch_section() {
    local task=$1 data r t
    data=$(find_data)
    local args=(--epochs "$EPOCHS" --data "$data")
    [[ -n $STEPS ]] && args+=(--steps "$STEPS")
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in 1 "$CORES"; do
            local tag=$([[ $t == 1 ]] && echo 1 || echo n)
            run "$task" "$r" "latent_$tag" latent "$task" --threads "$t" "${args[@]}"
            run "$task" "$r" "ts_$tag" tsharp "$task" --threads "$t" "${args[@]}"
            run "$task" "$r" "tstuned_$tag" tsharp_tuned "$task" --threads "$t" "${args[@]}"
            run "$task" "$r" "torch_$tag" torche "$task" --threads "$t" "${args[@]}"
        done
    done
}

# mlp: the seed autoencoder 784-256-128-20-128-256-784, BCE-with-logits, Adam, batch 512.
section_mlp() { epoch_section mlp; }

# conv: the convolutional VAE (two stride-2 convs, two transposed convs, z = 16), batch 128.
section_conv() { epoch_section conv; }

# conv_loaded: the conv epoch, Latent on 1 and on all cores and TorchSharp (tuned) on all cores, while a CPU-bound
# loop runs pinned to core 0 at normal priority (the benchmark itself is not pinned).
section_conv_loaded() {
    local data r spinner
    data=$(find_data)
    local args=(--epochs "$EPOCHS" --data "$data")
    [[ -n $STEPS ]] && args+=(--steps "$STEPS")
    taskset -c 0 bash -c 'while :; do :; done' &
    spinner=$!
    trap 'kill "$spinner" 2>/dev/null || true' EXIT
    for ((r = 1; r <= ROUNDS; r++)); do
        run conv_loaded "$r" latent_1 latent conv --threads 1 "${args[@]}"
        run conv_loaded "$r" latent_n latent conv --threads "$CORES" "${args[@]}"
        run conv_loaded "$r" tstuned_n tsharp_tuned conv --threads "$CORES" "${args[@]}"
    done
    kill "$spinner" 2>/dev/null || true
    trap - EXIT
}

# infer: the conv autoencoder's encoder over 10,000 Fashion-MNIST test images at batch 256 (images/s) and batch-1
# latency (p50/p99 over 1,000 calls), Latent against ONNX Runtime 1.32 on the same weights. Latent runs the encoder as an
# InferencePlan (weights packed once, like an ORT session); latent_layers_* is the layers' own Forward, for reference.
section_infer() {
    local data r model=$OUT/infer_model
    data=$(find_data)
    # Latent writes the seeded weights once (encoder.safetensors); the export script turns them into encoder.onnx.
    [[ -e $model/encoder.safetensors ]] || latent infer --threads 1 --calls 10 --data "$data" --model "$model" >/dev/null
    [[ -e $model/encoder.onnx ]] || /usr/bin/python3 bench/export_encoder_onnx.py "$model" >/dev/null
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in 1 "$CORES"; do
            local tag=$([[ $t == 1 ]] && echo 1 || echo n)
            run infer "$r" "latent_$tag" latent infer --threads "$t" --data "$data" --model "$model"
            run infer "$r" "latent_layers_$tag" latent infer --plan 0 --threads "$t" --data "$data" --model "$model"
            run infer "$r" "ort_$tag" dotnet bench/OrtBench/bin/Release/net10.0/OrtBench.dll --threads "$t" --data "$data" --model "$model"
        done
    done
}

if [[ -z ${SUMMARY_ONLY:-} ]]; then
ensure_torch
/usr/bin/python3 -c 'import onnx' 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-onnx >/dev/null; }
choose_torch_blas
# The commit measured: the tree as it is built (an edit made while the run goes on does not reach its binaries).
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo "+dirty")
build
MACHINE="$(lscpu | sed -n 's/^Model name: *//p') ($(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2, no AVX-512)), $CORES cores, .NET $(dotnet --version)"
TS_VERSION=$(sed -n 's/.*Include="TorchSharp-cpu" Version="\([^"]*\)".*/\1/p' bench/TorchSharpBench/TorchSharpBench.csproj)
PEERS="TorchSharp-cpu $TS_VERSION (libtorch 2.10), ONNX Runtime 1.32.0, torch $("$PY" -c 'import torch; print(torch.__version__)') on $TORCH_BLAS_NAME"
echo "machine: $MACHINE; peers: $PEERS; $ROUNDS rounds, $EPOCHS epochs per run${STEPS:+, $STEPS steps per epoch}"
for s in $SECTIONS; do "section_$s"; done
else
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo "+dirty")
MACHINE="$(lscpu | sed -n 's/^Model name: *//p') ($(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2, no AVX-512)), $CORES cores, .NET $(dotnet --version)"
PEERS="TorchSharp-cpu (libtorch 2.10), ONNX Runtime 1.32.0, PyTorch 1.13 on OpenBLAS"
fi

# Summarise $RAW: table, RESULT line, speed.json.
"$PY" - "$RAW" "$OUT/speed.json" "$MACHINE" "$PEERS" "$COMMIT" "SECTIONS=\"$SECTIONS\" ROUNDS=$ROUNDS EPOCHS=$EPOCHS${STEPS:+ STEPS=$STEPS} bench/run.sh" <<'PYEOF'
import datetime, json, os, statistics, sys

raw, out, machine, peers, commit, command = sys.argv[1:]
runs = []
for line in open(raw):
    fields, _, cmd = line.partition(" | ")
    rec = dict(kv.split("=", 1) for kv in fields.split() if "=" in kv)
    rec["round"] = int(rec["round"])
    runs.append(rec)

def vals(section, peers_, key, rnd=None):
    return [float(r[key]) for r in runs if r["section"] == section and r["peer"] in peers_ and key in r
            and (rnd is None or r["round"] == rnd)]

def rounds(section):
    return sorted({r["round"] for r in runs if r["section"] == section})

def spread(xs):
    return f"{min(xs):.3f}-{max(xs):.3f} over {len(xs)} repeats" if xs else "no repeats"

entries, table = [], []
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
loads = [float(r["load"]) for r in runs]
load_note = f"1-min load average before each run {min(loads):.1f}-{max(loads):.1f}" if loads else ""

def entry(name, value, target, unit, higher, notes):
    if value is None:
        return
    entries.append(dict(name=name, value=round(value, 4), target=target, unit=unit, higher_is_better=higher,
                        command=command, date=date, machine=machine, commit=commit,
                        notes="; ".join(n for n in (notes, peers, load_note) if n)))

def ratio_spread(section, num, den, higher_better_num):
    """Per-round ratio of num's best to den's best (times: min; rates: max)."""
    pick = max if higher_better_num else min
    out_ = []
    for rnd in rounds(section):
        a, b = vals(section, num, "seconds" if not higher_better_num else "gflops", rnd), vals(section, den, "seconds" if not higher_better_num else "gflops", rnd)
        if a and b:
            out_.append(pick(a) / pick(b))
    return out_

LAT1, LATN = {"latent_1"}, {"latent_n"}
LAT = LAT1 | LATN
TS = {"ts_1", "ts_n", "tstuned_1", "tstuned_n"}
TS1 = {"ts_1", "tstuned_1"}
TORCH = {"torch_1", "torch_n"}

if rounds("sgemm"):
    for peer, label in (("latent_1", "Latent 1 thread"), ("latent_n", "Latent all cores"), ("ts_1", "TorchSharp 1 thread"),
                        ("ts_n", "TorchSharp all cores"), ("torch_1", "PyTorch 1 thread"), ("torch_n", "PyTorch all cores")):
        g = vals("sgemm", {peer}, "gflops")
        if g:
            table.append((f"sgemm 2048^3, {label}", f"{max(g):.1f}", "GFLOP/s", spread(g)))
    entry("sgemm_1t", max(vals("sgemm", LAT1, "gflops")), None, "GFLOP/s", True, "Latent sgemm 2048^3, 1 thread, best of repeats")
    entry("sgemm_all", max(vals("sgemm", LATN, "gflops")), None, "GFLOP/s", True, "Latent sgemm 2048^3, all cores, best of repeats")
    rs = ratio_spread("sgemm", LAT, {"ts_1", "ts_n"}, True)
    entry("ratio_sgemm_ts", max(vals("sgemm", LAT, "gflops")) / max(vals("sgemm", {"ts_1", "ts_n"}, "gflops")), None,
          "ratio", True, f"Latent best / TorchSharp best GFLOP/s; per repeat {spread(rs)}")

targets = {"ratio_conv_ts": 0.8, "ratio_conv_ts_1t": 0.9, "ratio_mlp_ts": 0.8, "scaling_conv_2t": 1.6,
           "scaling_conv_2t_loaded": 1.3, "rss_ratio_conv_ts": 0.6, "rss_ratio_mlp_ts": 0.6}
for task in ("mlp", "conv"):
    if not rounds(task):
        continue
    for peer, label in (("latent_1", "Latent 1 thread"), ("latent_n", "Latent all cores"),
                        ("ts_1", "TorchSharp 1 thread"), ("ts_n", "TorchSharp all cores"),
                        ("tstuned_1", "TorchSharp tuned malloc 1 thread"), ("tstuned_n", "TorchSharp tuned malloc all cores"),
                        ("torch_1", "PyTorch 1 thread"), ("torch_n", "PyTorch all cores")):
        s = vals(task, {peer}, "seconds")
        if s:
            rss = vals(task, {peer}, "rss_mb")
            table.append((f"{task} epoch, {label}", f"{min(s):.3f}", "s", f"{spread(s)}; peak RSS {max(rss):.0f} MB"))
    lb, tb, pb = min(vals(task, LAT, "seconds")), min(vals(task, TS, "seconds")), min(vals(task, TORCH, "seconds"))
    entry(f"ratio_{task}_ts", lb / tb, targets.get(f"ratio_{task}_ts"), "ratio", False,
          f"Latent best / TorchSharp best epoch time (either malloc, either thread count); per repeat {spread(ratio_spread(task, LAT, TS, False))}")
    entry(f"ratio_{task}", lb / pb, None, "ratio", False,
          f"Latent best / PyTorch best epoch time; per repeat {spread(ratio_spread(task, LAT, TORCH, False))}")
    entry(f"ratio_{task}_ts_1t", min(vals(task, LAT1, "seconds")) / min(vals(task, TS1, "seconds")),
          targets.get(f"ratio_{task}_ts_1t"), "ratio", False,
          f"1 thread each, Latent / TorchSharp best (either malloc); per repeat {spread(ratio_spread(task, LAT1, TS1, False))}")
    sc = ratio_spread(task, LAT1, LATN, False)
    entry(f"scaling_{task}_2t", statistics.median(sc) if sc else None, targets.get(f"scaling_{task}_2t"), "ratio", True,
          f"Latent 1-thread / all-core epoch time in the same round, median; {spread(sc)}")
    lr = max(vals(task, LAT, "rss_mb"))
    entry(f"rss_ratio_{task}_ts", lr / min(vals(task, TS, "rss_mb")), targets.get(f"rss_ratio_{task}_ts"), "ratio", False,
          "Latent's largest peak RSS over its runs / TorchSharp's smallest")
    entry(f"rss_ratio_{task}", lr / min(vals(task, TORCH, "rss_mb")), None, "ratio", False,
          "Latent's largest peak RSS over its runs / PyTorch's smallest")

if rounds("conv_loaded"):
    for peer, label in (("latent_1", "Latent 1 thread"), ("latent_n", "Latent all cores"), ("tstuned_n", "TorchSharp tuned all cores")):
        s = vals("conv_loaded", {peer}, "seconds")
        if s:
            table.append((f"conv epoch, core 0 busy, {label}", f"{min(s):.3f}", "s", spread(s)))
    sc = ratio_spread("conv_loaded", LAT1, LATN, False)
    entry("scaling_conv_2t_loaded", statistics.median(sc) if sc else None, targets["scaling_conv_2t_loaded"], "ratio", True,
          f"conv epoch with a CPU-bound loop pinned to core 0: Latent 1-thread / all-core time in the same round, median; {spread(sc)}")

if rounds("infer"):
    for peer, label in (("latent_1", "Latent 1 thread"), ("latent_n", "Latent all cores"),
                        ("latent_layers_1", "Latent layers' Forward, 1 thread"), ("latent_layers_n", "Latent layers' Forward, all cores"),
                        ("ort_1", "ORT 1 thread"), ("ort_n", "ORT all cores")):
        ips, p50, p99 = vals("infer", {peer}, "images_per_s"), vals("infer", {peer}, "p50_us"), vals("infer", {peer}, "p99_us")
        if ips:
            table.append((f"encode batch 256, {label}", f"{max(ips):.0f}", "images/s", spread(ips)))
            table.append((f"batch-1 latency p50 / p99, {label}", f"{min(p50):.0f} / {min(p99):.0f}", "us", spread(p50)))
    LI, OI = {"latent_1", "latent_n"}, {"ort_1", "ort_n"}
    entry("ratio_infer_throughput_ort", max(vals("infer", LI, "images_per_s")) / max(vals("infer", OI, "images_per_s")), 1.0,
          "ratio", True, "encoder images/s at batch 256, Latent best / ONNX Runtime best")
    entry("ratio_infer_p50_ort", min(vals("infer", LI, "p50_us")) / min(vals("infer", OI, "p50_us")), 1.2,
          "ratio", False, "batch-1 p50 latency, Latent best / ONNX Runtime best")
    entry("ratio_infer_p99_ort", min(vals("infer", LI, "p99_us")) / min(vals("infer", OI, "p99_us")), None,
          "ratio", False, "batch-1 p99 latency, Latent best / ONNX Runtime best")

print(f"{'benchmark':<48} {'best':>12}  {'unit':<9} spread")
for name, v, unit, note in table:
    print(f"{name:<48} {v:>12}  {unit:<9} {note}")
for e in entries:
    t = e["target"]
    status = "" if t is None else ("  met" if (e["value"] >= t if e["higher_is_better"] else e["value"] <= t) else "  MISSED")
    print(f"{e['name']:<28} {e['value']:>9.3f}  target {t if t is not None else '-':<5}{status}")
print("RESULT " + " ".join(f"{e['name']}={e['value']}" for e in entries))
# Keep the entries of the sections this run skipped (each names the run that made it), in the file's order.
kept = []
if os.path.exists(out):
    new = {e["name"] for e in entries}
    kept = [e for e in json.load(open(out)) if e["name"] not in new]
tmp = out + ".tmp"
json.dump(kept + entries, open(tmp, "w"), indent=2)
os.replace(tmp, out)
print(f"wrote {out} ({len(entries)} entries, {len(kept)} kept from earlier runs) and {raw}")
PYEOF
