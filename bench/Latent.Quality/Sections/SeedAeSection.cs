using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// The seed's exact experiment on Fashion-MNIST: 784-256-128-20 AE, ReLU, no activation on the code or the output,
/// BCE with logits, Adam 1e-3, batch 512, shuffled; test SSE per image after the listed epochs for Latent and for
/// PyTorch (bench/quality/torch_seed_ae.py, read from --torch-seed). Adds seed_ae_sse_e{N}, torch_seed_sse_e{N}
/// and seed_ae_ratio = Latent / PyTorch at the last common epoch (target 1 ± 0.03).
/// <para>Loss scale: PyTorch averages the BCE over all elements; Latent's ae sums over the 784 pixels of a sample
/// and averages over the batch. Adam is invariant to a constant scale of the loss (up to its ε = 1e-8), so the two
/// runs take the same steps in expectation.</para>
/// </summary>
internal static partial class SeedAeSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        if (o.Quick) train = train.Subset(Enumerable.Range(0, 5000).ToArray(), train.Name + "[:5000]");
        var epochs = o.Get("seed.epochs", "1,2", "1,10,20").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).Order().ToArray();
        var pictures = o.Get("seed.pictures", "", "1,10,20").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToHashSet();
        if (pictures.Count > 0 && !pictures.Contains(epochs[^1])) pictures.Add(epochs[^1]); // the last one we can run
        var training = new TrainingOptions { Epochs = epochs[^1], BatchSize = 512, LearningRate = 1e-3f, Schedule = "constant", Seed = 1, CheckpointEvery = 0 };
        var model = QualityTraining.Create("ae", "arch=784-256-128-20,hidden=relu,code=none,output=bernoulli", train.SampleShape, training.Seed);
        BenchContext.Log($"\n== seed experiment: fashion-mnist train {train.Count}, test {test.Count}, epochs {string.Join(",", epochs)}");

        var latent = new SortedDictionary<int, (double Sse, double Seconds)>();
        QualityTraining.Fit(model, train, training, epochs.Union(pictures).ToArray(), (e, s) =>
        {
            double sse = Evaluation.Reconstruction(model, test).SsePerImage;
            if (epochs.Contains(e)) latent[e] = (sse, s);
            BenchContext.Log($"  epoch {e}: test SSE {sse:F3} ({s:F0} s)");
            if (pictures.Contains(e) && o.ImageDir is not null)
                ReconstructionGrid.Save(model, test, 50, Path.Combine(o.ImageDir, $"seed_ae_epoch{e:D3}.png"));
        }, logEpochs: false);

        var torch = ReadTorch(o.TorchSeedFile);
        var table = new TextTable("epoch", "Latent SSE", "Latent s", "PyTorch SSE", "PyTorch s", "Latent / PyTorch");
        int lastCommon = 0;
        foreach (var (e, (sse, s)) in latent)
        {
            ctx.Result($"seed_ae_sse_e{e}", sse, new Measure("SSE/image", $"seed AE test SSE per image after epoch {e}, Latent"));
            string ts = "na", tt = "na", ratio = "na";
            if (torch.TryGetValue(e, out var t))
            {
                ts = t.Sse.ToString("F3", CultureInfo.InvariantCulture);
                tt = t.Seconds.ToString("F0", CultureInfo.InvariantCulture);
                ratio = (sse / t.Sse).ToString("F4", CultureInfo.InvariantCulture);
                ctx.Result($"torch_seed_sse_e{e}", t.Sse, new Measure("SSE/image", $"seed AE test SSE per image after epoch {e}, PyTorch"));
                lastCommon = e;
            }
            table.Add(e.ToString(CultureInfo.InvariantCulture), sse.ToString("F3", CultureInfo.InvariantCulture), s.ToString("F0", CultureInfo.InvariantCulture), ts, tt, ratio);
        }
        ctx.Print(table, "per-epoch", "Seed AE 784-256-128-20 on Fashion-MNIST: Latent vs PyTorch (test SSE per image)");
        if (lastCommon > 0)
        {
            double r = latent[lastCommon].Sse / torch[lastCommon].Sse;
            string status = Math.Abs(r - 1) <= 0.03 ? "met" : $"MISSED ({r:F4})";
            BenchContext.Log($"seed_ae_ratio at epoch {lastCommon}: {r:F4} — target 1 ± 0.03: {status}");
            ctx.Result("seed_ae_ratio", r, RatioMeasure);
            ctx.Result("seed_ae_ratio_epoch", lastCommon.ToString(CultureInfo.InvariantCulture), new Measure("epoch", "the epoch seed_ae_ratio compares"));
        }
        else
        {
            BenchContext.Log("seed_ae_ratio: na (no PyTorch results given with --torch-seed)");
            ctx.Result("seed_ae_ratio", "na", RatioMeasure);
        }
    }

    private static readonly Measure RatioMeasure = new("ratio", "seed AE: Latent / PyTorch test SSE at the last common epoch", 1, Tolerance: 0.03, Headline: true);

    /// <summary>TORCH_SEED lines: epoch → (test SSE, training seconds).</summary>
    private static Dictionary<int, (double Sse, double Seconds)> ReadTorch(string? path)
    {
        var result = new Dictionary<int, (double, double)>();
        if (path is null || !File.Exists(path)) return result;
        foreach (var line in File.ReadLines(path))
        {
            var m = TorchLine().Match(line);
            if (m.Success)
                result[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] =
                    (double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        }
        return result;
    }

    [GeneratedRegex(@"^TORCH_SEED epoch=(\d+) sse=([0-9.eE+-]+) seconds=([0-9.eE+-]+)")]
    private static partial Regex TorchLine();
}
