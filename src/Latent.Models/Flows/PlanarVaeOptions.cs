using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.Flows;

/// <summary>
/// Options of the VAE with planar flows (Rezende &amp; Mohamed 2015, "Variational Inference with Normalizing Flows",
/// ICML): the network keys of <see cref="VaeOptions"/> and K, the number of planar flows (the paper tries 2 to 80;
/// default 10).
/// </summary>
public sealed record PlanarVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/> and flows.</summary>
    public static new readonly OptionSchema<PlanarVaeOptions> Schema = new OptionSchema<PlanarVaeOptions>("planar-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Int(o => o.Flows, "flows", "[0, 1000]", "K, planar flows applied to the posterior sample (Rezende 2015 use 2 to 80)");

    /// <summary>K, the number of planar flows.</summary>
    public int Flows { get; init; } = 10;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
