namespace Latent.Data.Images;

/// <summary>How <see cref="ImageFolder.Load"/> turns PNG files into samples.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Output width; null keeps the images' own size (then all must have the same size).</summary>
    public int? Width { get; init; }

    /// <summary>Output height; null keeps the images' own size.</summary>
    public int? Height { get; init; }

    /// <summary>Gray (1 channel, default) or RGB (3 channels).</summary>
    public ColorMode Color { get; init; } = ColorMode.Gray;

    /// <summary>Resampling used when a size is given (images are scaled to cover it, then centre-cropped).</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Area;

    /// <summary>Labels from the names of the immediate sub-folders (sorted ordinally; label = index).</summary>
    public bool LabelsFromSubfolders { get; init; }
}
