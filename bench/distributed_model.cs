#:project ../src/Latent.Viz/Latent.Viz.csproj
#:property PublishAot=false
// Cost model of synchronous data-parallel training, fitted to bench/distributed.sh's measurements.
// Usage: dotnet run bench/distributed_model.cs -- BENCH_OUTPUT WEIGHT_DIFF LOAD
//   BENCH_OUTPUT: lines "workload ranks samples_per_s allreduce_ms_per_step parameters" (bench/distributed.sh)
//   WEIGHT_DIFF: max |w2 - w1| / max |w1| of the 2-rank vs 1-process test; LOAD: the load while measuring, as text ("load average 35").
// Writes docs/distributed-scaling.svg and bench/results/distributed.json; prints the table of docs/DISTRIBUTED.md.
//
// Weak scaling (Goyal et al. 2017; Horovod): each of N ranks keeps the benchmark's batch b, the global batch is N·b.
//   step time T(N) = b·t_c + T_ar(N),   T_ar(N) = 2(N−1)/N · P·4 bytes / bandwidth + 2(N−1)·α   (ring all-reduce)
//   throughput(N) = N·b / T(N);  t_c = 1 / (1-rank samples/s), P = parameters, α = per-message latency.
// Strong scaling (the global batch stays b, each rank takes b/N): T(N) = (b/N)·t_c + T_ar(N); communication dominates
// from the N where T_ar(N) ≥ (b/N)·t_c. The 2-rank run on this machine is of this kind (b/2 per rank).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Viz.Svg;

var inv = CultureInfo.InvariantCulture;
var rows = File.ReadAllLines(args[0]).Select(l => l.Split(' ')).Where(f => f.Length == 5 && f[0] is "mlp" or "conv" or "mlp-b0" or "conv-b0")
    .Select(f => (Name: f[0], Ranks: int.Parse(f[1], inv), Rate: double.Parse(f[2], inv), ArMs: double.Parse(f[3], inv), Params: long.Parse(f[4], inv))).ToList();
double weightDiff = double.Parse(args[1], inv);
string load = args[2];
var links = new[] { (Name: "10 Gbit/s", Bw: 10e9 / 8, Alpha: 20e-6), (Name: "100 Gbit/s", Bw: 100e9 / 8, Alpha: 5e-6) };
int[] ns = [1, 2, 4, 8, 16, 32, 64];
var chart = new LineChart { Title = "Data-parallel throughput, measured (this machine) and modelled", XLabel = "log2(ranks)", YLabel = "samples/s", LogY = true, Width = 720, Height = 400 };
var entries = new List<object>();
var date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", inv);
var machine = new { cpu = "shared VM", cores = Environment.ProcessorCount, dotnet = Environment.Version.ToString(), load };
string command = $"bench/distributed.sh > d.txt && dotnet run bench/distributed_model.cs -- d.txt {args[1]} \"{load}\"";
// The target: at least 1.8× the throughput per doubling of N; the last N up to which every doubling reaches it.
string Holds(double[] y)
{
    int upTo = ns[0];
    for (int i = 1; i < ns.Length && y[i] / y[i - 1] >= 1.8; i++) upTo = ns[i];
    return upTo == ns[^1] ? "all N ≤ 64" : $"N ≤ {upTo}";
}
Console.WriteLine("| workload | batch/rank | parameters | link | " + string.Join(" | ", ns.Select(n => $"N={n}")) + " | ≥ 1.8×/doubling up to | comm ≥ compute from |");
Console.WriteLine("|---|---|---|---|" + string.Concat(ns.Select(_ => "---|")) + "---|---|");
foreach (var name in new[] { "mlp", "conv" })
{
    var one = rows.FirstOrDefault(r => r.Name == name && r.Ranks == 1);
    var two = rows.FirstOrDefault(r => r.Name == name && r.Ranks == 2);
    if (one.Name is null || two.Name is null) continue;
    int b = name == "mlp" ? 512 : 128;
    double tc = 1 / one.Rate, bytes = 4.0 * one.Params;
    foreach (var (link, bw, alpha) in links)
    {
        double Rate(int n) => n * b / (b * tc + (n == 1 ? 0 : 2.0 * (n - 1) / n * bytes / bw + 2.0 * (n - 1) * alpha));
        var y = ns.Select(Rate).ToArray();
        chart.AddSeries($"{name} model {link}", ns.Select(n => Math.Log2(n)).ToArray(), y);
        double Ar(int n) => n == 1 ? 0 : 2.0 * (n - 1) / n * bytes / bw + 2.0 * (n - 1) * alpha;
        int cross = ns.FirstOrDefault(n => n > 1 && Ar(n) >= b * tc);
        Console.WriteLine($"| {name} | {b} | {one.Params:N0} | {link} | " + string.Join(" | ", y.Select(v => v.ToString("F0", inv))) + $" | {Holds(y)} | {(cross == 0 ? "beyond 64" : cross.ToString(inv))} |");
    }
    foreach (var (link, bw, alpha) in links)
    {
        double Ar(int n) => n == 1 ? 0 : 2.0 * (n - 1) / n * bytes / bw + 2.0 * (n - 1) * alpha;
        var strong = ns.Select(n => b / (b * tc / n + Ar(n))).ToArray();
        if (link.StartsWith("10 ", StringComparison.Ordinal)) chart.AddSeries($"{name} model {link}, global batch {b}", ns.Select(n => Math.Log2(n)).ToArray(), strong);
        int cross = ns.FirstOrDefault(n => n > 1 && Ar(n) >= b * tc / n);
        Console.WriteLine($"| {name} | {b}/N | {one.Params:N0} | {link}, strong | " + string.Join(" | ", strong.Select(v => v.ToString("F0", inv))) + $" | {Holds(strong)} | {(cross == 0 ? "beyond 64" : cross.ToString(inv))} |");
    }
    // The 2-rank check on this machine: global batch b, b/2 per rank, shared-memory loopback with the measured all-reduce time.
    double predicted2 = b / (b / 2.0 * tc + two.ArMs / 1000);
    chart.AddSeries($"{name} measured", [0, 1], [one.Rate, two.Rate]);
    Console.WriteLine($"{name}: 1 rank {one.Rate:F1}/s, 2 ranks {two.Rate:F1}/s (ratio {two.Rate / one.Rate:F2}), all-reduce {two.ArMs:F2} ms/step; model with that all-reduce time predicts {predicted2:F1}/s (ratio {predicted2 / one.Rate:F2})");
    entries.Add(new { name = $"mpi_2rank_throughput_ratio{(name == "mlp" ? "" : "_conv")}", value = Math.Round(two.Rate / one.Rate, 3), unit = "ratio",
        description = $"{name}: samples/s on 2 MPI ranks / 1 process, 1 kernel thread each, on a shared 2-core machine ({load})",
        headline = name == "mlp", command, date, machine,
        notes = $"1 rank {one.Rate:F1}/s, 2 ranks {two.Rate:F1}/s, all-reduce {two.ArMs:F2} ms/step; model predicts ratio {predicted2 / one.Rate:F2}" });
    entries.Add(new { name = $"mpi_allreduce_ms_{name}", value = Math.Round(two.ArMs, 3), unit = "ms/step", description = $"{name}: time in MPI collectives per step on 2 ranks, gradient buckets (1 MiB first, then 25 MiB) started during backward (loopback, waiting included)", command, date, machine });
    // The same 2-rank run with one all-reduce after backward (--bucket-mb 0): what the overlap saves.
    var flat = rows.FirstOrDefault(r => r.Name == name + "-b0" && r.Ranks == 2);
    if (flat.Name is not null)
    {
        double stepMs = b / two.Rate * 1000, flatStepMs = b / flat.Rate * 1000;
        Console.WriteLine($"{name}: one all-reduce after backward: {flat.Rate:F1}/s, step {flatStepMs:F1} ms, collectives {flat.ArMs:F2} ms/step; buckets during backward: step {stepMs:F1} ms, collectives {two.ArMs:F2} ms/step");
        entries.Add(new { name = $"mpi_allreduce_ms_{name}_one_bucket", value = Math.Round(flat.ArMs, 3), unit = "ms/step", description = $"{name}: time in MPI collectives per step on 2 ranks with one all-reduce after backward (--bucket-mb 0)", command, date, machine });
        entries.Add(new { name = $"mpi_step_ms_{name}", value = Math.Round(stepMs, 2), unit = "ms/step", description = $"{name}: step time on 2 ranks (global batch {b}), buckets (1 MiB first, then 25 MiB) overlapping backward", higher_is_better = false, command, date, machine });
        entries.Add(new { name = $"mpi_step_ms_{name}_one_bucket", value = Math.Round(flatStepMs, 2), unit = "ms/step", description = $"{name}: step time on 2 ranks (global batch {b}), one all-reduce after backward (--bucket-mb 0)", higher_is_better = false, command, date, machine });
    }
}
entries.Insert(0, new { name = "mpi_max_rel_weight_diff", value = weightDiff, unit = "ratio", description = "max |w(2 ranks) - w(1 process)| / max |w| after 4 epochs (sprites, 784-64-8, batch 32, Adam)",
    target = 1e-4, higher_is_better = false, headline = true, command = "dotnet test tests/Latent.Distributed.Tests -c Release", date, machine });
File.WriteAllText("docs/distributed-scaling.svg", chart.ToSvg() + "\n");
// Entries that other programs wrote (the large-batch run) are kept; this program's are replaced.
var json = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
var mine = entries.Select(e => JsonSerializer.SerializeToNode(e, json)!).ToList();
var names = mine.Select(e => (string)e["name"]!).ToHashSet();
var kept = File.Exists("bench/results/distributed.json")
    ? (JsonNode.Parse(File.ReadAllText("bench/results/distributed.json"))!["entries"]!.AsArray()).Where(e => !names.Contains((string)e!["name"]!)).Select(e => e!.DeepClone())
    : [];
File.WriteAllText("bench/results/distributed.json", new JsonObject { ["section"] = "distributed", ["entries"] = new JsonArray([.. mine, .. kept]) }.ToJsonString(json) + "\n");
