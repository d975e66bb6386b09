namespace Latent.Data.Named;

/// <summary>
/// How <see cref="NamedDatasets"/> finds data. Every member has a default that suits normal use; tests inject
/// folders, the environment, mirrors and the HTTP client.
/// </summary>
public sealed record DataOptions
{
    /// <summary>An explicit data directory, searched first (as dir/&lt;name&gt;/ and dir/).</summary>
    public string? DataDir { get; init; }

    /// <summary>
    /// Whether missing files may be downloaded from the public mirrors (default false: offline). Downloads are also
    /// allowed when <see cref="AllowDownloadInCurrentFlow"/> is set or the environment variable
    /// <see cref="DownloadEnvironmentVariableName"/> is 1, true or yes (see <see cref="DownloadsAllowed"/>).
    /// </summary>
    public bool AllowDownload { get; init; }

    /// <summary>The environment variable that allows downloads: LATENT_DOWNLOAD=1.</summary>
    public const string DownloadEnvironmentVariableName = "LATENT_DOWNLOAD";

    private static readonly AsyncLocal<bool> AllowInFlow = new();

    /// <summary>
    /// Allows downloads for the code that runs in the current call flow (the CLI's --download sets it for one
    /// command, so that every data request of that command may download without passing a flag down).
    /// </summary>
    public static bool AllowDownloadInCurrentFlow
    {
        get => AllowInFlow.Value;
        set => AllowInFlow.Value = value;
    }

    /// <summary>True when <see cref="AllowDownload"/>, <see cref="AllowDownloadInCurrentFlow"/> or the environment variable allows downloads.</summary>
    public bool DownloadsAllowed()
    {
        if (AllowDownload || AllowDownloadInCurrentFlow) return true;
        var v = (GetEnvironmentVariable ?? Environment.GetEnvironmentVariable)(DownloadEnvironmentVariableName)?.Trim();
        return v is not null && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The per-user cache folder; null means $XDG_CACHE_HOME/latent, else ~/.cache/latent.</summary>
    public string? CacheDir { get; init; }

    /// <summary>Base URLs to download from instead of the dataset's official mirrors (tests use a local server).</summary>
    public IReadOnlyList<Uri>? Mirrors { get; init; }

    /// <summary>Download progress: (bytes done, total bytes if known, file name).</summary>
    public IProgress<(long Done, long? Total, string File)>? Progress { get; init; }

    /// <summary>The HTTP client for downloads (default: a shared one).</summary>
    public HttpClient? Http { get; init; }

    /// <summary>Reads an environment variable (default <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public Func<string, string?>? GetEnvironmentVariable { get; init; }

    /// <summary>
    /// Folders from which to walk up looking for shared/datasets (default: the current directory and
    /// <see cref="AppContext.BaseDirectory"/>); an empty list turns the shared search off.
    /// </summary>
    public IReadOnlyList<string>? SharedSearchStarts { get; init; }

    /// <summary>
    /// The highest folder the upward search for shared/datasets looks in (inclusive); null = up to the file-system
    /// root. Lets a caller (a test) keep the search inside a folder it controls.
    /// </summary>
    public string? SharedSearchTop { get; init; }

    /// <summary>The name of the environment variable holding a data directory.</summary>
    public const string EnvironmentVariableName = "LATENT_DATA";

    /// <summary>The cache folder these options use.</summary>
    public string ResolvedCacheDir()
    {
        if (CacheDir is not null) return Path.GetFullPath(CacheDir);
        var env = GetEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var xdg = env("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "latent");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "latent");
        return Path.Combine(home, ".cache", "latent");
    }
}
