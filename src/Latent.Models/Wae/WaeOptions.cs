using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.Wae;

/// <summary>
/// Options of the Wasserstein autoencoder with the MMD penalty (Tolstikhin, Bousquet, Gelly &amp; Schölkopf 2018,
/// "Wasserstein Auto-Encoders", ICLR): the network keys of <see cref="VaeOptions"/>, λ = 10 and the inverse
/// multiquadratic kernel with C = 2Z (the paper's MNIST set-up, §4).
/// </summary>
public sealed record WaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/>, lambda and kernel.</summary>
    public static new readonly OptionSchema<WaeOptions> Schema = new OptionSchema<WaeOptions>("wae-mmd")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.Lambda, "lambda", "[0, inf)", "λ, the weight of MMD(q(z), p(z)) (Tolstikhin 2018 use 10 on MNIST)")
        .Choice(o => o.Kernel, "kernel", "imq: C/(C+d²) with C = 2Z (Tolstikhin 2018); rbf: exp(−d²/(2h²)) with 2h² = 2Z");

    /// <summary>λ, the weight of the MMD penalty.</summary>
    public float Lambda { get; init; } = 10f;

    /// <summary>The MMD kernel.</summary>
    public MmdKernelChoice Kernel { get; init; } = MmdKernelChoice.Imq;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
