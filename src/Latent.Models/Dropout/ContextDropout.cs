using Latent.Core;
using Latent.NN;

namespace Latent.Models.Dropout;

/// <summary>
/// Inverted dropout whose random stream is lent by the model for one <see cref="AutoencoderModel.Loss"/> call (the
/// training context's stream, so seeded and resumed runs repeat exactly); the identity whenever no stream is lent.
/// </summary>
internal sealed class ContextDropout(float p) : Layer
{
    /// <summary>Drop probability.</summary>
    public float P { get; } = p;

    /// <summary>The stream for this forward pass, or null (identity).</summary>
    public Rng? Rng { get; set; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Rng is null ? x : F.Dropout(x, P, training: true, Rng);
}
