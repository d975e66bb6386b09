using System.Globalization;
using Latent.Quality.Results;

namespace Latent.Quality;

/// <summary>
/// What every section gets: the options, where the data and the pictures live, and the RESULT line it adds
/// <c>key=value</c> pairs to. Sections print their tables through <see cref="Print"/> and other lines through
/// <see cref="Log"/>; the pairs and tables of the running section are what <see cref="ResultsFile"/> writes to
/// bench/results/SECTION.json.
/// </summary>
internal sealed class BenchContext
{
    private readonly List<KeyValuePair<string, string>> _results = [];
    private readonly List<ResultsFile.Entry> _entries = [];
    private readonly List<ResultsFile.Table> _tables = [];
    private readonly Dictionary<string, Measure> _measures = [];

    public BenchContext(BenchOptions options) => Options = options;

    public BenchOptions Options { get; }

    /// <summary>The RESULT pairs of every section run so far, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Results => _results;

    /// <summary>The keys that carry <see cref="Measure.Headline"/>, in the order they were added.</summary>
    public IEnumerable<string> HeadlineKeys => _results.Where(p => _measures.TryGetValue(p.Key, out var m) && m.Headline).Select(p => p.Key);

    /// <summary>The RESULT keys of the running section.</summary>
    public IReadOnlyList<ResultsFile.Entry> SectionEntries => _entries;

    /// <summary>The tables the running section printed.</summary>
    public IReadOnlyList<ResultsFile.Table> SectionTables => _tables;

    /// <summary>Starts collecting the keys and tables of a new section.</summary>
    public void BeginSection()
    {
        _entries.Clear();
        _tables.Clear();
    }

    /// <summary>Adds (or replaces) a RESULT pair; numbers are written with 4 decimals, NaN as "na".</summary>
    public void Result(string key, double value, Measure? measure = null, string? notes = null) =>
        Result(key, double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "na", measure, notes);

    /// <summary>Adds (or replaces) a RESULT pair.</summary>
    public void Result(string key, string value, Measure? measure = null, string? notes = null)
    {
        if (Options.Tag.Length > 0) key += "_" + Options.Tag;
        Replace(_results, p => p.Key == key, new(key, value));
        Replace(_entries, e => e.Name == key, new ResultsFile.Entry(key, value, measure, notes));
        if (measure is not null) _measures[key] = measure;
    }

    /// <summary>Prints <paramref name="table"/> under <paramref name="title"/> and keeps it as table <paramref name="id"/> of the section.</summary>
    public void Print(TextTable table, string id, string title)
    {
        table.Print(title);
        if (Options.Tag.Length > 0) id += "-" + Options.Tag;
        Replace(_tables, t => t.Id == id, new ResultsFile.Table(id, title, table.Header, table.Rows));
    }

    /// <summary>A line on stdout, flushed at once (runs are long; the log is the progress bar).</summary>
    public static void Log(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    private static void Replace<T>(List<T> list, Predicate<T> match, T item)
    {
        int i = list.FindIndex(match);
        if (i >= 0) list[i] = item;
        else list.Add(item);
    }
}
