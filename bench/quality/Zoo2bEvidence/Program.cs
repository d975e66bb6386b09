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
if (which is "tdvae" or "all") RunTdVae(epochs > 0 ? epochs : 30, lr);

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

static void RunTdVae(int epochs, float lr)
{
    // 16x16 moving sprites, 16 frames per sequence: one sample = one sequence [16,1,16,16] (bench/quality/Shared/TdVaeExperiment.cs).
    var options = new TdVaeOptions();
    Console.WriteLine($"## td-vae: {options.ToText()}; lr {lr}; data moving-sprites 1024 train / 256 test, shape [16,1,16,16]");
    Console.WriteLine("| epoch | total | reconstruction | kl_smoothing | transition_nll | belief_log_prob |");
    Console.WriteLine("|---|---|---|---|---|---|");
    var run = Latent.Evidence.TdVaeExperiment.Run(epochs, lr,
        e => Console.WriteLine($"| {e.Epoch} | {e.TrainValue("total"):F2} | {e.TrainValue("reconstruction"):F2} | {e.TrainValue("kl_smoothing"):F2} | {e.TrainValue("transition_nll"):F2} | {e.TrainValue("belief_log_prob"):F2} |"),
        (model, test) =>
        {
            var sampled = TdVaeEvaluation.JumpyPrediction(model, test, observed: 8, maxAhead: 8, new Rng(5), sample: true);
            Console.WriteLine($"\none sampled rollout (z ~ p_B, z ~ p_T): tdvae_gain_over_copy = {sampled.GainOverCopy:F2} (position), pixel MSE gain = {sampled.PixelGainOverCopy:F2}");
        }, options);
    Console.WriteLine($"training took {run.TrainSeconds:F0} s");
    var rep = run.Jumpy;
    Console.WriteLine($"\njumpy prediction with the means (z = mu_B, z <- mu_T) on {rep.Sequences} test sequences after {rep.Observed} observed frames (k <= {run.Model.MaxJump}: one jump; beyond: chained jumps of {run.Model.MaxJump}):");
    Console.WriteLine("| k | model position error (px) | copy position error (px) | model pixel MSE | copy pixel MSE |");
    Console.WriteLine("|---|---|---|---|---|");
    for (int i = 0; i < rep.Ahead.Length; i++)
        Console.WriteLine($"| {rep.Ahead[i]} | {rep.ModelPositionError[i]:F2} | {rep.CopyPositionError[i]:F2} | {rep.ModelPixelMse[i]:F4} | {rep.CopyPixelMse[i]:F4} |");
    Console.WriteLine($"\ntdvae_gain_over_copy = {rep.GainOverCopy:F2} (position), pixel MSE gain = {rep.PixelGainOverCopy:F2}");
}

/// <summary>Prints each finished epoch at once (synchronously).</summary>
internal sealed class EpochPrinter(Action<EpochMetrics> print) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.EpochEnd is { } e) print(e);
    }
}
