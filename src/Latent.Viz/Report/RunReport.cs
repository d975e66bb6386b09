using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Models;
using Latent.Models.Pca;
using Latent.Models.Runs;
using Latent.Models.Training;
using Latent.Viz.Images;
using Latent.Viz.Svg;

namespace Latent.Viz.Report;

/// <summary>
/// The pictures and the <c>report.html</c> of a training run: reconstructions (originals above reconstructions)
/// at the first, middle and last epoch and at the end, samples for generative models, the loss curves, a 2-D map
/// of the test codes coloured by label (the first two principal components of the codes when the code has more
/// than two dimensions), the configuration and the final metrics. Use <see cref="CaptureEpoch"/> as the run's
/// epoch hook, then <see cref="Write"/>.
/// </summary>
public sealed class RunReport
{
    private readonly LoadedData _data;
    private readonly int[] _preview;
    private readonly HashSet<int> _epochsToShow;
    private readonly List<(int Epoch, Tensor Reconstruction)> _snapshots = [];

    /// <summary>A report for a run of <paramref name="epochs"/> epochs on <paramref name="data"/>, previewing <paramref name="previewCount"/> test samples.</summary>
    public RunReport(LoadedData data, int epochs, int previewCount = 12)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _preview = ModelPictures.FirstIndices(data.Test, previewCount);
        _epochsToShow = [1, Math.Max(1, (epochs + 1) / 2), epochs];
    }

    /// <summary>File names written into the run folder.</summary>
    public const string ReconstructionsFile = "reconstructions.png", EpochsFile = "reconstructions_by_epoch.png",
        SamplesFile = "samples.png", LossFile = "loss.svg", CodesFile = "codes.svg", ReportFile = "report.html";

    private bool Images => ModelPictures.IsImage(_data.Test.SampleShape);

    /// <summary>The epoch hook: keeps the reconstructions of the preview samples at the first, middle and last epoch.</summary>
    public void CaptureEpoch(EpochMetrics epoch, AutoencoderModel model)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(model);
        if (!Images || !_epochsToShow.Contains(epoch.Epoch)) return;
        _snapshots.Add((epoch.Epoch, ModelPictures.Reconstruct(model, _data.Test, _preview)));
    }

    /// <summary>Writes the pictures and report.html into <paramref name="dir"/> (each file atomically); returns the paths written.</summary>
    public IReadOnlyList<string> Write(string dir, TrainingRunResult run, string? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var written = new List<string>();
        var model = run.Model;
        var history = run.Training.History;
        var report = new HtmlReport($"{model.Name} on {_data.Description.Source}", commandLine);

        report.AddSection("Run");
        report.AddParagraph($"{run.Training.Status} after {run.Training.EpochsCompleted} epoch(s), {run.Training.Steps:N0} steps."
            + (history.Count > 0 ? $" Training took {history.Sum(h => h.Seconds):F1} s." : ""));
        var metrics = run.Manifest?.Metrics;
        if (metrics is { Count: > 0 })
            report.AddMetricTable(["value"], metrics.Select(kv => (kv.Key, (IReadOnlyList<double>)[kv.Value])), "Final metrics (test split unless named train_)");

        if (Images)
        {
            report.AddSection("Reconstructions");
            var grid = ModelPictures.Reconstructions(model, _data.Test, _preview);
            Save(grid, Path.Combine(dir, ReconstructionsFile), written);
            report.AddImage(grid, "Top: test images. Bottom: their reconstructions after training.");
            if (_snapshots.Count > 0)
            {
                var rows = new List<Tensor> { _data.Test.Batch(_preview) };
                rows.AddRange(_snapshots.Select(s => s.Reconstruction));
                var byEpoch = ModelPictures.Rows(rows, _preview.Length);
                Save(byEpoch, Path.Combine(dir, EpochsFile), written);
                report.AddImage(byEpoch, "Top: test images. Below: reconstructions after epoch " + string.Join(", ", _snapshots.Select(s => s.Epoch)) + ".");
            }
            if (model is IGenerativeModel gen && (model is not IPriorModel p || p.PriorTrained))
            {
                report.AddSection("Samples");
                var samples = ModelPictures.Samples(gen, 40, new Rng(7));
                Save(samples, Path.Combine(dir, SamplesFile), written);
                report.AddImage(samples, "New samples drawn from the model.");
            }
        }

        if (history.Count > 0)
        {
            report.AddSection("Loss");
            var svg = LossChart(history);
            AtomicWrite(Path.Combine(dir, LossFile), svg, written);
            report.AddSvg(svg, "Loss terms per epoch (training, and validation when held out).");
        }

        report.AddSection("Codes");
        var codes = CodeChart(model, out string caption);
        AtomicWrite(Path.Combine(dir, CodesFile), codes, written);
        report.AddSvg(codes, caption);

        report.AddSection("Configuration");
        report.AddKeyValues(run.Configuration);
        report.AddParagraph("Data: " + _data.Origin);

        string path = Path.Combine(dir, ReportFile);
        report.Save(path);
        written.Add(path);
        return written;
    }

    /// <summary>Every loss term per epoch, training solid, validation as "val ...".</summary>
    public static string LossChart(IReadOnlyList<EpochMetrics> history)
    {
        var chart = new LineChart { Title = "Loss per epoch", XLabel = "epoch", YLabel = "loss" };
        var x = history.Select(h => (double)h.Epoch).ToList();
        foreach (var (term, _) in history[^1].Train)
            chart.AddSeries("train " + term, x, history.Select(h => h.TrainValue(term)).ToList());
        if (history[^1].Validation is { } v)
            foreach (var (term, _) in v)
                chart.AddSeries("val " + term, x, history.Select(h => h.ValidationValue(term)).ToList());
        return chart.ToSvg();
    }

    private string CodeChart(AutoencoderModel model, out string caption)
    {
        var test = _data.Test;
        int n = Math.Min(test.Count, 2000);
        var sub = test.Subset(Enumerable.Range(0, n).ToArray());
        var z = ModelPictures.Run(model, m => m.Encode(sub.Batch(Enumerable.Range(0, n).ToArray())));
        Tensor xy;
        string axes;
        if (model.CodeSize == 1)
        {
            xy = new Tensor(z.ToArray().SelectMany(v => new[] { v, 0f }).ToArray(), [n, 2]);
            axes = "z₁ (one-dimensional code)";
        }
        else if (model.CodeSize == 2) { xy = z; axes = "the two code dimensions"; }
        else
        {
            var codes = new Dataset("codes", z.ToArray(), [model.CodeSize]);
            var pca = Pca.Fit(codes, 2);
            using (Tensor.NoGrad()) xy = pca.Encode(z);
            axes = $"the first two principal components of the {model.CodeSize}-d codes";
        }
        var chart = new ScatterChart { Title = "Test codes", XLabel = model.CodeSize > 2 ? "PC 1" : "z₁", YLabel = model.CodeSize > 2 ? "PC 2" : "z₂" };
        if (_data.Description.Kind == "sprites")
            for (int i = 0; i < Sprites.ShapeNames.Count; i++) chart.LabelNames[i] = Sprites.ShapeNames[i];
        // A labelled table is usually an anomaly-detection set: its rare non-zero labels are drawn on top, larger.
        bool anomalies = sub.SampleShape.Length == 1 && sub.Labels is { } ls && ls.Any(l => l != 0) && ls.Count(l => l != 0) * 2 < ls.Length;
        if (anomalies)
            foreach (int l in sub.Labels!.Distinct().Where(l => l != 0))
            {
                chart.Highlight.Add(l);
                chart.LabelNames.TryAdd(l, $"anomaly ({l})");
            }
        chart.AddPoints(xy, sub.Labels);
        caption = $"{n} test samples placed by {axes}" + (sub.Labels is null ? "." : anomalies ? ", coloured by label; anomalies (label ≠ 0) drawn on top, larger." : ", coloured by label.");
        return chart.ToSvg();
    }

    private static void Save(Raster r, string path, List<string> written)
    {
        r.SavePng(path);
        written.Add(path);
    }

    private static void AtomicWrite(string path, string text, List<string> written)
    {
        Latent.Core.IO.AtomicFile.WriteAllText(path, text);
        written.Add(path);
    }

    /// <summary>Formats a metric for console output.</summary>
    public static string Format(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}
