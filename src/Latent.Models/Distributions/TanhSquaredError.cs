using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// The reconstruction of a tanh output layer on data in [0, 1]: the network works on [−1, 1], t = tanh(a) for the
/// decoder's pre-activation a [B, ...], and the loss is the squared error against the target mapped the same way,
/// −log p(x|z) = Σ_i (t_i − (2x_i − 1))² per sample (a Gaussian's negative log-likelihood with σ² = ½, without its
/// constant; note it is 4× the squared error measured in [0, 1]). The data-space mean maps back: E[x|z] = (t + 1)/2 ∈ [0, 1].
/// This is where the mapping of the data happens for the loss and for every output the user sees (Decode, pictures,
/// PSNR); the encoder's input goes through the same x ↦ 2x − 1 as its first layer.
/// </summary>
public sealed class TanhSquaredError : IReconstructionLikelihood
{
    /// <summary>The likelihood of the decoder's pre-activation <paramref name="preActivation"/> [B, ...].</summary>
    public TanhSquaredError(Tensor preActivation)
    {
        ArgumentNullException.ThrowIfNull(preActivation);
        if (preActivation.Rank == 0) throw new ArgumentException("TanhSquaredError: the output needs a batch axis", nameof(preActivation));
        Output = preActivation.Tanh();
    }

    /// <summary>t = tanh(a) [B, ...], in [−1, 1]: the network's output on the signed scale.</summary>
    public Tensor Output { get; }

    /// <summary>(t + 1)/2 [B, ...]: the reconstruction in the data's [0, 1].</summary>
    public Tensor Mean => (Output + 1f) * 0.5f;

    /// <summary>x ↦ 2x − 1: a target in [0, 1] on the network's scale [−1, 1].</summary>
    public static Tensor Signed(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x * 2f - 1f;
    }

    /// <inheritdoc />
    public Tensor NegativeLogLikelihood(Tensor x)
    {
        CheckTarget(x);
        return (Output - Signed(x)).Square().Reshape(x.Shape[0], -1).Sum(1);
    }

    /// <inheritdoc />
    public Tensor MeanNegativeLogLikelihood(Tensor x)
    {
        CheckTarget(x);
        return (Output - Signed(x)).Square().Sum() * (1f / Math.Max(1, x.Shape[0]));
    }

    private void CheckTarget(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!Shapes.Equal(x.Shape, Output.Shape))
            throw new ArgumentException($"TanhSquaredError: x {Shapes.Format(x.Shape)} is not the output's {Shapes.Format(Output.Shape)}", nameof(x));
    }
}
