using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Core;
using Latent.Core.IO;
using Latent.Models;
using Latent.Models.IO;
using Latent.Models.Training;

namespace Latent.Fuzz.Tests;

/// <summary>Small valid files of every kind the readers take; the corpus is built by damaging them.</summary>
public static class Seeds
{
    /// <summary>IDX images [4,3,3] of unsigned bytes.</summary>
    public static byte[] Idx(int[]? dims = null, int dataBytes = 36, byte type = 0x08)
    {
        dims ??= [4, 3, 3];
        var b = new byte[4 + 4 * dims.Length + dataBytes];
        b[2] = type;
        b[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * i), dims[i]);
        for (int i = 0; i < dataBytes; i++) b[4 + 4 * dims.Length + i] = (byte)(i * 7);
        return b;
    }

    /// <summary>A gzip member of <paramref name="data"/>.</summary>
    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>A .npy file with the given header dict text and data bytes (version 1.0, padded as NumPy does).</summary>
    public static byte[] Npy(string header, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        var text = header;
        int total = prefix + text.Length + 1;
        text += new string(' ', (64 - total % 64) % 64) + "\n";
        var h = Encoding.Latin1.GetBytes(text);
        var b = new byte[prefix + h.Length + data.Length];
        b[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(b, 1);
        b[6] = major;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)h.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)h.Length);
        h.CopyTo(b, prefix);
        data.CopyTo(b, prefix + h.Length);
        return b;
    }

    /// <summary>float32 values as little-endian bytes.</summary>
    public static byte[] Floats(params float[] v)
    {
        var b = new byte[4 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), v[i]);
        return b;
    }

    /// <summary>A float32 array (4, 3).</summary>
    public static byte[] NpyF4(params float[] values) =>
        Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", Floats(values.Length == 0 ? [.. Enumerable.Range(0, 12).Select(i => i * 0.5f)] : values));

    /// <summary>An int64 label vector (4,).</summary>
    public static byte[] NpyLabels()
    {
        var d = new byte[32];
        for (int i = 0; i < 4; i++) d[8 * i] = (byte)(i % 2);
        return Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", d);
    }

    /// <summary>A .npz (ZIP) of the given members.</summary>
    public static byte[] Npz(bool deflate, params (string Name, byte[] Bytes)[] members)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in members)
            {
                var e = zip.CreateEntry(name, deflate ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
                using var s = e.Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    /// <summary>An 8-bit gray PNG of <paramref name="w"/>x<paramref name="h"/>; <paramref name="rows"/> replaces the filtered rows when given.</summary>
    public static byte[] Png(int w = 8, int h = 8, byte depth = 8, byte color = 0, byte[]? rows = null)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = depth;
        ihdr[9] = color;
        Chunk(ms, "IHDR", ihdr);
        if (rows is null)
        {
            rows = new byte[h * (1 + Math.Max(1, w * depth / 8))];
            for (int i = 0; i < rows.Length; i++) rows[i] = i % (1 + w) == 0 ? (byte)0 : (byte)(i * 13);
        }
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(rows);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Writes a PNG chunk with its CRC.</summary>
    public static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(body);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(body));
        s.Write(crc);
    }

    /// <summary>A small CSV table with a label column.</summary>
    public static byte[] Csv(string sep = ",") => Encoding.UTF8.GetBytes(
        string.Join("\n", new[] { "a,b,label", "1,2,0", "3,4.5,1", "-5e-1,6,0", "7,8,1" }.Select(l => l.Replace(",", sep, StringComparison.Ordinal))) + "\n");

    /// <summary>A safetensors file of two tensors.</summary>
    public static byte[] SafeTensorsFile(float nan = 0f)
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [("w", Tensor.FromArray([1f, 2f, 3f, nan], 2, 2)), ("b", Tensor.FromArray([0.5f, -1f], 2))]);
        return ms.ToArray();
    }

    /// <summary>model.json and model.safetensors of a freshly initialised 784-8-2 autoencoder (no training).</summary>
    public static (byte[] Manifest, byte[] Weights) ModelFolder()
    {
        var info = ModelRegistry.Get("ae");
        var model = info.Create(info.Schema.Parse(new Dictionary<string, string> { ["arch"] = "784-8-2" }), [1, 28, 28], new Rng(3));
        var dir = Path.Combine(Path.GetTempPath(), "latent-fuzz-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            ModelFile.Save(dir, model, new ModelManifest { Model = "ae", Options = "", CodeSize = 0, InputShape = [1, 28, 28] });
            return (File.ReadAllBytes(Path.Combine(dir, ModelFile.ManifestFileName)), File.ReadAllBytes(Path.Combine(dir, ModelFile.WeightsFileName)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A checkpoint of a tiny state, resumed part-way through an epoch (so it holds an epoch order).</summary>
    public static byte[] CheckpointFile()
    {
        var c = new Checkpoint
        {
            ModelName = "ae",
            ModelOptions = "arch=4-2",
            InputShape = [4],
            Weights = [("encoder.0.weight", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4))],
            Optimizers = [new OptimizerSnapshot("adam", 3, [("m", Tensor.FromArray([0.1f, 0.2f], 2))], 0.001f, "main")],
            ShuffleRngState = [1, 2, 3, 4],
            ModelRngState = [5, 6, 7, 8],
            EpochsCompleted = 1,
            StepInEpoch = 2,
            GlobalStep = 7,
            Permutation = [3, 1, 0, 2, 4],
            PartialSums = [new("total", 1.5)],
            PartialSamples = 8,
            History = [new EpochMetrics(1, [new("total", 0.7), new("reconstruction", 0.6)], null, 0.001, 0.1)],
            BatchSize = 4,
            Seed = 1,
            Shuffle = true,
            Status = "running",
        };
        var path = Path.Combine(Path.GetTempPath(), "latent-fuzz-ck-" + Guid.NewGuid().ToString("N"));
        try
        {
            c.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A checkpoint whose header JSON is rewritten by <paramref name="edit"/>, with the header length and CRC made consistent again.</summary>
    public static byte[] EditCheckpointHeader(byte[] file, Func<string, string> edit)
    {
        int hl = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        var header = Encoding.UTF8.GetString(file, 16, hl);
        var newHeader = Encoding.UTF8.GetBytes(edit(header));
        var rest = file.AsSpan(16 + hl, file.Length - 4 - 16 - hl).ToArray();
        var o = new byte[16 + newHeader.Length + rest.Length + 4];
        file.AsSpan(0, 12).CopyTo(o);
        BinaryPrimitives.WriteUInt32LittleEndian(o.AsSpan(12), (uint)newHeader.Length);
        newHeader.CopyTo(o, 16);
        rest.CopyTo(o, 16 + newHeader.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(o.AsSpan(o.Length - 4), Crc32.Compute(o.AsSpan(0, o.Length - 4)));
        return o;
    }
}
