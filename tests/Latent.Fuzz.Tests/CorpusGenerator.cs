using System.Buffers.Binary;
using System.Text;

namespace Latent.Fuzz.Tests;

/// <summary>
/// Generates the malformed-input corpus: for every reader, its valid seed files cut at many points, with lying
/// sizes, decompression bombs, deep nesting, wrong dtypes, bad CRCs, byte-order marks, NaN values and headerless
/// tables, each with the outcome it must have. Nothing is stored: the same code produces the same cases.
/// Bombs are sized against <see cref="Limit"/>, the input limit the corpus test runs under.
/// </summary>
public static class CorpusGenerator
{
    /// <summary>The input limit the corpus is run with (small, so that bombs are cheap to build and to refuse).</summary>
    public const long Limit = 4L << 20;

    /// <summary>Every case, in a fixed order.</summary>
    public static IReadOnlyList<FuzzCase> Cases() => All.Value;

    private static readonly Lazy<IReadOnlyList<FuzzCase>> All = new(() => Build().ToList());

    private static IEnumerable<FuzzCase> Build()
    {
        var cases = new List<FuzzCase>();
        void Add(string name, Reader r, string file, byte[] bytes, Expect e, byte[]? extra = null) => cases.Add(new FuzzCase(name, r, file, bytes, e, extra));
        var bombZeros = new byte[4 * Limit];

        // ---- IDX --------------------------------------------------------------------------------------
        var idx = Seeds.Idx();
        Add("idx/valid", Reader.Idx, "a-images-idx3-ubyte", idx, Expect.Ok);
        Add("idx/valid.gz", Reader.Idx, "a-images-idx3-ubyte.gz", Seeds.Gzip(idx), Expect.Ok);
        Truncations(cases, "idx", Reader.Idx, "a-images-idx3-ubyte", idx, Expect.Error);
        Truncations(cases, "idx.gz", Reader.Idx, "a-images-idx3-ubyte.gz", Seeds.Gzip(idx), Expect.Error);
        Add("idx/lying-dims-huge", Reader.Idx, "a", Seeds.Idx([int.MaxValue, 65536, 65536], 36), Expect.Error);
        Add("idx/lying-dims-over-limit", Reader.Idx, "a", Seeds.Idx([64, 1024, 1024], 36), Expect.Error);
        Add("idx/negative-dim", Reader.Idx, "a", Seeds.Idx([4, -3, 3], 36), Expect.Error);
        Add("idx/rank-0", Reader.Idx, "a", [0, 0, 8, 0], Expect.Error);
        Add("idx/rank-255", Reader.Idx, "a", [0, 0, 8, 255, 0, 0, 0, 1], Expect.Error);
        Add("idx/wrong-type", Reader.Idx, "a", Seeds.Idx(type: 0x0A), Expect.Error);
        Add("idx/bad-magic", Reader.Idx, "a", [1, 2, .. idx[2..]], Expect.Error);
        Add("idx/trailing", Reader.Idx, "a", [.. idx, 1, 2, 3], Expect.Error);
        Add("idx/gz-bomb-trailing", Reader.Idx, "a.gz", Seeds.Gzip([.. idx, .. bombZeros]), Expect.Error);
        Add("idx/gz-bomb-lying-dims", Reader.Idx, "a.gz", Seeds.Gzip([.. Seeds.Idx([16, 1024, 1024], 0), .. bombZeros]), Expect.Error);
        var gz = Seeds.Gzip(idx);
        Add("idx/gz-bad-crc", Reader.Idx, "a.gz", Flip(gz, gz.Length - 8), Expect.Error);
        Add("idx/gz-bad-isize", Reader.Idx, "a.gz", Flip(gz, gz.Length - 1), Expect.Error);
        Add("idx/gz-two-members", Reader.Idx, "a.gz", [.. Seeds.Gzip(idx[..20]), .. Seeds.Gzip(idx[20..])], Expect.Either);
        Add("idx/empty", Reader.Idx, "a", [], Expect.Error);
        Flips(cases, "idx.gz", Reader.Idx, "a.gz", gz, 11);

        // ---- NPY --------------------------------------------------------------------------------------
        var npy = Seeds.NpyF4();
        Add("npy/valid", Reader.Npy, "x.npy", npy, Expect.Ok);
        Add("npy/valid-u8", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4, 3), }", new byte[12]), Expect.Ok);
        Add("npy/valid-big-endian-fortran", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '>f4', 'fortran_order': True, 'shape': (4, 3), }", new byte[48]), Expect.Ok);
        Add("npy/valid-v2", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", new byte[48], major: 2), Expect.Ok);
        Truncations(cases, "npy", Reader.Npy, "x.npy", npy, Expect.Error);
        Add("npy/deep-nesting", Reader.Npy, "x.npy", Seeds.Npy(new string('[', 60000), []), Expect.Error);
        Add("npy/deep-nesting-v2", Reader.Npy, "x.npy", Seeds.Npy("{'shape': " + new string('(', 200000) + "}", [], major: 2), Expect.Error);
        Add("npy/shape-huge", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[48]), Expect.Error);
        Add("npy/shape-over-limit", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1024, 1024, 2), }", new byte[48]), Expect.Error);
        Add("npy/shape-negative", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4, 3), }", new byte[48]), Expect.Error);
        Add("npy/shape-lies-short", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3), }", new byte[48]), Expect.Error);
        Add("npy/scalar", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]), Expect.Error);
        foreach (var dt in new[] { "<c8", "|O", "<U10", "<f2", "<i2", "xyz", "", "<f4x" })
            Add($"npy/dtype-{dt}", Reader.Npy, "x.npy", Seeds.Npy($"{{'descr': '{dt}', 'fortran_order': False, 'shape': (4, 3), }}", new byte[48]), Expect.Error);
        Add("npy/header-length-lies", Reader.Npy, "x.npy", SetU16(npy, 8, 65535), Expect.Error);
        Add("npy/version-9", Reader.Npy, "x.npy", SetByte(npy, 6, 9), Expect.Error);
        Add("npy/nan", Reader.Npy, "x.npy", Seeds.NpyF4([.. Enumerable.Repeat(1f, 11), float.NaN]), Expect.Error);
        Add("npy/inf", Reader.Npy, "x.npy", Seeds.NpyF4([float.NegativeInfinity, .. Enumerable.Repeat(1f, 11)]), Expect.Error);
        Add("npy/f8-beyond-f4", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", BitConverter.GetBytes(1e300)), Expect.Error);
        Add("npy/header-not-dict", Reader.Npy, "x.npy", Seeds.Npy("[1, 2]", []), Expect.Error);
        Add("npy/unterminated-string", Reader.Npy, "x.npy", Seeds.Npy("{'descr: 1", []), Expect.Error);
        Add("npy/zero-sample", Reader.Npy, "x.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 0), }", []), Expect.Error);
        Flips(cases, "npy", Reader.Npy, "x.npy", npy, 12);

        // ---- NPZ --------------------------------------------------------------------------------------
        var npz = Seeds.Npz(false, ("x.npy", npy), ("y.npy", Seeds.NpyLabels()));
        var npzDeflated = Seeds.Npz(true, ("x.npy", npy), ("y.npy", Seeds.NpyLabels()));
        Add("npz/valid-stored", Reader.Npz, "d.npz", npz, Expect.Ok);
        Add("npz/valid-deflated", Reader.Npz, "d.npz", npzDeflated, Expect.Ok);
        Truncations(cases, "npz", Reader.Npz, "d.npz", npzDeflated, Expect.Error);
        Add("npz/unused-member-bomb", Reader.Npz, "d.npz", Seeds.Npz(true, ("x.npy", npy), ("z.npy", bombZeros)), Expect.Ok);
        Add("npz/used-member-bomb", Reader.Npz, "d.npz", Seeds.Npz(true, ("x.npy", [.. npy[..^48], .. bombZeros])), Expect.Error);
        int dataAt = IndexOf(npz, npy) + 100;
        Add("npz/stored-bad-crc", Reader.Npz, "d.npz", Flip(npz, dataAt), Expect.Error);
        Add("npz/no-x", Reader.Npz, "d.npz", Seeds.Npz(false, ("a.npy", npy)), Expect.Error);
        Add("npz/member-not-npy", Reader.Npz, "d.npz", Seeds.Npz(false, ("x.npy", Encoding.ASCII.GetBytes("hello"))), Expect.Error);
        Add("npz/labels-mismatch", Reader.Npz, "d.npz", Seeds.Npz(false, ("x.npy", npy), ("y.npy", Seeds.Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", new byte[24]))), Expect.Error);
        Add("npz/labels-nan", Reader.Npz, "d.npz", Seeds.Npz(false, ("x.npy", npy), ("y.npy", Seeds.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", Seeds.Floats(0, 1, float.NaN, 1)))), Expect.Error);
        Add("npz/pk-then-junk", Reader.Npz, "d.npz", [(byte)'P', (byte)'K', 3, 4, .. new byte[60]], Expect.Error);
        Flips(cases, "npz", Reader.Npz, "d.npz", npzDeflated, 12);

        // ---- PNG --------------------------------------------------------------------------------------
        var png = Seeds.Png();
        Add("png/valid", Reader.Png, "i.png", png, Expect.Ok);
        Truncations(cases, "png", Reader.Png, "i.png", png, Expect.Error);
        Add("png/ihdr-16384", Reader.Png, "i.png", Seeds.Png(16384, 16384, rows: new byte[100]), Expect.Error);
        Add("png/ihdr-2^31", Reader.Png, "i.png", Seeds.Png(int.MaxValue, 2, rows: new byte[10]), Expect.Error);
        Add("png/ihdr-zero", Reader.Png, "i.png", Seeds.Png(0, 8, rows: new byte[10]), Expect.Error);
        Add("png/bad-depth", Reader.Png, "i.png", Seeds.Png(8, 8, depth: 3), Expect.Error);
        Add("png/bad-colour", Reader.Png, "i.png", Seeds.Png(8, 8, color: 5), Expect.Error);
        Add("png/idat-bomb", Reader.Png, "i.png", Seeds.Png(8, 8, rows: bombZeros), Expect.Either);
        Add("png/idat-short", Reader.Png, "i.png", Seeds.Png(8, 8, rows: new byte[20]), Expect.Error);
        Add("png/bad-filter", Reader.Png, "i.png", Seeds.Png(2, 2, rows: [9, 1, 2, 9, 3, 4]), Expect.Error);
        Add("png/bad-crc", Reader.Png, "i.png", Flip(png, 29), Expect.Error);
        Add("png/palette-without-plte", Reader.Png, "i.png", Seeds.Png(8, 8, color: 3), Expect.Error);
        using (var ms = new MemoryStream())
        {
            ms.Write(png.AsSpan(0, 33));
            Seeds.Chunk(ms, "ABCD", [1, 2, 3]);
            ms.Write(png.AsSpan(33));
            Add("png/unknown-critical-chunk", Reader.Png, "i.png", ms.ToArray(), Expect.Error);
        }
        Flips(cases, "png", Reader.Png, "i.png", png, 12);

        // ---- CSV / TSV --------------------------------------------------------------------------------
        var csv = Seeds.Csv();
        Add("csv/valid", Reader.Csv, "t.csv", csv, Expect.Ok);
        Add("csv/valid.gz", Reader.Csv, "t.csv.gz", Seeds.Gzip(csv), Expect.Ok);
        Add("csv/valid-tsv", Reader.Csv, "t.tsv", Seeds.Csv("\t"), Expect.Ok);
        Add("csv/bom", Reader.Csv, "t.csv", [0xEF, 0xBB, 0xBF, .. csv], Expect.Ok);
        Add("csv/crlf", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(csv).Replace("\n", "\r\n", StringComparison.Ordinal)), Expect.Ok);
        Add("csv/headerless", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("1,2,0\n3,4,1\n"), Expect.Ok);
        Add("csv/tsv-read-as-csv-is-one-column", Reader.Csv, "t.csv", Seeds.Csv("\t"), Expect.Error);
        Truncations(cases, "csv.gz", Reader.Csv, "t.csv.gz", Seeds.Gzip(csv), Expect.Error);
        Add("csv/gz-bad-crc", Reader.Csv, "t.csv.gz", Flip(Seeds.Gzip(csv), Seeds.Gzip(csv).Length - 6), Expect.Error);
        Add("csv/nan", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n1,nan\n"), Expect.Error);
        Add("csv/inf", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n1,-Infinity\n"), Expect.Error);
        Add("csv/beyond-float", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n1,1e300\n"), Expect.Error);
        Add("csv/ragged", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b,c\n1,2\n"), Expect.Error);
        Add("csv/empty", Reader.Csv, "t.csv", [], Expect.Error);
        Add("csv/only-header", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n"), Expect.Error);
        Add("csv/binary", Reader.Csv, "t.csv", Seeds.Png(), Expect.Error);
        Add("csv/unbalanced-quote", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,\"b\n1,2\n3,4\n"), Expect.Error);
        Add("csv/long-cell", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n1," + new string('9', 200_000) + "\n"), Expect.Error);
        Add("csv/long-line", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,", 500_000)) + "1\n"), Expect.Error);
        Add("csv/wide-header", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 100_000).Select(i => "c" + i)) + "\n" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "\n"), Expect.Ok);
        Add("csv/label-not-integer", Reader.Csv, "t.csv", Encoding.UTF8.GetBytes("a,label\n1,0.5\n"), Expect.Error);
        Add("csv/gz-bomb", Reader.Csv, "t.csv.gz", Seeds.Gzip(Encoding.ASCII.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", (int)(2 * Limit / 4))))), Expect.Error);
        Add("csv/nul-bytes", Reader.Csv, "t.csv", new byte[100_000], Expect.Error);
        Flips(cases, "csv", Reader.Csv, "t.csv", csv, 10);

        // ---- safetensors ------------------------------------------------------------------------------
        var st = Seeds.SafeTensorsFile();
        Add("safetensors/valid", Reader.SafeTensors, "w.safetensors", st, Expect.Ok);
        Truncations(cases, "safetensors", Reader.SafeTensors, "w.safetensors", st, Expect.Error);
        Add("safetensors/header-length-huge", Reader.SafeTensors, "w.safetensors", SetU64(st, 0, ulong.MaxValue), Expect.Error);
        Add("safetensors/header-length-lies", Reader.SafeTensors, "w.safetensors", SetU64(st, 0, (ulong)st.Length), Expect.Error);
        Add("safetensors/deep-json", Reader.SafeTensors, "w.safetensors", StFile("{\"a\":" + new string('[', 10000) + "}"), Expect.Error);
        Add("safetensors/dtype-f16", Reader.SafeTensors, "w.safetensors", StFile("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), Expect.Error);
        Add("safetensors/shape-overflow", Reader.SafeTensors, "w.safetensors", StFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,4]}}", 4), Expect.Error);
        Add("safetensors/offsets-overlap", Reader.SafeTensors, "w.safetensors", StFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), Expect.Error);
        Add("safetensors/offsets-past-end", Reader.SafeTensors, "w.safetensors", StFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}", 4), Expect.Error);
        Add("safetensors/negative-shape", Reader.SafeTensors, "w.safetensors", StFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), Expect.Error);
        Add("safetensors/not-json", Reader.SafeTensors, "w.safetensors", StFile("{\"a\":\xff}", 0), Expect.Error);
        Add("safetensors/nan-values", Reader.SafeTensors, "w.safetensors", Seeds.SafeTensorsFile(float.NaN), Expect.Ok);
        Flips(cases, "safetensors", Reader.SafeTensors, "w.safetensors", st, 12);

        // ---- model folder (model.json + model.safetensors) ---------------------------------------------
        var (manifest, weights) = Seeds.ModelFolder();
        string mtext = Encoding.UTF8.GetString(manifest);
        byte[] M(string s) => Encoding.UTF8.GetBytes(s);
        Add("model/valid", Reader.ModelFolder, "model.json", manifest, Expect.Ok, weights);
        Add("model/bom", Reader.ModelFolder, "model.json", [0xEF, 0xBB, 0xBF, .. manifest], Expect.Ok, weights);
        Add("model/arch-huge", Reader.ModelFolder, "model.json", M(mtext.Replace("arch=784-8-2", "arch=784-1000000-8", StringComparison.Ordinal)), Expect.Error, weights);
        Add("model/arch-huge-code", Reader.ModelFolder, "model.json", M(mtext.Replace("arch=784-8-2", "arch=784-2000000000", StringComparison.Ordinal)), Expect.Error, weights);
        Add("model/arch-other", Reader.ModelFolder, "model.json", M(mtext.Replace("arch=784-8-2", "arch=784-16-2", StringComparison.Ordinal)), Expect.Error, weights);
        Add("model/input-shape-huge", Reader.ModelFolder, "model.json", M(mtext.Replace("\"input_shape\": [", "\"input_shape\": [100000, 100000, ", StringComparison.Ordinal)), Expect.Error, weights);
        Add("model/unknown-model", Reader.ModelFolder, "model.json", M(mtext.Replace("\"model\": \"ae\"", "\"model\": \"nope\"", StringComparison.Ordinal)), Expect.Error, weights);
        Add("model/deep-json", Reader.ModelFolder, "model.json", M("{\"a\":" + new string('[', 5000) + "}"), Expect.Error, weights);
        Add("model/not-json", Reader.ModelFolder, "model.json", M("model=ae"), Expect.Error, weights);
        Add("model/null", Reader.ModelFolder, "model.json", M("null"), Expect.Error, weights);
        Add("model/nan-weights", Reader.ModelFolder, "model.json", manifest, Expect.Error, NanAt(weights));
        Add("model/weights-not-safetensors", Reader.ModelFolder, "model.json", manifest, Expect.Error, M("not weights"));
        Add("model/weights-empty", Reader.ModelFolder, "model.json", manifest, Expect.Error, []);
        Add("model/weights-other-model", Reader.ModelFolder, "model.json", manifest, Expect.Error, st);
        Truncations(cases, "model.json", Reader.ModelFolder, "model.json", manifest, Expect.Error, weights);
        foreach (int cut in new[] { 0, 8, 100, weights.Length / 2, weights.Length - 1 })
            Add($"model/weights-cut-{cut}", Reader.ModelFolder, "model.json", manifest, Expect.Error, weights[..cut]);

        // ---- checkpoint -------------------------------------------------------------------------------
        var ck = Seeds.CheckpointFile();
        Add("checkpoint/valid", Reader.Checkpoint, "c.latent", ck, Expect.Ok);
        Truncations(cases, "checkpoint", Reader.Checkpoint, "c.latent", ck, Expect.Error);
        Add("checkpoint/offset-overflow", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => ReplaceFirst(h, "\"offset\":0", "\"offset\":9223372036854775800")), Expect.Error);
        Add("checkpoint/offset-int-wrap", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => ReplaceFirst(h, "\"offset\":0", "\"offset\":4294967296")), Expect.Error);
        Add("checkpoint/empty-term-pair", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => ReplaceFirst(h, "[\"total\",0.7]", "[]")), Expect.Error);
        Add("checkpoint/step-without-order", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => ReplaceFirst(h, "\"name\":\"permutation\"", "\"name\":\"unused\"")), Expect.Error);
        Add("checkpoint/rewritten-unchanged", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => h), Expect.Ok);
        Add("checkpoint/shape-lies", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => ReplaceFirst(h, "\"shape\":[2,4]", "\"shape\":[65536,65536]")), Expect.Error);
        Add("checkpoint/deep-json", Reader.Checkpoint, "c.latent", Seeds.EditCheckpointHeader(ck, h => "{\"a\":" + new string('[', 5000) + "}"), Expect.Error);
        Add("checkpoint/header-length-lies", Reader.Checkpoint, "c.latent", SetU32Crc(ck, 12, uint.MaxValue), Expect.Error);
        Add("checkpoint/bad-crc", Reader.Checkpoint, "c.latent", Flip(ck, ck.Length / 2), Expect.Error);
        Add("checkpoint/bad-magic", Reader.Checkpoint, "c.latent", Flip(ck, 0), Expect.Error);
        Add("checkpoint/version", Reader.Checkpoint, "c.latent", SetU32Crc(ck, 8, 99), Expect.Error);
        Flips(cases, "checkpoint", Reader.Checkpoint, "c.latent", ck, 8);
        return cases;
    }

    private static void Truncations(List<FuzzCase> cases, string name, Reader r, string file, byte[] seed, Expect e, byte[]? extra = null)
    {
        foreach (int cut in new[] { 0, 1, 2, 4, 7, 8, 10, 12, 16, 20, 33, seed.Length / 3, seed.Length / 2, seed.Length - 9, seed.Length - 4, seed.Length - 1 }.Distinct())
            if (cut >= 0 && cut < seed.Length)
            {
                // Cutting off only trailing white space (a text file's last newline) leaves a valid file.
                bool onlySpace = seed[cut..].All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r');
                cases.Add(new FuzzCase($"{name}/cut-{cut}", r, file, seed[..cut], onlySpace ? Expect.Either : e, extra));
            }
    }

    // Random damage with a fixed seed: the outcome may be a result or the documented error, never anything else.
    private static void Flips(List<FuzzCase> cases, string name, Reader r, string file, byte[] seed, int count)
    {
        var rng = new Random(name.Length * 7919 + count);
        for (int k = 0; k < count; k++)
        {
            var b = (byte[])seed.Clone();
            int at = rng.Next(b.Length);
            b[at] = (byte)rng.Next(256);
            cases.Add(new FuzzCase($"{name}/byte-{at}-{k}", r, file, b, Expect.Either));
        }
    }

    private static byte[] Flip(byte[] b, int at)
    {
        var o = (byte[])b.Clone();
        o[at] ^= 0xFF;
        return o;
    }

    private static byte[] SetByte(byte[] b, int at, byte v)
    {
        var o = (byte[])b.Clone();
        o[at] = v;
        return o;
    }

    private static byte[] SetU16(byte[] b, int at, ushort v)
    {
        var o = (byte[])b.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(o.AsSpan(at), v);
        return o;
    }

    private static byte[] SetU64(byte[] b, int at, ulong v)
    {
        var o = (byte[])b.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(o.AsSpan(at), v);
        return o;
    }

    // A little-endian uint32 changed and the trailing CRC-32 recomputed (so the check under test is not the CRC).
    private static byte[] SetU32Crc(byte[] b, int at, uint v)
    {
        var o = (byte[])b.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(o.AsSpan(at), v);
        BinaryPrimitives.WriteUInt32LittleEndian(o.AsSpan(o.Length - 4), Latent.Core.IO.Crc32.Compute(o.AsSpan(0, o.Length - 4)));
        return o;
    }

    // A safetensors file with the given header text and data bytes.
    private static byte[] StFile(string header, int data = 0)
    {
        var h = Encoding.Latin1.GetBytes(header);
        var o = new byte[8 + h.Length + data];
        BinaryPrimitives.WriteUInt64LittleEndian(o, (ulong)h.Length);
        h.CopyTo(o, 8);
        return o;
    }

    // The weights with their last float set to NaN.
    private static byte[] NanAt(byte[] weights)
    {
        var o = (byte[])weights.Clone();
        BinaryPrimitives.WriteSingleLittleEndian(o.AsSpan(o.Length - 4), float.NaN);
        return o;
    }

    private static int IndexOf(byte[] hay, byte[] needle) => hay.AsSpan().IndexOf(needle);

    private static string ReplaceFirst(string s, string what, string with)
    {
        int i = s.IndexOf(what, StringComparison.Ordinal);
        if (i < 0) throw new InvalidOperationException($"corpus generator: '{what}' not found in the checkpoint header");
        return s[..i] + with + s[(i + what.Length)..];
    }
}
