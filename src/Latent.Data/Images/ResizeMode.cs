namespace Latent.Data.Images;

/// <summary>How <see cref="ImageOps.Resize"/> samples.</summary>
public enum ResizeMode
{
    /// <summary>Each output pixel is the average of the input area it covers (box filter; best for shrinking).</summary>
    Area,
    /// <summary>Bilinear interpolation between the four nearest input pixels (pixel centres at half-integers).</summary>
    Bilinear,
}
