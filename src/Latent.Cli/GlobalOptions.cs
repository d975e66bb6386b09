using System.CommandLine;

namespace Latent.Cli;

/// <summary>Options accepted by every command.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Folder searched first for mnist / fashion-mnist (then $LATENT_DATA, shared/datasets, the cache)",
        Recursive = true,
    };

    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "Worker threads for the kernels (default: all cores)",
        Recursive = true,
    };

    public static readonly Option<ulong> Seed = new("--seed")
    {
        Description = "Seed of initialisation, shuffling, generated data and sampling",
        DefaultValueFactory = _ => 1,
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only results and errors (no progress)",
        Recursive = true,
    };

    public static readonly Option<bool> Download = new("--download")
    {
        Description = "Allow downloading mnist / fashion-mnist from their public mirrors into the cache when no folder holds them (or set LATENT_DOWNLOAD=1)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print the stack trace of unexpected errors",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(DataDir);
        root.Options.Add(Threads);
        root.Options.Add(Seed);
        root.Options.Add(Quiet);
        root.Options.Add(Download);
        root.Options.Add(Verbose);
    }
}
