namespace Latent.Models.IO;

/// <summary>
/// How the data a model was trained on was read and normalised, so that <c>eval</c>, <c>encode</c> or
/// <c>anomaly</c> can prepare new data the same way (and never refit the normalisation on it).
/// </summary>
public sealed record DataDescription
{
    /// <summary>The data argument as given ("sprites", "mnist", a path).</summary>
    public required string Source { get; init; }

    /// <summary>"sprites", "named", "csv", "images", "npy" or "idx".</summary>
    public required string Kind { get; init; }

    /// <summary>The dataset's own description (where it came from, how it was split).</summary>
    public string? Description { get; init; }

    /// <summary>The label column of a table, when one was named or found.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>
    /// What each label means, indexed by label: the named datasets' class names, the sub-folder names of an image
    /// folder, the sprites' shapes; null when the labels are their own names (a table's label values, IDX digits).
    /// </summary>
    public string[]? ClassNames { get; init; }

    /// <summary>The side length images were resized to (image folders, sprites), or null.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Per-feature means of the standardisation fitted on the training rows (tables), or null.</summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-feature standard deviations of that standardisation, or null.</summary>
    public float[]? Std { get; init; }

    /// <summary>Samples used for training (after holding out validation and test rows).</summary>
    public int TrainCount { get; init; }

    /// <summary>Seed of generated data and of the train/test split of single files.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fraction of a single file held out as the test split.</summary>
    public double TestFraction { get; init; }

    /// <summary>Samples in the test split.</summary>
    public int TestCount { get; init; }

    /// <summary>Steps per window when the data is a time series cut into windows [Window, columns], or null.</summary>
    public int? Window { get; init; }

    /// <summary>Steps between window starts (with <see cref="Window"/>), or null.</summary>
    public int? Stride { get; init; }

    /// <summary>Steps of the series in the training part (the first steps; with <see cref="Window"/>), or null.</summary>
    public int? TrainSteps { get; init; }
}
