using Latent.Core;
using Latent.Core.IO;
using Latent.Models.Compression;

namespace Latent.Models.Tests.Compression;

public class IndexCodecTests
{
    // Two maps as a VQ-VAE-2 gives them: top 2×2 from K = 8, bottom 4×4 from K = 64, skewed towards few entries.
    private static (int[] Top, int[] Bottom) Maps(int count, ulong seed)
    {
        var rng = new Rng(seed);
        int Skewed(int k) => rng.NextDouble() < 0.8 ? rng.NextInt(4) : rng.NextInt(k);
        return (Enumerable.Range(0, count * 4).Select(_ => Skewed(8)).ToArray(), Enumerable.Range(0, count * 16).Select(_ => Skewed(64)).ToArray());
    }

    [Fact]
    public void Index_maps_round_trip_through_the_container_and_cost_less_than_log2_k()
    {
        var (top, bottom) = Maps(300, 1);
        var c = IndexCodec.Compress([top, bottom], [8, 64], 300);
        var back = IndexCodec.Decompress(IndexCodec.FromBytes(IndexCodec.ToBytes(c), "memory"));
        Assert.Equal(top, back[0]);
        Assert.Equal(bottom, back[1]);
        Assert.Equal([4, 16], c.Positions);
        double raw = 300 * (4 * 3 + 16 * 6);
        Assert.True(c.Payload.Length * 8 < 0.75 * raw, $"{c.Payload.Length * 8} bits vs {raw} raw");
    }

    [Fact]
    public void Bad_maps_are_refused_with_the_reason()
    {
        Assert.Contains("outside 0..7", Assert.Throws<ArgumentException>(() => IndexCodec.Compress([[1, 8]], [8], 1)).Message);
        Assert.Contains("multiple of 2 images", Assert.Throws<ArgumentException>(() => IndexCodec.Compress([[1, 2, 3]], [8], 2)).Message);
        Assert.Contains("2 code-book sizes for 1 maps", Assert.Throws<ArgumentException>(() => IndexCodec.Compress([[1]], [8, 8], 1)).Message);
    }

    [Fact]
    public void Damaged_truncated_and_foreign_files_are_one_line_errors()
    {
        var (top, _) = Maps(20, 2);
        var bytes = IndexCodec.ToBytes(IndexCodec.Compress([top], [8], 20));
        var flipped = (byte[])bytes.Clone();
        flipped[14] ^= 1;
        Assert.Contains("checksum", Assert.Throws<InvalidModelFileException>(() => IndexCodec.FromBytes(flipped, "f.ltnv")).Message);
        Assert.Contains("f.ltnv", Assert.Throws<InvalidModelFileException>(() => IndexCodec.FromBytes(bytes.AsSpan(0, bytes.Length - 2), "f.ltnv")).Message);
        Assert.Contains("magic", Assert.Throws<InvalidModelFileException>(() => IndexCodec.FromBytes(CodeCodec.ToBytes(CodeCodec.Compress(new Rng(1).Normal([4, 2]), 3)), "f.ltnc")).Message);
        var dir = TestData.TempDir();
        string path = Path.Combine(dir, "codes.ltnv");
        IndexCodec.Write(path, IndexCodec.Compress([top], [8], 20));
        Assert.Equal(top, IndexCodec.Decompress(IndexCodec.Read(path))[0]);
        Assert.Throws<FileNotFoundException>(() => IndexCodec.Read(Path.Combine(dir, "missing.ltnv")));
    }
}
