namespace Latent.Packaging.Tests;

/// <summary>
/// The packages of every library and of the tool, packed once (no build: the test command has just built them) into a
/// temporary folder that serves as a NuGet feed; and an empty NuGet cache, so that a package cached by an earlier run
/// cannot stand in for the one just packed.
/// </summary>
public sealed class LocalFeed : IDisposable
{
    /// <summary>The projects that become packages.</summary>
    public static readonly string[] Projects = ["Latent.Core", "Latent.NN", "Latent.Data", "Latent.Models", "Latent.Viz", "Latent.MLNet", "Latent.Cli"];

    /// <summary>Packs every project into <see cref="Folder"/>.</summary>
    public LocalFeed()
    {
        Folder = Dotnet.TempDir("feed");
        Cache = Dotnet.TempDir("nuget-cache");
        var results = Projects.AsParallel().Select(p => Dotnet.Run(Dotnet.Host, Dotnet.RepositoryRoot, null, "pack",
            Path.Combine("src", p, p + ".csproj"), "-c", Dotnet.Configuration, "--no-build", "-o", Folder)).ToList();
        foreach (var (code, output) in results) Assert.True(code == 0, "dotnet pack failed:\n" + output);
    }

    /// <summary>The feed folder with Latent.*.nupkg and .snupkg.</summary>
    public string Folder { get; }

    /// <summary>An empty NUGET_PACKAGES folder for the installs.</summary>
    public string Cache { get; }

    /// <summary>Deletes the feed and the package cache.</summary>
    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        Directory.Delete(Cache, recursive: true);
    }

    /// <summary>The environment for child processes: the isolated package cache.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Cache };
}
