using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.NN;

namespace Latent.Models.Dropout;

/// <summary>
/// An autoencoder with dropout on its hidden units (Srivastava et al. 2014, JMLR 15, §4): during training every hidden
/// activation a is replaced by m ⊙ a / (1 − p), m_i ~ Bernoulli(1 − p) (inverted dropout, so evaluation needs no
/// rescaling), and the loss is the plain reconstruction loss of the thinned network:
/// <code>
///   L(x) = E_m [ L_H(x, g_m(f_m(x))) ]     (one mask per step)
/// </code>
/// The code itself and the input are not dropped (dropping inputs is masking noise, see <c>dae</c>). Masks come from the
/// training context's stream and only while <see cref="TrainingContext.IsTraining"/>; Encode/Decode are deterministic.
/// </summary>
public sealed class DropoutAutoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("dropout-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<DropoutOptions>("dropout-ae",
        "Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014, Dropout: A Simple Way to Prevent Neural Networks from Overfitting, JMLR 15",
        "autoencoder with dropout (rate, encoder/decoder/both) on the hidden layers",
        (options, shape, rng) => new DropoutAutoencoder(options, shape, rng));

    private readonly DropoutOptions _options;
    private readonly List<ContextDropout> _dropouts;

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public DropoutAutoencoder(DropoutOptions options, int[] inputShape, Rng rng)
        : this(ModelOptions.Checked(options), inputShape, rng, [])
    {
    }

    private DropoutAutoencoder(DropoutOptions options, int[] inputShape, Rng rng, List<ContextDropout> dropouts)
        : base(options, options.Network, inputShape, rng,
            options.Placement != DropoutPlacement.Decoder ? () => Track(dropouts, options.Rate) : null,
            options.Placement != DropoutPlacement.Encoder ? () => Track(dropouts, options.Rate) : null)
    {
        _options = options;
        _dropouts = dropouts;
    }

    /// <summary>Number of dropout layers in the network.</summary>
    public int DropoutLayers => _dropouts.Count;

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        // Lend the context's stream to the dropout layers for this forward pass only.
        var rng = ctx.IsTraining && _options.Rate > 0f ? ctx.Rng : null;
        foreach (var d in _dropouts) d.Rng = rng;
        try
        {
            var z = Encoder.Forward(x);
            var reconstruction = Reconstruction(Decoder.Forward(z), x);
            return WithActivityPenalty(new LossTerms(total: reconstruction, reconstruction: reconstruction), z);
        }
        finally
        {
            foreach (var d in _dropouts) d.Rng = null;
        }
    }

    private static Layer Track(List<ContextDropout> list, float rate)
    {
        var d = new ContextDropout(rate);
        list.Add(d);
        return d;
    }
}
