using Latent.Models.Autoencoder;

namespace Latent.Models.Denoising;

/// <summary>
/// Options of the denoising autoencoder (Vincent, Larochelle, Bengio &amp; Manzagol 2008, "Extracting and composing
/// robust features with denoising autoencoders", ICML). Defaults follow the paper's basic DAE: one hidden layer of
/// sigmoid units y = s(W x̃ + b), logistic outputs with the cross-entropy loss, masking noise that zeroes a fraction
/// ν = 0.25 of the inputs (one of the destruction levels the paper reports; it picks ν on validation data from
/// 0–50%). The paper ties the decoder weights (W' = Wᵀ); here they are untied. The 1000 hidden units are our choice.
/// </summary>
public sealed record DenoisingOptions : ModelOptions
{
    /// <summary>The encoder/decoder: 784-1000 with a sigmoid code and Bernoulli output by default.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-1000", CodeActivation = "sigmoid" };

    /// <summary>The corruption q(x̃|x) applied to the training inputs (masking:0.25 by default).</summary>
    public Corruption Noise { get; init; } = new(CorruptionKind.Masking, 0.25f);

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        ArgumentNullException.ThrowIfNull(Noise, nameof(Noise));
        Network.Validate();
        try { Noise.Validate(); }
        catch (ArgumentException e) { throw new ArgumentException($"dae: {e.Message}", nameof(Noise), e); }
    }

    /// <summary>Options from "key=value" settings over the defaults: noise=KIND:LEVEL plus the network keys (arch, hidden, code, output, network).</summary>
    public static DenoisingOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        var defaults = new DenoisingOptions();
        var (network, own) = FamilySettings.Split("dae", settings, defaults.Network, "noise");
        var o = defaults with { Network = network };
        if (own.TryGetValue("noise", out var noise))
        {
            try { o = o with { Noise = Corruption.Parse(noise) }; }
            catch (ArgumentException e) { throw new ArgumentException($"dae: {e.Message}", nameof(Noise), e); }
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() => $"{Network.ToText()} noise={Noise}";
}
