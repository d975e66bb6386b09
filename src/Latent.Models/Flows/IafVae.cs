using Latent.Core;

namespace Latent.Models.Flows;

/// <summary>
/// The VAE with inverse autoregressive flow in the posterior (Kingma, Salimans, Jozefowicz, Chen, Sutskever &amp;
/// Welling 2016, "Improved Variational Inference with Inverse Autoregressive Flow", NeurIPS, Algorithm 1 without the
/// context h): z_T = IAF_T ∘ … ∘ IAF_1(z₀) with <see cref="InverseAutoregressiveFlow"/> steps of alternating order,
/// trained on the one-sample negative ELBO of <see cref="FlowVae"/>. Step parameters are named "flow.t.w1" etc.
/// </summary>
public sealed class IafVae : FlowVae
{
    /// <summary>The registry entry ("iaf-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<IafVaeOptions>("iaf-vae",
        "Kingma, Salimans, Jozefowicz, Chen, Sutskever & Welling 2016, Improved Variational Inference with Inverse Autoregressive Flow, NeurIPS",
        "VAE whose posterior sample passes through inverse autoregressive flow steps (MADE), log-det in the KL",
        (options, shape, rng) => new IafVae(options, shape, rng));

    /// <summary>Builds the VAE's networks, then the IAF steps on Z dimensions.</summary>
    public IafVae(IafVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        for (int t = 0; t < options.Flows; t++) Flow.Append(new InverseAutoregressiveFlow(LatentSize, options.FlowHidden, reversed: t % 2 == 1, rng));
    }
}
