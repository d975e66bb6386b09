using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Denoising;

/// <summary>
/// Options of the denoising autoencoder (Vincent, Larochelle, Bengio &amp; Manzagol 2008, "Extracting and composing
/// robust features with denoising autoencoders", ICML). Defaults follow the paper's basic DAE: one hidden layer of
/// sigmoid units y = s(W x̃ + b), logistic outputs with the cross-entropy loss, masking noise that zeroes a fraction
/// ν = 0.25 of the inputs (one of the destruction levels the paper reports; it picks ν on validation data from
/// 0–50%). The paper ties the decoder weights (W' = Wᵀ); here they are untied unless tied=true. The 1000 hidden units are our choice.
/// </summary>
public sealed record DenoisingOptions : ModelOptions
{
    /// <summary>The network keys and noise.</summary>
    public static readonly OptionSchema<DenoisingOptions> Schema = new OptionSchema<DenoisingOptions>("dae")
        .Network(o => o.Network)
        .Custom(o => o.Noise, "noise", "corruption", "KIND:LEVEL",
            "masking:ν (zero a fraction ν, the paper's), gaussian:σ, salt-and-pepper:ν or block:f (a square hole of side f·H, for inpainting)",
            Corruption.Parse, c => c.Validate(), c => c.ToString());

    /// <summary>The encoder/decoder: 784-1000 with a sigmoid code and Bernoulli output by default.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-1000", CodeActivation = "sigmoid" };

    /// <summary>The corruption q(x̃|x) applied to the training inputs (masking:0.25 by default).</summary>
    public Corruption Noise { get; init; } = new(CorruptionKind.Masking, 0.25f);

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
