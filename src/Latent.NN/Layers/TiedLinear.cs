using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// The decoder layer of a tied pair (W_dec = W_encᵀ, as in Vincent et al. 2008 and the autoencoder-as-PCA view of
/// Baldi &amp; Hornik 1989): y = x W + b, where W [out_enc, in_enc] is the weight of the encoder's <see cref="Mirror"/>
/// layer itself — the same tensor, not a copy, so one gradient step moves both halves — and b [in_enc] is this layer's
/// own bias. Only the bias is registered here: the shared weight is a parameter of the encoder alone, so optimizers,
/// checkpoints and model files hold it once (under the encoder's name).
/// </summary>
public sealed class TiedLinear : Layer
{
    /// <summary>The transpose of <paramref name="mirror"/>: maps its OutFeatures back to its InFeatures; the bias is initialised
    /// as a fresh Linear's would be (uniform in ±1/√fan_in with fan_in = the mirror's OutFeatures), from <paramref name="rng"/>.</summary>
    public TiedLinear(Linear mirror, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(rng);
        Mirror = mirror;
        Bias = AddParameter("bias", Tensor.Zeros(mirror.InFeatures));
        Initializers.Uniform(Bias, 1f / MathF.Sqrt(mirror.OutFeatures), rng);
    }

    /// <summary>The encoder layer whose weight this layer uses transposed.</summary>
    public Linear Mirror { get; }

    /// <summary>Input size: the mirror's output size.</summary>
    public int InFeatures => Mirror.OutFeatures;

    /// <summary>Output size: the mirror's input size.</summary>
    public int OutFeatures => Mirror.InFeatures;

    /// <summary>The shared weight [InFeatures, OutFeatures] (the mirror's [out, in]), used as y = x W.</summary>
    public Tensor Weight => Mirror.Weight;

    /// <summary>This layer's own bias [OutFeatures].</summary>
    public Tensor Bias { get; }

    /// <summary>x [B, InFeatures] → x W + b [B, OutFeatures].</summary>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Shape[1] != InFeatures)
            throw new ArgumentException($"TiedLinear: input {Shapes.Format(x.Shape)} is not [B,{InFeatures}]", nameof(x));
        return Tensor.MatMul(x, Mirror.Weight) + Bias;
    }
}
