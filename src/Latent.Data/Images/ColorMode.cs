namespace Latent.Data.Images;

/// <summary>The channel layout images are converted to.</summary>
public enum ColorMode
{
    /// <summary>One channel: Rec. 601 luma 0.299 R + 0.587 G + 0.114 B, alpha composited onto black.</summary>
    Gray,
    /// <summary>Three channels, alpha composited onto black.</summary>
    Rgb,
}
