using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Latent.Core.IO;

namespace Latent.Core.Tests.IO;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("latent-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static int[] Bits(Tensor t) => MemoryMarshal.Cast<float, int>(t.Span).ToArray();

    private static Tensor Seq(int n, params int[] shape)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5f - 1f;
        return Tensor.FromArray(v, shape);
    }

    /// <summary>Builds a file from a raw header string and data bytes (length field = UTF-8 header length).</summary>
    private string RawFile(string header, byte[] data, string name = "raw.safetensors")
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static InvalidModelFileException Fails(string path)
    {
        var ex = Assert.Throws<InvalidModelFileException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(path, ex.FilePath);
        return ex;
    }

    // ---- round trips -----------------------------------------------------------------------------

    [Fact]
    public void RoundTripIsBitIdenticalIncludingNaNPayloadsAndNegativeZero()
    {
        float[] special =
        [
            BitConverter.Int32BitsToSingle(0x7FC00123), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0BEEF)),
            BitConverter.Int32BitsToSingle(0x7F800001), -0f, 0f, float.PositiveInfinity, float.NegativeInfinity,
            float.Epsilon, float.MaxValue, float.MinValue, 1f / 3f,
        ];
        var tensors = new List<(string, Tensor)>
        {
            ("encoder.0.weight", Seq(24, 2, 3, 4)),
            ("special", Tensor.FromArray(special, special.Length)),
            ("encoder.0.bias", Seq(3, 3)),
        };
        var path = PathOf("rt.safetensors");
        SafeTensors.Write(path, tensors);

        var (read, metadata) = SafeTensors.Read(path);
        Assert.Empty(metadata);
        Assert.Equal(3, read.Count);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, read[name].Shape);
            Assert.Equal(Bits(t), Bits(read[name]));
        }
    }

    [Fact]
    public void EmptyTensorAndScalarRoundTrip()
    {
        var path = PathOf("shapes.safetensors");
        SafeTensors.Write(path, [("empty", Tensor.Zeros(0, 5)), ("scalar", Tensor.Scalar(-2.25f)), ("none", Tensor.Zeros(0))]);
        var (read, _) = SafeTensors.Read(path);
        Assert.Equal([0, 5], read["empty"].Shape);
        Assert.Equal(0, read["empty"].Size);
        Assert.Empty(read["scalar"].Shape);
        Assert.Equal(-2.25f, read["scalar"].Item());
        Assert.Equal([0], read["none"].Shape);
    }

    [Fact]
    public void FileWithNoTensorsRoundTrips()
    {
        var path = PathOf("nothing.safetensors");
        SafeTensors.Write(path, []);
        var (read, metadata) = SafeTensors.Read(path);
        Assert.Empty(read);
        Assert.Empty(metadata);
    }

    [Fact]
    public void MetadataRoundTripsIncludingQuotesAndUnicode()
    {
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "a \"quoted\" \\ <tag> é ✓\nline2", ["empty"] = "" };
        var path = PathOf("meta.safetensors");
        SafeTensors.Write(path, [("w", Seq(4, 4))], meta);
        var (_, read) = SafeTensors.Read(path);
        Assert.Equal(meta.OrderBy(kv => kv.Key), read.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void LayoutFollowsTheSpec()
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [("b", Seq(3, 3)), ("a", Seq(2, 2))], new Dictionary<string, string> { ["k"] = "v" });
        var bytes = ms.ToArray();
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0ul, (8 + n) % 8); // data section aligned
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", header);
        Assert.EndsWith("}", header.TrimEnd(' '));
        // Given order is kept: "b" is first in the header and first in the data.
        Assert.True(header.IndexOf("\"b\"", StringComparison.Ordinal) < header.IndexOf("\"a\"", StringComparison.Ordinal));
        Assert.Contains("\"data_offsets\":[0,12]", header);
        Assert.Contains("\"data_offsets\":[12,20]", header);
        Assert.Equal(8 + (int)n + 20, bytes.Length);
        Assert.Equal(-1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n)));

        ms.Position = 0;
        var (read, meta) = SafeTensors.Read(ms, "memory");
        Assert.Equal([-1f, -0.5f, 0f], read["b"].ToArray());
        Assert.Equal("v", meta["k"]);
    }

    [Fact]
    public void WriteRejectsBadNamesAndLeavesNoFile()
    {
        var path = PathOf("bad.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [("x", Seq(1, 1)), ("x", Seq(1, 1))]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [("__metadata__", Seq(1, 1))]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [("", Seq(1, 1))]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void WriteReplacesExistingFileAndLeavesNoTempFile()
    {
        var path = PathOf("w.safetensors");
        SafeTensors.Write(path, [("x", Seq(2, 2))]);
        SafeTensors.Write(path, [("y", Seq(3, 3))]);
        Assert.Equal(["w.safetensors"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName));
        Assert.Equal(["y"], SafeTensors.Read(path).Tensors.Keys);
    }

    // ---- corruption ------------------------------------------------------------------------------

    private byte[] ValidBytes()
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [("a", Seq(6, 2, 3)), ("b", Seq(4, 4))], new Dictionary<string, string> { ["k"] = "v" });
        return ms.ToArray();
    }

    [Fact]
    public void TruncatedFilesAreRejectedAtEveryPoint()
    {
        var bytes = ValidBytes();
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int[] cuts = [0, 1, 7, 8, 9, 8 + n / 2, 8 + n - 1, 8 + n, 8 + n + 1, 8 + n + 24, bytes.Length - 1];
        foreach (int cut in cuts)
        {
            var path = PathOf($"cut{cut}.safetensors");
            File.WriteAllBytes(path, bytes.AsSpan(0, cut).ToArray());
            Fails(path);
        }
        Assert.Contains("shorter than the 8-byte", Fails(PathOf("cut7.safetensors")).Message);
        Assert.Contains($"header length {n} exceeds", Fails(PathOf($"cut{8 + n - 1}.safetensors")).Message);
        Assert.Contains("run past the 0-byte data section", Fails(PathOf($"cut{8 + n}.safetensors")).Message);
    }

    [Fact]
    public void ExtraTrailingBytesAreRejected()
    {
        var bytes = ValidBytes();
        var path = PathOf("trailing.safetensors");
        File.WriteAllBytes(path, [.. bytes, 0, 0, 0, 0]);
        var ex = Fails(path);
        Assert.Contains("data section is 44 bytes but the tensors cover 40", ex.Message);
    }

    [Fact]
    public void HeaderLengthLargerThanFileIsRejected()
    {
        var bytes = ValidBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
        var path = PathOf("long.safetensors");
        File.WriteAllBytes(path, bytes);
        Assert.Contains($"header length {bytes.Length} exceeds the {bytes.Length - 8} bytes", Fails(path).Message);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1ul << 40)]
    [InlineData(100_000_001ul)]
    public void HugeHeaderLengthIsRejectedBeforeAllocating(ulong length)
    {
        var bytes = ValidBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        var path = PathOf("huge.safetensors");
        File.WriteAllBytes(path, bytes);
        Assert.Contains($"header length {length} exceeds the 100000000-byte limit", Fails(path).Message);
    }

    [Theory]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", "not valid JSON")]
    [InlineData("\u0000\u0001garbage", "not valid JSON")]
    [InlineData("{\"a\": 1,}", "not valid JSON")]
    [InlineData("[1, 2]", "header is a JSON array, expected an object")]
    [InlineData("\"text\"", "header is a JSON string, expected an object")]
    [InlineData("42", "header is a JSON number, expected an object")]
    [InlineData("null", "header is a JSON null, expected an object")]
    public void MalformedHeaderIsRejected(string header, string expected)
    {
        Assert.Contains(expected, Fails(RawFile(header, new byte[8])).Message);
    }

    [Fact]
    public void InvalidUtf8HeaderIsRejected()
    {
        var path = PathOf("utf8.safetensors");
        byte[] header = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        var bytes = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not valid", Fails(path).Message);
    }

    public static TheoryData<string, int, string> BadEntries => new()
    {
        // lying offsets: past the data section
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "[0, 16] run past the 8-byte data section" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 8, "[8, 16] run past the 8-byte data section" },
        // overlapping offsets
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap tensor 'a' [0, 8]" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "overlap" },
        // gap / data not starting at 0
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "bytes [0, 4) before tensor 'a'" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "bytes [4, 8)" },
        // end before begin
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8, "end before begin" },
        // dtype
        { "{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "tensor 'a' has dtype F16; only F32 is supported" },
        { "{\"a\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "dtype BF16" },
        { "{\"a\":{\"dtype\":\"F99\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unknown dtype 'F99'" },
        { "{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "dtype is a JSON number" },
        // shape / size mismatch
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "shape [3] F32 needs 12 bytes but data_offsets [0, 8] span 8" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,8]}}", 8, "shape [] F32 needs 4 bytes" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,4],\"data_offsets\":[0,8]}}", 8, "size overflows" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2],\"data_offsets\":[0,17179869176]}}", 8, "shape [2147483647,2] has 4294967294 elements" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", 8, "shape[0] = 4294967296 exceeds" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "shape[0] = -2 is negative" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "shape[0] = 2.5 is not a non-negative integer" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8, "shape[0] is a JSON string" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8, "shape is a JSON number" },
        // offsets of the wrong kind
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", 8, "data_offsets has 3 numbers, expected 2" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8, "data_offsets[0] = -8 is negative" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"begin\":0}}}", 8, "data_offsets is a JSON object" },
        // missing keys / wrong entry kinds
        { "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a' has no dtype" },
        { "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "tensor 'a' has no shape" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a' has no data_offsets" },
        { "{\"a\":[0,8]}", 8, "tensor 'a' is a JSON array" },
        // duplicates
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "header names 'a' twice" },
        { "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a' names 'dtype' twice" },
        // metadata of the wrong kinds
        { "{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "metadata 'k' is a JSON number, expected a string" },
        { "{\"__metadata__\":[\"k\"],\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "'__metadata__' is a JSON array" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void InconsistentEntriesAreRejectedWithTheNumbers(string header, int dataBytes, string expected)
    {
        var ex = Fails(RawFile(header, new byte[dataBytes]));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ValidHandWrittenFileWithPaddingAndZeroSizeTensorsLoads()
    {
        // Data out of header order, a zero-size tensor at an interior offset, header padded with spaces.
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 7f);
        var path = RawFile(
            "{\"z\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[4,12]}," +
            "\"a\":{\"shape\":[],\"dtype\":\"F32\",\"data_offsets\":[0,4],\"extra\":true}}   ", data);
        var (t, meta) = SafeTensors.Read(path);
        Assert.Empty(meta);
        Assert.Equal(1.5f, t["a"].Item());
        Assert.Equal([-2f, 7f], t["b"].ToArray());
        Assert.Equal([2, 1], t["b"].Shape);
        Assert.Equal([0, 3], t["z"].Shape);
        Assert.Equal(["z", "b", "a"], t.Keys); // header order
    }

    [Fact]
    public void EveryFlippedHeaderLengthByteIsCaughtOrHarmless()
    {
        // Corrupting the length field either fails cleanly or (never, here) still parses; no other exception escapes.
        var bytes = ValidBytes();
        for (int i = 0; i < 8; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x5A;
            var path = PathOf($"flip{i}.safetensors");
            File.WriteAllBytes(path, copy);
            Fails(path);
        }
    }
}
