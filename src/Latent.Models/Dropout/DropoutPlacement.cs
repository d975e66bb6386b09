namespace Latent.Models.Dropout;

/// <summary>Which hidden layers of a <see cref="DropoutAutoencoder"/> get dropout.</summary>
public enum DropoutPlacement
{
    /// <summary>After every hidden activation of the encoder and of the decoder.</summary>
    Both,
    /// <summary>Encoder hidden layers only.</summary>
    Encoder,
    /// <summary>Decoder hidden layers only.</summary>
    Decoder,
}
