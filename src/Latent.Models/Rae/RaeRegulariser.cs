namespace Latent.Models.Rae;

/// <summary>The decoder regulariser of a regularised autoencoder (Ghosh et al. 2020, §2.2).</summary>
public enum RaeRegulariser
{
    /// <summary>RAE-L2: λ·‖θ_decoder‖², weight decay on the decoder's weights.</summary>
    L2,

    /// <summary>RAE-GP: λ·‖∇_z D(z)‖²_F at the codes, estimated with one Gaussian probe per sample (Hutchinson).</summary>
    Gp,

    /// <summary>RAE without decoder regulariser (only the code penalty).</summary>
    None,
}
