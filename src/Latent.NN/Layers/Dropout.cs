using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014, torch.nn.Dropout): in training each element is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p); in evaluation it is the identity.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly Rng _rng;

    /// <summary>Dropout with drop probability <paramref name="p"/>, drawing masks from <paramref name="rng"/>.</summary>
    public Dropout(float p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (p is < 0f or > 1f || float.IsNaN(p)) throw new ArgumentException($"Dropout: p = {p} is not in [0, 1]", nameof(p));
        P = p;
        _rng = rng;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>x [any] -> same shape.</summary>
    public override Tensor Forward(Tensor x) => F.Dropout(x, P, Training, _rng);
}
