using Latent.Models.Options;

namespace Latent.Models.Dvae;

/// <summary>
/// Options of the discrete VAE (Ramesh et al. 2021, "Zero-Shot Text-to-Image Generation", ICML, §2.1 and appendix A).
/// <para>Paper defaults kept: KL weight β = 6.6 reached by a cosine warm-up from 0; relaxation temperature τ annealed
/// from 1 to 1/16 with a cosine schedule; uniform prior; convolutional encoder/decoder that downsample to a grid of
/// categorical tokens, read through a codebook by the decoder.</para>
/// <para>Scaled to this toolkit: K = 512 categories instead of 8192 and a 4× downsampling (a 7×7 grid for 28×28)
/// instead of 8× on 256×256; the paper anneals τ over its first 150,000 of 3,000,000 updates and warms β up over the
/// first 5,000, which on runs of a few thousand steps we express as fractions of training: τ over the whole run
/// (<see cref="TemperatureAnneal"/> = 1; 0.05 gives the paper's ratio) and β over the first 5%.
/// The paper's logit-Laplace likelihood is replaced by a Bernoulli one (BCE) for data in [0, 1].</para>
/// </summary>
public sealed record DvaeOptions : ModelOptions
{
    /// <summary>network, categories, latents, embedding, hidden, channels, beta, beta_warmup, tau_start, tau_end, tau_anneal.</summary>
    public static readonly OptionSchema<DvaeOptions> Schema = new OptionSchema<DvaeOptions>("dvae")
        .OneOf(o => o.Network, "network", ["conv", "mlp"], "conv: a grid of tokens (input [C,H,W] with H, W divisible by 4); mlp: `latents` flat tokens")
        .Int(o => o.Categories, "categories", "[2, inf)", "K, categories per token (paper: 8192)", aliases: ["k"])
        .Int(o => o.Latents, "latents", "[1, inf)", "N, tokens of the MLP network (the conv grid sets its own N)", aliases: ["n"])
        .Int(o => o.EmbeddingDim, "embedding", "[1, inf)", "D, the width of the codebook the decoder reads", aliases: ["embedding_dim"])
        .Sizes(o => o.Hidden, "hidden", 0, "sizes, or none", "hidden layer sizes of the MLP encoder (mirrored in the decoder)", none: "none")
        .Int(o => o.Channels, "channels", "[1, inf)", "channels of the conv encoder/decoder")
        .Real(o => o.Beta, "beta", "[0, inf)", "final KL weight β (paper)")
        .Real(o => o.BetaWarmup, "beta_warmup", "[0, 1]", "fraction of training for the cosine warm-up of β from 0")
        .Real(o => o.TemperatureStart, "tau_start", "(0, inf)", "temperature τ at the start (paper)")
        .Real(o => o.TemperatureEnd, "tau_end", "(0, inf)", "final τ, also used at evaluation (paper: 1/16; \"1/16\" is accepted); at most tau_start")
        .Real(o => o.TemperatureAnneal, "tau_anneal", "[0, 1]", "fraction of training for the cosine anneal of τ");

    /// <summary>"conv" (the paper's: a grid of tokens, input [C,H,W] with H and W divisible by 4) or "mlp" (<see cref="Latents"/> flat categorical variables).</summary>
    public string Network { get; init; } = "conv";

    /// <summary>K, the number of categories of every latent variable (codebook size; the paper's 8192).</summary>
    public int Categories { get; init; } = 512;

    /// <summary>N, the number of categorical variables for the MLP network (the conv network's N is the grid size).</summary>
    public int Latents { get; init; } = 32;

    /// <summary>D, the width of the codebook embedding E [K, D] that the decoder reads (y·E).</summary>
    public int EmbeddingDim { get; init; } = 64;

    /// <summary>Hidden layer sizes of the MLP encoder (mirrored in the decoder), e.g. "512-256".</summary>
    public string Hidden { get; init; } = "512-256";

    /// <summary>Channels of the conv encoder/decoder.</summary>
    public int Channels { get; init; } = 64;

    /// <summary>β, the final weight of KL(q(z|x) ‖ uniform) (the paper's 6.6).</summary>
    public float Beta { get; init; } = 6.6f;

    /// <summary>Fraction of training over which β rises from 0 by a cosine (the paper: 5,000 updates); 0 = no warm-up.</summary>
    public double BetaWarmup { get; init; } = 0.05;

    /// <summary>τ at the start of training (the paper's 1).</summary>
    public float TemperatureStart { get; init; } = 1f;

    /// <summary>τ at the end of the anneal and at evaluation (the paper's 1/16).</summary>
    public float TemperatureEnd { get; init; } = 1f / 16f;

    /// <summary>Fraction of training over which τ falls by a cosine from <see cref="TemperatureStart"/> to <see cref="TemperatureEnd"/>.</summary>
    public double TemperatureAnneal { get; init; } = 1.0;

    /// <summary>The parsed <see cref="Hidden"/> sizes (may be empty: "" or "none").</summary>
    public int[] HiddenSizes() =>
        OptionSpec.ParseSizes(Hidden, 0, "none", out var sizes) is { } error ? throw Invalid("hidden", error) : sizes;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (TemperatureEnd > TemperatureStart)
            throw Invalid("tau_end", $"must be <= tau_start {OptionSpec.Number(TemperatureStart)}");
    }

    /// <summary>
    /// The cosine schedule from <paramref name="from"/> to <paramref name="to"/> over the first <paramref name="span"/> of
    /// training (appendix A.2 of the paper: "cosine schedules" for τ, β and the step size):
    /// v(p) = to + (from − to)·½(1 + cos(π·min(1, p/span))); span 0 gives <paramref name="to"/> at once.
    /// </summary>
    public static float Cosine(double progress, double span, float from, float to)
    {
        double s = span <= 0 ? 1 : Math.Min(1, Math.Max(0, progress) / span);
        return (float)(to + (from - to) * 0.5 * (1 + Math.Cos(Math.PI * s)));
    }

    /// <summary>τ at training progress p ∈ [0, 1].</summary>
    public float TemperatureAt(double progress) => Cosine(progress, TemperatureAnneal, TemperatureStart, TemperatureEnd);

    /// <summary>β at training progress p ∈ [0, 1] (0 → <see cref="Beta"/> by a cosine over <see cref="BetaWarmup"/>).</summary>
    public float BetaAt(double progress) => Cosine(progress, BetaWarmup, 0f, Beta);
}
