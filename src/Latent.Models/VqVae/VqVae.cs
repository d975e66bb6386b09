using Latent.Core;
using Latent.Data;
using Latent.Models.Distributions;
using Latent.Models.PixelCnn;
using Latent.Models.Training;
using Latent.NN.Layers;
using Conv = Latent.NN.Layers.Conv2d;

namespace Latent.Models.VqVae;

/// <summary>
/// The vector-quantised variational autoencoder (van den Oord, Vinyals &amp; Kavukcuoglu 2017, "Neural Discrete
/// Representation Learning", NeurIPS). A convolutional encoder gives z_e(x) ∈ ℝ^{D×h×w} (h = H/4, w = W/4); each
/// D-vector is replaced by its nearest codebook vector e_k (<see cref="VectorQuantizer"/>), and the decoder reconstructs x
/// from z_q(x). The objective (Eq. 3), per sample and averaged over the batch:
/// <code>
/// L = ‖x − D(z_q)‖² + ‖sg[z_e(x)] − e‖² + β ‖z_e(x) − sg[e]‖²,   β = 0.25
/// </code>
/// (log p(x|z_q) as a unit-variance Gaussian, so squared error; the KL term of the uniform prior is a constant, log K per
/// position, and is dropped). Gradients cross the quantiser by the straight-through estimator. With <c>ema=true</c> the
/// codebook term is replaced by exponential-moving-average updates (Appendix A.1). After training, a gated PixelCNN prior
/// over the h×w index maps is fitted (<see cref="FitPrior"/>, §3.3) and <see cref="Sample(int, Rng)"/> draws from it.
/// Loss extras: "codebook", "commitment", "usage" (fraction of the K codes used in the batch) and "perplexity"
/// (exp of the entropy of the batch's code frequencies).
/// </summary>
public sealed class VqVae : AutoencoderModel, IPriorModel, IConditionalGenerativeModel
{
    /// <summary>The registry entry ("vq-vae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<VqVaeOptions>("vq-vae",
        "van den Oord, Vinyals & Kavukcuoglu 2017, Neural Discrete Representation Learning, NeurIPS",
        "VQ-VAE: conv encoder/decoder with residual blocks, nearest-neighbour codebook (straight-through, commitment β, optional EMA), gated PixelCNN prior",
        (options, shape, rng) => new VqVae(options, shape, rng));

    private readonly VqVaeOptions _options;

    /// <summary>Builds the model for images <paramref name="inputShape"/> = [C, H, W] with H, W divisible by 4.</summary>
    public VqVae(VqVaeOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        VqVaeNetworks.CheckImageShape("vq-vae", inputShape, 4);
        _options = options;
        CodeHeight = inputShape[1] / 4;
        CodeWidth = inputShape[2] / 4;
        int d = options.EmbeddingDim;
        var encoder = VqVaeNetworks.Encoder(inputShape[0], options.Hidden, options.ResidualHidden, options.ResidualBlocks, rng);
        encoder.Append(new Conv(options.Hidden, d, 1, rng)); // 1×1 projection to the codebook's D
        Encoder = Add("encoder", encoder);
        Quantizer = Add("quantizer", new VectorQuantizer(options.CodebookSize, d, rng, options.Ema, options.Decay, options.Epsilon, options.RestartAfter));
        Decoder = Add("decoder", VqVaeNetworks.Decoder(d, inputShape[0], options.Hidden, options.ResidualHidden, options.ResidualBlocks, rng));
        Prior = Add("prior", new GatedPixelCnn(options.CodebookSize, options.PriorChannels, options.PriorLayers, options.PriorKernel, options.PriorClasses, 0, rng));
        CodeSize = d * CodeHeight * CodeWidth;
    }

    /// <summary>D·h·w: the flattened quantised map.</summary>
    public override int CodeSize { get; }

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>h = H/4.</summary>
    public int CodeHeight { get; }

    /// <summary>w = W/4.</summary>
    public int CodeWidth { get; }

    /// <summary>x [B, C, H, W] → z_e [B, D, h, w].</summary>
    public Sequential Encoder { get; }

    /// <summary>The codebook and its updates.</summary>
    public VectorQuantizer Quantizer { get; }

    /// <summary>z_q [B, D, h, w] → x̂ [B, C, H, W].</summary>
    public Sequential Decoder { get; }

    /// <summary>The gated PixelCNN over index maps [h, w] (trained by <see cref="FitPrior"/>).</summary>
    public GatedPixelCnn Prior { get; }

    /// <summary>Classes of the class-conditional prior (option prior_classes); 0 when the prior is unconditional.</summary>
    public int Classes => _options.PriorClasses;

    /// <inheritdoc />
    public bool PriorTrained => Prior.IsTrained;

    /// <summary>Bits per image of the discrete code: h·w·log2 K.</summary>
    public double BitsPerImage => CodeHeight * CodeWidth * Math.Log2(_options.CodebookSize);

    /// <summary>x [B, C, H, W] → the quantised vectors z_q(x), flattened [B, D·h·w] (channel-major, as z_q's [D, h, w]).</summary>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        return Quantizer.Lookup(EncodeIndices(x), x.Shape[0], CodeHeight, CodeWidth).Reshape(x.Shape[0], CodeSize);
    }

    /// <summary>x [B, C, H, W] → the code indices k(b, i, j), row-major over [B, h, w].</summary>
    public int[] EncodeIndices(Tensor x)
    {
        CheckInput(x, nameof(EncodeIndices));
        using (Tensor.NoGrad())
        {
            var zE = Encoder.Forward(x);
            return Quantizer.NearestIndices(zE.Permute(0, 2, 3, 1).Reshape(-1, Quantizer.Dim));
        }
    }

    /// <summary>z [B, D·h·w] (quantised or not) → x̂ [B, C, H, W].</summary>
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        return Decoder.Forward(z.Reshape(z.Shape[0], Quantizer.Dim, CodeHeight, CodeWidth));
    }

    /// <summary>Index maps (row-major over [<paramref name="batch"/>, h, w]) → images [batch, C, H, W].</summary>
    public Tensor DecodeIndices(int[] indices, int batch)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (batch <= 0 || indices.Length != batch * CodeHeight * CodeWidth)
            throw new ArgumentException($"vq-vae.DecodeIndices: {indices.Length} indices for {batch} maps of {CodeHeight}x{CodeWidth}", nameof(indices));
        return Decoder.Forward(Quantizer.Lookup(indices, batch, CodeHeight, CodeWidth));
    }

    /// <inheritdoc />
    public override Tensor Reconstruct(Tensor x)
    {
        CheckInput(x, nameof(Reconstruct));
        return DecodeIndices(EncodeIndices(x), x.Shape[0]);
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var q = Quantizer.Forward(Encoder.Forward(x), ctx);
        var output = Decoder.Forward(q.StraightThrough);
        var reconstruction = GaussianLikelihood.SquaredError(output).MeanNegativeLogLikelihood(x); // ‖x − D(z_q)‖² per sample
        var regularisation = q.Codebook + _options.Beta * q.Commitment;
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("codebook", q.Codebook)
            .With("commitment", q.Commitment)
            .With("usage", q.Usage)
            .With("perplexity", q.Perplexity);
    }

    /// <summary>
    /// Fits the PixelCNN prior on the index maps of <paramref name="train"/> under the frozen encoder (§3.3). Uses the
    /// options' epochs, batch size, learning rate and seed; a class-conditional prior needs the dataset's labels.
    /// </summary>
    public void FitPrior(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (!Shapes.Equal(train.SampleShape, InputShape))
            throw new ArgumentException($"vq-vae.FitPrior: dataset '{train.Name}' has samples {Shapes.Format(train.SampleShape)}, expected {Shapes.Format(InputShape)}", nameof(train));
        if (_options.PriorClasses > 0 && train.Labels is null)
            throw new ArgumentException($"vq-vae.FitPrior: the class-conditional prior needs labels, dataset '{train.Name}' has none", nameof(train));
        var codes = IndexMaps(train, cancellationToken);
        PriorFitting.Fit(Prior, codes, train.Count, CodeHeight, CodeWidth, _options.PriorClasses > 0 ? train.Labels : null, null, options, progress, cancellationToken);
    }

    /// <summary>The index maps of every sample of <paramref name="data"/>, row-major over [Count, h, w].</summary>
    public int[] IndexMaps(Dataset data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        using (Evaluating())
        {
            var codes = new int[data.Count * CodeHeight * CodeWidth];
            int offset = 0;
            foreach (var x in Metrics.Evaluation.Batches(data, 256))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var idx = EncodeIndices(x);
                idx.CopyTo(codes, offset);
                offset += idx.Length;
            }
            return codes;
        }
    }

    /// <summary>Draws <paramref name="count"/> images from the PixelCNN prior (classes uniform when class-conditional).</summary>
    /// <exception cref="InvalidOperationException">The prior has not been fitted.</exception>
    public Tensor Sample(int count, Rng rng) => Sample(count, rng, null);

    /// <summary>Draws <paramref name="count"/> images [count, C, H, W]; <paramref name="labels"/> [count] picks the classes of a class-conditional prior.</summary>
    /// <exception cref="InvalidOperationException">The prior has not been fitted.</exception>
    public Tensor Sample(int count, Rng rng, int[]? labels)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count <= 0) throw new ArgumentException($"vq-vae.Sample: count {count} must be positive", nameof(count));
        if (!PriorTrained)
            throw new InvalidOperationException("vq-vae: the PixelCNN prior is not trained; call FitPrior (latent train-prior) before sampling");
        if (_options.PriorClasses > 0) labels ??= Enumerable.Range(0, count).Select(_ => rng.NextInt(_options.PriorClasses)).ToArray();
        else labels = null;
        var codes = Prior.Sample(count, CodeHeight, CodeWidth, rng, labels);
        using (Tensor.NoGrad()) return DecodeIndices(codes, count);
    }
}
