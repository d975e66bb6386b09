using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Data.Arrays;

namespace Latent.Data.Tests.Arrays;

public class NpyReaderTests
{
    /// <summary>NPY bytes as NumPy writes them: magic, version, padded header dict, data.</summary>
    private static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false, int version = 1, string? rawHeader = null)
    {
        string dict = rawHeader ?? $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int pre = version == 1 ? 10 : 12;
        int total = (pre + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - pre - 1) + "\n";
        var o = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        if (version == 1) o.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else o.AddRange(BitConverter.GetBytes((uint)header.Length));
        o.AddRange(Encoding.ASCII.GetBytes(header));
        o.AddRange(data);
        return [.. o];
    }

    private static byte[] F32(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Float32_c_order()
    {
        var a = NpyReader.Parse(Npy("<f4", "(2, 3)", F32(1, 2, 3, 4, 5, 6)), "a.npy");
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal("<f4", a.Dtype);
        Assert.Equal([1f, 2, 3, 4, 5, 6], a.ToSingle());
    }

    [Fact]
    public void Float64_fortran_order_is_transposed_to_c()
    {
        // Fortran layout of [[1,2,3],[4,5,6]] is 1,4,2,5,3,6.
        var data = new double[] { 1, 4, 2, 5, 3, 6 }.SelectMany(BitConverter.GetBytes).ToArray();
        var a = NpyReader.Parse(Npy("<f8", "(2, 3)", data, fortran: true), "a.npy");
        Assert.Equal([1f, 2, 3, 4, 5, 6], a.ToSingle());
    }

    [Fact]
    public void Fortran_order_3d()
    {
        // shape (2,2,2): C element [i,j,k] at Fortran offset i + 2j + 4k.
        var c = new float[8];
        var f = new float[8];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++)
        {
            c[i * 4 + j * 2 + k] = 100 * i + 10 * j + k;
            f[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
        }
        Assert.Equal(c, NpyReader.Parse(Npy("<f4", "(2, 2, 2)", F32(f), fortran: true), "a").ToSingle());
    }

    [Fact]
    public void Integer_bool_and_big_endian_dtypes()
    {
        Assert.Equal([7, 255], NpyReader.Parse(Npy("|u1", "(2,)", [7, 255]), "a").ToInt32());
        Assert.Equal([-2, 3], NpyReader.Parse(Npy("<i4", "(2,)", [.. BitConverter.GetBytes(-2), .. BitConverter.GetBytes(3)]), "a").ToInt32());
        Assert.Equal([-5, 1L << 20], NpyReader.Parse(Npy("<i8", "(2,)", [.. BitConverter.GetBytes(-5L), .. BitConverter.GetBytes(1L << 20)]), "a").ToInt32().Select(v => (long)v));
        Assert.Equal([1f, 0f, 1f], NpyReader.Parse(Npy("|b1", "(3,)", [1, 0, 1]), "a").ToSingle());
        var be = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(be, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(be.AsSpan(4), -2f);
        Assert.Equal([1.5f, -2f], NpyReader.Parse(Npy(">f4", "(2,)", be), "a").ToSingle());
        Assert.Equal([3.25f], NpyReader.Parse(Npy("<f4", "(1,)", F32(3.25f), version: 2), "a").ToSingle());
    }

    [Theory]
    [InlineData("<c8", "(1,)", 8, "dtype '<c8' is not supported")]
    [InlineData("<f4", "(3,)", 8, "needs 12 data bytes, found 8 (truncated)")]
    [InlineData("<f4", "(1,)", 8, "needs 4 data bytes, found 8 (trailing data)")]
    [InlineData("|O", "(1,)", 8, "not a simple dtype")]
    public void Bad_arrays(string descr, string shape, int bytes, string expected)
    {
        var e = Assert.Throws<DatasetFormatException>(() => NpyReader.Parse(Npy(descr, shape, new byte[bytes]), "bad.npy"));
        Assert.StartsWith("bad.npy: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "expected a boolean 'fortran_order', found nothing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }", "header: expected ',' or ')', found '.5,)")]
    [InlineData("{'descr': '<f4', 'fortran_order': False 'shape': (1,)}", "expected ',' or '}'")]
    [InlineData("['descr']", "header is not a dict")]
    public void Bad_headers(string header, string expected)
    {
        var e = Assert.Throws<DatasetFormatException>(() => NpyReader.Parse(Npy("", "", new byte[4], rawHeader: header), "h.npy"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Bad_magic_and_version()
    {
        Assert.Contains("NPY magic", Assert.Throws<DatasetFormatException>(() => NpyReader.Parse(new byte[20], "m")).Message);
        var v9 = Npy("<f4", "(1,)", F32(1));
        v9[6] = 9;
        Assert.Contains("format version 9.0", Assert.Throws<DatasetFormatException>(() => NpyReader.Parse(v9, "m")).Message);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void Npz_stored_or_deflated_loads_as_dataset(CompressionLevel level)
    {
        using var dir = new TempDir();
        var path = dir.File("d.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            void Add(string name, byte[] bytes)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(bytes);
            }
            Add("x.npy", Npy("|u1", "(3, 2, 2)", Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray()));
            Add("y.npy", Npy("<i8", "(3,)", [.. BitConverter.GetBytes(2L), .. BitConverter.GetBytes(0L), .. BitConverter.GetBytes(1L)]));
        }
        Assert.Equal(["x", "y"], NpyReader.ReadNpz(path).Keys.Order());

        var ds = NpyReader.LoadDataset(path);
        Assert.Equal(3, ds.Count);
        Assert.Equal([2, 2], ds.SampleShape);
        Assert.Equal(20 / 255f, ds.X[1], 6);
        Assert.Equal([2, 0, 1], ds.Labels!);
        var e = Assert.Throws<DatasetFormatException>(() => NpyReader.LoadDataset(path, xKey: "images"));
        Assert.Contains("NPZ has no array 'images'; found [x, y]", e.Message);
    }

    [Fact]
    public void Npy_file_with_separate_labels_and_mismatch()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("x.npy"), Npy("<f4", "(2, 3)", F32(1, 2, 3, 4, 5, 6)));
        File.WriteAllBytes(dir.File("y.npy"), Npy("|u1", "(2,)", [4, 5]));
        File.WriteAllBytes(dir.File("y3.npy"), Npy("|u1", "(3,)", [4, 5, 6]));
        var ds = NpyReader.LoadDataset(dir.File("x.npy"), dir.File("y.npy"));
        Assert.Equal([3], ds.SampleShape);
        Assert.Equal([4, 5], ds.Labels!);
        Assert.Equal(6f, ds.X[5]);
        var e = Assert.Throws<DatasetFormatException>(() => NpyReader.LoadDataset(dir.File("x.npy"), dir.File("y3.npy")));
        Assert.Contains("expected 2 labels", e.Message);
    }

    [Fact]
    public void Corrupt_npz_is_a_format_error()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("z.npz"), [.. "PK\u0003\u0004garbage garbage garbage"u8]);
        var e = Assert.Throws<DatasetFormatException>(() => NpyReader.ReadNpz(dir.File("z.npz")));
        Assert.StartsWith(dir.File("z.npz"), e.Message);
    }
}
