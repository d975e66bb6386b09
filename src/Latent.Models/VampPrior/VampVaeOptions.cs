using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.VampPrior;

/// <summary>
/// Options of the VAE with the VampPrior (Tomczak &amp; Welling 2018, "VAE with a VampPrior", AISTATS): the network
/// keys of <see cref="VaeOptions"/> and K, the number of learned pseudo-inputs (the paper uses 500 on MNIST).
/// </summary>
public sealed record VampVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/> and pseudo_inputs.</summary>
    public static new readonly OptionSchema<VampVaeOptions> Schema = new OptionSchema<VampVaeOptions>("vamp-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Int(o => o.PseudoInputs, "pseudo_inputs", "[1, 10000]", "K, learned pseudo-inputs u_k; the prior is the mean of the posteriors at them (Tomczak 2018 use 500)", aliases: ["components"]);

    /// <summary>K, the number of pseudo-inputs.</summary>
    public int PseudoInputs { get; init; } = 500;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
