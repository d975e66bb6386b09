using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.Training;

/// <summary>
/// Everything needed to continue training exactly where it stopped: weights, best weights (early stopping),
/// optimizer state, both random streams, the position inside the epoch (with that epoch's sample order and its
/// partial loss sums) and the metrics history.
/// <para>File layout (all integers little-endian), written with <see cref="AtomicFile"/>:</para>
/// <code>
/// offset 0      8 bytes  magic "LATENTCK"
///        8      u32      format version (1)
///        12     u32      H, length of the header
///        16     H bytes  header: UTF-8 JSON object (training position, history, and a table of entries
///                        {name, dtype "f32"|"i32", shape, offset, length} with offsets into the data block)
///        16+H   ...      data block: the entries' raw little-endian values
///        end−4  u32      CRC-32 (IEEE) of every byte before it
/// </code>
/// Entry names: "weights/&lt;state-dict key&gt;", "best/&lt;key&gt;", "optim&lt;i&gt;/&lt;buffer&gt;" (the optimizer of the i-th
/// training phase, listed in the header's "optimizers" with its phase, kind, steps, learning rate and schedule counters),
/// "permutation"; the header's optional "stage" names the stage. The single-optimizer layout ("optimizer",
/// "optim/&lt;buffer&gt;") still loads; the older adversarial layout ("extra&lt;i&gt;/") is refused with one line.
/// <see cref="Load"/> checks the magic, version, lengths, table bounds and CRC, and throws
/// <see cref="InvalidDataException"/> naming the file and what is wrong.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "LATENTCK"u8;

    /// <summary>Registry name of the model.</summary>
    public required string ModelName { get; init; }

    /// <summary>The model's options as text (<see cref="ModelOptions.ToText"/>).</summary>
    public required string ModelOptions { get; init; }

    /// <summary>Shape of one input sample.</summary>
    public required int[] InputShape { get; init; }

    /// <summary>The model's state dict.</summary>
    public required IReadOnlyList<(string Name, Tensor Tensor)> Weights { get; init; }

    /// <summary>The state dict at the best validation loss, or empty.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> BestWeights { get; init; } = [];

    /// <summary>The training stage (<see cref="TrainingOptions.Stage"/>), or null for the main stage.</summary>
    public string? Stage { get; init; }

    /// <summary>Every training phase's optimizer state (with its schedule's counters), in phase order.</summary>
    public required IReadOnlyList<OptimizerSnapshot> Optimizers { get; init; }

    /// <summary>The learning-rate schedule spec of the run, or null (older checkpoints).</summary>
    public string? Schedule { get; init; }

    /// <summary>State of the shuffling stream.</summary>
    public required ulong[] ShuffleRngState { get; init; }

    /// <summary>State of the model's noise stream (<see cref="TrainingContext.Rng"/>).</summary>
    public required ulong[] ModelRngState { get; init; }

    /// <summary>Epochs fully done.</summary>
    public required int EpochsCompleted { get; init; }

    /// <summary>Steps done inside the current (unfinished) epoch; 0 at an epoch boundary.</summary>
    public int StepInEpoch { get; init; }

    /// <summary>Optimizer steps taken in all.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The current epoch's sample order when <see cref="StepInEpoch"/> &gt; 0, else null.</summary>
    public int[]? Permutation { get; init; }

    /// <summary>Per-term sums (value × batch size) over the current epoch's finished steps.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> PartialSums { get; init; } = [];

    /// <summary>Samples behind <see cref="PartialSums"/>.</summary>
    public long PartialSamples { get; init; }

    /// <summary>Seconds already spent in the current epoch.</summary>
    public double PartialSeconds { get; init; }

    /// <summary>Metrics of the finished epochs.</summary>
    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>1-based best epoch by validation total, or 0.</summary>
    public int BestEpoch { get; init; }

    /// <summary>The best validation total, or NaN.</summary>
    public double BestValidationLoss { get; init; } = double.NaN;

    /// <summary>Epochs since the best one (early-stopping counter).</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>The batch size of the run (a resume must use the same).</summary>
    public required int BatchSize { get; init; }

    /// <summary>The seed of the run (a resume must use the same).</summary>
    public required ulong Seed { get; init; }

    /// <summary>Whether the run shuffles (a resume must match).</summary>
    public required bool Shuffle { get; init; }

    /// <summary>"running", "cancelled", "completed" or "early_stopped".</summary>
    public required string Status { get; init; }

    // ---- writing --------------------------------------------------------------------------------------

    /// <summary>Writes the checkpoint atomically: readers see the previous file or this one, never a mix.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var data = new MemoryStream();
        var entries = new List<(string Name, string DType, int[] Shape, long Offset, long Length)>();
        void AddFloats(string name, Tensor t)
        {
            var bytes = MemoryMarshal.AsBytes(t.Span);
            entries.Add((name, "f32", t.Shape, data.Length, bytes.Length));
            WriteLittleEndian(data, bytes);
        }
        foreach (var (n, t) in Weights) AddFloats("weights/" + n, t);
        foreach (var (n, t) in BestWeights) AddFloats("best/" + n, t);
        for (int i = 0; i < Optimizers.Count; i++)
            foreach (var (n, t) in Optimizers[i].Tensors) AddFloats($"optim{i}/{n}", t);
        if (Permutation is not null)
        {
            var bytes = MemoryMarshal.AsBytes(Permutation.AsSpan());
            entries.Add(("permutation", "i32", [Permutation.Length], data.Length, bytes.Length));
            WriteLittleEndian(data, bytes);
        }

        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("model", ModelName);
            w.WriteString("model_options", ModelOptions);
            if (Stage is not null) w.WriteString("stage", Stage);
            WriteInts(w, "input_shape", InputShape);
            w.WriteString("status", Status);
            w.WriteNumber("epochs_completed", EpochsCompleted);
            w.WriteNumber("step_in_epoch", StepInEpoch);
            w.WriteNumber("global_step", GlobalStep);
            w.WriteNumber("batch_size", BatchSize);
            w.WriteNumber("seed", Seed);
            w.WriteBoolean("shuffle", Shuffle);
            w.WriteStartArray("shuffle_rng"); foreach (var s in ShuffleRngState) w.WriteNumberValue(s); w.WriteEndArray();
            w.WriteStartArray("model_rng"); foreach (var s in ModelRngState) w.WriteNumberValue(s); w.WriteEndArray();
            if (Schedule is not null) w.WriteString("schedule", Schedule);
            w.WriteStartArray("optimizers");
            foreach (var o in Optimizers)
            {
                w.WriteStartObject();
                if (o.Phase is not null) w.WriteString("phase", o.Phase);
                w.WriteString("kind", o.Kind);
                w.WriteNumber("steps", o.StepCount);
                if (float.IsFinite(o.LearningRate)) w.WriteNumber("lr", o.LearningRate);
                if (o.SchedulerState is not null)
                {
                    // Values may be ±∞ (reduce-on-plateau's best before the first epoch): written as strings.
                    w.WriteStartObject("scheduler_state");
                    foreach (var (k, v) in o.SchedulerState)
                    {
                        if (double.IsFinite(v)) w.WriteNumber(k, v);
                        else w.WriteString(k, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteTerms(w, "partial_sums", PartialSums);
            w.WriteNumber("partial_samples", PartialSamples);
            WriteDouble(w, "partial_seconds", PartialSeconds);
            w.WriteNumber("best_epoch", BestEpoch);
            WriteDouble(w, "best_validation_loss", BestValidationLoss);
            w.WriteNumber("epochs_without_improvement", EpochsWithoutImprovement);
            w.WriteStartArray("history");
            foreach (var e in History)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", e.Epoch);
                WriteTerms(w, "train", e.Train);
                if (e.Validation is null) w.WriteNull("validation"); else WriteTerms(w, "validation", e.Validation);
                WriteDouble(w, "lr", e.LearningRate);
                WriteDouble(w, "seconds", e.Seconds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("entries");
            foreach (var (name, dtype, shape, offset, length) in entries)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("dtype", dtype);
                WriteInts(w, "shape", shape);
                w.WriteNumber("offset", offset);
                w.WriteNumber("length", length);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        AtomicFile.Write(path, stream =>
        {
            uint crc = 0;
            void Put(ReadOnlySpan<byte> bytes) { stream.Write(bytes); crc = Crc32.Append(crc, bytes); }
            Span<byte> u32 = stackalloc byte[4];
            Put(Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(u32, FormatVersion); Put(u32);
            BinaryPrimitives.WriteUInt32LittleEndian(u32, checked((uint)header.Length)); Put(u32);
            Put(header.GetBuffer().AsSpan(0, (int)header.Length));
            Put(data.GetBuffer().AsSpan(0, (int)data.Length));
            BinaryPrimitives.WriteUInt32LittleEndian(u32, crc);
            stream.Write(u32);
        });
    }

    private static void WriteLittleEndian(Stream s, ReadOnlySpan<byte> bytes)
    {
        // float32 and int32 have the same byte order as uint32; every supported .NET target is little-endian.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoint: big-endian hosts are not supported");
        s.Write(bytes);
    }

    private static void WriteInts(Utf8JsonWriter w, string name, int[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void WriteTerms(Utf8JsonWriter w, string name, IReadOnlyList<KeyValuePair<string, double>> terms)
    {
        w.WriteStartArray(name);
        foreach (var (k, v) in terms)
        {
            w.WriteStartArray();
            w.WriteStringValue(k);
            if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    // ---- reading --------------------------------------------------------------------------------------

    /// <summary>Reads and validates a checkpoint; <see cref="InvalidDataException"/> names the file and the problem.</summary>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        InvalidDataException Bad(string what, long offset) => new($"checkpoint '{path}': {what} (at byte {offset})");
        byte[] file = ReadBounded(path, Bad);

        if (file.Length < 20) throw Bad($"file is {file.Length} bytes, shorter than the 20-byte minimum", 0);
        if (!file.AsSpan(0, 8).SequenceEqual(Magic)) throw Bad("not a Latent checkpoint (magic is not LATENTCK)", 0);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version != FormatVersion) throw Bad($"format version {version}, expected {FormatVersion}", 8);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4));
        uint actual = Crc32.Compute(file.AsSpan(0, file.Length - 4));
        if (stored != actual) throw Bad($"CRC-32 mismatch: stored {stored:X8}, computed {actual:X8} (truncated or corrupted)", file.Length - 4);
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        if (headerLength > file.Length - 20) throw Bad($"header length {headerLength} exceeds the file", 12);
        int dataStart = 16 + (int)headerLength;
        int dataLength = file.Length - 4 - dataStart;

        try
        {
            using var doc = JsonDocument.Parse(file.AsMemory(16, (int)headerLength));
            var root = doc.RootElement;
            var blobs = new Dictionary<string, (string DType, int[] Shape, int Offset, int Length)>();
            var order = new List<string>();
            foreach (var e in root.GetProperty("entries").EnumerateArray())
            {
                string name = e.GetProperty("name").GetString() ?? throw Bad("entry without a name", 16);
                string dtype = e.GetProperty("dtype").GetString() ?? "";
                int[] shape = Ints(e.GetProperty("shape"));
                long offset = e.GetProperty("offset").GetInt64(), length = e.GetProperty("length").GetInt64();
                if (dtype is not ("f32" or "i32")) throw Bad($"entry '{name}' has unknown dtype '{dtype}'", 16);
                if (shape.Any(d => d < 0) || shape.Aggregate(4L, (a, d) => a > int.MaxValue ? a : a * d) != length)
                    throw Bad($"entry '{name}': shape {Shapes.Format(shape)} does not match {length} bytes", 16);
                // Compared without adding, so that a crafted offset cannot overflow into range.
                if (offset < 0 || length < 0 || offset > dataLength || length > dataLength - offset)
                    throw Bad($"entry '{name}' at {offset} of {length} bytes lies outside the {dataLength}-byte data block", dataStart + Math.Max(0, offset));
                if (!blobs.TryAdd(name, (dtype, shape, (int)offset, (int)length))) throw Bad($"entry '{name}' appears twice", 16);
                order.Add(name);
            }

            Tensor FloatEntry(string name)
            {
                var (dtype, shape, offset, length) = blobs[name];
                if (dtype != "f32") throw Bad($"entry '{name}' is {dtype}, expected f32", 16);
                var values = MemoryMarshal.Cast<byte, float>(file.AsSpan(dataStart + offset, length)).ToArray();
                return new Tensor(values, shape);
            }
            List<(string, Tensor)> Group(string prefix) =>
                order.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => (n[prefix.Length..], FloatEntry(n))).ToList();

            if (root.TryGetProperty("extra_optimizers", out _))
                throw Bad("it keeps an adversarial autoencoder's optimizers in the older extra<i> layout, which this version cannot resume; train again without --resume", 16);
            int[]? permutation = null;
            if (blobs.TryGetValue("permutation", out var p))
            {
                if (p.DType != "i32") throw Bad("entry 'permutation' is not i32", 16);
                permutation = MemoryMarshal.Cast<byte, int>(file.AsSpan(dataStart + p.Offset, p.Length)).ToArray();
                var seen = new bool[permutation.Length];
                foreach (int k in permutation)
                {
                    if ((uint)k >= (uint)seen.Length || seen[k]) throw Bad($"entry 'permutation' is not an order of {seen.Length} samples (index {k})", dataStart + p.Offset);
                    seen[k] = true;
                }
            }
            if (root.GetProperty("step_in_epoch").GetInt32() is int stepInEpoch && (stepInEpoch < 0 || (stepInEpoch > 0 && permutation is null)))
                throw Bad($"step_in_epoch {stepInEpoch} {(stepInEpoch < 0 ? "is negative" : "without the epoch's sample order (no 'permutation' entry)")}", 16);

            var history = new List<EpochMetrics>();
            foreach (var h in root.GetProperty("history").EnumerateArray())
            {
                var val = h.GetProperty("validation");
                history.Add(new EpochMetrics(
                    h.GetProperty("epoch").GetInt32(),
                    Terms(h.GetProperty("train")),
                    val.ValueKind == JsonValueKind.Null ? null : Terms(val),
                    Double(h.GetProperty("lr")),
                    Double(h.GetProperty("seconds"))));
            }

            return new Checkpoint
            {
                ModelName = root.GetProperty("model").GetString() ?? "",
                ModelOptions = root.GetProperty("model_options").GetString() ?? "",
                InputShape = Ints(root.GetProperty("input_shape")),
                Status = root.GetProperty("status").GetString() ?? "",
                EpochsCompleted = root.GetProperty("epochs_completed").GetInt32(),
                StepInEpoch = root.GetProperty("step_in_epoch").GetInt32(),
                GlobalStep = root.GetProperty("global_step").GetInt64(),
                BatchSize = root.GetProperty("batch_size").GetInt32(),
                Seed = root.GetProperty("seed").GetUInt64(),
                Shuffle = root.GetProperty("shuffle").GetBoolean(),
                ShuffleRngState = root.GetProperty("shuffle_rng").EnumerateArray().Select(x => x.GetUInt64()).ToArray(),
                ModelRngState = root.GetProperty("model_rng").EnumerateArray().Select(x => x.GetUInt64()).ToArray(),
                Stage = root.TryGetProperty("stage", out var stageElement) ? stageElement.GetString() : null,
                Optimizers = root.TryGetProperty("optimizers", out var optimizers)
                    ? optimizers.EnumerateArray().Select((e, i) => Snapshot(e, Group($"optim{i}/"), e.TryGetProperty("phase", out var phase) ? phase.GetString() : null)).ToList()
                    : [Snapshot(root, Group("optim/"), null, "optimizer", "optimizer_steps", "optimizer_lr")], // the single-optimizer layout
                Schedule = root.TryGetProperty("schedule", out var scheduleElement) ? scheduleElement.GetString() : null,
                PartialSums = Terms(root.GetProperty("partial_sums")),
                PartialSamples = root.GetProperty("partial_samples").GetInt64(),
                PartialSeconds = Double(root.GetProperty("partial_seconds")),
                BestEpoch = root.GetProperty("best_epoch").GetInt32(),
                BestValidationLoss = Double(root.GetProperty("best_validation_loss")),
                EpochsWithoutImprovement = root.GetProperty("epochs_without_improvement").GetInt32(),
                History = history,
                Weights = Group("weights/"),
                BestWeights = Group("best/"),
                Permutation = permutation,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"checkpoint '{path}': malformed header: {e.Message} (at byte 16)", e);
        }
    }

    private static OptimizerSnapshot Snapshot(JsonElement e, List<(string, Tensor)> tensors, string? phase,
        string kind = "kind", string steps = "steps", string lr = "lr") =>
        new(e.GetProperty(kind).GetString() ?? "", e.GetProperty(steps).GetInt64(), tensors,
            e.TryGetProperty(lr, out var rate) ? rate.GetSingle() : float.NaN, phase,
            e.TryGetProperty("scheduler_state", out var scheduler) ? SchedulerValues(scheduler) : null);

    private static Dictionary<string, double> SchedulerValues(JsonElement e)
    {
        var values = new Dictionary<string, double>();
        foreach (var p in e.EnumerateObject())
            values[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? double.Parse(p.Value.GetString()!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                : p.Value.GetDouble();
        return values;
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static double Double(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    private static List<KeyValuePair<string, double>> Terms(JsonElement e) =>
        e.EnumerateArray().Select(pair => pair.GetArrayLength() == 2
            ? new KeyValuePair<string, double>(pair[0].GetString() ?? "", Double(pair[1]))
            : throw new FormatException($"a loss term is {pair.GetRawText()}, expected [name, value]")).ToList();

    // The file's bytes after checking its first 20 bytes (magic, version), so that a device or an unrelated large
    // file is refused before it is read; at most four times the input limit (weights, best weights, optimizer state).
    private static byte[] ReadBounded(string path, Func<string, long, InvalidDataException> bad)
    {
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64))
        {
            Span<byte> head = stackalloc byte[20];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n < 20) throw bad($"file is {n} bytes, shorter than the 20-byte minimum", 0);
            if (!head[..8].SequenceEqual(Magic)) throw bad("not a Latent checkpoint (magic is not LATENTCK)", 0);
        }
        long limit = 4 * InputLimits.MaxInputBytes;
        return InputLimits.ReadAllBytes(path, why => bad(why, 0), Math.Min(limit, Array.MaxLength));
    }
}
