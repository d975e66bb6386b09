using System.IO.Compression;

namespace Latent.Data.Tests;

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latent-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

internal static class TestFiles
{
    /// <summary>The shared datasets folder (../shared/datasets from the repository root), found by walking up.</summary>
    public static string SharedDatasets
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var p = System.IO.Path.Combine(d.FullName, "shared", "datasets");
                if (Directory.Exists(p)) return p;
            }
            throw new InvalidOperationException($"shared/datasets not found above {AppContext.BaseDirectory}; the real-data tests need it (see shared/datasets/README.md)");
        }
    }

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>IDX bytes: type 0x08, the given dims, then the data.</summary>
    public static byte[] Idx(int[] dims, byte[] data, byte type = 0x08)
    {
        var b = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) b.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        b.AddRange(data);
        return b.ToArray();
    }

    /// <summary>NPY (format 1.0) bytes as NumPy writes them: magic, version, the header dict padded to 64 bytes, data.</summary>
    public static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 11) + "\n";
        var o = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        o.AddRange(BitConverter.GetBytes((ushort)header.Length));
        o.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        o.AddRange(data);
        return [.. o];
    }

    /// <summary>n images h x w whose pixel value is (image index * 7 + pixel) mod 256, and labels i mod 10.</summary>
    public static (byte[] Images, byte[] Labels) IdxPair(int n, int h = 4, int w = 3)
    {
        var px = new byte[n * h * w];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)((i / (h * w) * 7 + i % (h * w)) % 256);
        var lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte)(i % 10);
        return (Idx([n, h, w], px), Idx([n], lb));
    }
}
