using Latent.Core;

namespace Latent.NN.Tests;

/// <summary>Checks that a tensor's values look like draws from a given distribution.</summary>
internal static class InitAssert
{
    /// <summary>U(−bound, bound): inside the bounds, reaching near them, mean within 4σ of 0, variance bound²/3 ± 10%.</summary>
    public static void Uniform(Tensor t, float bound)
    {
        var v = t.ToArray();
        Assert.All(v, x => Assert.InRange(x, -bound, bound));
        Assert.True(v.Max(MathF.Abs) > 0.9f * bound, $"largest |w| {v.Max(MathF.Abs)} is far below the bound {bound}");
        double mean = v.Average(x => (double)x);
        double variance = v.Average(x => (x - mean) * (x - mean));
        Assert.InRange(mean, -4 * bound / Math.Sqrt(3.0 * v.Length), 4 * bound / Math.Sqrt(3.0 * v.Length));
        Assert.InRange(variance, 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
    }

    /// <summary>N(0, std²): mean within 4σ of 0, variance std² ± 10%.</summary>
    public static void Normal(Tensor t, float std)
    {
        var v = t.ToArray();
        double mean = v.Average(x => (double)x);
        double variance = v.Average(x => (x - mean) * (x - mean));
        Assert.InRange(mean, -4 * std / Math.Sqrt(v.Length), 4 * std / Math.Sqrt(v.Length));
        Assert.InRange(variance, 0.9 * std * std, 1.1 * std * std);
    }
}
