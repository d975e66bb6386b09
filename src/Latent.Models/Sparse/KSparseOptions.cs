using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Sparse;

/// <summary>
/// Options of the k-sparse autoencoder, with the defaults of Makhzani &amp; Frey 2014 ("k-Sparse Autoencoders",
/// ICLR; arXiv:1312.5663) for MNIST: 1000 linear hidden units, k = 25, linear output with squared error, and the
/// sparsity schedule that starts from k = 100 and lowers k linearly to its target over the first half of training
/// (their remedy for dead units). The paper ties the decoder weights; here they are untied.
/// <see cref="Alpha"/> sets the encoding-stage support α·k; it defaults to 1 so that <c>Encode</c> returns the code
/// the decoder was trained on (exactly k non-zeros); the paper uses α = 3 for MNIST classification features.
/// </summary>
public sealed record KSparseOptions : ModelOptions
{
    /// <summary>The network keys, k, alpha, k_start and anneal; a k_start left at its default is raised to a larger k.</summary>
    public static readonly OptionSchema<KSparseOptions> Schema = new OptionSchema<KSparseOptions>("k-sparse-ae")
        .Network(o => o.Network)
        .Int(o => o.K, "k", "[1, inf)", "code units kept per sample (the paper's MNIST setting); at most the code size")
        .Real(o => o.Alpha, "alpha", "[1, inf)", "`Encode` keeps α·k units (the paper: 3 for classification features; 1 keeps the trained code)")
        .Int(o => o.KStart, "k_start", "[1, inf)", "k at the start of training (≥ k; capped at the code size)")
        .Real(o => o.AnnealFraction, "anneal", "[0, 1]", "fraction of training over which k falls linearly from k_start to k; 0 = fixed k")
        .AfterParse((o, given) => given.Contains("k_start") || o.KStart >= o.K ? o : o with { KStart = o.K });

    /// <summary>The encoder/decoder: 784-1000, linear code, Gaussian (squared-error) output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-1000", Output = OutputDistribution.Gaussian };

    /// <summary>k: the number of code units kept per sample.</summary>
    public int K { get; init; } = 25;

    /// <summary>α ≥ 1: <c>Encode</c> keeps the ⌊α·k⌋ largest units (capped at the code size).</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>The k at the start of training (≥ k; capped at the code size); k = k_start means no schedule.</summary>
    public int KStart { get; init; } = 100;

    /// <summary>Fraction of training (<see cref="TrainingContext.Progress"/>) over which k falls linearly from <see cref="KStart"/> to <see cref="K"/>; 0 = no schedule.</summary>
    public double AnnealFraction { get; init; } = 0.5;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        int z = Network.LayerSizes()[^1];
        if (K > z) throw Invalid("k", $"must be in [1, code size {z}]");
        if (KStart < K) throw Invalid("k_start", $"must be >= k {K}");
    }
}
