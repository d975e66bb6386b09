namespace Latent.Quality.Results;

/// <summary>
/// <c>latent-quality results [--check] [--root DIR]</c>: writes docs/RESULTS.md from bench/results/*.json and
/// docs/results/*.md (<see cref="ResultsPage"/>); with --check writes nothing and exits 1 when the page on disk is not
/// what the files generate. The root is the folder holding Latent.slnx, found from the working folder upwards.
/// </summary>
internal static class ResultsCommand
{
    public static int Run(string[] args)
    {
        bool check = false;
        string? root = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--check": check = true; break;
                case "--root" when i + 1 < args.Length: root = args[++i]; break;
                default:
                    Console.Error.WriteLine($"latent-quality results: unknown argument '{args[i]}' (expected --check, --root DIR)");
                    return 2;
            }
        }
        root ??= FindRoot();
        if (root is null)
        {
            Console.Error.WriteLine("latent-quality results: no Latent.slnx in the working folder or above it (use --root DIR)");
            return 2;
        }
        string page;
        try
        {
            page = ResultsPage.Generate(root);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"latent-quality results: {e.Message}");
            return 2;
        }
        string path = Path.Combine(root, "docs", "RESULTS.md");
        if (check)
        {
            string current = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
            if (current == page)
            {
                Console.WriteLine("docs/RESULTS.md is up to date");
                return 0;
            }
            Console.Error.WriteLine("docs/RESULTS.md is not what bench/results/*.json and docs/results/*.md generate; run: dotnet run --project bench/Latent.Quality -c Release -- results");
            return 1;
        }
        File.WriteAllText(path, page);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    /// <summary>The folder holding Latent.slnx: from the working folder upwards, else from this program's folder upwards; null when neither has one.</summary>
    public static string? FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) return dir.FullName;
        return null;
    }
}
