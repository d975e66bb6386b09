using Latent.Core;

namespace Latent.Models.Flows;

/// <summary>
/// The VAE with K planar flows in the posterior (Rezende &amp; Mohamed 2015, "Variational Inference with Normalizing
/// Flows", ICML, §4.1): z_K = f_K ∘ … ∘ f_1(z₀) with <see cref="PlanarFlow"/> steps, trained on the free energy of
/// Eq. 15 (<see cref="FlowVae"/>). Flow parameters are named "flow.k.u", "flow.k.w", "flow.k.b".
/// </summary>
public sealed class PlanarVae : FlowVae
{
    /// <summary>The registry entry ("planar-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<PlanarVaeOptions>("planar-vae",
        "Rezende & Mohamed 2015, Variational Inference with Normalizing Flows, ICML",
        "VAE whose posterior sample passes through K planar flows (flows=K), log-det in the KL",
        (options, shape, rng) => new PlanarVae(options, shape, rng));

    /// <summary>Builds the VAE's networks, then K planar flows on Z dimensions.</summary>
    public PlanarVae(PlanarVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        for (int k = 0; k < options.Flows; k++) Flow.Append(new PlanarFlow(LatentSize, rng));
    }
}
