using System.Text.Json;
using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Losses;

namespace Latent.NN.Tests.Losses;

public class LossTests
{
    /// <summary>A golden case: loss(inputs, reduction) for every reduction, value and gradients of Σ loss ⊙ u.</summary>
    private static void MatchesPyTorch(string name, Func<Tensor[], Reduction, Tensor> loss, float rtol = 1e-5f, float atol = 1e-6f)
    {
        var g = Golden.Case(name);
        foreach (var (key, reduction) in new[] { ("mean", Reduction.Mean), ("sum", Reduction.Sum), ("none", Reduction.None) })
        {
            var r = g.GetProperty(key);
            var inputs = g.GetProperty("inputs").EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Object ? e.T() : Tensor.Zeros(0)).ToArray();
            var gradNames = r.GetProperty("grads").EnumerateObject().Select(p => p.Name).ToArray();
            var wanted = gradNames.Select(n => inputs[int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)].RequireGrad()).ToArray();
            var value = loss(inputs, reduction);
            Check.Close(r.T("value"), value, rtol, atol, $"{name} {key} value");
            var grads = Gradients.Grad((value * r.T("u")).Sum(), wanted);
            for (int i = 0; i < gradNames.Length; i++)
                Check.Close(r.GetProperty("grads").T(gradNames[i]), grads[i], rtol * 10, atol * 10, $"{name} {key} grad of input {gradNames[i]}");
        }
    }

    [Fact]
    public void CrossEntropyWithIndicesMatchesPyTorch()
    {
        var targets = Golden.Case("ce_index").GetProperty("targets").Ints();
        MatchesPyTorch("ce_index", (x, r) => Loss.CrossEntropy(x[0], targets, r));
    }

    [Fact]
    public void CrossEntropyOverSpatialPositionsMatchesPyTorch()
    {
        var targets = Golden.Case("ce_index_spatial").GetProperty("targets").Ints();
        MatchesPyTorch("ce_index_spatial", (x, r) => Loss.CrossEntropy(x[0], targets, r));
    }

    [Fact]
    public void CrossEntropyWithProbabilitiesMatchesPyTorch() =>
        MatchesPyTorch("ce_prob", (x, r) => Loss.CrossEntropy(x[0], x[1], r));

    [Theory]
    [InlineData("gnll_full_var")]
    [InlineData("gnll_column_var")]
    [InlineData("gnll_row_var")]
    public void GaussianNllMatchesPyTorch(string name) =>
        MatchesPyTorch(name, (x, r) => Loss.GaussianNll(x[0], x[1], x[2], reduction: r), 1e-5f, 1e-5f);

    [Fact]
    public void GaussianNllWithConstantMatchesPyTorch() =>
        MatchesPyTorch("gnll_full_const", (x, r) => Loss.GaussianNll(x[0], x[1], x[2], full: true, reduction: r), 1e-5f, 1e-5f);

    [Fact]
    public void KlToStandardNormalMatchesPyTorch() => MatchesPyTorch("kl_std", (x, r) => Loss.KlNormal(x[0], x[1], r));

    [Fact]
    public void KlBetweenDiagonalGaussiansMatchesPyTorch() =>
        MatchesPyTorch("kl_two", (x, r) => Loss.KlNormal(x[0], x[1], x[2], x[3], r));

    [Fact]
    public void MseMatchesPyTorch() => MatchesPyTorch("mse", (x, r) => Loss.Mse(x[0], x[1], r));

    [Fact]
    public void BceMatchesPyTorch() => MatchesPyTorch("bce", (x, r) => Loss.Bce(x[0], x[1], r));

    [Fact]
    public void BceWithLogitsMatchesPyTorch() => MatchesPyTorch("bce_with_logits", (x, r) => Loss.BceWithLogits(x[0], x[1], r));

    [Fact]
    public void KlOfIdenticalGaussiansIsZero()
    {
        var rng = new Rng(1);
        var mu = rng.Normal([3, 4]);
        var lv = rng.Normal([3, 4]);
        Assert.All(Loss.KlNormal(mu, lv, mu, lv, Reduction.None).ToArray(), v => Assert.InRange(v, -1e-6f, 1e-6f));
        // Not exactly 0: the vectorised exp (TensorPrimitives) returns e^0 within an ulp or two of 1.
        Assert.InRange(Loss.KlNormal(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)).Item(), -1e-6f, 1e-6f);
    }

    [Fact]
    public void LossGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(2);
        var logits = rng.Normal([3, 4]).RequireGrad();
        Check.Gradients(() => Loss.CrossEntropy(logits, [1, 0, 3]), [logits]);
        var probs = rng.Uniform([3, 4]).RequireGrad();
        Check.Gradients(() => Loss.CrossEntropy(logits, probs, Reduction.Sum), [logits, probs]);
        var mean = rng.Normal([3, 2]).RequireGrad();
        var target = rng.Normal([3, 2]);
        var variance = rng.Uniform([3, 2], 0.5f, 1.5f).RequireGrad();
        Check.Gradients(() => Loss.GaussianNll(mean, target, variance), [mean, variance]);
        var mu = rng.Normal([2, 3]).RequireGrad();
        var lv = rng.Normal([2, 3], 0f, 0.5f).RequireGrad();
        var mu2 = rng.Normal([2, 3]).RequireGrad();
        var lv2 = rng.Normal([2, 3], 0f, 0.5f).RequireGrad();
        Check.Gradients(() => Loss.KlNormal(mu, lv), [mu, lv]);
        Check.Gradients(() => Loss.KlNormal(mu, lv, mu2, lv2, Reduction.Sum), [mu, lv, mu2, lv2]);
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.None)]
    public void BceWithLogitsInATrainingStepTakesItsBuffersFromTheStepsPool(Reduction reduction)
    {
        // In a steady Tensor.Step the loss's own buffers (the per-element losses, the gradient in the logits) come back
        // from the previous step; what is left new is the leaf gradient of w (n floats) and small objects.
        const int n = 1 << 16;
        var rng = new Random(3);
        var x = Tensor.FromArray(Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray());
        var target = Tensor.FromArray(Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray());
        var w = Tensor.FromArray(Enumerable.Repeat(0.5f, n).ToArray()).RequireGrad();
        long allocated = 0;
        for (int step = 0; step < 3; step++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (Tensor.Step())
            {
                var loss = Loss.BceWithLogits(x * w, target, reduction);
                w.Grad = null;
                (reduction == Reduction.None ? loss.Sum() : loss).Backward();
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(allocated < 4L * n + 4L * n / 2, $"a steady step allocated {allocated} bytes for {n} logits");
    }

    [Fact]
    public void InvalidArgumentsThrowNamingTheLossAndShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros(2, 3), [0, 3]));
        Assert.Contains("CrossEntropy", ex.Message);
        Assert.Contains("[2,3]", ex.Message);
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros(2, 3), [0]));
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
        Assert.Contains("var", Assert.Throws<ArgumentException>(() => Loss.GaussianNll(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), Tensor.Zeros(3))).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => Loss.GaussianNll(Tensor.Zeros(2), Tensor.Zeros(2), Tensor.FromArray([1f, -1f]))).Message);
        Assert.Contains("KlNormal", Assert.Throws<ArgumentException>(() => Loss.KlNormal(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4))).Message);
    }
}
