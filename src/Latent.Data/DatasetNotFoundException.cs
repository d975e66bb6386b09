namespace Latent.Data;

/// <summary>
/// The files of a dataset were found nowhere: the message names the missing files, the folders that were searched
/// and where to put the files (or how to allow a download).
/// </summary>
public sealed class DatasetNotFoundException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> is the full one-line explanation.</summary>
    public DatasetNotFoundException(string dataset, IReadOnlyList<string> missingFiles, IReadOnlyList<string> searchedFolders, string message)
        : base(message)
    {
        Dataset = dataset;
        MissingFiles = missingFiles;
        SearchedFolders = searchedFolders;
    }

    /// <summary>The dataset name ("mnist").</summary>
    public string Dataset { get; }

    /// <summary>File names that are needed and were not found.</summary>
    public IReadOnlyList<string> MissingFiles { get; }

    /// <summary>Folders that were searched, in order.</summary>
    public IReadOnlyList<string> SearchedFolders { get; }
}
