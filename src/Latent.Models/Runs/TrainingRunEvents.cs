using System.Globalization;
using System.Text;
using Latent.Models.Training;

namespace Latent.Models.Runs;

/// <summary>
/// The run's event file <c>DIR/events.jsonl</c>: one JSON object per line, appended and flushed line by line while a
/// run trains, so that a reader in another process (<c>latent serve</c>) can follow it. An epoch line holds the same
/// columns as metrics.csv (<c>{"type":"epoch","stage":null,"epoch":3,"epochs":10,"step":300,"train_total":...,
/// "val_total":...,"lr":0.001,"seconds":1.2,"time":"..."}</c>); a step line (at most one a second) holds the step's
/// terms. A reader must skip a last line without its newline: it is still being written.
/// Wraps the progress reporter given to <see cref="TrainingRun.Run"/>.
/// </summary>
public sealed class TrainingRunEvents : IProgress<TrainingProgress>, IDisposable
{
    /// <summary>The event file's name in a run folder.</summary>
    public const string FileName = "events.jsonl";

    private readonly string _path;
    private readonly bool _append;
    private FileStream? _file;
    private readonly IProgress<TrainingProgress>? _inner;
    private readonly System.Diagnostics.Stopwatch _sinceStep = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>
    /// Events of the run in <paramref name="dir"/>, forwarded to <paramref name="inner"/>. The file is opened at the first
    /// event (a run that fails before training leaves it as it was): appended to for a resumed run, started anew otherwise.
    /// </summary>
    public TrainingRunEvents(string dir, bool append, IProgress<TrainingProgress>? inner)
    {
        ArgumentNullException.ThrowIfNull(dir);
        _path = Path.Combine(dir, FileName);
        _append = append;
        _inner = inner;
    }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.EpochEnd is { } e)
        {
            var line = Start("epoch", value);
            foreach (var (k, v) in e.Train) Field(line, "train_" + k, v);
            foreach (var (k, v) in e.Validation ?? []) Field(line, "val_" + k, v);
            Field(line, "lr", e.LearningRate);
            Field(line, "seconds", e.Seconds);
            Write(line);
        }
        else if (_sinceStep.ElapsedMilliseconds >= 1000)
        {
            var line = Start("step", value);
            foreach (var (k, v) in value.Terms) Field(line, k, v);
            Field(line, "samples_per_second", value.SamplesPerSecond);
            Write(line);
            _sinceStep.Restart();
        }
        _inner?.Report(value);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file?.Dispose();

    private static StringBuilder Start(string type, TrainingProgress p)
    {
        var b = new StringBuilder(256);
        b.Append("{\"type\":\"").Append(type).Append("\",\"stage\":");
        b.Append(p.Stage is null ? "null" : "\"" + p.Stage.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        b.Append(",\"epoch\":").Append((p.EpochEnd?.Epoch ?? p.Epoch + 1).ToString(CultureInfo.InvariantCulture));
        b.Append(",\"epochs\":").Append(p.Epochs.ToString(CultureInfo.InvariantCulture));
        b.Append(",\"step\":").Append(p.Step.ToString(CultureInfo.InvariantCulture));
        b.Append(",\"total_steps\":").Append(p.TotalSteps.ToString(CultureInfo.InvariantCulture));
        b.Append(",\"time\":\"").Append(DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)).Append('"');
        return b;
    }

    // Shortest round-trip text (of the float when the value is one: lr 0.001, not 0.0010000000474974513); JSON has no
    // NaN or infinity: null.
    private static void Field(StringBuilder b, string key, double v) =>
        b.Append(",\"").Append(key).Append("\":").Append(!double.IsFinite(v) ? "null"
            : (double)(float)v == v ? ((float)v).ToString("R", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture));

    private void Write(StringBuilder line)
    {
        line.Append("}\n");
        var bytes = Encoding.UTF8.GetBytes(line.ToString());
        if (_file is null) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _file ??= new FileStream(_path, _append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _file.Write(bytes);
        _file.Flush(flushToDisk: false);
    }
}
