using Latent.Core;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.Distributions;

/// <summary>
/// A Gaussian with diagonal covariance, N(μ, diag σ²), over the last axis of its parameters: μ and log σ² are [..., Z]
/// (usually [B, Z]: one distribution per sample). The event is the last axis, so <see cref="LogProb"/> and
/// <see cref="Kl"/> return one value per distribution, [...] (torch.distributions' Independent(Normal(μ, σ), 1)).
/// All results are differentiable tensor ops in μ and log σ². A Gaussian likelihood with learned variance is this
/// type with the decoder's mean and log-variance.
/// </summary>
public sealed class DiagonalGaussian
{
    private static readonly float Log2Pi = MathF.Log(2f * MathF.PI);

    private readonly bool _standard;

    /// <summary>N(<paramref name="mean"/>, diag exp(<paramref name="logVariance"/>)); both [..., Z] with Z on the last axis.</summary>
    public DiagonalGaussian(Tensor mean, Tensor logVariance) : this(mean, logVariance, standard: false)
    {
    }

    private DiagonalGaussian(Tensor mean, Tensor logVariance, bool standard)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVariance);
        if (!Shapes.Equal(mean.Shape, logVariance.Shape))
            throw new ArgumentException($"DiagonalGaussian: mean {Shapes.Format(mean.Shape)} and log-variance {Shapes.Format(logVariance.Shape)} differ", nameof(logVariance));
        if (mean.Rank == 0) throw new ArgumentException("DiagonalGaussian: the parameters need a last (event) axis", nameof(mean));
        Mean = mean;
        LogVariance = logVariance;
        _standard = standard;
    }

    /// <summary>The standard normal N(0, I) with parameters of <paramref name="shape"/> [..., Z] (the VAE's prior p(z)).</summary>
    public static DiagonalGaussian Standard(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new DiagonalGaussian(Tensor.Zeros(shape), Tensor.Zeros(shape), standard: true);
    }

    /// <summary>
    /// Splits a network's output h [..., 2Z] along the last axis into μ = h[..., :Z] and log σ² = h[..., Z:]
    /// (an encoder or a Gaussian head that predicts both).
    /// </summary>
    public static DiagonalGaussian FromConcatenated(Tensor h)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.Rank == 0 || h.Shape[^1] % 2 != 0)
            throw new ArgumentException($"DiagonalGaussian.FromConcatenated: {Shapes.Format(h.Shape)} is not [...,2Z]", nameof(h));
        int z = h.Shape[^1] / 2;
        var parts = h.Split([z, z], axis: h.Rank - 1);
        return new DiagonalGaussian(parts[0], parts[1]);
    }

    /// <summary>μ [..., Z].</summary>
    public Tensor Mean { get; }

    /// <summary>log σ² [..., Z].</summary>
    public Tensor LogVariance { get; }

    /// <summary>σ = exp(½ log σ²) [..., Z].</summary>
    public Tensor StandardDeviation => (LogVariance * 0.5f).Exp();

    /// <summary>σ² = exp(log σ²) [..., Z].</summary>
    public Tensor Variance => LogVariance.Exp();

    /// <summary>The parameter shape [..., Z].</summary>
    public int[] Shape => Mean.Shape;

    /// <summary>Whether this is <see cref="Standard"/> N(0, I) (then <see cref="Kl"/> uses the shorter closed form).</summary>
    public bool IsStandard => _standard;

    /// <summary>
    /// A reparameterised sample (Kingma &amp; Welling 2014, §2.4): z = μ + exp(½ log σ²) ⊙ ε, ε ~ N(0, I) drawn from
    /// <paramref name="rng"/>, [..., Z]. Differentiable in μ and log σ² (torch's rsample).
    /// </summary>
    public Tensor Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Sample(rng.Normal(Mean.Shape));
    }

    /// <summary>z = μ + exp(½ log σ²) ⊙ ε for given standard-normal noise <paramref name="noise"/> ε [..., Z] (ε itself for N(0, I)).</summary>
    public Tensor Sample(Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        if (!Shapes.Equal(noise.Shape, Mean.Shape))
            throw new ArgumentException($"DiagonalGaussian.Sample: noise {Shapes.Format(noise.Shape)} is not {Shapes.Format(Mean.Shape)}", nameof(noise));
        return _standard ? noise : Mean + StandardDeviation * noise;
    }

    /// <summary>
    /// The log-density of each coordinate, log N(z_j; μ_j, σ_j²) = −½ (log σ_j² + (z_j − μ_j)² / σ_j² + log 2π),
    /// [..., Z] for z [..., Z] (torch's Normal.log_prob). <see cref="LogProb"/> sums it over Z.
    /// </summary>
    public Tensor LogDensity(Tensor z)
    {
        CheckEvent(z, nameof(LogDensity));
        return -0.5f * (LogVariance + (z - Mean).Square() * (-LogVariance).Exp() + Log2Pi);
    }

    /// <summary>log q(z) = Σ_j log N(z_j; μ_j, σ_j²) for z [..., Z]: [...], one value per distribution.</summary>
    public Tensor LogProb(Tensor z) => LogDensity(z).Sum(-1);

    /// <summary>
    /// KL(this ‖ <paramref name="other"/>) in closed form, [...] (summed over Z):
    /// ½ Σ_j (log σ₂² − log σ₁² + (σ₁² + (μ₁ − μ₂)²) / σ₂² − 1); against N(0, I) (<see cref="Standard"/>) it is
    /// ½ Σ_j (μ² + σ² − 1 − log σ²) (Kingma &amp; Welling 2014, appendix B). Both have the same parameter shape.
    /// </summary>
    public Tensor Kl(DiagonalGaussian other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Shapes.Equal(other.Shape, Shape))
            throw new ArgumentException($"DiagonalGaussian.Kl: {Shapes.Format(Shape)} against {Shapes.Format(other.Shape)}", nameof(other));
        return other._standard
            ? NnLoss.KlNormal(Mean, LogVariance, NN.Losses.Reduction.None)
            : NnLoss.KlNormal(Mean, LogVariance, other.Mean, other.LogVariance, NN.Losses.Reduction.None);
    }

    private void CheckEvent(Tensor z, string op)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (!Shapes.Equal(z.Shape, Mean.Shape))
            throw new ArgumentException($"DiagonalGaussian.{op}: z {Shapes.Format(z.Shape)} is not {Shapes.Format(Mean.Shape)}", nameof(z));
    }
}
