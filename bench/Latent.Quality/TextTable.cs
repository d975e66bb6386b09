using System.Text;

namespace Latent.Quality;

/// <summary>A plain fixed-width table for the console (also kept in bench/results/SECTION.json and rendered into docs/RESULTS.md).</summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] header) => _header = header;

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The rows added so far.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public void Add(params string[] row) => _rows.Add(row);

    /// <summary>Markdown pipe table, columns padded so it also reads well in a terminal.</summary>
    public void Print(string title)
    {
        var widths = _header.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new StringBuilder();
        sb.Append('\n').Append("### ").Append(title).Append("\n\n");
        void Line(IReadOnlyList<string> cells)
        {
            sb.Append('|');
            for (int i = 0; i < widths.Length; i++) sb.Append(' ').Append((i < cells.Count ? cells[i] : "").PadRight(widths[i])).Append(" |");
            sb.Append('\n');
        }
        Line(_header);
        sb.Append('|');
        foreach (var w in widths) sb.Append(new string('-', w + 2)).Append('|');
        sb.Append('\n');
        foreach (var r in _rows) Line(r);
        BenchContext.Log(sb.ToString());
    }
}
