namespace Latent.Models.Wae;

/// <summary>The kernel of an MMD penalty between codes and prior samples (<see cref="Distributions.MmdKernel"/>).</summary>
public enum MmdKernelChoice
{
    /// <summary>Inverse multiquadratic C / (C + d²), C = 2·Z (Tolstikhin et al. 2018, §4, for the prior N(0, I_Z)).</summary>
    Imq,

    /// <summary>Gaussian exp(−d² / (2h²)) with 2h² = 2·Z (Zhao et al. 2019 use the RBF kernel).</summary>
    Rbf,
}
