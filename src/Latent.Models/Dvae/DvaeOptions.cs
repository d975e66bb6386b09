using System.Globalization;

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
    public int[] HiddenSizes()
    {
        if (string.IsNullOrWhiteSpace(Hidden) || Hidden.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        return Hidden.Split('-').Select((p, i) =>
            int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw new ArgumentException($"dvae: hidden '{Hidden}': '{p}' (entry {i + 1}) is not a positive integer", nameof(Hidden))).ToArray();
    }

    /// <summary>Checks every option; ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        if (!Network.Equals("conv", StringComparison.OrdinalIgnoreCase) && !Network.Equals("mlp", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"dvae: network '{Network}' is not conv or mlp", nameof(Network));
        if (Categories < 2) throw new ArgumentException($"dvae: categories {Categories} must be >= 2", nameof(Categories));
        if (Latents < 1) throw new ArgumentException($"dvae: latents {Latents} must be >= 1", nameof(Latents));
        if (EmbeddingDim < 1) throw new ArgumentException($"dvae: embedding {EmbeddingDim} must be >= 1", nameof(EmbeddingDim));
        if (Channels < 1) throw new ArgumentException($"dvae: channels {Channels} must be >= 1", nameof(Channels));
        _ = HiddenSizes();
        if (!(Beta >= 0f) || float.IsInfinity(Beta)) throw new ArgumentException($"dvae: beta {Beta} must be finite and >= 0", nameof(Beta));
        if (!(BetaWarmup is >= 0 and <= 1)) throw new ArgumentException($"dvae: beta_warmup {BetaWarmup} not in [0, 1]", nameof(BetaWarmup));
        if (!(TemperatureStart > 0f) || float.IsInfinity(TemperatureStart))
            throw new ArgumentException($"dvae: tau_start {TemperatureStart} must be finite and > 0", nameof(TemperatureStart));
        if (!(TemperatureEnd > 0f) || TemperatureEnd > TemperatureStart)
            throw new ArgumentException($"dvae: tau_end {TemperatureEnd} must be > 0 and <= tau_start {TemperatureStart}", nameof(TemperatureEnd));
        if (!(TemperatureAnneal is >= 0 and <= 1)) throw new ArgumentException($"dvae: tau_anneal {TemperatureAnneal} not in [0, 1]", nameof(TemperatureAnneal));
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

    /// <summary>
    /// Options from "key=value" settings over the defaults. Keys: network, categories (k), latents (n), embedding,
    /// hidden, channels, beta, beta_warmup, tau_start, tau_end, tau_anneal.
    /// </summary>
    public static DvaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new DvaeOptions();
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "network" => o with { Network = value },
                "categories" or "k" => o with { Categories = Int(value, nameof(Categories)) },
                "latents" or "n" => o with { Latents = Int(value, nameof(Latents)) },
                "embedding" or "embedding_dim" => o with { EmbeddingDim = Int(value, nameof(EmbeddingDim)) },
                "hidden" => o with { Hidden = value },
                "channels" => o with { Channels = Int(value, nameof(Channels)) },
                "beta" => o with { Beta = (float)Real(value, nameof(Beta)) },
                "beta_warmup" => o with { BetaWarmup = Real(value, nameof(BetaWarmup)) },
                "tau_start" => o with { TemperatureStart = (float)Real(value, nameof(TemperatureStart)) },
                "tau_end" => o with { TemperatureEnd = (float)Real(value, nameof(TemperatureEnd)) },
                "tau_anneal" => o with { TemperatureAnneal = Real(value, nameof(TemperatureAnneal)) },
                _ => throw new ArgumentException(
                    $"dvae: unknown option '{key}' (expected network, categories, latents, embedding, hidden, channels, beta, beta_warmup, tau_start, tau_end, tau_anneal)",
                    nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    private static int Int(string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v : throw new ArgumentException($"dvae: {option} '{value}' is not an integer", option);

    private static double Real(string value, string option)
    {
        // "1/16" is accepted for temperatures, as the paper writes them.
        var parts = value.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b != 0)
            return a / b;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new ArgumentException($"dvae: {option} '{value}' is not a number", option);
    }

    /// <inheritdoc />
    public override string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"network={Network} categories={Categories} latents={Latents} embedding={EmbeddingDim} hidden={Hidden} channels={Channels} beta={Beta:R} beta_warmup={BetaWarmup:R} tau_start={TemperatureStart:R} tau_end={TemperatureEnd:R} tau_anneal={TemperatureAnneal:R}");
}
