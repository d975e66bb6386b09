using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.Flows;

/// <summary>
/// Options of the VAE with inverse autoregressive flow (Kingma et al. 2016, "Improved Variational Inference with
/// Inverse Autoregressive Flow", NeurIPS): the network keys of <see cref="VaeOptions"/>, the number of IAF steps
/// (default 2) and the hidden units of each step's masked network (default 64).
/// </summary>
public sealed record IafVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/>, flows and flow_hidden.</summary>
    public static new readonly OptionSchema<IafVaeOptions> Schema = new OptionSchema<IafVaeOptions>("iaf-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Int(o => o.Flows, "flows", "[0, 100]", "IAF steps applied to the posterior sample, alternating the variable order")
        .Int(o => o.FlowHidden, "flow_hidden", "[1, 100000]", "hidden units of each step's masked autoregressive network (MADE)");

    /// <summary>The number of IAF steps.</summary>
    public int Flows { get; init; } = 2;

    /// <summary>Hidden units of each step's MADE.</summary>
    public int FlowHidden { get; init; } = 64;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
