using Latent.Core;
using Latent.Models.PixelCnn;

namespace Latent.Models.Tests.PixelCnn;

public class CausalSelfAttentionTests
{
    [Fact]
    public void Keeps_the_shape_and_rejects_bad_heads_and_inputs()
    {
        var attention = new CausalSelfAttention(8, 2, new Rng(1));
        Assert.Equal([2, 8, 3, 4], attention.Forward(new Rng(2).Normal([2, 8, 3, 4])).Shape);
        Assert.Equal("heads", Assert.Throws<ArgumentException>(() => new CausalSelfAttention(8, 3, new Rng(1))).ParamName);
        Assert.Equal("heads", Assert.Throws<ArgumentException>(() => new CausalSelfAttention(8, 0, new Rng(1))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => attention.Forward(new Rng(2).Normal([2, 6, 3, 4]))).ParamName);
    }

    [Fact]
    public void Output_at_a_position_reads_that_position_and_earlier_ones_only()
    {
        // Perturb the input at one position p at a time: outputs at q < p must be bit-identical, outputs at q >= p must change
        // (q = p through the residual, q > p through attention on p's key and value).
        const int b = 2, f = 8, h = 3, w = 4, n = h * w;
        var attention = new CausalSelfAttention(f, 2, new Rng(3));
        var x = new Rng(4).Normal([b, f, h, w]);
        var baseline = attention.Forward(x).ToArray();
        for (int p = 0; p < n; p++)
        {
            var changed = x.Clone();
            for (int c = 0; c < f; c++) changed.Span[(1 * f + c) * n + p] += 0.5f; // sample 1 only
            var y = attention.Forward(changed).ToArray();
            for (int q = 0; q < n; q++)
            {
                bool same0 = Enumerable.Range(0, f).All(c => y[c * n + q] == baseline[c * n + q]);
                bool same1 = Enumerable.Range(0, f).All(c => y[(f + c) * n + q] == baseline[(f + c) * n + q]);
                Assert.True(same0, $"sample 0 changed at {q} when sample 1 changed at {p}");
                if (q < p) Assert.True(same1, $"position {q} depends on later position {p}");
                else Assert.False(same1, $"position {q} does not see earlier position {p}");
            }
        }
    }

    [Fact]
    public void Gradients_match_central_finite_differences()
    {
        // L = Σ r ⊙ attention(x) for fixed random r; every input element and every parameter is checked against
        // (L(θ + ε) − L(θ − ε)) / 2ε with L accumulated in double.
        var attention = new CausalSelfAttention(4, 2, new Rng(5));
        var x = new Rng(6).Normal([2, 4, 2, 3]).RequireGrad();
        var r = new Rng(7).Normal([2, 4, 2, 3]);
        double Objective()
        {
            var y = attention.Forward(x).Span;
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)y[i] * r.Span[i];
            return s;
        }
        var parameters = attention.Parameters().ToList();
        foreach (var t in parameters) t.Grad = null;
        (attention.Forward(x) * r).Sum().Backward();
        var checkedTensors = new List<Tensor> { x };
        checkedTensors.AddRange(parameters);
        Assert.Equal(4, parameters.Count); // qkv weight + bias, out weight + bias
        const float eps = 1e-2f;
        foreach (var t in checkedTensors)
        {
            var analytic = t.Grad!.ToArray();
            for (int i = 0; i < t.Size; i++)
            {
                float v = t.Span[i];
                t.Span[i] = v + eps;
                double plus = Objective();
                t.Span[i] = v - eps;
                double minus = Objective();
                t.Span[i] = v;
                double numeric = (plus - minus) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{Shapes.Format(t.Shape)} element {i}: autodiff {analytic[i]} vs finite difference {numeric}");
            }
        }
    }

    [Fact]
    public void Mask_is_zero_on_and_below_the_diagonal_and_large_negative_above()
    {
        var m = CausalSelfAttention.CausalMask(3).ToArray();
        Assert.Equal([0f, CausalSelfAttention.MaskedScore, CausalSelfAttention.MaskedScore, 0f, 0f, CausalSelfAttention.MaskedScore, 0f, 0f, 0f], m);
    }
}
