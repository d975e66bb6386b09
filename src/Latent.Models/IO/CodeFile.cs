using System.Globalization;
using System.Text;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.IO;

/// <summary>
/// Writes codes [N, Z] (and optional labels) as CSV (header z0..z{Z−1}[,label[,class]]) or as NPY (float32, little-endian,
/// C order; the labels as int32 [N] in a second file beside it, <see cref="LabelsPath"/>), atomically.
/// </summary>
public static class CodeFile
{
    /// <summary>
    /// Writes <paramref name="codes"/> to <paramref name="path"/>: ".npy" → NPY (and the labels, when given, to
    /// <see cref="LabelsPath"/>), anything else → CSV. <paramref name="classNames"/> (indexed by label) adds a "class"
    /// column to a CSV. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Write(string path, Tensor codes, int[]? labels = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2) throw new ArgumentException($"codes {Shapes.Format(codes.Shape)} must be [N, Z]", nameof(codes));
        if (labels is not null && labels.Length != codes.Shape[0])
            throw new ArgumentException($"{labels.Length} labels for {codes.Shape[0]} codes", nameof(labels));
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            WriteCsv(path, codes, labels, classNames);
            return [path];
        }
        WriteNpy(path, codes);
        if (labels is null) return [path];
        string labelsPath = LabelsPath(path);
        WriteNpy(labelsPath, labels);
        return [path, labelsPath];
    }

    /// <summary>Where the labels of codes written to <paramref name="npyPath"/> go: "codes.npy" → "codes.labels.npy".</summary>
    public static string LabelsPath(string npyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(npyPath);
        return (npyPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? npyPath[..^4] : npyPath) + ".labels.npy";
    }

    /// <summary>CSV with a header row; labels in a "label" column when given, and their names in a last "class" column when <paramref name="classNames"/> are given.</summary>
    public static void WriteCsv(string path, Tensor codes, int[]? labels = null, IReadOnlyList<string>? classNames = null)
    {
        int n = codes.Shape[0], z = codes.Shape[1];
        bool named = labels is not null && classNames is { Count: > 0 };
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Enumerable.Range(0, z).Select(j => "z" + j.ToString(CultureInfo.InvariantCulture))));
        if (labels is not null) sb.Append(",label");
        if (named) sb.Append(",class");
        sb.Append('\n');
        var v = codes.Span;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < z; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(v[i * z + j].ToString("R", CultureInfo.InvariantCulture));
            }
            if (labels is not null) sb.Append(',').Append(labels[i].ToString(CultureInfo.InvariantCulture));
            if (named) sb.Append(',').Append(CsvCell(labels![i] >= 0 && labels[i] < classNames!.Count ? classNames[labels[i]] : ""));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    // A class name as one CSV cell: quoted when it holds a separator, a quote or a line break.
    private static string CsvCell(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Writes <paramref name="values"/> as a one-dimensional NPY array of int32 ('&lt;i4', shape (N,)).</summary>
    public static void WriteNpy(string path, int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        WriteNpy(path, "<i4", $"({values.Length},)", values.Length, (bytes, i) => System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]));
    }

    /// <summary>
    /// NPY version 1.0: magic "\x93NUMPY", version 1 0, u16 header length, a Python dict literal
    /// {'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, Z), } padded with spaces and ended by '\n' so the data
    /// starts at a multiple of 64 bytes, then the float32 values little-endian in C order.
    /// </summary>
    public static void WriteNpy(string path, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        string shape = t.Rank == 1 ? $"({t.Shape[0]},)" : "(" + string.Join(", ", t.Shape) + ")";
        var values = t.ToArray();
        WriteNpy(path, "<f4", shape, values.Length, (bytes, i) => System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]));
    }

    private static void WriteNpy(string path, string descr, string shape, int count, Action<byte[], int> put)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";
        AtomicFile.Write(path, s =>
        {
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            s.Write([(byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
            s.Write(Encoding.ASCII.GetBytes(header));
            var bytes = new byte[count * 4];
            for (int i = 0; i < count; i++) put(bytes, i);
            s.Write(bytes);
        });
    }
}
