using System.Globalization;
using System.Text;
using Latent.Core.IO;

namespace Latent.Data.Tables;

/// <summary>
/// Reads numeric tables (plain or gzip, detected by magic bytes): comma-separated, or tab-separated when the file
/// name ends in .tsv or .tsv.gz. Every column is a float feature except an optional integer label column chosen by
/// name. The first row is the header, unless every cell of it is a number: then the table has no header, its
/// columns are numbered 1..n (a label column is chosen by number) and the description says so. Rows are read cell
/// by cell, never as whole lines, so a very long line costs memory only for the numbers it holds. Errors name the
/// file, line and column.
/// </summary>
public static class CsvTable
{
    /// <summary>The label column used when none is named: "label".</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>The most columns a table may have.</summary>
    public const int MaxColumns = 1 << 20;

    /// <summary>The longest cell accepted, in characters (a number or a column name is far shorter).</summary>
    public const int MaxCellLength = 4096;

    /// <summary>
    /// Loads <paramref name="path"/> as a dataset of [features] samples. <paramref name="labelColumn"/> null: a
    /// column named "label" becomes the labels if present; a name (or, for a table without a header, a column
    /// number from 1): that column must exist and becomes the labels; <paramref name="labels"/> false: every column
    /// is a feature.
    /// </summary>
    public static Dataset Load(string path, string? labelColumn = null, bool labels = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new CellReader(new StreamReader(DataFile.OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16), SeparatorFor(path), path);
        try
        {
            var first = reader.ReadHeaderRow();
            if (first is null) throw new DatasetFormatException(path, "empty file: expected a header row");
            int headerLine = reader.Line;
            bool headerless = first.All(c => IsNumber(c));
            string[] header = headerless ? Enumerable.Range(1, first.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray() : first.ToArray();
            int labelIndex = -1;
            if (labels)
            {
                string want = labelColumn ?? DefaultLabelColumn;
                labelIndex = Array.FindIndex(header, h => h.Equals(want, StringComparison.OrdinalIgnoreCase));
                if (labelIndex < 0 && labelColumn is not null)
                    throw new DatasetFormatException(path, headerless
                        ? $"line {headerLine}: the table has no header row (its first row is numbers), so label column '{labelColumn}' must be a column number 1..{header.Length}"
                        : $"line {headerLine}: label column '{labelColumn}' not in header [{string.Join(",", header)}]");
            }
            int features = header.Length - (labelIndex >= 0 ? 1 : 0);
            if (features == 0) throw new DatasetFormatException(path, $"line {headerLine}: header has no feature columns");

            long maxValues = InputLimits.MaxInputBytes / sizeof(float);
            var x = new List<float>(1 << 12);
            var y = labelIndex >= 0 ? new List<int>() : null;
            int lineNo = headerLine;
            // Each cell is parsed where it lies in the reader's buffer: a row of any length costs only its numbers.
            void Cell(int c, ReadOnlySpan<char> cell)
            {
                if (c >= header.Length) return;
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new DatasetFormatException(path, $"line {lineNo}, column {c + 1} ('{header[c]}'): expected a finite number, found '{Shorten(cell.ToString())}'");
                if (c == labelIndex)
                {
                    if (v != Math.Floor(v) || Math.Abs(v) > int.MaxValue)
                        throw new DatasetFormatException(path, $"line {lineNo}, column {c + 1} ('{header[c]}'): expected an integer label, found '{Shorten(cell.ToString())}'");
                    y!.Add((int)v);
                }
                else
                {
                    if (Math.Abs(v) > float.MaxValue)
                        throw new DatasetFormatException(path, $"line {lineNo}, column {c + 1} ('{header[c]}'): {Shorten(cell.ToString())} is beyond the float32 range");
                    x.Add((float)v);
                }
            }
            if (headerless)
                for (int c = 0; c < first.Count; c++) Cell(c, first[c]);
            CellHandler handler = Cell;
            while (true)
            {
                lineNo = reader.Line + 1;
                if (!reader.ReadRow(handler, out int cells)) break;
                if (cells == 0) continue;
                if (cells != header.Length)
                    throw new DatasetFormatException(path, $"line {reader.Line}: expected {header.Length} columns as in the {(headerless ? "first row" : "header")}, found {cells}");
                if (x.Count > maxValues)
                    throw new DatasetFormatException(path, $"line {reader.Line}: more than {maxValues} values, over {InputLimits.Describe()}");
            }
            int rows = x.Count / features;
            if (rows == 0) throw new DatasetFormatException(path, $"no data rows after the header (line {reader.Line})");
            var featureNames = header.Where((_, i) => i != labelIndex);
            var ds = new Dataset(path, x.ToArray(), [features], y?.ToArray());
            return ds.WithDescription($"{(SeparatorFor(path) == '\t' ? "TSV" : "CSV")} {Path.GetFileName(path)}: {rows} rows x {features} features ({Preview(featureNames)})"
                + (labelIndex >= 0 ? $", labels from column '{header[labelIndex]}'" : ", no labels")
                + (headerless ? $"; no header row (the first row is numbers): columns numbered 1..{header.Length}, pick labels with --label N" : ""));
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream near line {reader.Line}: {e.Message}", e);
        }
    }

    /// <summary>The header names of <paramref name="path"/> (for a table without a header: "1".."n").</summary>
    public static string[] ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new CellReader(new StreamReader(DataFile.OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16), SeparatorFor(path), path);
        try
        {
            var first = reader.ReadHeaderRow() ?? throw new DatasetFormatException(path, "empty file: expected a header row");
            return first.All(c => IsNumber(c)) ? Enumerable.Range(1, first.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray() : first.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream near line {reader.Line}: {e.Message}", e);
        }
    }

    /// <summary>Tab for .tsv and .tsv.gz files, else comma.</summary>
    public static char SeparatorFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".tsv", StringComparison.Ordinal) || name.EndsWith(".tsv.gz", StringComparison.Ordinal) ? '\t' : ',';
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    private static string Preview(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 4 ? string.Join(",", list) : $"{list[0]},{list[1]},...,{list[^1]}";
    }

    /// <summary>A cell of a row: its 0-based column and its text (trimmed of white space and quotes), valid only during the call.</summary>
    private delegate void CellHandler(int column, ReadOnlySpan<char> cell);

    /// <summary>
    /// Splits a text stream into cells on a separator outside double quotes, one character at a time into a fixed
    /// buffer. Cells are trimmed of white space and of surrounding quotes; a cell longer than
    /// <see cref="MaxCellLength"/> is an error.
    /// </summary>
    private sealed class CellReader(StreamReader reader, char separator, string path) : IDisposable
    {
        private readonly char[] _cell = new char[MaxCellLength];
        private int _length;
        private bool _eof;

        /// <summary>The line of the row read last (1-based).</summary>
        public int Line { get; private set; }

        /// <summary>The cells of the first non-blank row (at most <see cref="MaxColumns"/>), or null at the end of the file.</summary>
        public List<string>? ReadHeaderRow()
        {
            var row = new List<string>();
            while (true)
            {
                row.Clear();
                if (!ReadRow((c, cell) => { if (c < MaxColumns) row.Add(cell.ToString()); }, out int cells)) return null;
                if (cells > MaxColumns) throw new DatasetFormatException(path, $"line {Line}: {cells} columns, more than the {MaxColumns} a table may have");
                if (cells > 0) return row;
            }
        }

        /// <summary>Reads the next row, handing each cell to <paramref name="handle"/>; <paramref name="cells"/> is 0 for a blank line. False at the end of the file.</summary>
        public bool ReadRow(CellHandler handle, out int cells)
        {
            cells = 0;
            if (_eof) return false;
            Line++;
            bool quoted = false, any = false, blank = true;
            _length = 0;
            while (true)
            {
                int ch = reader.Read();
                if (ch < 0)
                {
                    _eof = true;
                    if (!any) { Line--; return false; }
                    break;
                }
                any = true;
                if (ch == '"') { quoted = !quoted; blank = false; continue; }
                if (!quoted && ch == '\n') break;
                if (!quoted && ch == separator)
                {
                    handle(cells++, Trimmed());
                    _length = 0;
                    blank = false;
                    continue;
                }
                if (ch == '\r' && !quoted && reader.Peek() == '\n') continue;
                if (!char.IsWhiteSpace((char)ch)) blank = false;
                if (_length == _cell.Length)
                    throw new DatasetFormatException(path, $"line {Line}, column {cells + 1}: a cell longer than {MaxCellLength} characters (not a table of numbers?)");
                _cell[_length++] = (char)ch;
            }
            if (blank) { cells = 0; return true; }
            handle(cells++, Trimmed());
            _length = 0;
            return true;
        }

        private ReadOnlySpan<char> Trimmed() => _cell.AsSpan(0, _length).Trim().Trim('"').Trim();

        public void Dispose() => reader.Dispose();
    }
}
