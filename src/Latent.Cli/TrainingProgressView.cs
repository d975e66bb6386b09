using System.Globalization;
using Latent.Models;
using Latent.Models.Runs;
using Latent.Models.Training;
using Spectre.Console;

namespace Latent.Cli;

/// <summary>
/// Training progress on the console: one status line redrawn in place in a terminal (fitted to its width, 40 columns
/// and up), one line per epoch otherwise, nothing with --quiet. Throughput is the current epoch's own (samples of this
/// epoch over its seconds), not an average since the start.
/// </summary>
internal static class TrainingProgressView
{
    public static TrainingRunResult Run(CliContext ctx, int epochs, int batchSize, AutoencoderModel model, Func<IProgress<TrainingProgress>, CancellationToken, TrainingRunResult> run)
    {
        var token = ctx.Hooks.Cancellation;
        if (!ctx.Interactive)
            return run(new Plain(ctx, model, batchSize), token);
        var live = new Live(AnsiConsole.Console, epochs, batchSize, p => ctx.Hooks.OnProgress?.Invoke(p, model));
        var result = run(live, token);
        live.Finish(result.Training.Status == TrainingStatus.Cancelled);
        return result;
    }

    internal static string Terms(IEnumerable<KeyValuePair<string, double>> terms, string prefix = "") =>
        string.Join("  ", terms.Select(t => $"{prefix}{t.Key} {t.Value.ToString("G5", CultureInfo.InvariantCulture)}"));

    /// <summary>Counts the samples of the current epoch of each stage, for the epoch's own throughput.</summary>
    internal sealed class EpochClock(int batchSize)
    {
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private string? _stage = "";
        private int _epoch = -1;
        private long _firstStep;
        private TimeSpan _start;

        /// <summary>Samples per second of the epoch <paramref name="p"/> belongs to, so far (at its end: the whole epoch).</summary>
        public double SamplesPerSecond(TrainingProgress p)
        {
            int epoch = p.EpochEnd is { } e ? e.Epoch - 1 : p.Epoch;
            if (p.Stage != _stage || epoch != _epoch)
            {
                // A step report opens its epoch one step late: count that step from the previous report's time.
                _stage = p.Stage;
                _epoch = epoch;
                _firstStep = p.Step - 1;
                _start = _watch.Elapsed;
            }
            double seconds = (_watch.Elapsed - _start).TotalSeconds;
            long samples = Math.Max(0, p.Step - _firstStep) * (long)batchSize;
            if (p.EpochEnd is { } end && end.Seconds > 0) seconds = Math.Max(seconds, end.Seconds);
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    private sealed class Plain(CliContext ctx, AutoencoderModel model, int batchSize) : IProgress<TrainingProgress>
    {
        private readonly EpochClock _clock = new(batchSize);

        public void Report(TrainingProgress p)
        {
            double rate = _clock.SamplesPerSecond(p);
            if (p.EpochEnd is { } e)
                ctx.Info($"{(p.Stage is null ? "" : p.Stage + " ")}epoch {e.Epoch}/{p.Epochs}  {Terms(e.Train)}" + (e.Validation is null ? "" : "  " + Terms(e.Validation, "val_"))
                    + $"  lr {e.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}  {rate:F0} samples/s  {e.Seconds:F1} s");
            ctx.Hooks.OnProgress?.Invoke(p, model);
        }
    }

    /// <summary>
    /// The live view: a status line (<see cref="StatusLine"/>) rewritten in place after a carriage return, and a
    /// permanent line per finished epoch. <see cref="Finish"/> leaves the last state (cancelled: where it stopped).
    /// </summary>
    internal sealed class Live(IAnsiConsole console, int epochs, int batchSize, Action<TrainingProgress>? onProgress = null) : IProgress<TrainingProgress>
    {
        private readonly EpochClock _clock = new(batchSize);
        private readonly System.Diagnostics.Stopwatch _redraw = System.Diagnostics.Stopwatch.StartNew();
        private TrainingProgress? _last;
        private double _rate;
        private bool _statusShown;

        private int Width => Math.Max(20, console.Profile.Width);

        public void Report(TrainingProgress p)
        {
            _rate = _clock.SamplesPerSecond(p);
            _last = p;
            if (p.EpochEnd is { } e)
            {
                int shown = p.Stage is null ? epochs : p.Epochs;
                Clear();
                console.Profile.Out.Writer.WriteLine($"{(p.Stage is null ? "" : p.Stage + " ")}epoch {e.Epoch}/{shown}  {Terms(e.Train)}"
                    + (e.Validation is null ? "" : "  " + Terms(e.Validation, "val_")) + $"  {_rate:F0} samples/s  {e.Seconds:F1} s");
                Draw(null);
            }
            else if (_redraw.ElapsedMilliseconds >= 100 || !_statusShown) { Draw(null); _redraw.Restart(); }
            onProgress?.Invoke(p);
        }

        /// <summary>Redraws the status line once more: where training stopped (cancelled) or its end, then a new line.</summary>
        public void Finish(bool cancelled)
        {
            if (_last is null) return;
            Draw(cancelled ? "cancelled" : null);
            console.Profile.Out.Writer.WriteLine();
            _statusShown = false;
        }

        private void Clear()
        {
            if (!_statusShown) return;
            console.Profile.Out.Writer.Write("\r" + new string(' ', Width - 1) + "\r");
            _statusShown = false;
        }

        private void Draw(string? note)
        {
            if (_last is null) return;
            int shown = _last.Stage is null ? epochs : _last.Epochs;
            console.Profile.Out.Writer.Write("\r" + StatusLine(_last, shown, _rate, Width - 1, note).PadRight(Width - 1));
            console.Profile.Out.Writer.Flush();
            _statusShown = true;
        }
    }

    /// <summary>
    /// The status line in at most <paramref name="width"/> characters: "epoch 3/10 ━━━━──── 52% 1234 samples/s ETA 0:12
    /// loss 123.4", dropping the least important parts first (terms, ETA, the unit, the bar) so that it never wraps.
    /// The percentage is of the steps taken, also for a cancelled run (<paramref name="note"/> "cancelled").
    /// </summary>
    internal static string StatusLine(TrainingProgress p, int epochs, double samplesPerSecond, int width, string? note = null)
    {
        double fraction = p.TotalSteps > 0 ? Math.Clamp((double)p.Step / p.TotalSteps, 0, 1) : 0;
        int epoch = Math.Min(p.EpochEnd?.Epoch ?? p.Epoch + 1, epochs);
        string head = $"{(p.Stage is null ? "" : p.Stage + " ")}epoch {epoch}/{epochs}";
        string pct = $"{Math.Floor(fraction * 100).ToString("F0", CultureInfo.InvariantCulture)}%";
        string rate = samplesPerSecond.ToString("F0", CultureInfo.InvariantCulture);
        var terms = p.EpochEnd?.Validation ?? (p.Terms.Count > 0 ? p.Terms : p.EpochEnd?.Train ?? []);
        string eta = note ?? (p.Eta > TimeSpan.Zero && fraction < 1 ? "ETA " + Clock(p.Eta) : "");
        string firstTerm = terms.Count > 0 ? Terms(terms.Take(1)) : "";
        string moreTerms = terms.Count > 0 ? Terms(terms.Take(3)) : "";

        // Candidates from richest to barest; the first that fits (with a bar of at least 10 cells, else none) wins.
        string[][] layouts =
        [
            [head, "BAR", pct, rate + " samples/s", eta, moreTerms],
            [head, "BAR", pct, rate + " samples/s", eta, firstTerm],
            [head, "BAR", pct, rate + "/s", eta, firstTerm],
            [head, "BAR", pct, rate + "/s", eta],
            [head, "BAR", pct, eta],
            [head, pct, rate + "/s", eta],
            [head, pct, eta],
            [head, pct],
        ];
        foreach (var layout in layouts)
        {
            var parts = layout.Where(s => s.Length > 0).ToList();
            int fixedLength = parts.Where(s => s != "BAR").Sum(s => s.Length) + parts.Count - 1;
            if (!parts.Contains("BAR"))
            {
                if (fixedLength <= width) return string.Join(' ', parts);
                continue;
            }
            int bar = Math.Min(30, width - fixedLength);
            if (bar < 10) continue;
            int filled = (int)Math.Round(fraction * bar);
            string barText = new string('━', filled) + new string('─', bar - filled);
            return string.Join(' ', parts.Select(s => s == "BAR" ? barText : s));
        }
        string bare = $"{head} {pct}";
        return bare.Length <= width ? bare : bare[..width];
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}"
        : $"{t.Minutes}:{t.Seconds:D2}";
}
