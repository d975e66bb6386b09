using System.Globalization;

namespace Latent.Quality;

/// <summary>
/// What every section gets: the options, where the data and the pictures live, and the RESULT line it adds
/// <c>key=value</c> pairs to. Sections print their own tables through <see cref="Log"/>.
/// </summary>
internal sealed class BenchContext
{
    private readonly List<KeyValuePair<string, string>> _results = [];

    public BenchContext(BenchOptions options) => Options = options;

    public BenchOptions Options { get; }

    /// <summary>The RESULT pairs in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Results => _results;

    /// <summary>Adds (or replaces) a RESULT pair; numbers are written with 4 decimals, NaN as "na".</summary>
    public void Result(string key, double value) =>
        Result(key, double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "na");

    /// <summary>Adds (or replaces) a RESULT pair.</summary>
    public void Result(string key, string value)
    {
        int i = _results.FindIndex(p => p.Key == key);
        if (i >= 0) _results[i] = new(key, value);
        else _results.Add(new(key, value));
    }

    /// <summary>A line on stdout, flushed at once (runs are long; the log is the progress bar).</summary>
    public static void Log(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
