using Latent.Core;
using Latent.Data;
using Latent.Models.Distributions;
using Latent.Models.PixelCnn;
using Latent.Models.Training;
using Latent.Models.VqVae;
using Latent.NN.Layers;
using Conv = Latent.NN.Layers.Conv2d;
using ConvT = Latent.NN.Layers.ConvTranspose2d;

namespace Latent.Models.VqVae2;

/// <summary>
/// VQ-VAE-2 (Razavi, van den Oord &amp; Vinyals 2019, "Generating Diverse High-Fidelity Images with VQ-VAE-2", NeurIPS,
/// §3.1, Algorithm 1): a two-level hierarchy of quantised maps.
/// <code>
/// h_b = E_b(x)                      [B, F, H/4, W/4]    (7×7 for 28×28, 8×8 for 32×32)
/// h_t = E_t(h_b)                    [B, F, ⌈H/8⌉, ⌈W/8⌉] (4×4 for both: a stride-2 3×3 convolution, padding 1)
/// e_top = Quantize(1×1(h_t))
/// e_bottom = Quantize(1×1([h_b, D_t(e_top)]))          (the bottom quantiser sees the top decoder's output)
/// x̂ = D([Up(e_top), e_bottom])                          (Up: a stride-2 transposed convolution to H/4×W/4)
/// L = ‖x − x̂‖² + Σ_levels (‖sg[z_e] − e‖² + β‖z_e − sg[e]‖²)
/// </code>
/// With EMA codebooks (the paper's choice, the default) the codebook terms are zero. Priors (§3.2): a gated PixelCNN over
/// the top maps, and one over the bottom maps conditioned on the top codes (their codebook vectors upsampled to the bottom
/// map's size as a spatial conditioning input); the top prior has causal multi-head self-attention blocks (PixelSNAIL-style,
/// <see cref="CausalSelfAttention"/>) unless <see cref="VqVae2Options.PriorAttention"/> is off.
/// Sampling: top prior → bottom prior given the top → decoder.
/// </summary>
public sealed class VqVae2 : AutoencoderModel, IPriorModel, IConditionalGenerativeModel
{
    /// <summary>The registry entry ("vq-vae-2").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<VqVae2Options>("vq-vae-2",
        "Razavi, van den Oord & Vinyals 2019, Generating Diverse High-Fidelity Images with VQ-VAE-2, NeurIPS",
        "VQ-VAE-2: two-level hierarchy (bottom H/4, top H/8 codes), EMA codebooks, gated PixelCNN priors (top with causal self-attention, bottom conditioned on top)",
        (options, shape, rng) => new VqVae2(options, shape, rng)) with
    {
        // Files saved before the top prior had self-attention.
        LegacyOptions = new Dictionary<string, string> { ["prior_attention"] = "false" },
    };

    private readonly VqVae2Options _options;

    /// <summary>Builds the model for images [C, H, W] with H, W divisible by 4.</summary>
    public VqVae2(VqVae2Options options, int[] inputShape, Rng rng) : base(inputShape)
    {
        ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        VqVaeNetworks.CheckImageShape("vq-vae-2", inputShape, 4);
        _options = options;
        int d = options.EmbeddingDim, hid = options.Hidden, rh = options.ResidualHidden, rb = options.ResidualBlocks;
        BottomHeight = inputShape[1] / 4; BottomWidth = inputShape[2] / 4;
        TopHeight = (BottomHeight + 1) / 2; TopWidth = (BottomWidth + 1) / 2;
        // A stride-2 transposed 3×3 convolution (padding 1) gives 2·top − 1 + outputPadding rows: pad to the bottom size.
        int padH = BottomHeight - (2 * TopHeight - 1), padW = BottomWidth - (2 * TopWidth - 1);
        if (padH != padW) throw new ArgumentException($"vq-vae-2: input shape {Shapes.Format(inputShape)} gives different row/column upsampling; use square images or H ≡ W (mod 8)", nameof(inputShape));

        BottomEncoder = Add("encoder_bottom", VqVaeNetworks.Encoder(inputShape[0], hid, rh, rb, rng));
        var top = new Sequential(new Conv(hid, hid, 3, rng, stride: 2, padding: 1), Activation.Relu(), new Conv(hid, hid, 3, rng, padding: 1));
        VqVaeNetworks.AppendResidualStack(top, hid, rh, rb, rng);
        top.Append(new Conv(hid, d, 1, rng));
        TopEncoder = Add("encoder_top", top);
        TopQuantizer = Add("quantizer_top", new VectorQuantizer(options.TopCodebookSize, d, rng, options.Ema, options.Decay, options.Epsilon, options.RestartAfter));
        var topDecoder = new Sequential(new Conv(d, hid, 3, rng, padding: 1));
        VqVaeNetworks.AppendResidualStack(topDecoder, hid, rh, rb, rng);
        topDecoder.Append(new ConvT(hid, d, 3, rng, stride: 2, padding: 1, outputPadding: padH));
        TopDecoder = Add("decoder_top", topDecoder);
        BottomProjection = Add("pre_quantize_bottom", new Conv(hid + d, d, 1, rng));
        BottomQuantizer = Add("quantizer_bottom", new VectorQuantizer(options.BottomCodebookSize, d, rng, options.Ema, options.Decay, options.Epsilon, options.RestartAfter));
        UpsampleTop = Add("upsample_top", new ConvT(d, d, 3, rng, stride: 2, padding: 1, outputPadding: padH));
        Decoder = Add("decoder", VqVaeNetworks.Decoder(2 * d, inputShape[0], hid, rh, rb, rng));
        TopPrior = Add("prior_top", new GatedPixelCnn(options.TopCodebookSize, options.PriorChannels, options.PriorLayers, options.PriorKernel, options.PriorClasses, 0, rng,
            attentionHeads: options.PriorAttention ? options.PriorHeads : 0));
        BottomPrior = Add("prior_bottom", new GatedPixelCnn(options.BottomCodebookSize, options.PriorChannels, options.PriorLayers, options.PriorKernel, options.PriorClasses, d, rng));
        TopSize = d * TopHeight * TopWidth;
        CodeSize = TopSize + d * BottomHeight * BottomWidth;
    }

    /// <summary>D·(h_t·w_t + h_b·w_b): the flattened top map followed by the flattened bottom map.</summary>
    public override int CodeSize { get; }

    private int TopSize { get; }

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>h_b = H/4.</summary>
    public int BottomHeight { get; }

    /// <summary>w_b = W/4.</summary>
    public int BottomWidth { get; }

    /// <summary>h_t = ⌈h_b/2⌉.</summary>
    public int TopHeight { get; }

    /// <summary>w_t = ⌈w_b/2⌉.</summary>
    public int TopWidth { get; }

    /// <summary>E_b: x → h_b [B, F, h_b, w_b].</summary>
    public Sequential BottomEncoder { get; }

    /// <summary>E_t: h_b → z_e,top [B, D, h_t, w_t].</summary>
    public Sequential TopEncoder { get; }

    /// <summary>The top codebook.</summary>
    public VectorQuantizer TopQuantizer { get; }

    /// <summary>D_t: e_top → [B, D, h_b, w_b], input to the bottom quantiser.</summary>
    public Sequential TopDecoder { get; }

    /// <summary>1×1 convolution [h_b, D_t(e_top)] → z_e,bottom.</summary>
    public Conv BottomProjection { get; }

    /// <summary>The bottom codebook.</summary>
    public VectorQuantizer BottomQuantizer { get; }

    /// <summary>e_top → [B, D, h_b, w_b] for the decoder.</summary>
    public ConvT UpsampleTop { get; }

    /// <summary>D: [Up(e_top), e_bottom] → x̂.</summary>
    public Sequential Decoder { get; }

    /// <summary>Prior over the top maps.</summary>
    public GatedPixelCnn TopPrior { get; }

    /// <summary>Prior over the bottom maps, conditioned on the top codes.</summary>
    public GatedPixelCnn BottomPrior { get; }

    /// <summary>Classes of the class-conditional prior (option prior_classes); 0 when the prior is unconditional.</summary>
    public int Classes => _options.PriorClasses;

    /// <inheritdoc />
    public bool PriorTrained => TopPrior.IsTrained && BottomPrior.IsTrained;

    /// <summary>h_b·w_b·log2 K_b + h_t·w_t·log2 K_t.</summary>
    public double BitsPerImage =>
        BottomHeight * BottomWidth * Math.Log2(_options.BottomCodebookSize) + TopHeight * TopWidth * Math.Log2(_options.TopCodebookSize);

    private (Quantized Top, Quantized Bottom) Quantize(Tensor x, TrainingContext ctx)
    {
        var hB = BottomEncoder.Forward(x);
        var top = TopQuantizer.Forward(TopEncoder.Forward(hB), ctx);
        var zB = BottomProjection.Forward(Tensor.Concat([hB, TopDecoder.Forward(top.StraightThrough)], 1));
        return (top, BottomQuantizer.Forward(zB, ctx));
    }

    private Tensor DecodeMaps(Tensor top, Tensor bottom) => Decoder.Forward(Tensor.Concat([UpsampleTop.Forward(top), bottom], 1));

    /// <summary>x [B, C, H, W] → (top indices row-major over [B, h_t, w_t], bottom indices over [B, h_b, w_b]).</summary>
    public (int[] Top, int[] Bottom) EncodeIndices(Tensor x)
    {
        CheckInput(x, nameof(EncodeIndices));
        using (Tensor.NoGrad())
        {
            var (top, bottom) = Quantize(x, TrainingContext.ForEvaluation(new Rng(0)));
            return (top.Indices, bottom.Indices);
        }
    }

    /// <summary>Index maps → images [batch, C, H, W].</summary>
    public Tensor DecodeIndices(int[] top, int[] bottom, int batch)
    {
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(bottom);
        if (batch <= 0 || top.Length != batch * TopHeight * TopWidth || bottom.Length != batch * BottomHeight * BottomWidth)
            throw new ArgumentException($"vq-vae-2.DecodeIndices: {top.Length} top and {bottom.Length} bottom indices for {batch} images", nameof(top));
        return DecodeMaps(TopQuantizer.Lookup(top, batch, TopHeight, TopWidth), BottomQuantizer.Lookup(bottom, batch, BottomHeight, BottomWidth));
    }

    /// <summary>x → [e_top flattened, e_bottom flattened], [B, D·(h_t·w_t + h_b·w_b)].</summary>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        var (top, bottom) = EncodeIndices(x);
        int b = x.Shape[0];
        return Tensor.Concat([
            TopQuantizer.Lookup(top, b, TopHeight, TopWidth).Reshape(b, TopSize),
            BottomQuantizer.Lookup(bottom, b, BottomHeight, BottomWidth).Reshape(b, CodeSize - TopSize)], 1);
    }

    /// <inheritdoc />
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        int b = z.Shape[0], d = _options.EmbeddingDim;
        var top = z.Narrow(1, 0, TopSize).Reshape(b, d, TopHeight, TopWidth);
        var bottom = z.Narrow(1, TopSize, CodeSize - TopSize).Reshape(b, d, BottomHeight, BottomWidth);
        return DecodeMaps(top, bottom);
    }

    /// <inheritdoc />
    public override Tensor Reconstruct(Tensor x)
    {
        CheckInput(x, nameof(Reconstruct));
        var (top, bottom) = EncodeIndices(x);
        return DecodeIndices(top, bottom, x.Shape[0]);
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var (top, bottom) = Quantize(x, ctx);
        var output = DecodeMaps(top.StraightThrough, bottom.StraightThrough);
        var reconstruction = GaussianLikelihood.SquaredError(output).MeanNegativeLogLikelihood(x); // ‖x − D(z_q)‖² per sample
        var codebook = top.Codebook + bottom.Codebook;
        var commitment = top.Commitment + bottom.Commitment;
        var regularisation = codebook + _options.Beta * commitment;
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("codebook", codebook)
            .With("commitment", commitment)
            .With("usage_top", top.Usage)
            .With("perplexity_top", top.Perplexity)
            .With("usage_bottom", bottom.Usage)
            .With("perplexity_bottom", bottom.Perplexity);
    }

    /// <summary>The bottom prior's conditioning map for top index maps: top codebook vectors, nearest-upsampled ×2 and cropped to h_b×w_b, [batch, D, h_b, w_b].</summary>
    public Tensor TopCondition(int[] top, int batch)
    {
        using (Tensor.NoGrad())
        {
            var e = TopQuantizer.Lookup(top, batch, TopHeight, TopWidth).Detach().UpsampleNearest2d(2);
            return e.Narrow(2, 0, BottomHeight).Narrow(3, 0, BottomWidth);
        }
    }

    /// <summary>Fits the top prior, then the bottom prior given the top codes, on <paramref name="train"/>'s index maps (§3.2).</summary>
    public void FitPrior(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (!Shapes.Equal(train.SampleShape, InputShape))
            throw new ArgumentException($"vq-vae-2.FitPrior: dataset '{train.Name}' has samples {Shapes.Format(train.SampleShape)}, expected {Shapes.Format(InputShape)}", nameof(train));
        if (_options.PriorClasses > 0 && train.Labels is null)
            throw new ArgumentException($"vq-vae-2.FitPrior: the class-conditional priors need labels, dataset '{train.Name}' has none", nameof(train));
        int n = train.Count, perTop = TopHeight * TopWidth, perBottom = BottomHeight * BottomWidth;
        var tops = new int[n * perTop];
        var bottoms = new int[n * perBottom];
        using (Evaluating())
        {
            int k = 0;
            foreach (var x in Metrics.Evaluation.Batches(train, 256))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (t, b) = EncodeIndices(x);
                t.CopyTo(tops, k * perTop);
                b.CopyTo(bottoms, k * perBottom);
                k += x.Shape[0];
            }
        }
        var labels = _options.PriorClasses > 0 ? train.Labels : null;
        PriorFitting.Fit(TopPrior, tops, n, TopHeight, TopWidth, labels, null, options, progress, cancellationToken);
        Tensor Condition(int[] idx)
        {
            var t = new int[idx.Length * perTop];
            for (int i = 0; i < idx.Length; i++) Array.Copy(tops, idx[i] * perTop, t, i * perTop, perTop);
            return TopCondition(t, idx.Length);
        }
        PriorFitting.Fit(BottomPrior, bottoms, n, BottomHeight, BottomWidth, labels, Condition, options, progress, cancellationToken);
    }

    /// <inheritdoc />
    public Tensor Sample(int count, Rng rng) => Sample(count, rng, null);

    /// <summary>Top prior → bottom prior given the top → decoder: [count, C, H, W]. <paramref name="labels"/> for class-conditional priors.</summary>
    /// <exception cref="InvalidOperationException">The priors have not been fitted.</exception>
    public Tensor Sample(int count, Rng rng, int[]? labels)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count <= 0) throw new ArgumentException($"vq-vae-2.Sample: count {count} must be positive", nameof(count));
        if (!PriorTrained)
            throw new InvalidOperationException("vq-vae-2: the PixelCNN priors are not trained; call FitPrior (latent train-prior) before sampling");
        if (_options.PriorClasses > 0) labels ??= Enumerable.Range(0, count).Select(_ => rng.NextInt(_options.PriorClasses)).ToArray();
        else labels = null;
        var top = TopPrior.Sample(count, TopHeight, TopWidth, rng, labels);
        var bottom = BottomPrior.Sample(count, BottomHeight, BottomWidth, rng, labels, TopCondition(top, count));
        using (Tensor.NoGrad()) return DecodeIndices(top, bottom, count);
    }
}
