using Latent.Core;

namespace Latent.NN;

/// <summary>A module with one tensor in and one tensor out, usable in <see cref="Layers.Sequential"/>.</summary>
public abstract class Layer : Module
{
    /// <summary>Applies the layer.</summary>
    public abstract Tensor Forward(Tensor x);
}
