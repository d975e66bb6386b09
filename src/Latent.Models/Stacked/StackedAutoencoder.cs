using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Stacked;

/// <summary>
/// A deep autoencoder trained in two phases (Hinton &amp; Salakhutdinov 2006, Science 313, Fig. 1, with shallow
/// autoencoders in place of RBMs as in Bengio et al. 2007):
/// <list type="number">
/// <item><b>Greedy layer-wise pretraining</b> (<see cref="Pretrain"/>, one training stage per layer): for l = 1..L, the shallow autoencoder
/// h_l = a(W_l h_{l−1} + b_l), ĥ_{l−1} = W'_l h_l + b'_l is trained on the codes h_{l−1} of the layers below
/// (h_0 = x), minimising L(h_{l−1}, ĥ_{l−1}) — cross-entropy on logits when h_{l−1} ∈ [0,1] (the data for a Bernoulli
/// model, sigmoid hidden units), squared error otherwise — for <see cref="StackedOptions.PretrainEpochs"/> epochs,
/// with the lower layers frozen.</item>
/// <item><b>Unrolling and fine-tuning</b>: the L encoders stacked, followed by the L decoders in reverse order, are the
/// deep autoencoder; the pretrained (W_l, b_l) and (W'_l, b'_l) <i>are</i> its encoder and decoder layers (trained in
/// place), and <see cref="Trainer.Fit"/> fine-tunes them end to end on the plain reconstruction loss
/// L = (1/B) Σ_b L_H(x_b, g(f(x_b))). The paper unrolls with tied weights Wᵀ; here each decoder layer is the one
/// pretrained with its encoder (untied), or with tied=true the encoder layer's transpose throughout (<see cref="TiedLinear"/>).</item>
/// </list>
/// </summary>
public sealed class StackedAutoencoder : NetworkAutoencoder, IPretrainable
{
    /// <summary>The registry entry ("stacked-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<StackedOptions>("stacked-ae",
        "Hinton & Salakhutdinov 2006, Reducing the Dimensionality of Data with Neural Networks, Science 313 (autoencoders for RBMs: Bengio et al. 2007, NIPS)",
        "stacked autoencoder: greedy layer-wise pretraining of shallow autoencoders, unrolled and fine-tuned end to end",
        (options, shape, rng) => new StackedAutoencoder(options, shape, rng));

    private readonly StackedOptions _options;
    private readonly Linear[] _encoders;
    private readonly Layer[] _decoders;
    private readonly List<double[]> _history = [];

    /// <summary>Builds the deep networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public StackedAutoencoder(StackedOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).Network, inputShape, rng)
    {
        _options = options;
        _encoders = ((Sequential)Encoder).Layers.OfType<Linear>().ToArray();
        // The MLP decoder lists its layers from the code down: reverse so that _decoders[l] maps level l+1 back to l.
        // With tied=true they are TiedLinear layers: pretraining then trains each shallow pair with W' = Wᵀ, as the paper's RBMs.
        _decoders = ((Sequential)Decoder).Layers.Where(l => l is Linear or TiedLinear).Reverse().ToArray();
    }

    /// <summary>Number of stacked layers L.</summary>
    public int Depth => _encoders.Length;

    /// <summary>The mean pretraining loss of each epoch, per layer (empty before <see cref="Pretrain"/>).</summary>
    public IReadOnlyList<double[]> PretrainHistory => _history;

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var z = Encoder.Forward(x);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        return WithActivityPenalty(new LossTerms(total: reconstruction, reconstruction: reconstruction), z);
    }

    /// <summary>
    /// Greedy layer-wise pretraining on <paramref name="train"/>: per layer l, <see cref="Trainer.Fit"/> for
    /// <see cref="StackedOptions.PretrainEpochs"/> epochs on its shallow autoencoder over the codes below, as stage
    /// "pretrainL" (<see cref="TrainingOptions.ForStage"/>). Returns the last layer's result, or the cancelled one.
    /// </summary>
    public TrainingResult Pretrain(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (!Shapes.Equal(train.SampleShape, InputShape))
            throw new ArgumentException($"stacked-ae: dataset '{train.Name}' has samples {Shapes.Format(train.SampleShape)}, the model expects {Shapes.Format(InputShape)}", nameof(train));
        _history.Clear();
        var result = new TrainingResult(TrainingStatus.Completed, 0, 0, [], 0, double.NaN, null);
        if (_options.PretrainEpochs == 0) return result;
        var sizes = Network.LayerSizes();
        var level = new Dataset(train.Name, train.X, [sizes[0]]); // h_{l−1}, [N, sizes[l]]
        using (new ModeScope(this, Training)) // the layers' training leaves the mode as it was
        {
            for (int l = 0; l < Depth; l++)
            {
                var (act, target, encoder, decoder) = (Activation(l), TargetDistribution(l), _encoders[l], _decoders[l]);
                var layer = new Objective($"stacked-ae/layer{l + 1}", $"target={target}", [sizes[l]], [("encoder", encoder), ("decoder", decoder)], (x, _) =>
                {
                    var loss = Likelihood(target, decoder.Forward(act.Forward(encoder.Forward(x)))).MeanNegativeLogLikelihood(x);
                    return new LossTerms(loss, loss);
                });
                result = Trainer.Fit(layer, level, null, options.ForStage($"pretrain{l + 1}", _options.PretrainEpochs), progress, cancellationToken);
                if (result.Status == TrainingStatus.Cancelled) return result;
                _history.Add(result.History.Select(e => e.TrainValue(LossTerms.TotalName)).ToArray());
                if (l + 1 < Depth) level = new Dataset($"{train.Name}/h{l + 1}", Codes(level.X, sizes[l], sizes[l + 1], l, act), [sizes[l + 1]]);
            }
            return result;
        }
    }

    /// <summary>The activation after encoder layer <paramref name="l"/>: hidden units below the top, the code activation at the top.</summary>
    private Activation Activation(int l) => AutoencoderOptions.ActivationFor(
        l + 1 < Depth ? Network.HiddenActivation : Network.CodeActivation,
        l + 1 < Depth ? nameof(Network.HiddenActivation) : nameof(Network.CodeActivation));

    /// <summary>Layer 1 reconstructs the data with the model's output distribution; higher layers reconstruct hidden
    /// codes, with cross-entropy when those lie in [0,1] (sigmoid units) and squared error otherwise.</summary>
    private OutputDistribution TargetDistribution(int l) =>
        l == 0 ? Network.Output
        : string.Equals(Network.HiddenActivation, "sigmoid", StringComparison.OrdinalIgnoreCase) ? OutputDistribution.Bernoulli
        : OutputDistribution.Gaussian;

    /// <summary>h_l = a(W_l h_{l−1} + b_l) for all N rows, in batches, without gradients.</summary>
    private float[] Codes(float[] input, int inSize, int outSize, int l, Activation act)
    {
        int n = input.Length / inSize;
        var output = new float[n * outSize];
        using (Tensor.NoGrad())
            for (int start = 0, count; start < n; start += count)
            {
                count = Math.Min(1024, n - start);
                act.Forward(_encoders[l].Forward(Tensor.FromArray(input.AsSpan(start * inSize, count * inSize), count, inSize))).Span.CopyTo(output.AsSpan(start * outSize));
            }
        return output;
    }
}
