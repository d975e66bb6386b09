using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Data.Arrays;
using Latent.Data.Idx;
using Latent.Data.Rows;

namespace Latent.Data.Tests.Rows;

/// <summary>
/// Rows read on demand from .npy and IDX files: the same floats as the whole-file readers, only the rows asked for,
/// the whole-file readers' checks before the first row, and no row access where the file has none.
/// </summary>
public class FileRowsTests
{
    private static byte[] Bytes<T>(T[] values, int size, Action<byte[], int, T> write)
    {
        var b = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++) write(b, i * size, values[i]);
        return b;
    }

    /// <summary>Every dtype .npy can hold here, 5 samples of [2, 3], with values that round differently through double (int64).</summary>
    public static TheoryData<string> Dtypes => ["<f4", ">f4", "<f8", ">f8", "|u1", "|b1", "|i1", "<i4", ">i4", "<i8", ">i8"];

    private static byte[] Data(string descr, int n)
    {
        var rng = new Random(descr.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        bool big = descr[0] == '>';
        switch (descr[1..])
        {
            case "f4": return Bytes(Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray(), 4, (b, o, v) => { if (big) BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v); });
            case "f8": return Bytes(Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 1e6 - 5e5).ToArray(), 8, (b, o, v) => { if (big) BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(o), v); });
            case "u1" or "b1" or "i1": return Enumerable.Range(0, n).Select(_ => (byte)rng.Next(256)).Select(v => descr[1] == 'b' ? (byte)(v & 1) : v).ToArray();
            case "i4": return Bytes(Enumerable.Range(0, n).Select(_ => rng.Next(int.MinValue, int.MaxValue)).ToArray(), 4, (b, o, v) => { if (big) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v); });
            default: return Bytes(Enumerable.Range(0, n).Select(_ => rng.NextInt64(long.MinValue, long.MaxValue) | 0x201).ToArray(), 8, (b, o, v) => { if (big) BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(o), v); });
        }
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Npy_rows_are_the_floats_of_the_whole_file_reader_bit_for_bit(string descr)
    {
        using var dir = new TempDir();
        string path = dir.File("x.npy");
        File.WriteAllBytes(path, TestFiles.Npy(descr, "(5, 2, 3)", Data(descr, 30)));
        var whole = NpyReader.LoadDataset(path);
        using var rows = FileRows.TryOpen(path)!;

        Assert.Equal("npy", rows.Format);
        Assert.Equal(5, rows.Count);
        Assert.Equal([2, 3], rows.SampleShape);
        int[] order = [4, 0, 2, 2, 1, 3];
        var got = new float[order.Length * 6];
        rows.Read(order, got);
        Assert.Equal(order.Length, rows.RowsRead);
        for (int i = 0; i < order.Length; i++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(BitConverter.SingleToInt32Bits(whole.X[order[i] * 6 + j]), BitConverter.SingleToInt32Bits(got[i * 6 + j]));

        var lazy = rows.ToDataset();
        Assert.True(lazy.OnDemand);
        Assert.Equal(whole.Name, lazy.Name);
        Assert.Equal(whole.Description, lazy.Description);
        Assert.Equal(whole.Batch(order).ToArray(), lazy.Batch(order).ToArray());
    }

    [Fact]
    public void Idx_rows_are_the_images_of_the_whole_file_reader_with_their_labels()
    {
        using var dir = new TempDir();
        var (img, lab) = TestFiles.IdxPair(7);
        File.WriteAllBytes(dir.File("images"), img);
        File.WriteAllBytes(dir.File("labels"), TestFiles.Gzip(lab)); // labels are read whole, gzip or not
        var whole = IdxReader.Load(dir.File("images"), dir.File("labels"), "t");
        using var rows = FileRows.TryOpen(dir.File("images"))!;
        var lazy = rows.ToDataset(dir.File("labels"), "t");

        Assert.Equal("idx", rows.Format);
        Assert.Equal([1, 4, 3], lazy.SampleShape);
        Assert.Equal(whole.Labels, lazy.Labels);
        int[] order = [6, 0, 3];
        Assert.Equal(whole.Batch(order).ToArray(), lazy.Batch(order).ToArray());
        Assert.Equal(3, rows.RowsRead);
    }

    [Fact]
    public void A_subset_of_an_on_demand_dataset_reads_only_its_rows_and_X_reads_them_all_once()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(10);
        File.WriteAllBytes(dir.File("images"), img);
        var whole = IdxReader.Load(dir.File("images"));
        using var rows = FileRows.TryOpen(dir.File("images"))!;
        var lazy = new Dataset("lazy", rows);

        var part = lazy.Subset([9, 2, 5], "part").WithDescription("three");
        Assert.True(part.OnDemand);
        Assert.Equal(0, rows.RowsRead);
        Assert.Equal(whole.Subset([9, 2, 5]).X, part.Batch([0, 1, 2]).ToArray());
        Assert.Equal(whole.Subset([5]).X, part.Subset([2]).Batch([0]).ToArray());
        Assert.Equal(4, rows.RowsRead);
        Assert.Equal("three", part.Description);

        var loaded = part.InMemory();
        Assert.False(loaded.OnDemand);
        Assert.Equal(whole.Subset([9, 2, 5]).X, loaded.X);
        Assert.Equal(7, rows.RowsRead);
        Assert.Same(loaded, loaded.InMemory());

        Assert.Equal(whole.X, lazy.X);
        Assert.False(lazy.OnDemand);
        Assert.Equal(17, rows.RowsRead);
        _ = lazy.Batch([1, 2]);
        Assert.Equal(17, rows.RowsRead); // read once, then from memory
        Assert.Throws<ArgumentOutOfRangeException>(() => part.Subset([3]));
    }

    [Fact]
    public void Files_without_random_access_are_not_opened()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(3);
        File.WriteAllBytes(dir.File("images.gz"), TestFiles.Gzip(img));
        File.WriteAllBytes(dir.File("f.npy"), TestFiles.Npy("<f4", "(2, 3)", new byte[24], fortran: true));
        using (var zip = ZipFile.Open(dir.File("x.npz"), ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("x.npy").Open()) s.Write(TestFiles.Npy("<f4", "(2,)", new byte[8]));

        Assert.Null(FileRows.TryOpen(dir.File("images.gz")));
        Assert.Null(FileRows.TryOpen(dir.File("f.npy")));
        Assert.Null(FileRows.TryOpen(dir.File("x.npz")));
        // One dimension: Fortran order is C order.
        File.WriteAllBytes(dir.File("v.npy"), TestFiles.Npy("<f4", "(2,)", new byte[8], fortran: true));
        using var v = FileRows.TryOpen(dir.File("v.npy"))!;
        Assert.Equal([1], v.SampleShape);
    }

    [Fact]
    public void A_gzip_file_is_decompressed_once_into_the_cache_and_read_from_there()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(6);
        File.WriteAllBytes(dir.File("images.gz"), TestFiles.Gzip(img));
        string cache = dir.Sub("cache");

        using var rows = FileRows.TryOpen(dir.File("images.gz"), cache)!;
        var copy = Assert.Single(Directory.GetFiles(cache));
        Assert.EndsWith("-images", copy, StringComparison.Ordinal);
        Assert.Equal(img, File.ReadAllBytes(copy));
        var written = File.GetLastWriteTimeUtc(copy);
        Assert.Equal(copy, FileRows.Decompressed(dir.File("images.gz"), cache)); // reused, not written again
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(IdxReader.Load(dir.File("images.gz")).Batch([5, 1]).ToArray(), rows.ToDataset().Batch([5, 1]).ToArray());

        File.WriteAllBytes(dir.File("bad.gz"), TestFiles.Gzip(img)[..^9]);
        var e = Assert.Throws<DatasetFormatException>(() => FileRows.TryOpen(dir.File("bad.gz"), cache));
        Assert.Contains("bad.gz", e.Message);
        Assert.Single(Directory.GetFiles(cache)); // nothing half-written is left
    }

    [Fact]
    public void Headers_are_checked_against_the_file_length_before_any_row_is_read()
    {
        using var dir = new TempDir();
        void Write(string name, byte[] bytes) => File.WriteAllBytes(dir.File(name), bytes);
        Write("short.npy", TestFiles.Npy("<f4", "(3, 2)", new byte[20]));
        Write("long.npy", TestFiles.Npy("<f4", "(3, 2)", new byte[28]));
        Write("nan.npy", TestFiles.Npy("<f4", "(3, 2)", Bytes(new[] { 0f, 1, 2, float.NaN, 4, 5 }, 4, (b, o, v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v))));
        Write("scalar.npy", TestFiles.Npy("<f4", "()", new byte[4]));
        Write("huge.npy", TestFiles.Npy("<f4", "(2000000000, 1000)", new byte[4]));
        var (img, _) = TestFiles.IdxPair(4);
        Write("short.idx", img[..^1]);
        Write("long.idx", [.. img, 0]);
        Write("labels.idx", TestFiles.Idx([4], new byte[4]));
        Write("floats.idx", TestFiles.Idx([1, 1, 1], new byte[4], type: 0x0D));

        foreach (var (name, text) in new[]
        {
            ("short.npy", "truncated"), ("long.npy", "trailing data"), ("nan.npy", "element 3 is NaN"), ("scalar.npy", "found a scalar"),
            ("huge.npy", "too large"), ("short.idx", "truncated"), ("long.idx", "trailing data"), ("labels.idx", "expected 3 dimensions"),
            ("floats.idx", "expected type code 08"),
        })
        {
            var e = Assert.Throws<DatasetFormatException>(() => FileRows.TryOpen(dir.File(name)));
            Assert.Contains(name, e.Message);
            Assert.Contains(text, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.Throws<FileNotFoundException>(() => FileRows.TryOpen(dir.File("missing.npy")));
    }

    [Fact]
    public void Reads_outside_the_file_or_into_a_short_destination_are_refused()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(4);
        File.WriteAllBytes(dir.File("images"), img);
        using var rows = FileRows.TryOpen(dir.File("images"))!;
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.Read([4], new float[12]));
        Assert.Throws<ArgumentException>(() => rows.Read([0, 1], new float[12]));
    }
}
