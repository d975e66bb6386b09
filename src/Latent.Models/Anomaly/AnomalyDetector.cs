using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Core;
using Latent.Core.IO;
using Latent.Data;
using Latent.Models.IO;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Models.Anomaly;

/// <summary>
/// Unsupervised anomaly detector with PyOD's interface: <see cref="Fit(float[,])"/> on unlabelled rows (anomalies
/// may be among them), <see cref="DecisionFunction(float[,])"/> (higher = more anomalous), <see cref="Predict(float[,])"/>
/// (1 = anomaly: score above <see cref="Threshold"/>, the (1 − contamination) quantile of the training scores),
/// <see cref="PredictProba(float[,])"/>. The score is an ensemble of autoencoder reconstruction errors (Chen et al.
/// 2017, "Outlier Detection with Autoencoder Ensembles"): each member (one per code size and seed of
/// <see cref="AnomalyDetectorOptions"/>) is trained on <see cref="TableScaler"/>-scaled rows, refitted on the rows it
/// reconstructs best (trimming: the training rows include the anomalies), and its per-row mean squared error
/// ‖x − x̂‖²/d is standardised by the mean and std of its kept training rows' errors; the decision score is the
/// average of the members' standardised errors. <see cref="Save"/> writes a folder (detector.json plus one model
/// folder per member in the usual model.json + model.safetensors layout); <see cref="Load"/> reads it back.
/// </summary>
public sealed class AnomalyDetector
{
    /// <summary>The detector's own file in a saved folder.</summary>
    public const string FileName = "detector.json";

    private const string Format = "latent-anomaly-detector";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly List<Member> _members = [];
    private TableScaler? _scaler;
    private float _trainMin, _trainMax;

    /// <summary>A detector with <paramref name="options"/> (null = the defaults); call <see cref="Fit(float[,])"/> before scoring.</summary>
    public AnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        Options = options ?? new AnomalyDetectorOptions();
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public AnomalyDetectorOptions Options { get; }

    /// <summary>Expected fraction of anomalies the threshold was set for.</summary>
    public double Contamination => Options.Contamination;

    /// <summary>Rows with a decision score above this are anomalies: the (1 − <see cref="Contamination"/>) quantile of the training rows' scores.</summary>
    public double Threshold { get; private set; } = double.NaN;

    /// <summary>Decision scores of the training rows [n] (PyOD's decision_scores_); empty after <see cref="Load"/>.</summary>
    public float[] DecisionScores { get; private set; } = [];

    /// <summary>Number of features d; 0 before fitting.</summary>
    public int Features => _scaler?.Features ?? 0;

    /// <summary>True after <see cref="Fit(float[,])"/> or <see cref="Load"/>.</summary>
    public bool IsFitted => _scaler is not null;

    /// <summary>The feature scaling fitted on the training rows.</summary>
    public TableScaler Scaler => _scaler ?? throw NotFitted();

    /// <summary>Number of ensemble members.</summary>
    public int Members => _members.Count;

    /// <summary>Fits on rows <paramref name="x"/> [n, d] (n ≥ 2, finite values); returns this detector.</summary>
    public AnomalyDetector Fit(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fit(Flatten(x), x.GetLength(1));
    }

    /// <summary>Fits on a tensor <paramref name="x"/> [n, d].</summary>
    public AnomalyDetector Fit(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw new ArgumentException($"AnomalyDetector.Fit: x has shape {Shapes.Format(x.Shape)}, expected [n, d]", nameof(x));
        return Fit(x.Span, x.Shape[1]);
    }

    /// <summary>Fits on <paramref name="rows"/> ([n·d] row-major, <paramref name="features"/> = d).</summary>
    public AnomalyDetector Fit(ReadOnlySpan<float> rows, int features)
    {
        CheckRows(rows, features, "Fit");
        int n = rows.Length / features;
        if (n < 2) throw new ArgumentException($"AnomalyDetector.Fit: {n} row(s), expected at least 2", nameof(rows));
        var o = Options;
        _scaler = TableScaler.Fit(rows, features, o.Scaling, o.ScaleFloor);
        var train = new Dataset("anomaly-train", _scaler.Transform(rows), [features]);
        _members.Clear();
        ulong seed = o.Seed;
        foreach (double fraction in o.CodeFractions)
            for (int s = 0; s < o.Seeds; s++, seed++)
                _members.Add(FitMember(train, o.Architecture(fraction, features), seed));
        DecisionScores = Combine(train);
        var sorted = DecisionScores.Order().ToArray();
        Threshold = AnomalyMetrics.Quantile<float>(sorted, 1 - o.Contamination);
        _trainMin = sorted[0];
        _trainMax = sorted[^1];
        return this;
    }

    /// <summary>Anomaly scores of <paramref name="x"/> [n, d] → [n]; higher = more anomalous.</summary>
    public float[] DecisionFunction(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return DecisionFunction(Flatten(x), x.GetLength(1));
    }

    /// <summary>Anomaly scores of a tensor [n, d] → [n].</summary>
    public float[] DecisionFunction(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw new ArgumentException($"AnomalyDetector.DecisionFunction: x has shape {Shapes.Format(x.Shape)}, expected [n, d]", nameof(x));
        return DecisionFunction(x.Span, x.Shape[1]);
    }

    /// <summary>Anomaly scores of <paramref name="rows"/> ([n·d] row-major) → [n].</summary>
    public float[] DecisionFunction(ReadOnlySpan<float> rows, int features)
    {
        var scaler = Scaler;
        CheckRows(rows, features, "DecisionFunction");
        if (features != scaler.Features)
            throw new ArgumentException($"AnomalyDetector.DecisionFunction: rows have {features} features, the detector was fitted on {scaler.Features}", nameof(features));
        if (rows.Length == 0) return [];
        return Combine(new Dataset("anomaly-score", scaler.Transform(rows), [features]));
    }

    /// <summary>1 for rows whose score is above <see cref="Threshold"/> (anomalies), 0 otherwise, [n].</summary>
    public int[] Predict(float[,] x) => DecisionFunction(x).Select(s => s > Threshold ? 1 : 0).ToArray();

    /// <summary>1 for anomalies, 0 otherwise, for a tensor [n, d].</summary>
    public int[] Predict(Tensor x) => DecisionFunction(x).Select(s => s > Threshold ? 1 : 0).ToArray();

    /// <summary>
    /// [n, 2]: column 0 the probability of being normal, column 1 of being an anomaly, by PyOD's "linear" rule: the
    /// score min–max scaled by the training scores' range, clipped to [0, 1].
    /// </summary>
    public float[,] PredictProba(float[,] x) => Proba(DecisionFunction(x));

    /// <summary>[n, 2] probabilities (normal, anomaly) for a tensor [n, d].</summary>
    public float[,] PredictProba(Tensor x) => Proba(DecisionFunction(x));

    /// <summary>
    /// Writes the detector to the folder <paramref name="dir"/>: detector.json (options, scaling, threshold, each
    /// member's score statistics) and member0/, member1/, … model folders (model.json + model.safetensors).
    /// </summary>
    public void Save(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var scaler = Scaler;
        Directory.CreateDirectory(dir);
        var members = new List<MemberFile>();
        for (int m = 0; m < _members.Count; m++)
        {
            string sub = $"member{m}";
            var model = _members[m].Model;
            ModelFile.Save(Path.Combine(dir, sub), model, new ModelManifest
            {
                Model = model.Name, Options = model.Options.ToText(), CodeSize = model.CodeSize, InputShape = model.InputShape,
            });
            members.Add(new MemberFile(sub, _members[m].Mean, _members[m].Std));
        }
        var file = new DetectorFile(Format, FormatVersion, scaler.Features, Options, scaler.Center, scaler.Scale, Threshold, _trainMin, _trainMax, members);
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(file, Json) + "\n");
    }

    /// <summary>True when <paramref name="dir"/> holds a saved detector.</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, FileName));

    /// <summary>Reads a detector written by <see cref="Save"/>; InvalidModelFileException naming the file when it is not one.</summary>
    public static AnomalyDetector Load(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{dir}' is not an anomaly detector folder: it has no {FileName}", path);
        DetectorFile? file;
        try { file = JsonSerializer.Deserialize<DetectorFile>(File.ReadAllBytes(path), Json); }
        catch (JsonException e) { throw new InvalidModelFileException(path, $"not a valid detector file: {e.Message}", e); }
        if (file is null || file.Format != Format) throw new InvalidModelFileException(path, $"'format' is not {Format}");
        if (file.Version != FormatVersion) throw new InvalidModelFileException(path, $"version {file.Version}, this Latent reads {FormatVersion}");
        if (file.Options is null || file.Center is null || file.Scale is null || file.Members is null || file.Members.Count == 0)
            throw new InvalidModelFileException(path, "options, center, scale or members missing");
        if (file.Center.Length != file.Features || file.Scale.Length != file.Features)
            throw new InvalidModelFileException(path, $"{file.Center.Length} centers and {file.Scale.Length} scales for {file.Features} features");
        AnomalyDetector detector;
        try
        {
            detector = new AnomalyDetector(file.Options) { _scaler = new TableScaler(file.Center, file.Scale) };
        }
        catch (ArgumentException e) { throw new InvalidModelFileException(path, e.Message, e); }
        detector.Threshold = file.Threshold;
        detector._trainMin = file.TrainMin;
        detector._trainMax = file.TrainMax;
        foreach (var m in file.Members)
        {
            if (m.Dir.Contains('/') || m.Dir.Contains('\\') || m.Dir.Contains(".."))
                throw new InvalidModelFileException(path, $"member folder '{m.Dir}' must be a plain name");
            var (model, _) = ModelFile.Load(Path.Combine(dir, m.Dir));
            if (model.InputShape.Length != 1 || model.InputShape[0] != file.Features)
                throw new InvalidModelFileException(path, $"member '{m.Dir}' takes {Shapes.Format(model.InputShape)}, the detector has {file.Features} features");
            detector._members.Add(new Member(model, m.Mean, m.Std));
        }
        return detector;
    }

    private Member FitMember(Dataset train, string arch, ulong seed)
    {
        var o = Options;
        var model = ModelRegistry.Create(o.Model, new Dictionary<string, string> { ["arch"] = arch, ["output"] = "gaussian", ["hidden"] = "relu" },
            [train.SampleSize], new Rng(seed));
        TrainingOptions Schedule(int n) => new()
        {
            Epochs = Math.Clamp((int)Math.Ceiling((double)o.Steps * o.BatchSize / n), o.MinEpochs, Math.Max(o.MinEpochs, 1000)),
            BatchSize = o.BatchSize, LearningRate = o.LearningRate, Schedule = "constant", Seed = seed, CheckpointEvery = 0,
        };
        model.Train();
        Trainer.Fit(model, train, null, Schedule(train.Count));
        var kept = train;
        int rounds = o.TrimFraction > 0 ? o.TrimRounds : 0;
        for (int round = 0; round < rounds; round++)
        {
            // The training rows include the anomalies: refit (warm) on the rows the model reconstructs best.
            model.Eval();
            var errors = Evaluation.SquaredErrorPerSample(model, train);
            int keep = Math.Clamp((int)Math.Round((1 - o.TrimFraction) * train.Count), Math.Min(train.Count, 2), train.Count);
            var idx = Enumerable.Range(0, train.Count).OrderBy(i => errors[i]).ThenBy(i => i).Take(keep).ToArray();
            kept = train.Subset(idx, "anomaly-kept");
            model.Train();
            Trainer.Fit(model, kept, null, Schedule(kept.Count));
        }
        model.Eval();
        var keptErrors = Evaluation.SquaredErrorPerSample(model, kept);
        double mean = keptErrors.Average(e => (double)e) / train.SampleSize;
        double variance = keptErrors.Average(e => Math.Pow(e / train.SampleSize - mean, 2));
        double std = Math.Max(Math.Sqrt(variance), 1e-12 + 1e-6 * Math.Abs(mean));
        return new Member(model, mean, std);
    }

    /// <summary>Mean over members of (error/d − mean)/std, [Count].</summary>
    private float[] Combine(Dataset scaled)
    {
        int d = scaled.SampleSize;
        var total = new double[scaled.Count];
        foreach (var m in _members)
        {
            var errors = Evaluation.SquaredErrorPerSample(m.Model, scaled);
            for (int i = 0; i < total.Length; i++) total[i] += (errors[i] / d - m.Mean) / m.Std;
        }
        return total.Select(t => (float)(t / _members.Count)).ToArray();
    }

    private float[,] Proba(float[] scores)
    {
        var result = new float[scores.Length, 2];
        double range = _trainMax - _trainMin;
        for (int i = 0; i < scores.Length; i++)
        {
            double p = range > 0 ? Math.Clamp((scores[i] - _trainMin) / range, 0, 1) : scores[i] > Threshold ? 1 : 0;
            result[i, 0] = (float)(1 - p);
            result[i, 1] = (float)p;
        }
        return result;
    }

    private static void CheckRows(ReadOnlySpan<float> rows, int features, string op)
    {
        if (features <= 0) throw new ArgumentException($"AnomalyDetector.{op}: features {features} must be positive", nameof(features));
        if (rows.Length % features != 0)
            throw new ArgumentException($"AnomalyDetector.{op}: {rows.Length} values are not a whole number of rows of {features} features", nameof(rows));
        for (int i = 0; i < rows.Length; i++)
            if (!float.IsFinite(rows[i]))
                throw new ArgumentException($"AnomalyDetector.{op}: row {i / features}, feature {i % features} is {rows[i]}: expected finite values", nameof(rows));
    }

    private static float[] Flatten(float[,] x)
    {
        var flat = new float[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, x.Length * sizeof(float));
        return flat;
    }

    private static InvalidOperationException NotFitted() => new("AnomalyDetector: call Fit (or Load) before scoring");

    private sealed record Member(AutoencoderModel Model, double Mean, double Std);

    private sealed record MemberFile(string Dir, double Mean, double Std);

    private sealed record DetectorFile(string Format, int Version, int Features, AnomalyDetectorOptions Options, float[] Center, float[] Scale,
        double Threshold, float TrainMin, float TrainMax, List<MemberFile> Members);
}
