using Latent.Data.Idx;

namespace Latent.Data.Tests.Idx;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false, "images.idx")]
    [InlineData(true, "images.idx")]      // gzip without .gz: detected by magic bytes
    [InlineData(false, "images.idx.gz")]  // raw bytes with a .gz name
    [InlineData(true, "images.idx.gz")]
    public void Reads_images_and_labels_raw_or_gzip(bool gzip, string name)
    {
        using var dir = new TempDir();
        var (img, lab) = TestFiles.IdxPair(5);
        File.WriteAllBytes(dir.File(name), gzip ? TestFiles.Gzip(img) : img);
        File.WriteAllBytes(dir.File("labels"), gzip ? TestFiles.Gzip(lab) : lab);

        var ds = IdxReader.Load(dir.File(name), dir.File("labels"), "t");

        Assert.Equal(5, ds.Count);
        Assert.Equal([1, 4, 3], ds.SampleShape);
        Assert.Equal([0, 1, 2, 3, 4], ds.Labels!);
        Assert.Equal((2 * 7 + 5) / 255f, ds.X[2 * 12 + 5], 6);
    }

    [Fact]
    public void Bad_magic_names_file_and_offset()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(2);
        img[0] = 0x12;
        File.WriteAllBytes(dir.File("a"), img);
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(dir.File("a")));
        Assert.Contains(dir.File("a"), e.Message);
        Assert.Contains("offset 0", e.Message);
    }

    [Fact]
    public void Unknown_type_code_is_rejected()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("a"), TestFiles.Idx([2], [1, 2], type: 0x07));
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(dir.File("a")));
        Assert.Contains("type code", e.Message);
        Assert.Contains("found 07", e.Message);
    }

    [Fact]
    public void Images_of_a_non_byte_type_are_rejected()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("a"), TestFiles.Idx([1, 1, 1], [0, 0, 0, 1], type: 0x0C));
        Assert.Equal([1f], IdxReader.Read(dir.File("a")).Values);
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(dir.File("a")));
        Assert.Contains("expected type code 08", e.Message);
    }

    [Theory]
    [InlineData(-1, "truncated")]
    [InlineData(+3, "trailing data")]
    public void Length_must_match_dims(int delta, string word)
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(3);
        var bytes = delta < 0 ? img[..^1] : [.. img, 0, 0, 0];
        File.WriteAllBytes(dir.File("a.gz"), TestFiles.Gzip(bytes));
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(dir.File("a.gz")));
        Assert.Contains(word, e.Message);
        Assert.Contains($"need {img.Length} bytes, found {img.Length + delta}", e.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_a_format_error()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(50);
        var gz = TestFiles.Gzip(img);
        File.WriteAllBytes(dir.File("a.gz"), gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(dir.File("a.gz")));
        Assert.Contains(dir.File("a.gz"), e.Message);
    }

    [Fact]
    public void Label_count_must_match_images()
    {
        using var dir = new TempDir();
        var (img, _) = TestFiles.IdxPair(3);
        var (_, lab) = TestFiles.IdxPair(4);
        File.WriteAllBytes(dir.File("i"), img);
        File.WriteAllBytes(dir.File("l"), lab);
        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Load(dir.File("i"), dir.File("l")));
        Assert.Contains("expected 3 labels", e.Message);
    }

    [Fact]
    public void Real_fashion_mnist_test_split_loads()
    {
        var folder = Path.Combine(TestFiles.SharedDatasets, "fashion-mnist");
        var ds = IdxReader.Load(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10000, ds.Count);
        Assert.Equal([1, 28, 28], ds.SampleShape);
        Assert.Equal(1f, ds.X.Max());
        Assert.Equal(0f, ds.X.Min());
        Assert.Equal(Enumerable.Range(0, 10), ds.Labels!.Distinct().Order());
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, ds.Labels!.Count(l => l == c)));
    }
}
