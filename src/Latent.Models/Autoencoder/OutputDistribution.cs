namespace Latent.Models.Autoencoder;

/// <summary>What the decoder's last layer produces and which reconstruction loss goes with it.</summary>
public enum OutputDistribution
{
    /// <summary>Logits; loss is binary cross-entropy on logits summed per sample; Decode returns sigmoid(logits). For data in [0,1].</summary>
    Bernoulli,

    /// <summary>Linear output; loss is squared error summed per sample; Decode returns the output as is. For real-valued data.</summary>
    Gaussian,
}
