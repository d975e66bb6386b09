using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Models.Dvae;
using Latent.Models.TdVae;
using Latent.Models.Training;

// Evidence for the dvae and td-vae pages: prints per-epoch logs and the final numbers as markdown.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string which = args.Length > 0 ? args[0] : "all";
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
float lr = args.Length > 2 ? float.Parse(args[2], CultureInfo.InvariantCulture) : 1e-3f;
if (which is "dvae" or "all") RunDvae(epochs > 0 ? epochs : 12);
// tdvae EPOCHS LR [key=value ...]: model options (TdVaeOptions.Parse) plus data keys size, frames, count, batch.
var settings = args.Skip(3).Select(a => a.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
if (which is "tdvae" or "all") RunTdVae(epochs > 0 ? epochs : 30, lr, settings);

static void RunDvae(int epochs)
{
    // 28x28 sprites (the built-in generator), conv network: a 7x7 grid of K-way tokens.
    var train = Sprites.Generate(1024, seed: 1, size: 28);
    var test = Sprites.Generate(256, seed: 2, size: 28);
    var options = new DvaeOptions { Categories = 64, EmbeddingDim = 32, Channels = 32 };
    var model = new Dvae(options, train.SampleShape, new Rng(1));
    Console.WriteLine($"## dvae: {options.ToText()}; data {train.Name} {train.Count} train / {test.Count} test, shape [{string.Join(",", train.SampleShape)}]");
    var clock = Stopwatch.StartNew();
    Console.WriteLine("| epoch | temperature | beta | train recon | train kl | train -ELBO | valid recon (hard) | valid -ELBO (hard) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    Trainer.Fit(model, train, test, new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 },
        new EpochPrinter(e => Console.WriteLine($"| {e.Epoch} | {e.TrainValue("temperature"):F3} | {e.TrainValue("beta"):F2} | {e.TrainValue("reconstruction"):F2} | {e.TrainValue("kl"):F2} | {e.TrainValue("neg_elbo"):F2} | {V(e, "reconstruction"):F2} | {V(e, "neg_elbo"):F2} |")));
    var r = DvaeEvaluation.HardVersusSoft(model, test);
    Console.WriteLine($"\nhard vs soft on {r.Samples} test samples (tau={r.Temperature:F4}): soft MSE {r.SoftMse:F5}, hard MSE {r.HardMse:F5}, hard-soft MSE {r.HardSoftMse:F6}, codebook usage {r.CodebookUsage:P0}");
    var r1 = DvaeEvaluation.HardVersusSoft(model, test, temperature: 1f);
    Console.WriteLine($"same at tau=1: soft MSE {r1.SoftMse:F5}, hard MSE {r1.HardMse:F5}, hard-soft MSE {r1.HardSoftMse:F6}");
    Console.WriteLine($"training took {clock.Elapsed.TotalSeconds:F0} s");
}

static double V(EpochMetrics e, string name) => e.ValidationValue(name);

static void RunTdVae(int epochs, float lr, Dictionary<string, string> settings)
{
    int Take(string key, int fallback)
    {
        if (!settings.Remove(key, out var v)) return fallback;
        return int.Parse(v, CultureInfo.InvariantCulture);
    }
    ulong seed = (ulong)Take("seed", 1);
    int size = Take("size", 16), frames = Take("frames", 16), count = Take("count", 1024), batch = Take("batch", 32);
    // 16x16 moving sprites, 16 frames per sequence: one sample = one sequence [16,1,16,16] (bench/quality/Shared/TdVaeExperiment.cs).
    float speed = settings.Remove("speed", out var sp) ? float.Parse(sp, CultureInfo.InvariantCulture) : 1f;
    var options = TdVaeOptions.Parse(settings);
    Console.WriteLine($"## td-vae: {options.ToText()}; lr {lr}; batch {batch}; data moving-sprites {count} train / 256 test, shape [{frames},1,{size},{size}], speed x{speed}, seed {seed}");
    Console.WriteLine("| epoch | total | reconstruction | kl_smoothing | transition_nll | belief_log_prob |");
    Console.WriteLine("|---|---|---|---|---|---|");
    var run = Latent.Evidence.TdVaeExperiment.Run(epochs, lr,
        e => Console.WriteLine($"| {e.Epoch} | {e.TrainValue("total"):F2} | {e.TrainValue("reconstruction"):F2} | {e.TrainValue("kl_smoothing"):F2} | {e.TrainValue("transition_nll"):F2} | {e.TrainValue("belief_log_prob"):F2} |"),
        (model, test) =>
        {
            var sampled = TdVaeEvaluation.JumpyPrediction(model, test, observed: 8, maxAhead: 8, new Rng(5), sample: true);
            Console.WriteLine($"\none sampled rollout (z ~ p_B, z ~ p_T): tdvae_gain_over_copy = {sampled.GainOverCopy:F2} (position), pixel MSE gain = {sampled.PixelGainOverCopy:F2}");
        }, options, trainCount: count, size: size, frames: frames, batchSize: batch, speed: speed, seed: seed);
    Console.WriteLine($"training took {run.TrainSeconds:F0} s");
    var rep = run.Jumpy;
    Console.WriteLine($"\njumpy prediction with the means (z = mu_B, z <- mu_T) on {rep.Sequences} test sequences after {rep.Observed} observed frames (k <= {run.Model.MaxJump}: one jump; beyond: chained jumps of {run.Model.MaxJump}):");
    Console.WriteLine("| k | model position error (px) | copy position error (px) | gain | model bright-part error (px) | copy bright-part error (px) | model pixel MSE | copy pixel MSE |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < rep.Ahead.Length; i++)
        Console.WriteLine($"| {rep.Ahead[i]} | {rep.ModelPositionError[i]:F2} | {rep.CopyPositionError[i]:F2} | {rep.GainPerK[i]:F2} | {rep.ModelPeakPositionError[i]:F2} | {rep.CopyPeakPositionError[i]:F2} | {rep.ModelPixelMse[i]:F4} | {rep.CopyPixelMse[i]:F4} |");
    Console.WriteLine($"\nmotion agreement (mean cosine, predicted vs true displacement) k=1..4: {string.Join(" ", Enumerable.Range(1, 4).Select(k => TdVaeEvaluation.MotionAgreement(run.Model, run.Test, 8, k).ToString("F2", CultureInfo.InvariantCulture)))}");
    Console.WriteLine($"tdvae_gain_over_copy = {rep.GainOverCopy:F2} (position), tdvae_min_gain_over_copy = {rep.MinGainOverCopy:F2}; bright-part centroid: mean gain {rep.PeakGainOverCopy:F2}, min {rep.MinPeakGainOverCopy:F2}; pixel MSE gain = {rep.PixelGainOverCopy:F2}");
}

/// <summary>Prints each finished epoch at once (synchronously).</summary>
internal sealed class EpochPrinter(Action<EpochMetrics> print) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.EpochEnd is { } e) print(e);
    }
}
