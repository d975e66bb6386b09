namespace Latent.Models.Runs;

/// <summary>What data to load and how (the <c>--data</c>, <c>--data-dir</c>, <c>--label</c>, <c>--image-size</c>, <c>--samples</c> options).</summary>
public sealed record DataRequest
{
    /// <summary>"sprites" (generated; "sprites-brightness" adds the grey level as a sixth factor), "mnist", "fashion-mnist", or a path to a .csv/.csv.gz table, a folder of PNG/JPEG/BMP images, an .npy/.npz file or an IDX file.</summary>
    public string Source { get; init; } = "sprites";

    /// <summary>Where to look for named datasets first (then LATENT_DATA, shared/datasets, the cache).</summary>
    public string? DataDir { get; init; }

    /// <summary>The label column of a table (default: a column named "label" if there is one).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Side length for sprites (default 28) and for resizing PNG folders (default: the images' own size).</summary>
    public int? ImageSize { get; init; }

    /// <summary>Number of generated training sprites (the test split gets a tenth as many, at least 100).</summary>
    public int Samples { get; init; } = 5000;

    /// <summary>Seed of generated data and of the train/test split of files without one.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Fraction of a single file held out as the test split.</summary>
    public double TestFraction { get; init; } = 0.1;

    /// <summary>
    /// Steps per window: the CSV is a time series (one row per step) cut into windows [Window, columns]; the first
    /// 1 − <see cref="TestFraction"/> of the steps are the training part (and fit the per-column standardisation), the rest
    /// the test part. Null: the CSV is a table of independent rows.
    /// </summary>
    public int? Window { get; init; }

    /// <summary>Steps between the starts of consecutive windows (with <see cref="Window"/>).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>
    /// Read the training rows from the file when they are used instead of loading them (a data-parallel rank then holds
    /// only its shards), where the file allows it: an uncompressed IDX image file or a C-order .npy
    /// (<see cref="Latent.Data.Rows.FileRows"/>), also as the files of mnist / fashion-mnist. The test split is loaded
    /// whole. Other sources load whole whatever this says. The samples are the same bit for bit either way.
    /// </summary>
    public bool OnDemand { get; init; }
}
