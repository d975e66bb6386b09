using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.NN;
using Latent.NN.Init;
using Latent.NN.Layers;

namespace Latent.Models.Dvae;

/// <summary>
/// The discrete VAE of DALL·E (Ramesh et al. 2021, "Zero-Shot Text-to-Image Generation", ICML, §2.1): an encoder
/// gives logits ℓ [N, K] over K categories at each of N latent positions, q_φ(z|x) = Π_n Cat(z_n; softmax(ℓ_n));
/// the decoder p_θ(x|z) reads the tokens through a codebook E [K, D].
/// <para>Objective (the ELB of the paper's eq. 1 with a uniform prior p(z) = Π_n U{1..K} and weight β on the KL):</para>
/// <para>  L(x) = E_{y~q^τ}[−log p_θ(x | y·E)] + β·KL(q_φ(z|x) ‖ U),  KL = Σ_n Σ_k q_nk log q_nk + N log K.</para>
/// <para>Tricks, as in the paper: the Gumbel-softmax relaxation y = softmax((ℓ + g)/τ), g ~ Gumbel(0, 1)
/// (Jang et al. 2017; Maddison et al. 2017; <see cref="GumbelSoftmax.Relaxed"/>), which the decoder reads as y·E;
/// the temperature τ annealed from 1 to 1/16 and β warmed up from 0 to 6.6, both by cosine schedules
/// (<see cref="DvaeOptions.TemperatureAt"/>, <see cref="DvaeOptions.BetaAt"/>; the paper's appendix A.2). At evaluation
/// (<see cref="TrainingContext.IsTraining"/> false) the sample is hard: one-hot argmax(ℓ + g) forward with the soft
/// gradient backward (<see cref="GumbelSoftmax.StraightThrough"/>), so the reported ELBO is that of the discrete
/// model, not of the relaxation. <see cref="Encode"/> gives the noise-free tokens argmax ℓ as one-hot rows (the paper
/// tokenises images "using argmax sampling from the dVAE encoder logits, without adding any gumbel noise").</para>
/// <para>Extras logged per epoch: "kl" (unweighted, nats per sample), "neg_elbo" = reconstruction + kl (β = 1),
/// "temperature" and "beta". Likelihood: Bernoulli (BCE on logits summed per sample), see <see cref="DvaeOptions"/>.</para>
/// </summary>
public sealed class Dvae : AutoencoderModel, IGenerativeModel
{
    /// <summary>The registry entry ("dvae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<DvaeOptions>("dvae",
        "Ramesh et al. 2021, Zero-Shot Text-to-Image Generation, ICML (dVAE, §2.1); Jang, Gu & Poole 2017, Categorical Reparameterization with Gumbel-Softmax, ICLR",
        "discrete VAE: K-way categorical tokens (grid or flat), Gumbel-softmax relaxation with annealed temperature, codebook decoder, KL to a uniform prior",
        (options, shape, rng) => new Dvae(options, shape, rng));

    private readonly DvaeOptions _options;
    private readonly int[]? _grid; // [h, w] of the conv token grid, null for the MLP

    /// <summary>Builds the encoder, codebook and decoder for samples of <paramref name="inputShape"/>, initialised from <paramref name="rng"/>.</summary>
    public Dvae(DvaeOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        _options = ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        int k = options.Categories, d = options.EmbeddingDim;
        if (options.Network.Equals("conv", StringComparison.OrdinalIgnoreCase))
        {
            if (inputShape.Length != 3 || inputShape[1] % 4 != 0 || inputShape[2] % 4 != 0)
                throw new ArgumentException(
                    $"dvae: the conv network needs samples [C,H,W] with H and W divisible by 4, got {Shapes.Format(inputShape)} (use network=mlp)",
                    nameof(inputShape));
            int c = inputShape[0], ch = options.Channels;
            _grid = [inputShape[1] / 4, inputShape[2] / 4];
            Latents = _grid[0] * _grid[1];
            // Two stride-2 4×4 convolutions (÷4), then a 1×1 convolution to K logits per grid cell.
            Encoder = Add("encoder", new Sequential(
                new Conv2d(c, ch, 4, rng, stride: 2, padding: 1), Activation.Relu(),
                new Conv2d(ch, ch, 4, rng, stride: 2, padding: 1), Activation.Relu(),
                new Conv2d(ch, k, 1, rng)));
            Decoder = Add("decoder", new Sequential(
                new Conv2d(d, ch, 1, rng), Activation.Relu(),
                new ConvTranspose2d(ch, ch, 4, rng, stride: 2, padding: 1), Activation.Relu(),
                new ConvTranspose2d(ch, c, 4, rng, stride: 2, padding: 1)));
        }
        else
        {
            Latents = options.Latents;
            var hidden = options.HiddenSizes();
            int inputSize = Shapes.Size(inputShape);
            var enc = new Sequential(new BatchReshape([inputSize]));
            int width = inputSize;
            foreach (int h in hidden) { enc.Append(new Linear(width, h, rng)); enc.Append(Activation.Relu()); width = h; }
            enc.Append(new Linear(width, Latents * k, rng));
            var dec = new Sequential();
            width = Latents * d;
            for (int i = hidden.Length - 1; i >= 0; i--) { dec.Append(new Linear(width, hidden[i], rng)); dec.Append(Activation.Relu()); width = hidden[i]; }
            dec.Append(new Linear(width, inputSize, rng));
            dec.Append(new BatchReshape(inputShape));
            Encoder = Add("encoder", enc);
            Decoder = Add("decoder", dec);
        }
        Codebook = AddParameter("codebook", Tensor.Zeros(k, d));
        Initializers.Normal(Codebook, 1f, rng);
    }

    /// <summary>N·K: <see cref="Encode"/> returns one one-hot row of K per latent position, flattened.</summary>
    public override int CodeSize => Latents * Categories;

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>N, the number of categorical latent variables (grid cells for the conv network).</summary>
    public int Latents { get; }

    /// <summary>K, the categories per variable.</summary>
    public int Categories => _options.Categories;

    /// <summary>x [B, ...InputShape] → logits (conv: [B, K, h, w]; mlp: [B, N·K]); use <see cref="Logits"/> for [B, N, K].</summary>
    public Layer Encoder { get; }

    /// <summary>Token embeddings (conv: [B, D, h, w]; mlp: [B, N·D]) → Bernoulli logits [B, ...InputShape].</summary>
    public Layer Decoder { get; }

    /// <summary>The codebook E [K, D] that turns a (relaxed) one-hot y into the decoder's input y·E.</summary>
    public Tensor Codebook { get; }

    /// <summary>The encoder's logits ℓ, x [B, ...InputShape] → [B, N, K] (position-major, row-major over the grid).</summary>
    public Tensor Logits(Tensor x)
    {
        CheckInput(x, nameof(Logits));
        var raw = Encoder.Forward(x);
        int b = x.Shape[0];
        return _grid is null
            ? raw.Reshape(b, Latents, Categories)
            : raw.Permute(0, 2, 3, 1).Reshape(b, Latents, Categories);
    }

    /// <summary>The most likely token per position, argmax ℓ: x [B, ...] → [B·N] indices (row b·N + n).</summary>
    public int[] Tokens(Tensor x)
    {
        using var _ = Tensor.NoGrad();
        return Logits(x).ArgMax(-1);
    }

    /// <summary>x [B, ...InputShape] → the noise-free hard code one_hot(argmax ℓ), flattened [B, N·K].</summary>
    public override Tensor Encode(Tensor x)
    {
        var logits = Logits(x);
        return GumbelSoftmax.OneHot(logits.ArgMax(-1), logits.Shape).Reshape(x.Shape[0], CodeSize);
    }

    /// <summary>x [B, ...] → the noise-free relaxed code softmax(ℓ/τ), flattened [B, N·K] (τ = the final temperature by default).</summary>
    public Tensor EncodeRelaxed(Tensor x, float? temperature = null)
    {
        float tau = temperature ?? _options.TemperatureEnd;
        if (!(tau > 0f)) throw new ArgumentException($"dvae.EncodeRelaxed: temperature {tau} must be > 0", nameof(temperature));
        return (Logits(x) * (1f / tau)).Softmax(-1).Reshape(x.Shape[0], CodeSize);
    }

    /// <summary>z [B, N·K] (one-hot or relaxed rows) → probabilities σ(decoder(z·E)) [B, ...InputShape].</summary>
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        return DecoderLogits(z.Reshape(z.Shape[0], Latents, Categories)).Sigmoid();
    }

    /// <summary>y [B, N, K] → the decoder's Bernoulli logits for the input y·E [B, ...InputShape].</summary>
    public Tensor DecoderLogits(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Rank != 3 || y.Shape[1] != Latents || y.Shape[2] != Categories)
            throw new ArgumentException($"dvae.DecoderLogits: y {Shapes.Format(y.Shape)} is not [B,{Latents},{Categories}]", nameof(y));
        int b = y.Shape[0], d = _options.EmbeddingDim;
        var e = Tensor.MatMul(y, Codebook); // [B, N, D]: the codebook read y·E
        var input = _grid is null
            ? e.Reshape(b, Latents * d)
            : e.Reshape(b, _grid[0], _grid[1], d).Permute(0, 3, 1, 2);
        return Decoder.Forward(input);
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        int b = Math.Max(1, x.Shape[0]);
        float tau = ctx.IsTraining ? _options.TemperatureAt(ctx.Progress) : _options.TemperatureEnd;
        float beta = _options.BetaAt(ctx.Progress) * ctx.RegularisationWeight;

        var q = new Categorical(Logits(x)); // q_φ(z|x), [B, N] categoricals over K
        // Evaluation scores the discrete model: hard one-hot forward, soft gradient backward.
        var y = ctx.IsTraining ? q.Relaxed(tau, ctx.Rng) : q.Hard(tau, ctx.Rng);
        var reconstruction = new Bernoulli(DecoderLogits(y)).MeanNegativeLogLikelihood(x);

        // KL(q ‖ U) = Σ_n (Σ_k q log q + log K), averaged over the batch.
        var kl = q.KlToUniform().Sum() * (1f / b);
        var regularisation = kl * beta;
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl", kl)
            .With("neg_elbo", (reconstruction + kl).Detach())
            .With("temperature", Tensor.Scalar(tau))
            .With("beta", Tensor.Scalar(beta));
    }

    /// <summary>Draws tokens uniformly from the prior p(z) = Π_n U{1..K} and decodes them: [count, ...InputShape].</summary>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 0) throw new ArgumentException($"dvae.Sample: count {count} must be >= 0", nameof(count));
        var idx = new int[count * Latents];
        for (int i = 0; i < idx.Length; i++) idx[i] = rng.NextInt(Categories);
        using var _ = Tensor.NoGrad();
        return Decode(GumbelSoftmax.OneHot(idx, [count, Latents, Categories]).Reshape(count, CodeSize));
    }
}
