using Latent.Core;
using Latent.Core.Autograd;
using Latent.Models.Distributions;

namespace Latent.Models.Tests.Distributions;

public class CategoricalTests
{
    private static double[] LogSoftmax(float[] l, int row, int k)
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < k; j++) max = Math.Max(max, l[row * k + j]);
        double sum = 0;
        for (int j = 0; j < k; j++) sum += Math.Exp(l[row * k + j] - max);
        return Enumerable.Range(0, k).Select(j => l[row * k + j] - max - Math.Log(sum)).ToArray();
    }

    private static void Near(double expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) < 1e-5 * (1 + Math.Abs(expected)), $"{actual:R} vs {expected:R}");

    [Fact]
    public void Log_prob_entropy_and_kl_match_the_definitions()
    {
        var a = new Rng(1).Normal([2, 3, 4], std: 2f);
        var b = new Rng(2).Normal([2, 3, 4]);
        var q = new Categorical(a);
        var p = new Categorical(b);
        int[] classes = [0, 3, 1, 2, 2, 0];
        float[] lp = q.LogProb(classes).ToArray(), h = q.Entropy().ToArray(), kl = q.Kl(p).ToArray(), klu = q.KlToUniform().ToArray();
        Assert.Equal([2, 3], q.Entropy().Shape);
        for (int r = 0; r < 6; r++)
        {
            var lq = LogSoftmax(a.ToArray(), r, 4);
            var lpp = LogSoftmax(b.ToArray(), r, 4);
            Near(lq[classes[r]], lp[r]);
            Near(-lq.Sum(v => Math.Exp(v) * v), h[r]);
            Near(Enumerable.Range(0, 4).Sum(j => Math.Exp(lq[j]) * (lq[j] - lpp[j])), kl[r]);
            Near(Math.Log(4) - h[r], klu[r]);
        }
        Assert.All(q.Kl(q).ToArray(), v => Assert.Equal(0f, v, 6));
        Assert.All(q.KlToUniform().ToArray().Zip(q.Kl(new Categorical(Tensor.Zeros(2, 3, 4))).ToArray()), t => Assert.True(Math.Abs(t.First - t.Second) < 1e-5, $"{t.First} vs {t.Second}"));
    }

    [Fact]
    public void Uniform_logits_have_entropy_log_k()
    {
        var u = new Categorical(Tensor.Full(0.7f, 3, 5));
        Assert.All(u.Entropy().ToArray(), v => Assert.Equal(Math.Log(5), v, 5));
        Assert.All(u.KlToUniform().ToArray(), v => Assert.Equal(0f, v, 6));
        Assert.All(u.Probabilities.ToArray(), v => Assert.Equal(0.2f, v, 6));
        Assert.Equal(5, u.Classes);
    }

    [Fact]
    public void Gumbel_max_samples_have_the_softmax_frequencies()
    {
        const int n = 20000;
        var row = new[] { 1f, 0f, -1f, 0.5f };
        var q = new Categorical(Tensor.FromArray(Enumerable.Repeat(row, n).SelectMany(r => r).ToArray(), n, 4));
        var counts = new double[4];
        foreach (int k in q.Sample(new Rng(6))) counts[k]++;
        var probs = q.Probabilities.ToArray();
        for (int k = 0; k < 4; k++)
            Assert.True(Math.Abs(counts[k] / n - probs[k]) < 0.015, $"class {k}: {counts[k] / n} vs {probs[k]}");
        Assert.Equal([0, 0, 0, 0], new Categorical(Tensor.FromArray([.. row, .. row, .. row, .. row], 4, 4)).Mode());
    }

    [Fact]
    public void Relaxed_sample_is_a_distribution_and_hard_is_its_one_hot_argmax()
    {
        var logits = new Rng(3).Normal([5, 6]);
        var q = new Categorical(logits);
        var soft = q.Relaxed(0.5f, new Rng(8));
        var hard = q.Hard(0.5f, new Rng(8));
        for (int r = 0; r < 5; r++)
        {
            var s = soft.ToArray().AsSpan(r * 6, 6).ToArray();
            var h = hard.ToArray().AsSpan(r * 6, 6).ToArray();
            Assert.Equal(1f, s.Sum(), 5);
            Assert.Equal(1f, h.Sum());
            Assert.Equal(Array.IndexOf(s, s.Max()), Array.IndexOf(h, 1f));
        }
        Assert.Equal(q.OneHot(soft.ArgMax(-1)).ToArray(), hard.ToArray());
    }

    [Fact]
    public void Hard_sample_passes_the_relaxed_gradient()
    {
        var logits = new Rng(3).Normal([3, 4]).RequireGrad();
        var u = new Rng(4).Normal([3, 4]);
        var gHard = Gradients.Grad((new Categorical(logits).Hard(0.7f, new Rng(2)) * u).Sum(), [logits])[0].ToArray();
        var gSoft = Gradients.Grad((new Categorical(logits).Relaxed(0.7f, new Rng(2)) * u).Sum(), [logits])[0].ToArray();
        Assert.Equal(gSoft, gHard);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var a = new Rng(1).Normal([2, 5]).RequireGrad();
        var b = new Rng(2).Normal([2, 5]).RequireGrad();
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Categorical(a).LogProb([4, 1])), [a]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Categorical(a).Entropy()), [a]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Categorical(a).Kl(new Categorical(b))), [a, b]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Categorical(a).KlToUniform()), [a]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Categorical(a).Relaxed(0.8f, new Rng(5))), [a]);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var q = new Categorical(Tensor.Zeros(2, 3));
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() => q.LogProb([0])).ParamName);
        Assert.Contains("class 3 not in [0, 3)", Assert.Throws<ArgumentException>(() => q.LogProb([0, 3])).Message);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => q.Kl(new Categorical(Tensor.Zeros(2, 4)))).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => new Categorical(Tensor.Scalar(1f))).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentException>(() => q.Relaxed(0f, new Rng(1))).ParamName);
    }
}
