using Latent.Core;
using Latent.Models;
using Latent.Models.VqVae;

namespace Latent.Export.Tests.Onnx;

/// <summary>Tiny models from the registry for the export tests: every registered family, plus network variants.</summary>
internal static class ExportCases
{
    public static readonly int[] Image = [1, 28, 28];

    /// <summary>Families whose inference graph has no ONNX form in the exporter (each throws NotSupportedException).</summary>
    public static readonly string[] NotExportable = ["vq-vae-2", "dvae", "cvae", "td-vae", "sr-ae", "planar-vae", "iaf-vae",
        "lstm-ae", "lstm-vae"];

    /// <summary>(model, "key=value;..." settings) pairs: every registered model with its defaults, and the network variants.</summary>
    public static IEnumerable<(string Model, string Settings)> All()
    {
        foreach (var m in ModelRegistry.All) yield return (m.Name, "");
        yield return ("ae", "network=conv");
        yield return ("ae", "network=conv-bn;hidden=leaky_relu");
        yield return ("ae", "network=mlp-bn;hidden=elu;output=gaussian");
        yield return ("ae", "arch=784-64-8;hidden=gelu");
        yield return ("ae", "arch=784-64-8;hidden=tanh;output=gaussian");
        yield return ("vae", "network=conv");
        yield return ("k-sparse-ae", "network=conv");
        yield return ("ae", "network=conv1d;arch=64-8");
        yield return ("ae", "arch=784-64-8;tied=true");
        yield return ("dae", "arch=784-32-4;tied=true;output=tanh;network=mlp-bn");
        yield return ("ae", "network=conv;output=tanh");
    }

    /// <summary>Builds the model with a fixed seed and non-trivial batch-norm statistics, in inference mode.</summary>
    public static AutoencoderModel Build(string name, string settings, ulong seed = 3)
    {
        var dict = settings.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        // A TD-VAE reads sequences [T, ...frame]; the conv1d network reads sequences [C, L].
        int[] shape = name == "td-vae" ? [4, 784] : dict.GetValueOrDefault("network") == "conv1d" ? [2, 32] : Image;
        var model = ModelRegistry.Create(name, dict, shape, new Rng(seed));
        var rng = new Rng(seed + 100);
        foreach (var (key, t) in model.StateDict())
        {
            // Fresh batch norms have mean 0 and variance 1; move them so the exported inference form is really checked.
            if (key.EndsWith("running_mean", StringComparison.Ordinal)) rng.Uniform(t.Shape, -0.2f, 0.2f).Span.CopyTo(t.Span);
            if (key.EndsWith("running_var", StringComparison.Ordinal)) rng.Uniform(t.Shape, 0.5f, 1.5f).Span.CopyTo(t.Span);
            if (key.EndsWith(".weight", StringComparison.Ordinal) && t.Rank == 1) rng.Uniform(t.Shape, 0.8f, 1.2f).Span.CopyTo(t.Span);
        }
        if (model is VqVae q) SpreadCodebook(q, rng);
        model.Eval();
        return model;
    }

    /// <summary>
    /// Sets the codebook to encoder outputs of random images plus a little noise (as a k-means initialisation would), so
    /// that inputs map to many different codes: a fresh uniform codebook sends every position to the same entry.
    /// </summary>
    private static void SpreadCodebook(VqVae q, Rng rng)
    {
        var e = q.Quantizer.Embeddings;
        int k = q.Quantizer.CodebookSize, d = q.Quantizer.Dim;
        Tensor rows;
        using (Tensor.NoGrad())
            rows = q.Encoder.Forward(rng.Uniform([Math.Max(1, k / (q.CodeHeight * q.CodeWidth) + 1), .. q.InputShape])).Permute(0, 2, 3, 1).Reshape(-1, d);
        var noise = rng.Normal([k, d], std: 0.01f).Span;
        var src = rows.Span;
        var dst = e.Span;
        for (int i = 0; i < k * d; i++) dst[i] = src[i] + noise[i];
    }
}
