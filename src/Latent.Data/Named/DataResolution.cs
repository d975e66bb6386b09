using System.Text;

namespace Latent.Data.Named;

/// <summary>
/// Where a named dataset's files were found: the folder, how it was found, each file's path, and whether the
/// training split is carved out of the test files. <see cref="ToString"/> gives lines the CLI can print.
/// </summary>
public sealed class DataResolution
{
    internal DataResolution(string dataset, DataOrigin origin, string folder, string? trainImages, string? trainLabels,
        string testImages, string testLabels, int? testOnlyTrainCount, IReadOnlyList<string> searched)
    {
        Dataset = dataset;
        Origin = origin;
        Folder = folder;
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        TestOnlyTrainCount = testOnlyTrainCount;
        SearchedFolders = searched;
    }

    /// <summary>The dataset name.</summary>
    public string Dataset { get; }

    /// <summary>How the folder was found.</summary>
    public DataOrigin Origin { get; }

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>Full path of the training images, or null when train is carved from the test files.</summary>
    public string? TrainImages { get; }

    /// <summary>Full path of the training labels, or null when train is carved from the test files.</summary>
    public string? TrainLabels { get; }

    /// <summary>Full path of the test images.</summary>
    public string TestImages { get; }

    /// <summary>Full path of the test labels.</summary>
    public string TestLabels { get; }

    /// <summary>When not null, train = the first this-many test images and test = the rest.</summary>
    public int? TestOnlyTrainCount { get; }

    /// <summary>True when the training split is carved from the test files.</summary>
    public bool TrainFromTestFiles => TestOnlyTrainCount is not null;

    /// <summary>Folders searched before the files were found, in order.</summary>
    public IReadOnlyList<string> SearchedFolders { get; }

    /// <summary>The files that will be read, in order.</summary>
    public IReadOnlyList<string> Files =>
        TrainImages is null ? [TestImages, TestLabels] : [TrainImages, TrainLabels!, TestImages, TestLabels];

    /// <summary>A one-line note on the split, for dataset descriptions.</summary>
    public string SplitNote => TestOnlyTrainCount is int k
        ? $"{Dataset}: training files not found in {Folder}; train = first {k:N0} images of the test files (t10k), test = the remaining ones"
        : $"{Dataset}: official train and test files from {Folder}";

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Dataset).Append(": ").Append(Folder).Append(" (").Append(Origin).Append(')').AppendLine();
        foreach (var f in Files) sb.Append("  ").AppendLine(f);
        if (TrainFromTestFiles) sb.Append("  note: ").AppendLine(SplitNote);
        return sb.ToString().TrimEnd();
    }
}
