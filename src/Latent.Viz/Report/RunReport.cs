using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Pca;
using Latent.Models.Runs;
using Latent.Models.Training;
using Latent.Viz.Images;
using Latent.Viz.Svg;

namespace Latent.Viz.Report;

/// <summary>
/// The pictures and the <c>report.html</c> of a training run: how long it took, the final metrics, reconstructions
/// (originals above reconstructions) at the first, middle and last epoch and at the end, samples for generative
/// models, the loss curves (one chart per kind of quantity, with its unit: <see cref="LossCharts"/>), a 2-D map of the
/// test codes coloured by class (the first two principal components of the codes when the code has more than two
/// dimensions), the data and the configuration. Use <see cref="CaptureEpoch"/> as the run's epoch hook, then
/// <see cref="Write"/>.
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

    /// <summary>File names written into the run folder. The loss chart of each further kind of quantity goes to
    /// <c>loss_KIND.svg</c> beside <see cref="LossFile"/> (<c>loss_divergence.svg</c>, ...).</summary>
    public const string ReconstructionsFile = "reconstructions.png", EpochsFile = "reconstructions_by_epoch.png",
        SamplesFile = "samples.png", LossFile = "loss.svg", CodesFile = "codes.svg", ReportFile = "report.html";

    private bool Images => ModelPictures.IsImage(_data.Test.SampleShape);

    /// <summary>The grids written at chosen epochs (<c>--grid-epochs</c>), shown as a row per epoch; null when none were asked for.</summary>
    public EpochGrids? Grids { get; init; }

    /// <summary>The epoch hook: keeps the reconstructions of the preview samples at the first, middle and last epoch.</summary>
    public void CaptureEpoch(EpochMetrics epoch, AutoencoderModel model)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(model);
        if (!Images || !_epochsToShow.Contains(epoch.Epoch)) return;
        _snapshots.Add((epoch.Epoch, ModelPictures.Reconstruct(model, _data.Test, _preview)));
    }

    /// <summary>
    /// The run's training time in seconds: the sum of its epochs' wall-clock seconds (training and validation, epochs
    /// from before a resume included). The report and <c>latent train</c> both state this one number.
    /// </summary>
    public static double TrainingSeconds(TrainingResult training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return training.History.Sum(h => h.Seconds);
    }

    /// <summary>"image" for image samples, "row" for table rows, "sample" otherwise: what one loss value is averaged over.</summary>
    public static string SampleNoun(int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        return ModelPictures.IsImage(sampleShape) ? "image" : sampleShape.Length == 1 ? "row" : "sample";
    }

    /// <summary>Writes the pictures and report.html into <paramref name="dir"/> (each file atomically); returns the paths written.</summary>
    public IReadOnlyList<string> Write(string dir, TrainingRunResult run, string? commandLine = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var written = new List<string>();
        var model = run.Model;
        var history = run.Training.History;
        string noun = SampleNoun(_data.Train.SampleShape);
        var report = new HtmlReport($"{model.Name} on {_data.Description.Source}", commandLine);

        report.AddSection("Run");
        var t = run.Training;
        report.AddParagraph($"{t.Status}: {Plural(t.EpochsCompleted, "epoch")}, {t.Steps:N0} steps, {TrainingSeconds(t).ToString("F1", CultureInfo.InvariantCulture)} s of training"
            + (t.BestEpoch > 0 ? $"; lowest validation loss {Format(t.BestValidationLoss)} at epoch {t.BestEpoch}." : "."));
        var metrics = run.Manifest?.Metrics;
        if (metrics is { Count: > 0 })
            report.AddMetricTable(["test", "training (last epoch)"], MetricRows(metrics),
                $"Final metrics per {noun}: on the test split after training, and the training average of the last epoch. Quantities equal to each other share a row (a = b).");

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
            if (Grids?.Written() is { Count: > 0 } grids)
            {
                report.AddSection("Grids by epoch");
                foreach (var (epoch, reconstructions, samples) in grids)
                {
                    var row = new List<(byte[], string)> { (File.ReadAllBytes(reconstructions), "reconstructions") };
                    if (samples is not null) row.Add((File.ReadAllBytes(samples), "samples"));
                    int n = EpochGrids.Side * EpochGrids.Side;
                    report.AddPngRow(row, $"After epoch {epoch} ({EpochGrids.FolderName}/{Path.GetFileName(reconstructions)}"
                        + (samples is null ? $"): the first {n} test images reconstructed." : $", {Path.GetFileName(samples)}): the first {n} test images reconstructed, and {n} samples from the same noise at every epoch."));
                }
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
            foreach (var chart in LossCharts(history, noun, model.Options.ToText()))
            {
                AtomicWrite(Path.Combine(dir, chart.Kind == LossKinds[0] ? LossFile : $"loss_{chart.Kind}.svg"), chart.Svg, written);
                report.AddSvg(chart.Svg, chart.Caption);
            }
        }

        report.AddSection("Codes");
        var codes = CodeChart(model, out string caption);
        AtomicWrite(Path.Combine(dir, CodesFile), codes, written);
        report.AddSvg(codes, caption);

        report.AddSection("Data");
        report.AddKeyValues(DataFacts(run.Configuration, history.Count > 0 && history[^1].Validation is not null));

        report.AddSection("Configuration");
        report.AddKeyValues(run.Configuration.Where(kv => !DataKeys.Contains(kv.Key)));

        string path = Path.Combine(dir, ReportFile);
        report.Save(path);
        written.Add(path);
        return written;
    }

    // Configuration keys shown in the Data section instead.
    private static readonly HashSet<string> DataKeys = ["data", "data_description", "train_samples", "test_samples"];

    private List<KeyValuePair<string, string>> DataFacts(IReadOnlyList<KeyValuePair<string, string>> configuration, bool validated)
    {
        var d = _data.Description;
        var facts = new List<KeyValuePair<string, string>> { new("data", d.Source) };
        string? description = d.Description;
        if (description is not null) facts.Add(new("description", description));
        // The origin repeats the description for generated data; it adds the folder and files for everything else.
        if (description is null || !_data.Origin.Contains(description, StringComparison.Ordinal)) facts.Add(new("read from", _data.Origin));
        int train = _data.Train.Count;
        double fraction = double.TryParse(configuration.FirstOrDefault(kv => kv.Key == "validation_fraction").Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : 0;
        int held = validated ? Trainer.ValidationCount(train, fraction) : 0;
        facts.Add(new("samples", $"{train - held:N0} training, " + (held > 0 ? $"{held:N0} validation (held out of the {train:N0} training samples), " : "") + $"{_data.Test.Count:N0} test"));
        facts.Add(new("sample shape", Shapes.Format(_data.Train.SampleShape)));
        if (_data.Train.Labels is not null)
            facts.Add(new("classes", d.ClassNames is { Length: > 0 } names
                ? string.Join(", ", names.Select((n, i) => $"{i} = {n}"))
                : (_data.Train.SampleShape.Length == 1 ? $"the values of column '{d.LabelColumn ?? "label"}': " : "label values ")
                  + string.Join(", ", _data.Train.Labels.Distinct().Order())));
        return facts;
    }

    /// <summary>The kinds of quantity that get a loss chart each, in the report's order (the first is <see cref="LossFile"/>).</summary>
    public static IReadOnlyList<string> LossKinds { get; } = ["loss", "divergence", "penalty", "adversarial", "perplexity", "usage", "schedule", "other", "lr"];

    /// <summary>The kind of quantity a loss term is (its chart in the report).</summary>
    public static string LossKind(string term) => term switch
    {
        "total" or "neg_elbo" or "reconstruction" or "pixel_nll" or "transition_nll" or "belief_log_prob" => "loss",
        "kl" or "tc" or "mi" or "dwkl" or "kl_smoothing" or "capacity" => "divergence",
        "regularisation" or "activity_l2" or "sparsity" or "jacobian" or "code_penalty" or "decoder_penalty" or "weight_decay" or "commitment" or "codebook" or "mmd" or "logdet" => "penalty",
        "discriminator" or "generator" => "adversarial",
        _ when term.StartsWith("perplexity", StringComparison.Ordinal) => "perplexity",
        _ when term.StartsWith("usage", StringComparison.Ordinal) => "usage",
        "beta" or "temperature" => "schedule",
        _ => "other",
    };

    /// <summary>
    /// The loss curves, one chart per kind of quantity (<see cref="LossKinds"/>) so that terms of different size and unit
    /// never share an axis: the loss per sample (in nats for a Bernoulli or other likelihood output), KL divergences in
    /// nats, the weighted penalties, adversarial losses, codebook perplexity and usage, scheduled weights, and the
    /// learning rate when it changes. Training curves are solid, validation curves dashed in the same colour. A term
    /// whose values equal an earlier term's at every epoch (a VAE's neg_elbo is its total) is drawn once and named in
    /// that term's legend entry ("total (= neg_elbo)").
    /// </summary>
    /// <param name="history">The epochs' metrics.</param>
    /// <param name="noun">What one value is averaged over: "image", "row" (<see cref="SampleNoun"/>).</param>
    /// <param name="modelOptions">The model's options as text ("output=bernoulli ..."), to name the reconstruction's unit; or null.</param>
    /// <returns>Per chart its kind, the SVG and a caption.</returns>
    public static IReadOnlyList<(string Kind, string Svg, string Caption)> LossCharts(IReadOnlyList<EpochMetrics> history, string noun, string? modelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(noun);
        var charts = new List<(string, string, string)>();
        if (history.Count == 0) return charts;
        var x = history.Select(h => (double)h.Epoch).ToList();
        bool validated = history.Any(h => h.Validation is not null);
        var terms = new List<string>();
        foreach (var h in history)
            foreach (var (k, _) in h.Train)
                if (!terms.Contains(k)) terms.Add(k);

        // Terms equal at every epoch are one series: "total" first, then the model's own names, then the generic parts.
        int Rank(string term) => term == LossTerms.TotalName ? 0 : term is LossTerms.ReconstructionName or LossTerms.RegularisationName ? 2 : 1;
        var ordered = terms.OrderBy(Rank).ToList();
        var shown = new List<(string Term, List<string> Same)>();
        foreach (string term in ordered)
        {
            var twin = shown.FirstOrDefault(s => history.All(h => Same(h.TrainValue(s.Term), h.TrainValue(term)) && Same(h.ValidationValue(s.Term), h.ValidationValue(term))));
            if (twin.Same is not null) twin.Same.Add(term);
            else shown.Add((term, []));
        }
        shown = shown.OrderBy(s => terms.IndexOf(s.Term)).ToList();

        string? output = modelOptions?.Split(' ').FirstOrDefault(o => o.StartsWith("output=", StringComparison.Ordinal))?["output=".Length..];
        // A Gaussian output's reconstruction is a squared error (the likelihood without its constant), not nats.
        bool nats = output is "bernoulli" || (output is null && shown.Any(s => s.Term == "neg_elbo" || s.Same.Contains("neg_elbo")));
        foreach (string kind in LossKinds.Where(k => k != "lr"))
        {
            var group = shown.Where(s => LossKind(s.Term) == kind).ToList();
            if (group.Count == 0) continue;
            var (title, caption) = Describe(kind, noun, output, nats);
            var chart = new LineChart { Title = title, XLabel = "epoch", YLabel = YLabel(kind, noun, nats) };
            for (int i = 0; i < group.Count; i++)
            {
                var (term, same) = group[i];
                string name = term + (same.Count > 0 ? $" (= {string.Join(", ", same)})" : "");
                bool single = group.Count == 1;
                chart.AddSeries(single ? "training" : "train " + name, x, history.Select(h => h.TrainValue(term)).ToList(), i);
                if (validated)
                    chart.AddSeries(single ? "validation" : "val " + name, x, history.Select(h => h.ValidationValue(term)).ToList(), i, dashed: true);
                if (single && same.Count > 0) chart.Title += $": {name}";
                else if (single && kind != "loss") chart.Title += $": {term}";
            }
            charts.Add((kind, chart.ToSvg(), caption + (validated ? " Training averages solid, validation dashed." : " Training averages per epoch.")));
        }
        var lr = history.Select(h => h.LearningRate).ToList();
        if (lr.Distinct().Count() > 1)
        {
            var chart = new LineChart { Title = "Learning rate", XLabel = "epoch", YLabel = "learning rate", LogY = lr.All(v => v > 0) && lr.Max() / lr.Min() > 20 };
            chart.AddSeries("learning rate", x, lr);
            charts.Add(("lr", chart.ToSvg(), "The learning rate at each epoch's last step."));
        }
        return charts;
    }

    private static bool Same(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || a == b || Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static string YLabel(string kind, string noun, bool nats) => kind switch
    {
        "loss" => nats ? $"nats per {noun}" : $"loss per {noun}",
        "divergence" => $"nats per {noun}",
        "adversarial" => "nats per sample",
        "perplexity" => "codes",
        "usage" => "fraction of codes",
        "schedule" => "weight",
        _ => $"per {noun}",
    };

    private static (string Title, string Caption) Describe(string kind, string noun, string? output, bool nats) => kind switch
    {
        "loss" => ($"Loss per {noun}" + (nats ? ", in nats" : output == "gaussian" ? " (sum of squared errors)" : ""),
            output switch
            {
                "bernoulli" => $"The reconstruction term is the binary cross-entropy summed over each {noun}'s values (the negative log-likelihood in nats), averaged over {noun}s; total is what training minimises.",
                "gaussian" => $"The reconstruction term is the squared error summed over each {noun}'s values (a unit-variance Gaussian's negative log-likelihood up to a constant), averaged over {noun}s; total is what training minimises.",
                _ => $"Each term is summed over a {noun}'s values and averaged over {noun}s; total is what training minimises.",
            }),
        "divergence" => ($"KL divergence per {noun}, in nats", $"KL divergences of the code (and their parts: total correlation tc, index-code mutual information mi, dimension-wise dwkl; capacity is the target KL), in nats per {noun}, unweighted."),
        "penalty" => ($"Penalty terms per {noun}", $"Regularisation terms as they enter the loss (with their weights), per {noun}."),
        "adversarial" => ("Adversarial losses, in nats", "Binary cross-entropy of the discriminator and the generator, in nats per sample."),
        "perplexity" => ("Codebook perplexity (codes in use)", "exp(entropy) of the codebook usage: the number of codes in effective use."),
        "usage" => ("Codebook usage (fraction of codes used)", "The fraction of the codebook's entries picked at least once."),
        "schedule" => ("Scheduled weights", "Weights and temperatures set by their schedules (the KL weight beta, the relaxation temperature)."),
        _ => ($"Other terms per {noun}", $"The model's further terms, per {noun}."),
    };

    // Test and training values per quantity (test_x and train_x share a row); rows equal in both columns are one.
    private static List<(string Label, IReadOnlyList<double> Values)> MetricRows(IReadOnlyDictionary<string, double> metrics)
    {
        var names = new List<string>();
        foreach (var k in metrics.Keys)
        {
            string name = k.StartsWith("test_", StringComparison.Ordinal) ? k[5..] : k.StartsWith("train_", StringComparison.Ordinal) ? k[6..] : k;
            if (k != "epochs" && !names.Contains(name)) names.Add(name);
        }
        double Get(string key) => metrics.TryGetValue(key, out double v) ? v : double.NaN;
        int Rank(string term) => term == LossTerms.TotalName ? 0 : term is LossTerms.ReconstructionName or LossTerms.RegularisationName ? 2 : 1;
        var rows = new List<(string Name, double Test, double Train, List<string> Same)>();
        foreach (var name in names.OrderBy(Rank))
        {
            double test = Get("test_" + name), train = Get("train_" + name);
            if (double.IsNaN(test) && double.IsNaN(train)) { test = Get(name); }
            var twin = rows.FirstOrDefault(r => Same(r.Test, test) && Same(r.Train, train) && !(double.IsNaN(test) && double.IsNaN(train)));
            if (twin.Same is not null) twin.Same.Add(name);
            else rows.Add((name, test, train, []));
        }
        return rows.OrderBy(r => names.IndexOf(r.Name))
            .Select(r => (r.Name + string.Concat(r.Same.Select(s => " = " + s)), (IReadOnlyList<double>)[r.Test, r.Train])).ToList();
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
        foreach (var (label, name) in ClassNames(sub.Labels)) chart.LabelNames[label] = name;
        // A labelled table is usually an anomaly-detection set: its rare non-zero labels are drawn on top, larger.
        bool anomalies = sub.SampleShape.Length == 1 && sub.Labels is { } ls && ls.Any(l => l != 0) && ls.Count(l => l != 0) * 2 < ls.Length;
        if (anomalies)
            foreach (int l in sub.Labels!.Distinct().Where(l => l != 0))
            {
                chart.Highlight.Add(l);
                chart.LabelNames[l] += " (anomaly)";
            }
        chart.AddPoints(xy, sub.Labels);
        caption = $"{n} test samples placed by {axes}" + (sub.Labels is null ? "." : anomalies ? ", coloured by class; anomalies (label ≠ 0) drawn on top, larger." : ", coloured by class.");
        return chart.ToSvg();
    }

    /// <summary>The legend name of every label in <paramref name="labels"/>: the data's class name, or for a table "column = value".</summary>
    private Dictionary<int, string> ClassNames(int[]? labels)
    {
        var names = new Dictionary<int, string>();
        if (labels is null) return names;
        var d = _data.Description;
        foreach (int l in labels.Distinct())
            names[l] = d.ClassNames is { } cn && l >= 0 && l < cn.Length ? cn[l]
                : _data.Train.SampleShape.Length == 1 ? $"{d.LabelColumn ?? "label"} = {l.ToString(CultureInfo.InvariantCulture)}"
                : l.ToString(CultureInfo.InvariantCulture);
        return names;
    }

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";

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
