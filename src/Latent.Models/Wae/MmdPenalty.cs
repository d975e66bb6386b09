using Latent.Core;
using Latent.Models.Distributions;

namespace Latent.Models.Wae;

/// <summary>The MMD between a batch of codes and as many N(0, I) samples, shared by the WAE and InfoVAE objectives.</summary>
public static class MmdPenalty
{
    /// <summary>The kernel for codes of size <paramref name="latentSize"/> Z: IMQ with C = 2Z, or RBF with 2h² = 2Z.</summary>
    public static MmdKernel Kernel(MmdKernelChoice choice, int latentSize) => choice == MmdKernelChoice.Imq
        ? MmdKernel.InverseMultiquadratic(2.0 * latentSize)
        : MmdKernel.Rbf(Math.Sqrt(latentSize));

    /// <summary>MMD² between codes z [B, Z] and B draws from N(0, I) with the <paramref name="choice"/> kernel for Z
    /// dimensions (<see cref="Kernel"/>); see <see cref="ToStandardNormal(Tensor, MmdKernel, Rng)"/>.</summary>
    public static Tensor ToStandardNormal(Tensor z, MmdKernelChoice choice, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(z);
        return ToStandardNormal(z, Kernel(choice, z.Shape[^1]), rng);
    }

    /// <summary>
    /// Unbiased MMD² between codes z [B, Z] and B draws from N(0, I) taken from <paramref name="rng"/>: a scalar
    /// (zero for a batch of one row, where the unbiased estimate is undefined).
    /// </summary>
    public static Tensor ToStandardNormal(Tensor z, MmdKernel kernel, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(rng);
        if (z.Rank != 2) throw new ArgumentException($"MmdPenalty.ToStandardNormal: codes {Shapes.Format(z.Shape)} are not [B,Z]", nameof(z));
        if (z.Shape[0] < 2) return z.Sum() * 0f;
        return MaximumMeanDiscrepancy.Squared(z, rng.Normal(z.Shape), kernel);
    }
}
