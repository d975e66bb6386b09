using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.NN;

namespace Latent.Models.Cvae;

/// <summary>
/// The conditional variational autoencoder (Sohn, Lee &amp; Yan 2015, "Learning Structured Output Representation using Deep
/// Conditional Generative Models", NeurIPS; the label-observed case of model M2 of Kingma, Rezende, Mohamed &amp; Welling 2014,
/// "Semi-Supervised Learning with Deep Generative Models", NeurIPS, §2.2). The class y enters both networks as a one-hot
/// vector e_y of C entries:
/// <code>
/// q_φ(z|x, y) = N(μ([x, e_y]), diag σ²([x, e_y]))        encoder on the input with the label concatenated
/// p_θ(x|z, y) = Bernoulli(g([z, e_y])) or N(g([z, e_y]), I) decoder on the code with the label concatenated
/// p(z) = N(0, I)                                         the prior does not depend on y
/// L(x, y) = −log p_θ(x|z, y) + β·w·KL(q_φ(z|x, y) ‖ N(0, I)),  z = μ + σ ⊙ ε   (the negative conditional ELBO, Sohn Eq. 4)
/// </code>
/// The labels come with the batch (<see cref="TrainingContext.Labels"/>): the trainer takes them from the dataset, and a
/// dataset without labels is a one-line error. Sampling a class y draws z ~ N(0, I) and decodes [z, e_y].
/// <para>
/// Through the generic interface the code is [z, e_y] (<see cref="CodeSize"/> = Z + C), so <see cref="Decode(Tensor)"/> is the
/// conditional decoder itself. <see cref="Encode(Tensor)"/> has no labels: it feeds the uniform vector (1/C, …, 1/C) in place
/// of e_y (the class unknown) and returns [μ, 1/C]; <see cref="Encode(Tensor, int[])"/> takes the labels.
/// </para>
/// Terms: total, reconstruction, regularisation (β·w·KL), extras "kl" and "neg_elbo".
/// </summary>
public sealed class Cvae : AutoencoderModel, IConditionalGenerativeModel
{
    /// <summary>The registry entry ("cvae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<CvaeOptions>("cvae",
        "Sohn, Lee & Yan 2015, Learning Structured Output Representation using Deep Conditional Generative Models, NeurIPS; Kingma et al. 2014 (M2), NeurIPS",
        "conditional VAE: one-hot class label concatenated to the encoder input and the decoder's code; samples of a chosen class",
        (options, shape, rng) => new Cvae(options, shape, rng));

    private readonly CvaeOptions _options;

    /// <summary>Builds the encoder ([x, e_y] → 2Z) and the decoder ([z, e_y] → x) as MLPs for samples of <paramref name="inputShape"/>.</summary>
    public Cvae(CvaeOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        _options = options;
        LatentSize = options.LatentSize;
        Classes = options.Classes;
        var sizes = options.LayerSizes();
        if (sizes[0] != InputSize)
            throw new ArgumentException($"cvae: architecture '{options.Architecture}' starts with {sizes[0]} but a sample of shape {Shapes.Format(inputShape)} has {InputSize} elements", nameof(options));
        // Encoder: the first layer reads D + C inputs (MLP), or C more channels (conv: the one-hot label broadcast over
        // every position). Decoder: built as the mirror of D-…-(Z+C), so its first Linear layer reads Z + C.
        Convolutional = !options.Network.StartsWith("mlp", StringComparison.OrdinalIgnoreCase);
        int rank = options.Network.Equals("conv1d", StringComparison.OrdinalIgnoreCase) ? 2 : 3;
        if (Convolutional && inputShape.Length != rank)
            throw new ArgumentException($"cvae: network={options.Network} needs {(rank == 3 ? "image samples [C,H,W]" : "sequence samples [C,L]")}, got {Shapes.Format(inputShape)} (use network=mlp)", nameof(inputShape));
        int[] encoderInput = Convolutional ? [inputShape[0] + Classes, .. inputShape[1..]] : [InputSize + Classes];
        var encoderSizes = (int[])sizes.Clone();
        encoderSizes[0] = Shapes.Size(encoderInput);
        encoderSizes[^1] = 2 * LatentSize;
        var decoderSizes = (int[])sizes.Clone();
        decoderSizes[^1] = LatentSize + Classes;
        var net = options.NetworkOptions();
        Encoder = Add("encoder", AutoencoderNetworks.Build(net with { Architecture = string.Join('-', encoderSizes) }, encoderInput, rng).Encoder);
        Decoder = Add("decoder", AutoencoderNetworks.Build(net with { Architecture = string.Join('-', decoderSizes) }, inputShape, rng).Decoder);
    }

    /// <summary>True for a convolutional network (<c>network=conv</c>, <c>conv-bn</c>, <c>conv1d</c>): the label enters the
    /// encoder as C extra input channels, each constant over the sample (1 for the class, 0 elsewhere).</summary>
    public bool Convolutional { get; }

    /// <summary>Z + C: the latent z followed by the label vector.</summary>
    public override int CodeSize => LatentSize + Classes;

    /// <summary>Z, the latent size.</summary>
    public int LatentSize { get; }

    /// <summary>C, the number of classes.</summary>
    public int Classes { get; }

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>[x flattened, e_y] [B, D + C] → [μ, log σ²] [B, 2Z]; for a convolutional network [x, e_y broadcast] [B, C_x + C, ...spatial].</summary>
    public Layer Encoder { get; }

    /// <summary>[z, e_y] [B, Z + C] → logits (Bernoulli) or means (Gaussian), [B, ...InputShape].</summary>
    public Layer Decoder { get; }

    /// <summary>The one-hot vectors e_y [B, C] of <paramref name="labels"/> [B]; ArgumentException naming <paramref name="op"/> for a label outside [0, C).</summary>
    public Tensor OneHot(int[] labels, string op = nameof(OneHot))
    {
        ArgumentNullException.ThrowIfNull(labels);
        var t = Tensor.Zeros(labels.Length, Classes);
        var s = t.Span;
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)Classes)
                throw new ArgumentException($"cvae.{op}: label {labels[b]} is outside [0, {Classes}) (the model was built with classes={Classes})", nameof(labels));
            s[b * Classes + labels[b]] = 1f;
        }
        return t;
    }

    /// <summary>q(z|x, y): μ and log σ² [B, Z] each, for x [B, ...InputShape] and the label vectors <paramref name="y"/> [B, C].</summary>
    public DiagonalGaussian Posterior(Tensor x, Tensor y)
    {
        CheckInput(x, nameof(Posterior));
        CheckLabelVectors(y, x.Shape[0], nameof(Posterior));
        if (!Convolutional) return DiagonalGaussian.FromConcatenated(Encoder.Forward(Tensor.Concat([x.Reshape(x.Shape[0], InputSize), y], 1)));
        // The one-hot label as C constant planes beside the image's channels: y [B, C] → [B, C, 1, ...] broadcast over the positions.
        int[] planes = [x.Shape[0], Classes, .. InputShape[1..]];
        int[] column = [x.Shape[0], Classes, .. InputShape[1..].Select(_ => 1)];
        var labelMap = Tensor.Zeros(planes) + y.Reshape(column);
        return DiagonalGaussian.FromConcatenated(Encoder.Forward(Tensor.Concat([x, labelMap], 1)));
    }

    /// <summary>p(x|z, y) for the decoder's pre-output [B, ...InputShape]: Bernoulli on logits, or N(g(z, y), I).</summary>
    public IReconstructionLikelihood Likelihood(Tensor output) => _options.Output == OutputDistribution.Bernoulli
        ? new Bernoulli(output)
        : new GaussianLikelihood(output);

    /// <summary>x [B, ...InputShape] with its labels [B] → the code [μ(x, y), e_y] [B, Z + C].</summary>
    public Tensor Encode(Tensor x, int[] labels)
    {
        CheckInput(x, nameof(Encode));
        CheckCount(labels, x.Shape[0], nameof(Encode));
        var y = OneHot(labels, nameof(Encode));
        return Tensor.Concat([Posterior(x, y).Mean, y], 1);
    }

    /// <inheritdoc />
    /// <remarks>Without labels the class is unknown: the label input is the uniform vector 1/C; returns [μ(x, 1/C), 1/C] [B, Z + C].</remarks>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        var y = Tensor.Full(1f / Classes, x.Shape[0], Classes);
        return Tensor.Concat([Posterior(x, y).Mean, y], 1);
    }

    /// <inheritdoc />
    /// <remarks>z is the code [z, label vector] [B, Z + C].</remarks>
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        return Likelihood(Decoder.Forward(z)).Mean;
    }

    /// <summary>z [B, Z] decoded as class <paramref name="labels"/> [B] → [B, ...InputShape] in data space.</summary>
    public Tensor Decode(Tensor z, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != LatentSize)
            throw new ArgumentException($"cvae.Decode: latent {Shapes.Format(z.Shape)} is not [B,{LatentSize}]", nameof(z));
        CheckCount(labels, z.Shape[0], nameof(Decode));
        return Decode(Tensor.Concat([z, OneHot(labels, nameof(Decode))], 1));
    }

    /// <summary>x [B, ...InputShape] reconstructed through its own labels [B]: Decode(Encode(x, y)).</summary>
    public Tensor Reconstruct(Tensor x, int[] labels) => Decode(Encode(x, labels));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The batch has no labels (<see cref="TrainingContext.Labels"/> is null), or a label is out of range.</exception>
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
        var labels = ctx.Labels
            ?? throw new ArgumentException("cvae: the data has no class labels; train on a labelled dataset (mnist, fashion-mnist, sprites, an image folder with one subfolder per class)", nameof(ctx));
        CheckCount(labels, x.Shape[0], nameof(Loss));
        var y = OneHot(labels, nameof(Loss));
        var q = Posterior(x, y);
        var z = q.Sample(ctx.Rng); // reparameterised: z = μ + σ ⊙ ε
        var reconstruction = Likelihood(Decoder.Forward(Tensor.Concat([z, y], 1))).NegativeLogLikelihood(x).Mean();
        var kl = q.Kl(DiagonalGaussian.Standard(x.Shape[0], LatentSize)).Mean();
        var regularisation = kl * (_options.Beta * ctx.RegularisationWeight);
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl", kl)
            .With("neg_elbo", reconstruction + kl);
    }

    /// <summary>Draws <paramref name="count"/> samples of uniformly drawn classes: [count, ...InputShape] in data space.</summary>
    public Tensor Sample(int count, Rng rng) => Sample(count, rng, null);

    /// <summary>z ~ N(0, I) decoded with the labels <paramref name="labels"/> [count] (null: classes drawn uniformly), [count, ...InputShape].</summary>
    public Tensor Sample(int count, Rng rng, int[]? labels)
    {
        if (count <= 0) throw new ArgumentException($"cvae.Sample: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        labels ??= Enumerable.Range(0, count).Select(_ => rng.NextInt(Classes)).ToArray();
        CheckCount(labels, count, nameof(Sample));
        var y = OneHot(labels, nameof(Sample));
        using (Tensor.NoGrad())
            return Decode(Tensor.Concat([DiagonalGaussian.Standard(count, LatentSize).Sample(rng), y], 1));
    }

    private static void CheckCount(int[] labels, int batch, string op)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != batch)
            throw new ArgumentException($"cvae.{op}: {labels.Length} labels for a batch of {batch}", nameof(labels));
    }

    private void CheckLabelVectors(Tensor y, int batch, string op)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Rank != 2 || y.Shape[0] != batch || y.Shape[1] != Classes)
            throw new ArgumentException($"cvae.{op}: label vectors {Shapes.Format(y.Shape)} are not [{batch},{Classes}]", nameof(y));
    }
}
