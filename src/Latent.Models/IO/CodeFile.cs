using System.Globalization;
using System.Text;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.IO;

/// <summary>Writes codes [N, Z] (and optional labels) as CSV (header z0..z{Z−1}[,label]) or as NPY (float32, little-endian, C order), atomically.</summary>
public static class CodeFile
{
    /// <summary>Writes <paramref name="codes"/> to <paramref name="path"/>: ".npy" → NPY, anything else → CSV.</summary>
    public static void Write(string path, Tensor codes, int[]? labels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2) throw new ArgumentException($"codes {Shapes.Format(codes.Shape)} must be [N, Z]", nameof(codes));
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) WriteNpy(path, codes);
        else WriteCsv(path, codes, labels);
    }

    /// <summary>CSV with a header row; labels in a last "label" column when given.</summary>
    public static void WriteCsv(string path, Tensor codes, int[]? labels = null)
    {
        int n = codes.Shape[0], z = codes.Shape[1];
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Enumerable.Range(0, z).Select(j => "z" + j.ToString(CultureInfo.InvariantCulture))));
        if (labels is not null) sb.Append(",label");
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
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// NPY version 1.0: magic "\x93NUMPY", version 1 0, u16 header length, a Python dict literal
    /// {'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, Z), } padded with spaces and ended by '\n' so the data
    /// starts at a multiple of 64 bytes, then the float32 values little-endian in C order.
    /// </summary>
    public static void WriteNpy(string path, Tensor t)
    {
        string shape = t.Rank == 1 ? $"({t.Shape[0]},)" : "(" + string.Join(", ", t.Shape) + ")";
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = 10 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";
        var values = t.ToArray();
        AtomicFile.Write(path, s =>
        {
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            s.Write([(byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
            s.Write(Encoding.ASCII.GetBytes(header));
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            s.Write(bytes);
        });
    }
}
