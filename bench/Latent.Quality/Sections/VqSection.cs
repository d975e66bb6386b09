using System.Globalization;
using Latent.Data;
using Latent.Data.Named;
using Latent.Quality.Experiments;

namespace Latent.Quality.Sections;

/// <summary>
/// VQ-VAE and VQ-VAE-2 on Fashion-MNIST, through <see cref="VqExperiment"/>. Target: test MSE / variance of the training pixels ≤ 0.0444 (the Keras VQ-VAE example,
/// MNIST, K=128, D=16, 7×7 codes). VQ-VAE-2 at equal bits: K_bottom=64 on 7×7 + K_top=8 on 4×4 = 342 bits vs 343.
/// Adds vqvae_mse_over_var, vqvae_perplexity, vqvae_usage, vqvae_bits, vqvae2_mse_over_var, vqvae2_bits (and the
/// training seconds). Settings (--set vq.KEY=…): budget_s (training seconds per model, 0 = no limit), epochs,
/// train, test, options (model options "k=v,k=v" for both, over the defaults ema=true restart=20; e.g. ema=false for
/// the codebook-loss variant), options2 (VQ-VAE-2 only), prior_epochs, models (vq-vae,vq-vae-2), attention_epochs
/// (0 = skip; else the top prior of the trained VQ-VAE-2 is refitted with and without attention for that many epochs,
/// <see cref="TopPriorAblation"/>). Under --quick: 2,000 training / 1,000 test images, narrowed network, 1 epoch, no prior.
/// </summary>
internal static class VqSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var c = CultureInfo.InvariantCulture;
        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        var common = new VqRunSettings
        {
            Model = "vq-vae",
            Epochs = o.GetInt("vq.epochs", 1, 30),
            BudgetSeconds = double.Parse(o.Get("vq.budget_s", "0", "1200"), c),
            TrainCount = o.GetInt("vq.train", 2000, 60000),
            TestCount = o.GetInt("vq.test", 1000, 10000),
            PriorEpochs = o.GetInt("vq.prior_epochs", 0, 3),
            EvalEachEpoch = !o.Quick,
        };
        var shared = Options(o.Get("vq.options", "hidden=32,res_hidden=16,prior_layers=4,prior_channels=16", ""));
        var models = o.Get("vq.models", "vq-vae,vq-vae-2", "vq-vae,vq-vae-2").Split(',', StringSplitOptions.RemoveEmptyEntries);
        BenchContext.Log($"\n== VQ-VAE family on Fashion-MNIST: train {Math.Min(common.TrainCount, train.Count)}, test {Math.Min(common.TestCount, test.Count)}, budget {common.BudgetSeconds:F0} s / {common.Epochs} epochs per model");
        var table = new TextTable("model", "bits/image", "epochs", "train s", "test MSE", "MSE/var", "target", "usage", "perplexity");

        if (models.Contains("vq-vae"))
        {
            var opts = new Dictionary<string, string> { ["ema"] = "true", ["restart"] = "20" };
            foreach (var kv in shared) opts[kv.Key] = kv.Value;
            var (_, r) = VqExperiment.Run(common with { Model = "vq-vae", Tag = "vq-vae", ModelOptions = opts, SamplesPng = Png(o, "vq-vae-samples.png") }, train, test, BenchContext.Log);
            table.Add("vq-vae (EMA)", F(r.Bits, "F0"), Epochs(r), F(r.TrainSeconds, "F0"), F(r.Mse, "F5"), F(r.MseOverVariance, "F4"), "<= 0.0444", F(r.Usage, "F3"), F(r.Perplexity, "F1"));
            ctx.Result("vqvae_mse_over_var", r.MseOverVariance, new Measure("MSE/var", "VQ-VAE test MSE / variance of the training pixels, Fashion-MNIST", 0.0444, HigherIsBetter: false, Headline: true));
            ctx.Result("vqvae_perplexity", r.Perplexity, new Measure("codes", $"VQ-VAE codebook perplexity (of {opts.GetValueOrDefault("k", "128")})", Headline: true));
            ctx.Result("vqvae_usage", r.Usage, new Measure("fraction", "VQ-VAE codebook usage per test batch of 256"));
            ctx.Result("vqvae_bits", r.Bits, new Measure("bits", "VQ-VAE code size per image"));
            ctx.Result("vqvae_train_s", r.TrainSeconds, new Measure("s", "VQ-VAE training time (wall)"));
        }
        if (models.Contains("vq-vae-2"))
        {
            var opts = new Dictionary<string, string>(shared) { ["k_top"] = "8", ["k_bottom"] = "64", ["restart"] = "20" };
            foreach (var kv in Options(o.Get("vq.options2", "", ""))) opts[kv.Key] = kv.Value;
            var (model, r) = VqExperiment.Run(common with { Model = "vq-vae-2", Tag = "vq-vae-2", ModelOptions = opts, SamplesPng = Png(o, "vq-vae-2-samples.png") }, train, test, BenchContext.Log);
            table.Add("vq-vae-2 (EMA)", F(r.Bits, "F0"), Epochs(r), F(r.TrainSeconds, "F0"), F(r.Mse, "F5"), F(r.MseOverVariance, "F4"), "< vq-vae", F(r.Usage, "F3"), F(r.Perplexity, "F1"));
            ctx.Result("vqvae2_mse_over_var", r.MseOverVariance, new Measure("MSE/var", "VQ-VAE-2 test MSE / variance of the training pixels at equal bits", TargetText: "below VQ-VAE", Headline: true));
            ctx.Result("vqvae2_bits", r.Bits, new Measure("bits", "VQ-VAE-2 code size per image"));
            ctx.Result("vqvae2_train_s", r.TrainSeconds, new Measure("s", "VQ-VAE-2 training time (wall)"));
            int attentionEpochs = o.GetInt("vq.attention_epochs", 0, 0);
            if (attentionEpochs > 0 && model is Latent.Models.VqVae2.VqVae2 vq2)
            {
                var (with, without) = TopPriorAblation.Run(vq2, attentionEpochs, heads: 4, train, test, BenchContext.Log);
                ctx.Result("vqvae2_top_prior_nll_attention", with, new Measure("nats/position", "VQ-VAE-2 top prior test NLL with two attention blocks"));
                ctx.Result("vqvae2_top_prior_nll_plain", without, new Measure("nats/position", "VQ-VAE-2 top prior test NLL without attention"));
            }
        }
        ctx.Print(table, "models", "VQ-VAE family, Fashion-MNIST test (usage/perplexity: batch-averaged at batch 256; VQ-VAE-2: bottom level)");
    }

    private static string? Png(BenchOptions o, string name) => o.ImageDir is null ? null : Path.Combine(o.ImageDir, name);

    private static string Epochs(VqReport r) => r.Epochs.ToString(CultureInfo.InvariantCulture) + (r.Cancelled ? "+" : "");

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Options(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : throw new ArgumentException($"vq: option '{kv[0]}' has no value"));
}
