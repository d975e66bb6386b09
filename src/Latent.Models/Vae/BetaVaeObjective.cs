namespace Latent.Models.Vae;

/// <summary>How a β-VAE weighs its KL term.</summary>
public enum BetaVaeObjective
{
    /// <summary>recon + β·KL with a fixed β &gt; 1 (Higgins et al. 2017).</summary>
    Beta,

    /// <summary>recon + γ·|KL − C| with the capacity C raised linearly from 0 to C_max (Burgess et al. 2018).</summary>
    Capacity,
}
