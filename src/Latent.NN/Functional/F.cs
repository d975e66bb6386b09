using Latent.Core;

namespace Latent.NN;

/// <summary>Stateless layer functions (torch.nn.functional); layers hold parameters and call these.</summary>
public static partial class F
{
    /// <summary>x Wᵀ + b: x [..., in], W [out, in], b [out] -> [..., out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (x.Shape[^1] != weight.Shape[^1])
            throw new ArgumentException($"Linear: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: in-features {x.Shape[^1]} != {weight.Shape[^1]}");
        return Tensor.Linear(x, weight, bias);
    }
}
