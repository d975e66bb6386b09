using System.Globalization;
using System.Text;
using Latent.Core.IO;
using Latent.Data.Tables;

namespace Latent.Data.Series;

/// <summary>
/// A multivariate time series: <see cref="Length"/> steps of <see cref="ColumnCount"/> numeric columns, stored
/// row-major as [T, C] (one row per time step), with optional per-step labels (≠ 0 = the step is anomalous).
/// A CSV series has one row per step, in time order; <see cref="LoadCsv"/> reads it through <see cref="CsvTable"/>
/// (so a non-numeric cell is an error naming the file, line and column).
/// </summary>
public sealed class TimeSeries
{
    /// <summary>A series named <paramref name="name"/> with values [T, C] row-major (C = <paramref name="columns"/>.Length) and optional labels [T].</summary>
    public TimeSeries(string name, float[] values, string[] columns, int[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException($"TimeSeries '{name}': no columns", nameof(columns));
        if (values.Length == 0 || values.Length % columns.Length != 0)
            throw new ArgumentException($"TimeSeries '{name}': {values.Length} values are not a positive whole number of steps of {columns.Length} columns", nameof(values));
        int length = values.Length / columns.Length;
        if (labels is not null && labels.Length != length)
            throw new ArgumentException($"TimeSeries '{name}': {labels.Length} labels for {length} steps", nameof(labels));
        Name = name;
        Values = values;
        Columns = columns;
        Labels = labels;
        Length = length;
    }

    /// <summary>The series' name (a file path or a generator's name).</summary>
    public string Name { get; }

    /// <summary>Values [T, C] row-major: step t, column c at t·C + c.</summary>
    public float[] Values { get; }

    /// <summary>Column names [C].</summary>
    public string[] Columns { get; }

    /// <summary>Per-step labels [T] (≠ 0 = anomalous step), or null.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of time steps T.</summary>
    public int Length { get; }

    /// <summary>Number of columns C.</summary>
    public int ColumnCount => Columns.Length;

    /// <summary>A note on where the series came from (or null).</summary>
    public string? Description { get; init; }

    /// <summary>Value of column <paramref name="column"/> at step <paramref name="step"/>.</summary>
    public float this[int step, int column] => Values[step * ColumnCount + column];

    /// <summary>
    /// Reads a CSV/TSV (plain or gzip) with one row per time step: every column is a numeric series except the label
    /// column (<paramref name="labelColumn"/>, or one named "label" when null), which marks anomalous steps (≠ 0).
    /// </summary>
    public static TimeSeries LoadCsv(string path, string? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var table = CsvTable.Load(path, labelColumn);
        var header = CsvTable.ReadHeader(path);
        string want = labelColumn ?? CsvTable.DefaultLabelColumn;
        var names = table.Labels is null ? header : header.Where(h => !h.Equals(want, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (names.Length != table.SampleSize) names = Enumerable.Range(1, table.SampleSize).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new TimeSeries(path, table.X, names, table.Labels) { Description = table.Description };
    }

    /// <summary>Writes the series as CSV: a header of the column names (and <paramref name="labelColumn"/> when labelled), one row per step.</summary>
    public void SaveCsv(string path, string labelColumn = CsvTable.DefaultLabelColumn)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder(string.Join(',', Columns));
        if (Labels is not null) sb.Append(',').Append(labelColumn);
        sb.Append('\n');
        for (int t = 0; t < Length; t++)
        {
            for (int c = 0; c < ColumnCount; c++)
            {
                if (c > 0) sb.Append(',');
                sb.Append(Values[t * ColumnCount + c].ToString("R", CultureInfo.InvariantCulture));
            }
            if (Labels is not null) sb.Append(',').Append(Labels[t].ToString(CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Steps [<paramref name="start"/>, start + <paramref name="length"/>) as a new series (values copied).</summary>
    public TimeSeries Slice(int start, int length)
    {
        if (start < 0 || length < 1 || start + length > Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"TimeSeries.Slice: steps [{start}, {start + length}) are outside the {Length} steps of '{Name}'");
        var values = Values.AsSpan(start * ColumnCount, length * ColumnCount).ToArray();
        return new TimeSeries(Name, values, Columns, Labels?.AsSpan(start, length).ToArray()) { Description = Description };
    }

    /// <summary>The steps as a dataset of rows [C] (labels per step): what a <see cref="Standardizer"/> is fitted on.</summary>
    public Dataset AsRows() => new(Name, Values, [ColumnCount], Labels);

    /// <summary>The series with every column standardised by <paramref name="standardizer"/> (fitted on C features).</summary>
    public TimeSeries Standardise(Standardizer standardizer)
    {
        ArgumentNullException.ThrowIfNull(standardizer);
        if (standardizer.Features != ColumnCount)
            throw new ArgumentException($"TimeSeries.Standardise: '{Name}' has {ColumnCount} columns, the standardisation has {standardizer.Features}", nameof(standardizer));
        var values = (float[])Values.Clone();
        standardizer.TransformInPlace(values);
        return new TimeSeries(Name, values, Columns, Labels) { Description = Description };
    }
}
