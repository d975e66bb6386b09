namespace Latent.Viz.Images;

/// <summary>Layout of an <see cref="ImageGrid"/>.</summary>
public sealed record GridOptions
{
    /// <summary>Images per row (at most; a grid with fewer images is narrower). Default 8.</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Gutter between images and border around the grid, in output pixels. Default 2.</summary>
    public int Padding { get; init; } = 2;

    /// <summary>Colour of the gutter and of empty cells. Default white.</summary>
    public Rgb Background { get; init; } = Rgb.White;

    /// <summary>Integer upscale factor applied to each image (nearest neighbour). Default 1.</summary>
    public int Scale { get; init; } = 1;

    internal void Validate()
    {
        if (Columns < 1) throw new ArgumentOutOfRangeException(nameof(Columns), $"GridOptions: Columns must be at least 1, got {Columns}");
        if (Padding < 0) throw new ArgumentOutOfRangeException(nameof(Padding), $"GridOptions: Padding must be non-negative, got {Padding}");
        if (Scale < 1) throw new ArgumentOutOfRangeException(nameof(Scale), $"GridOptions: Scale must be at least 1, got {Scale}");
    }
}
