using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;
using NnLoss = Latent.NN.Losses.Loss;
using Conv = Latent.NN.Layers.Conv2d;

namespace Latent.Models.PixelCnn;

/// <summary>
/// A gated PixelCNN over maps of discrete codes (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN
/// Decoders"), the prior of the VQ-VAE (van den Oord et al. 2017, §3.3) and of each VQ-VAE-2 level (Razavi et al. 2019, §3.2):
/// p(k) = Π_{i,j} p(k_{ij} | k_{&lt;ij}, y, s), a K-way softmax per position in raster order.
/// Codes are embedded (K → F), passed through one type-A and L−1 type-B <see cref="GatedPixelCnnLayer"/>s (vertical and
/// horizontal stacks, so the receptive field has no blind spot), then ReLU → 1×1 (F) → ReLU → 1×1 (K) logits.
/// With <c>attentionHeads</c> &gt; 0 a <see cref="CausalSelfAttention"/> block (PixelSNAIL, Chen et al. 2018) acts on the
/// horizontal stack after the middle gated layer and after the last one, so every position can read every earlier
/// position directly, not only through the convolutions' receptive field (VQ-VAE-2's top prior, Razavi et al. 2019, §3.2).
/// Trained by cross-entropy (nats per position); <see cref="Sample"/> draws position by position.
/// A buffer "trained" (0 or 1) is saved with the weights so a loaded prior knows it was fitted.
/// </summary>
public sealed class GatedPixelCnn : Module
{
    private readonly List<GatedPixelCnnLayer> _layers = [];
    private readonly Dictionary<int, CausalSelfAttention> _attention = [];
    private readonly Tensor _trained;

    /// <summary>A prior over <paramref name="codebookSize"/> codes.</summary>
    /// <param name="codebookSize">K.</param>
    /// <param name="channels">F.</param>
    /// <param name="layers">L ≥ 1 (the first is type A with kernel 2k+1).</param>
    /// <param name="kernel">k of the type-B layers (odd).</param>
    /// <param name="classes">Classes for a per-class bias; 0 = unconditional.</param>
    /// <param name="conditionChannels">Channels of a spatial conditioning map; 0 = none.</param>
    /// <param name="rng">Initialisation stream.</param>
    /// <param name="attentionHeads">Heads of the causal self-attention blocks after the middle and the last layer; 0 = no attention.</param>
    public GatedPixelCnn(int codebookSize, int channels, int layers, int kernel, int classes, int conditionChannels, Rng rng, int attentionHeads = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (codebookSize <= 0) throw new ArgumentException($"GatedPixelCnn: codebook size {codebookSize} must be positive", nameof(codebookSize));
        if (layers <= 0) throw new ArgumentException($"GatedPixelCnn: layers {layers} must be positive", nameof(layers));
        if (attentionHeads < 0 || (attentionHeads > 0 && channels % attentionHeads != 0))
            throw new ArgumentException($"GatedPixelCnn: attention heads {attentionHeads} must be 0 (none) or divide channels {channels}", nameof(attentionHeads));
        CodebookSize = codebookSize;
        Classes = classes;
        ConditionChannels = conditionChannels;
        Embedding = Add("embedding", new Embedding(codebookSize, channels, rng));
        for (int i = 0; i < layers; i++)
            _layers.Add(Add($"layer{i}", new GatedPixelCnnLayer(channels, i == 0 ? 2 * kernel + 1 : kernel, maskA: i == 0, classes, conditionChannels, rng)));
        AttentionHeads = attentionHeads;
        if (attentionHeads > 0)
            foreach (int i in new[] { (layers - 1) / 2, layers - 1 }.Distinct())
                _attention[i] = Add($"attention{i}", new CausalSelfAttention(channels, attentionHeads, rng));
        Head = Add("head", new Sequential(Activation.Relu(), new Conv(channels, channels, 1, rng), Activation.Relu(), new Conv(channels, codebookSize, 1, rng)));
        _trained = AddBuffer("trained", Tensor.Zeros(1));
    }

    /// <summary>K.</summary>
    public int CodebookSize { get; }

    /// <summary>Number of classes of the class-conditional bias (0 = none).</summary>
    public int Classes { get; }

    /// <summary>Channels of the spatial conditioning map (0 = none).</summary>
    public int ConditionChannels { get; }

    /// <summary>Heads of the self-attention blocks (0 = none).</summary>
    public int AttentionHeads { get; }

    /// <summary>The self-attention blocks, by the index of the gated layer they follow (empty without attention).</summary>
    public IReadOnlyDictionary<int, CausalSelfAttention> Attention => _attention;

    /// <summary>Code embedding [K, F].</summary>
    public Embedding Embedding { get; }

    /// <summary>The gated layers.</summary>
    public IReadOnlyList<GatedPixelCnnLayer> Layers => _layers;

    /// <summary>Output head F → K.</summary>
    public Sequential Head { get; }

    /// <summary>True once fitted (or loaded from a fitted checkpoint).</summary>
    public bool IsTrained
    {
        get => _trained.Span[0] != 0f;
        set => _trained.Span[0] = value ? 1f : 0f;
    }

    /// <summary>
    /// Logits [B, K, h, w] for codes (row-major over [B, h, w]); position (i, j) depends only on codes before it in raster
    /// order (and on <paramref name="labels"/> [B] and <paramref name="condition"/> [B, Cs, h, w] when conditional).
    /// </summary>
    public Tensor Logits(int[] codes, int batch, int h, int w, int[]? labels = null, Tensor? condition = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Length != batch * h * w)
            throw new ArgumentException($"GatedPixelCnn: {codes.Length} codes for a [{batch},{h},{w}] map", nameof(codes));
        if (ConditionChannels > 0 && (condition is null || condition.Rank != 4 || condition.Shape[0] != batch || condition.Shape[1] != ConditionChannels || condition.Shape[2] != h || condition.Shape[3] != w))
            throw new ArgumentException($"GatedPixelCnn: conditioning map {(condition is null ? "null" : Shapes.Format(condition.Shape))} is not [{batch},{ConditionChannels},{h},{w}]", nameof(condition));
        if (Classes > 0)
        {
            if (labels is null || labels.Length != batch)
                throw new ArgumentException($"GatedPixelCnn: class-conditional prior needs {batch} labels", nameof(labels));
            foreach (int y in labels)
                if ((uint)y >= (uint)Classes) throw new ArgumentException($"GatedPixelCnn: label {y} outside [0, {Classes})", nameof(labels));
        }
        var x = Embedding.Forward(codes).Reshape(batch, h, w, Embedding.EmbeddingDim).Permute(0, 3, 1, 2);
        Tensor v = x, hs = x;
        for (int i = 0; i < _layers.Count; i++)
        {
            (v, hs) = _layers[i].Forward(v, hs, labels, condition);
            // The horizontal stack at (i, j) depends only on codes before (i, j); attention over positions ≤ (i, j) keeps that.
            if (_attention.TryGetValue(i, out var attention)) hs = attention.Forward(hs);
        }
        return Head.Forward(hs);
    }

    /// <summary>Mean negative log-likelihood per position in nats: −(1/(B·h·w)) Σ log p(k_ij | k_&lt;ij) (scalar).</summary>
    public Tensor Loss(int[] codes, int batch, int h, int w, int[]? labels = null, Tensor? condition = null) =>
        NnLoss.CrossEntropy(Logits(codes, batch, h, w, labels, condition), codes);

    /// <summary>
    /// Draws <paramref name="count"/> code maps [count·h·w] in raster order: at each position the network is run on the map so
    /// far and k_ij is drawn from softmax(logits/T) by the Gumbel-max trick with <paramref name="rng"/>.
    /// </summary>
    public int[] Sample(int count, int h, int w, Rng rng, int[]? labels = null, Tensor? condition = null, float temperature = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count <= 0 || h <= 0 || w <= 0) throw new ArgumentException($"GatedPixelCnn: cannot sample {count} maps of {h}x{w}", nameof(count));
        if (!(temperature > 0f)) throw new ArgumentException($"GatedPixelCnn: temperature {temperature} must be > 0", nameof(temperature));
        var codes = new int[count * h * w];
        using (Evaluating())
        {
            using (Tensor.NoGrad())
            {
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        ReadOnlySpan<float> logits = Logits(codes, count, h, w, labels, condition).Span;
                        for (int b = 0; b < count; b++)
                        {
                            int best = 0;
                            float bestScore = float.NegativeInfinity;
                            for (int k = 0; k < CodebookSize; k++)
                            {
                                // Gumbel-max: argmax_k (ℓ_k/T + g_k), g_k ~ Gumbel(0,1), is a draw from softmax(ℓ/T).
                                float score = logits[((b * CodebookSize + k) * h + i) * w + j] / temperature + rng.NextGumbel();
                                if (score > bestScore) { bestScore = score; best = k; }
                            }
                            codes[(b * h + i) * w + j] = best;
                        }
                    }
            }
        }
        return codes;
    }
}
