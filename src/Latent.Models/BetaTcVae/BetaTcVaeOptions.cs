using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.BetaTcVae;

/// <summary>
/// Options of the β-TC-VAE (Chen, Li, Grosse &amp; Duvenaud 2018, "Isolating Sources of Disentanglement in Variational
/// Autoencoders", NeurIPS): the network keys of <see cref="VaeOptions"/> and the weights of the three KL parts, the
/// paper's α = γ = 1, β = 6, and N, the training-set size the minibatch-weighted estimate divides by.
/// </summary>
public sealed record BetaTcVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/>, alpha, tc_beta, gamma and dataset_size.</summary>
    public static new readonly OptionSchema<BetaTcVaeOptions> Schema = new OptionSchema<BetaTcVaeOptions>("beta-tc-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.Alpha, "alpha", "[0, inf)", "α, the weight of the index-code mutual information I(x; z)")
        .Real(o => o.TcBeta, "tc_beta", "[0, inf)", "β, the weight of the total correlation KL(q(z) ‖ Π_j q(z_j)) (Chen 2018 use 6)")
        .Real(o => o.Gamma, "gamma", "[0, inf)", "γ, the weight of the dimension-wise KL Σ_j KL(q(z_j) ‖ p(z_j))")
        .Int(o => o.DatasetSize, "dataset_size", "[1, 1000000000]", "N, the training-set size in the minibatch-weighted estimate of log q(z)");

    /// <summary>α, the weight of the index-code mutual information.</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>β, the weight of the total correlation.</summary>
    public float TcBeta { get; init; } = 6f;

    /// <summary>γ, the weight of the dimension-wise KL.</summary>
    public float Gamma { get; init; } = 1f;

    /// <summary>N, the training-set size (minibatch-weighted sampling divides by N·M).</summary>
    public int DatasetSize { get; init; } = 60000;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
