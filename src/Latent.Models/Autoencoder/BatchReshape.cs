using Latent.Core;
using Latent.NN;

namespace Latent.Models.Autoencoder;

/// <summary>[B, ...] → [B, ...shape]: flattens images for an MLP, or restores them after it (shares storage).</summary>
internal sealed class BatchReshape(int[] shape) : Layer
{
    private readonly int[] _shape = (int[])shape.Clone();

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x.Reshape([x.Shape[0], .. _shape]);
}
