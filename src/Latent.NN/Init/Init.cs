using Latent.Core;

namespace Latent.NN.Init;

/// <summary>Weight initialisers, with PyTorch's defaults so that side-by-side runs start alike.</summary>
public static class Initializers
{
    /// <summary>Fills <paramref name="t"/> with U(-bound, bound).</summary>
    public static void Uniform(Tensor t, float bound, Rng rng)
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (2f * rng.NextFloat() - 1f) * bound;
    }

    /// <summary>Fills with N(0, std²).</summary>
    public static void Normal(Tensor t, float std, Rng rng)
    {
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = std * rng.NextNormal();
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv weights: kaiming_uniform_(a = √5), i.e. U(±1/√fan_in)
    /// (He et al. 2015 with leaky-ReLU gain √(2/(1+a²))).
    /// </summary>
    public static void KaimingUniformDefault(Tensor weight, int fanIn, Rng rng) =>
        Uniform(weight, fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f, rng);

    /// <summary>Glorot &amp; Bengio 2010: U(±gain·√(6/(fan_in+fan_out))).</summary>
    public static void XavierUniform(Tensor weight, int fanIn, int fanOut, Rng rng, float gain = 1f) =>
        Uniform(weight, gain * MathF.Sqrt(6f / (fanIn + fanOut)), rng);
}
