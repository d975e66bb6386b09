using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// A characteristic kernel k(a, b) of the squared distance d² = ‖a − b‖², for <see cref="MaximumMeanDiscrepancy"/>:
/// the Gaussian (RBF) kernel exp(−d² / (2h²)), or the inverse multiquadratic kernel C / (C + d²), whose heavier tails
/// keep gradients alive between distant samples (Tolstikhin et al. 2018, "Wasserstein Auto-Encoders", ICLR, §4, used
/// with C = 2·Z·σ² for a prior N(0, σ² I_Z)).
/// </summary>
public sealed class MmdKernel
{
    private readonly bool _rbf;
    private readonly double _value; // 1/(2h²) for the RBF kernel, C for the inverse multiquadratic

    private MmdKernel(bool rbf, double parameter, double value)
    {
        _rbf = rbf;
        Parameter = parameter;
        _value = value;
    }

    /// <summary>k(a, b) = exp(−‖a − b‖² / (2h²)) with bandwidth h = <paramref name="bandwidth"/> &gt; 0.</summary>
    public static MmdKernel Rbf(double bandwidth)
    {
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth))
            throw new ArgumentException($"MmdKernel.Rbf: bandwidth {bandwidth} must be finite and > 0", nameof(bandwidth));
        return new MmdKernel(true, bandwidth, 1.0 / (2 * bandwidth * bandwidth));
    }

    /// <summary>k(a, b) = C / (C + ‖a − b‖²) with scale C = <paramref name="scale"/> &gt; 0.</summary>
    public static MmdKernel InverseMultiquadratic(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentException($"MmdKernel.InverseMultiquadratic: scale {scale} must be finite and > 0", nameof(scale));
        return new MmdKernel(false, scale, scale);
    }

    /// <summary>"rbf" or "imq".</summary>
    public string Name => _rbf ? "rbf" : "imq";

    /// <summary>The bandwidth h (RBF) or the scale C (inverse multiquadratic).</summary>
    public double Parameter { get; }

    /// <summary>k as a function of squared distances, elementwise and differentiable: [...] → [...].</summary>
    public Tensor Apply(Tensor squaredDistances)
    {
        ArgumentNullException.ThrowIfNull(squaredDistances);
        return _rbf
            ? (squaredDistances * (float)-_value).Exp()
            : (float)_value / (squaredDistances + (float)_value);
    }

    /// <summary>k of one squared distance, in double precision.</summary>
    public double Apply(double squaredDistance) => _rbf ? Math.Exp(-_value * squaredDistance) : _value / (_value + squaredDistance);

    /// <inheritdoc />
    public override string ToString() => $"{Name}({Parameter})";
}
