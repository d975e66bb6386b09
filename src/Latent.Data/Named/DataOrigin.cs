namespace Latent.Data.Named;

/// <summary>Where a named dataset's files were found, in the order the places are searched.</summary>
public enum DataOrigin
{
    /// <summary>The data directory given explicitly (option / --data-dir).</summary>
    DataDir,
    /// <summary>The folder named by the LATENT_DATA environment variable.</summary>
    EnvironmentVariable,
    /// <summary>A shared/datasets folder beside the current directory, the program's folder, or one of their parents.</summary>
    SharedDatasets,
    /// <summary>The per-user cache ($XDG_CACHE_HOME/latent or ~/.cache/latent).</summary>
    Cache,
    /// <summary>Downloaded just now into the per-user cache.</summary>
    Download,
}
