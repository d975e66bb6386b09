using System.Globalization;

namespace Latent.Data.Tables;

/// <summary>
/// Reads numeric CSV tables with a header row (plain or gzip, detected by magic bytes): every column is a float
/// feature except an optional integer label column chosen by name. Errors name the file, line and column.
/// </summary>
public static class CsvTable
{
    /// <summary>The label column used when none is named: "label".</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>
    /// Loads <paramref name="path"/> as a dataset of [features] samples. <paramref name="labelColumn"/> null: a
    /// column named "label" becomes the labels if present; a name: that column must exist and becomes the labels;
    /// <paramref name="labels"/> false: every column is a feature.
    /// </summary>
    public static Dataset Load(string path, string? labelColumn = null, bool labels = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(DataFile.OpenRead(path));
        string? headerLine;
        int lineNo = 0;
        try
        {
            do { headerLine = reader.ReadLine(); lineNo++; } while (headerLine is not null && headerLine.Trim().Length == 0);
            if (headerLine is null) throw new DatasetFormatException(path, "empty file: expected a header row");
            var header = Split(headerLine).Select(h => h.Trim().Trim('"').Trim()).ToArray();
            int labelIndex = -1;
            if (labels)
            {
                string want = labelColumn ?? DefaultLabelColumn;
                labelIndex = Array.FindIndex(header, h => h.Equals(want, StringComparison.OrdinalIgnoreCase));
                if (labelIndex < 0 && labelColumn is not null)
                    throw new DatasetFormatException(path, $"line {lineNo}: label column '{labelColumn}' not in header [{string.Join(",", header)}]");
            }
            int features = header.Length - (labelIndex >= 0 ? 1 : 0);
            if (features == 0) throw new DatasetFormatException(path, $"line {lineNo}: header has no feature columns");

            var x = new List<float>(1 << 16);
            var y = labelIndex >= 0 ? new List<int>() : null;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNo++;
                if (line.Trim().Length == 0) continue;
                var cells = Split(line);
                if (cells.Count != header.Length)
                    throw new DatasetFormatException(path, $"line {lineNo}: expected {header.Length} columns as in the header, found {cells.Count}");
                for (int c = 0; c < cells.Count; c++)
                {
                    var cell = cells[c].Trim().Trim('"');
                    if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                        throw new DatasetFormatException(path, $"line {lineNo}, column {c + 1} ('{header[c]}'): expected a finite number, found '{Shorten(cell)}'");
                    if (c == labelIndex)
                    {
                        if (v != Math.Floor(v) || Math.Abs(v) > int.MaxValue)
                            throw new DatasetFormatException(path, $"line {lineNo}, column {c + 1} ('{header[c]}'): expected an integer label, found '{Shorten(cell)}'");
                        y!.Add((int)v);
                    }
                    else x.Add((float)v);
                }
            }
            int rows = x.Count / features;
            if (rows == 0) throw new DatasetFormatException(path, $"no data rows after the header (line {lineNo})");
            var featureNames = header.Where((_, i) => i != labelIndex);
            var ds = new Dataset(path, x.ToArray(), [features], y?.ToArray());
            return ds.WithDescription($"CSV {Path.GetFileName(path)}: {rows} rows x {features} features ({Preview(featureNames)})"
                + (labelIndex >= 0 ? $", labels from column '{header[labelIndex]}'" : ", no labels"));
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream near line {lineNo}: {e.Message}", e);
        }
    }

    /// <summary>The header names of <paramref name="path"/>.</summary>
    public static string[] ReadHeader(string path)
    {
        using var reader = new StreamReader(DataFile.OpenRead(path));
        string? line;
        do { line = reader.ReadLine(); } while (line is not null && line.Trim().Length == 0);
        if (line is null) throw new DatasetFormatException(path, "empty file: expected a header row");
        return Split(line).Select(h => h.Trim().Trim('"').Trim()).ToArray();
    }

    // Splits on commas outside double quotes (numeric tables rarely quote, but exported headers sometimes do).
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        int start = 0;
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted)
            {
                cells.Add(line[start..i]);
                start = i + 1;
            }
        }
        cells.Add(line[start..]);
        return cells;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    private static string Preview(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 4 ? string.Join(",", list) : $"{list[0]},{list[1]},...,{list[^1]}";
    }
}
