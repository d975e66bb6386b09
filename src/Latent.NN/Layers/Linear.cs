using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>y = x Wᵀ + b with W [out, in] (PyTorch's layout and initialisation).</summary>
public sealed class Linear : Layer
{
    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear: sizes must be positive, got {inFeatures} -> {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = AddParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        Initializers.KaimingUniformDefault(Weight, inFeatures, rng);
        if (bias)
        {
            Bias = AddParameter("bias", Tensor.Zeros(outFeatures));
            Initializers.Uniform(Bias, 1f / MathF.Sqrt(inFeatures), rng);
        }
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>[out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>x [..., in] -> [..., out].</summary>
    public override Tensor Forward(Tensor x) => F.Linear(x, Weight, Bias);
}
