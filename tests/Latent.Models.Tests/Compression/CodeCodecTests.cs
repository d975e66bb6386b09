using Latent.Core;
using Latent.Core.IO;
using Latent.Models.Compression;

namespace Latent.Models.Tests.Compression;

public class CodeCodecTests
{
    [Fact]
    public void Arithmetic_coding_round_trips_and_beats_the_raw_size_on_skewed_symbols()
    {
        var rng = new Rng(3);
        // 20000 symbols from 16, heavily skewed: entropy ≈ 1.3 bits, raw 4 bits.
        var symbols = Enumerable.Range(0, 20000).Select(_ => { double u = rng.NextDouble(); return u < 0.7 ? 0 : u < 0.9 ? 1 : rng.NextInt(16); }).ToArray();
        var enc = new ArithmeticEncoder();
        var m = new AdaptiveModel(16);
        foreach (int s in symbols) enc.Encode(s, m);
        var bytes = enc.Finish();
        var dec = new ArithmeticDecoder(bytes);
        var m2 = new AdaptiveModel(16);
        Assert.Equal(symbols, symbols.Select(_ => dec.Decode(m2)).ToArray());
        double bitsPerSymbol = bytes.Length * 8.0 / symbols.Length;
        Assert.InRange(bitsPerSymbol, 1.0, 1.6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void Codes_round_trip_to_within_half_a_quantisation_step(int bits)
    {
        var rng = new Rng((ulong)bits);
        var codes = rng.Normal([200, 7]);
        var c = CodeCodec.FromBytes(CodeCodec.ToBytes(CodeCodec.Compress(codes, bits)), "memory");
        var back = CodeCodec.Decompress(c);
        for (int j = 0; j < 7; j++)
        {
            float step = (c.High[j] - c.Low[j]) / ((1 << bits) - 1);
            for (int i = 0; i < 200; i++)
                Assert.True(Math.Abs(back[i, j] - codes[i, j]) <= step / 2 + 1e-5f, $"bits {bits} [{i},{j}]");
        }
    }

    [Fact]
    public void More_bits_cost_more_and_distort_less()
    {
        var codes = new Rng(1).Normal([300, 8]);
        double Error(int b) { var r = CodeCodec.Decompress(CodeCodec.Compress(codes, b)); double e = 0; for (int i = 0; i < r.Size; i++) e += Math.Abs(r.Span[i] - codes.Span[i]); return e; }
        Assert.True(CodeCodec.Compress(codes, 3).Payload.Length < CodeCodec.Compress(codes, 6).Payload.Length);
        Assert.True(Error(6) < Error(3) / 4);
    }

    [Fact]
    public void Damaged_truncated_and_foreign_files_are_one_line_errors()
    {
        var bytes = CodeCodec.ToBytes(CodeCodec.Compress(new Rng(2).Normal([10, 3]), 4));
        var flipped = (byte[])bytes.Clone();
        flipped[20] ^= 1;
        Assert.Contains("checksum", Assert.Throws<InvalidModelFileException>(() => CodeCodec.FromBytes(flipped, "f.ltnc")).Message);
        Assert.Contains("checksum", Assert.Throws<InvalidModelFileException>(() => CodeCodec.FromBytes(bytes.AsSpan(0, bytes.Length - 3), "f.ltnc")).Message);
        Assert.Contains("magic", Assert.Throws<InvalidModelFileException>(() => CodeCodec.FromBytes("PNG0000000000000000000000000"u8, "f.png")).Message);
        var version = (byte[])bytes.Clone();
        version[4] = 9;
        Assert.Contains("version 9", Assert.Throws<InvalidModelFileException>(() => CodeCodec.FromBytes(version, "f.ltnc")).Message);
        Assert.Contains("f.ltnc", Assert.Throws<InvalidModelFileException>(() => CodeCodec.FromBytes(flipped, "f.ltnc")).Message);
    }

    [Fact]
    public void Write_is_atomic_and_read_checks_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"codes-{Guid.NewGuid():N}.ltnc");
        var c = CodeCodec.Compress(new Rng(5).Normal([4, 2]), 8);
        CodeCodec.Write(path, c);
        Assert.Equal(c.Payload, CodeCodec.Read(path).Payload);
        Assert.Throws<FileNotFoundException>(() => CodeCodec.Read(path + ".missing"));
        File.Delete(path);
        Assert.Contains("--bits", Assert.Throws<ArgumentException>(() => CodeCodec.Compress(Tensor.Zeros(2, 2), 0)).Message);
    }
}
