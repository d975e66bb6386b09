using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// A Gaussian p(x|z) = N(μ, σ² I) with the decoder's output μ [B, ...] as the mean and a fixed variance σ²:
/// −log p(x|z) = Σ_i (x_i − μ_i)² / (2σ²) + (D/2) log 2πσ² per sample of D elements.
/// <see cref="SquaredError"/> is the autoencoders' plain summed squared error ‖x − μ‖², the negative log-likelihood
/// for σ² = ½ without its constant (D/2) log π. For a learned variance use <see cref="DiagonalGaussian"/>.
/// </summary>
public sealed class GaussianLikelihood : IReconstructionLikelihood
{
    /// <summary>N(<paramref name="mean"/>, <paramref name="variance"/>·I); <paramref name="normalised"/> false drops the constant (D/2) log 2πσ².</summary>
    public GaussianLikelihood(Tensor mean, float variance = 1f, bool normalised = true)
    {
        ArgumentNullException.ThrowIfNull(mean);
        if (mean.Rank == 0) throw new ArgumentException("GaussianLikelihood: the mean needs a batch axis", nameof(mean));
        if (!(variance > 0f) || float.IsInfinity(variance))
            throw new ArgumentException($"GaussianLikelihood: variance {variance} must be finite and > 0", nameof(variance));
        Mean = mean;
        Variance = variance;
        Normalised = normalised;
    }

    /// <summary>N(μ, ½ I) without its constant: −log p(x|z) = ‖x − μ‖², the squared error summed per sample.</summary>
    public static GaussianLikelihood SquaredError(Tensor mean) => new(mean, 0.5f, normalised: false);

    /// <summary>μ [B, ...].</summary>
    public Tensor Mean { get; }

    /// <summary>σ².</summary>
    public float Variance { get; }

    /// <summary>Whether the log-likelihood includes −(D/2) log 2πσ².</summary>
    public bool Normalised { get; }

    /// <summary>log p(x|z) per sample, [B].</summary>
    public Tensor LogProb(Tensor x) => -NegativeLogLikelihood(x);

    /// <inheritdoc />
    public Tensor NegativeLogLikelihood(Tensor x)
    {
        CheckTarget(x);
        int batch = x.Shape[0];
        var perSample = Scaled((Mean - x).Square()).Reshape(batch, -1).Sum(1);
        return Normalised ? perSample + Constant(x) : perSample;
    }

    /// <inheritdoc />
    public Tensor MeanNegativeLogLikelihood(Tensor x)
    {
        CheckTarget(x);
        var mean = Scaled((Mean - x).Square()).Sum() * (1f / Math.Max(1, x.Shape[0]));
        return Normalised ? mean + Constant(x) : mean;
    }

    /// <summary>A draw x = μ + σ ε, ε ~ N(0, I) [B, ...].</summary>
    public Tensor Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Mean + MathF.Sqrt(Variance) * rng.Normal(Mean.Shape);
    }

    // (x − μ)² / (2σ²); the multiply is skipped when 1/(2σ²) is 1 (the squared error).
    private Tensor Scaled(Tensor squared)
    {
        float scale = 0.5f / Variance;
        return scale == 1f ? squared : squared * scale;
    }

    // (D/2) log 2πσ², D the elements of one sample.
    private float Constant(Tensor x)
    {
        int d = x.Shape[0] == 0 ? 0 : x.Size / x.Shape[0];
        return 0.5f * d * MathF.Log(2f * MathF.PI * Variance);
    }

    private void CheckTarget(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!Shapes.Equal(x.Shape, Mean.Shape))
            throw new ArgumentException($"GaussianLikelihood: x {Shapes.Format(x.Shape)} is not the mean's {Shapes.Format(Mean.Shape)}", nameof(x));
    }
}
