namespace Latent.Models.Sparse;

/// <summary>The sparsity penalty of a <see cref="SparseAutoencoder"/>.</summary>
public enum SparsityPenalty
{
    /// <summary>β Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the mean activation of code unit j over the batch (Ng's lecture notes).</summary>
    Kl,
    /// <summary>λ (1/B) Σ_b Σ_j |h_bj|: an L1 penalty on the code activities.</summary>
    L1,
}
