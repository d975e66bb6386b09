using Latent.Models.Autoencoder;

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

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        int z = Network.LayerSizes()[^1];
        if (K < 1 || K > z) throw new ArgumentException($"k-sparse-ae: k {K} must be in [1, code size {z}]", nameof(K));
        if (!(Alpha >= 1f) || float.IsInfinity(Alpha)) throw new ArgumentException($"k-sparse-ae: alpha {Alpha} must be finite and >= 1", nameof(Alpha));
        if (KStart < K) throw new ArgumentException($"k-sparse-ae: k_start {KStart} must be >= k {K}", nameof(KStart));
        if (!(AnnealFraction is >= 0 and <= 1)) throw new ArgumentException($"k-sparse-ae: anneal {AnnealFraction} must be in [0, 1]", nameof(AnnealFraction));
    }

    /// <summary>Options from "key=value" settings over the defaults: k, alpha, k_start, anneal plus the network keys.</summary>
    public static KSparseOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        const string model = "k-sparse-ae";
        var defaults = new KSparseOptions();
        var (network, own) = FamilySettings.Split(model, settings, defaults.Network, "k", "alpha", "k_start", "anneal");
        var o = defaults with { Network = network };
        foreach (var (key, value) in own)
        {
            o = key switch
            {
                "k" => o with { K = FamilySettings.Int(model, key, value, nameof(K)) },
                "alpha" => o with { Alpha = FamilySettings.Float(model, key, value, nameof(Alpha)) },
                "k_start" => o with { KStart = FamilySettings.Int(model, key, value, nameof(KStart)) },
                _ => o with { AnnealFraction = FamilySettings.Float(model, key, value, nameof(AnnealFraction)) },
            };
        }
        // A k_start left at its default never blocks a larger k.
        if (!own.ContainsKey("k_start") && o.KStart < o.K) o = o with { KStart = o.K };
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() =>
        $"{Network.ToText()} k={K} alpha={FamilySettings.Text(Alpha)} k_start={KStart} anneal={AnnealFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
}
