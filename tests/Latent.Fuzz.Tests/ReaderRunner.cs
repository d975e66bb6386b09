using System.Diagnostics;
using Latent.Core.IO;
using Latent.Data;
using Latent.Data.Arrays;
using Latent.Data.Idx;
using Latent.Data.Images;
using Latent.Data.Tables;
using Latent.Models.IO;
using Latent.Models.Training;

namespace Latent.Fuzz.Tests;

/// <summary>Writes a case to disk, runs its reader in-process and measures what that cost.</summary>
public static class ReaderRunner
{
    /// <summary>What one run did: the exception (null = a result), managed bytes allocated and wall time.</summary>
    public sealed record Outcome(Exception? Error, long Allocated, TimeSpan Elapsed);

    /// <summary>The exception type a reader documents for malformed input.</summary>
    public static Type DocumentedError(Reader r) => r switch
    {
        Reader.SafeTensors or Reader.ModelFolder => typeof(InvalidModelFileException),
        Reader.Checkpoint => typeof(InvalidDataException),
        _ => typeof(DatasetFormatException),
    };

    /// <summary>Writes <paramref name="c"/> under <paramref name="dir"/>; returns the path a reader or the CLI takes.</summary>
    public static string Write(FuzzCase c, string dir)
    {
        Directory.CreateDirectory(dir);
        switch (c.Reader)
        {
            case Reader.ModelFolder:
                File.WriteAllBytes(Path.Combine(dir, ModelFile.ManifestFileName), c.Bytes);
                File.WriteAllBytes(Path.Combine(dir, ModelFile.WeightsFileName), c.Extra ?? []);
                return dir;
            case Reader.Png:
                var images = Path.Combine(dir, "images");
                Directory.CreateDirectory(images);
                File.WriteAllBytes(Path.Combine(images, c.FileName), c.Bytes);
                return images;
            default:
                var path = Path.Combine(dir, c.FileName);
                File.WriteAllBytes(path, c.Bytes);
                return path;
        }
    }

    /// <summary>Runs the reader of <paramref name="c"/> on the files at <paramref name="path"/> (from <see cref="Write"/>).</summary>
    public static Outcome Run(FuzzCase c, string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            Read(c.Reader, path);
        }
        catch (Exception e)
        {
            error = e;
        }
        return new Outcome(error, GC.GetAllocatedBytesForCurrentThread() - before, watch.Elapsed);
    }

    /// <summary>Reads <paramref name="path"/> with the reader of kind <paramref name="r"/>.</summary>
    public static void Read(Reader r, string path)
    {
        switch (r)
        {
            case Reader.Idx: IdxReader.Read(path); break;
            case Reader.Npy or Reader.Npz: NpyReader.LoadDataset(path); break;
            case Reader.Png: PngDecoder.Decode(Directory.GetFiles(path).Single()); break;
            case Reader.Csv: CsvTable.Load(path); break;
            case Reader.SafeTensors: SafeTensors.Read(path); break;
            case Reader.ModelFolder: ModelFile.Load(path); break;
            case Reader.Checkpoint: Checkpoint.Load(path); break;
        }
    }

    /// <summary>Null when <paramref name="o"/> is what <paramref name="c"/> expects, else why not.</summary>
    public static string? Judge(FuzzCase c, Outcome o)
    {
        var documented = DocumentedError(c.Reader);
        if (o.Error is { } e)
        {
            if (e.GetType() != documented) return $"{e.GetType().Name} escaped (documented: {documented.Name}): {e.Message}";
            if (c.Expect == Expect.Ok) return $"expected a result, got: {e.Message}";
            if (e.Message.Any(ch => char.IsControl(ch) || ch is '\u2028' or '\u2029')) return $"message is not one printable line: {e.Message}";
            return null;
        }
        return c.Expect == Expect.Error ? "expected the documented error, the reader returned a result" : null;
    }
}
