using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models.PixelCnn;
using Latent.Models.Training;
using Vq2 = Latent.Models.VqVae2.VqVae2;

namespace Latent.Quality.Experiments;

/// <summary>
/// The top prior of a trained VQ-VAE-2 with and without causal self-attention: both fitted the same way (Adam, batch 64,
/// seed 1, the same number of epochs) on the top codes of the training images, then scored by NLL (nats per position) on
/// the top codes of the test images (the vq section with --set vq.attention_epochs=N).
/// </summary>
internal static class TopPriorAblation
{
    /// <summary>Returns the test NLL (nats per position) with <paramref name="heads"/>-head attention and without.</summary>
    public static (double WithAttention, double Without) Run(Vq2 model, int epochs, int heads, Dataset train, Dataset test, Action<string> log)
    {
        var c = CultureInfo.InvariantCulture;
        int h = model.TopHeight, w = model.TopWidth, k = model.TopPrior.CodebookSize;
        int[] Codes(Dataset d)
        {
            var codes = new List<int>(d.Count * h * w);
            int size = d.SampleSize;
            for (int s = 0; s < d.Count; s += 256)
            {
                int n = Math.Min(256, d.Count - s);
                var x = new Tensor(d.X.AsSpan(s * size, n * size).ToArray(), [n, .. d.SampleShape]);
                codes.AddRange(model.EncodeIndices(x).Top);
            }
            return [.. codes];
        }
        var trainCodes = Codes(train);
        var testCodes = Codes(test);
        int channels = model.TopPrior.Embedding.EmbeddingDim, layers = model.TopPrior.Layers.Count;
        var nll = new List<double>();
        foreach (int attentionHeads in new[] { heads, 0 })
        {
            var prior = new GatedPixelCnn(k, channels, layers, 3, 0, 0, new Rng(1), attentionHeads);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var history = PriorFitting.Fit(prior, trainCodes, train.Count, h, w, null, null,
                new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1 }, null, default);
            double sum = 0;
            using (Tensor.NoGrad())
                for (int s = 0; s < test.Count; s += 500)
                {
                    int n = Math.Min(500, test.Count - s);
                    sum += prior.Loss(testCodes.AsSpan(s * h * w, n * h * w).ToArray(), n, h, w).Item() * (double)n;
                }
            nll.Add(sum / test.Count);
            log(string.Create(c, $"top prior {layers}x{channels}, attention heads {attentionHeads}: params={prior.ParameterCount()} train NLL per epoch {string.Join(" -> ", history.Select(v => v.ToString("F4", c)))}, test NLL {sum / test.Count:F4} nats/position (log K = {Math.Log(k):F4}), {clock.Elapsed.TotalSeconds:F0}s"));
        }
        return (nll[0], nll[1]);
    }
}
