using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Export;
using Latent.Models.IO;
using Latent.Models.Runs;
using Latent.Models.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Latent.MLNet;

/// <summary>
/// An ML.NET estimator that fits a Latent autoencoder on a feature column (a known-size vector of Single) and gives a
/// transformer adding the code, the reconstruction error Σᵢ (xᵢ − x̂ᵢ)², the anomaly score (that error) and whether it
/// exceeds the (1 − contamination) quantile of the training rows' errors.
/// </summary>
/// <remarks>
/// The fitted transformer is ML.NET's own ONNX transformer running the model's scorer graph (written by
/// <see cref="OnnxExporter.ExportScorer"/>), a stateless custom mapping (<see cref="ScoreScalarsFactory"/>) and column
/// copies: <c>mlContext.Model.Save</c> stores the trained weights inside the model file, and <c>mlContext.Model.Load</c>
/// finds the mapping by its contract name in this assembly. (ML.NET keeps the members a third-party transformer would
/// need to save its own state internal.) The application references an ONNX Runtime native package,
/// <c>Microsoft.ML.OnnxRuntime</c> for CPU, as for any ONNX model in ML.NET.
/// </remarks>
public sealed class LatentAutoencoderEstimator : IEstimator<ITransformer>
{
    private readonly LatentAutoencoderOptions _options;

    /// <summary>An estimator with <paramref name="options"/> (validated here).</summary>
    public LatentAutoencoderEstimator(LatentAutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The Latent model trained by the last <see cref="Fit"/>, or null before it.</summary>
    public AutoencoderModel? TrainedModel { get; private set; }

    /// <summary>The anomaly threshold found by the last <see cref="Fit"/>.</summary>
    public float Threshold { get; private set; }

    /// <summary>Reads the feature column of <paramref name="input"/>, trains the autoencoder and returns the scoring transformer.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (rows, size) = ReadFeatures(input);
        var data = new Dataset("ml.net", rows, [size]);
        var model = CreateModel(size);
        Trainer.Fit(model, data, null, new TrainingOptions
        {
            Epochs = _options.Epochs,
            BatchSize = Math.Min(_options.BatchSize, data.Count),
            LearningRate = _options.LearningRate,
            Seed = _options.Seed,
        });
        model.Eval();
        var errors = Errors(model, data);
        float threshold = (float)ModelManifest.QuantileOf(TrainingRun.Quantiles(errors, TrainingRun.ScoreQuantiles), 1 - _options.Contamination);
        TrainedModel = model;
        Threshold = threshold;

        return ScoringPipeline(model, threshold).Fit(input);
    }

    /// <summary>The input schema plus the added columns; ArgumentException when the feature column is missing or not a known-size vector of Single.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var column = inputSchema.FirstOrDefault(c => c.Name == _options.FeatureColumnName);
        if (column.Name is null)
            throw new ArgumentException($"LatentAutoencoder: the input has no column '{_options.FeatureColumnName}'", nameof(inputSchema));
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentException($"LatentAutoencoder: column '{_options.FeatureColumnName}' is {column.Kind} of {column.ItemType}, expected a known-size vector of Single", nameof(inputSchema));
        // The added columns are those of the scoring pipeline, whatever the weights: ask it, with an untrained model (a
        // schema shape has no vector sizes, so the input size is the architecture's or 1).
        int size = _options.Settings.TryGetValue("arch", out var arch) && int.TryParse(arch.Split('-')[0], out int n) ? n : 1;
        return ScoringPipeline(CreateModel(size), 0f).GetOutputSchema(inputSchema);
    }

    /// <summary>The model of <see cref="LatentAutoencoderOptions.Model"/> for rows of <paramref name="size"/> features ("arch" and "output" defaulted).</summary>
    private AutoencoderModel CreateModel(int size)
    {
        var settings = new Dictionary<string, string>(_options.Settings, StringComparer.OrdinalIgnoreCase);
        settings.TryAdd("arch", $"{size}-{_options.HiddenSize}-{_options.CodeSize}");
        settings.TryAdd("output", "gaussian");
        return ModelRegistry.Create(_options.Model, settings, [size], new Rng(_options.Seed));
    }

    /// <summary>
    /// ML.NET's ONNX transformer on the model's scorer graph (columns by name; the error and flag come out as vectors of
    /// length 1), the custom mapping that makes them scalars, then copies under the configured names.
    /// </summary>
    private IEstimator<ITransformer> ScoringPipeline(AutoencoderModel model, float threshold)
    {
        var onnx = OnnxExporter.ExportScorer(model, threshold,
            new OnnxScorerNames(_options.FeatureColumnName, _options.CodeColumnName, nameof(ScoreVectors.LatentErrorVector), nameof(ScoreVectors.LatentFlagVector)));
        var ml = new MLContext(seed: (int)(_options.Seed % int.MaxValue));
        return ml.Transforms.ApplyOnnxModel(
                outputColumnNames: [_options.CodeColumnName, nameof(ScoreVectors.LatentErrorVector), nameof(ScoreVectors.LatentFlagVector)],
                inputColumnNames: [_options.FeatureColumnName],
                modelBytes: new MemoryStream(onnx))
            .Append(ml.Transforms.CustomMapping<ScoreVectors, ScoreScalars>(ScoreScalarsFactory.Map, ScoreScalarsFactory.ContractName))
            .Append(ml.Transforms.CopyColumns(_options.ReconstructionErrorColumnName, nameof(ScoreScalars.LatentError)))
            .Append(ml.Transforms.CopyColumns(_options.ScoreColumnName, nameof(ScoreScalars.LatentError)))
            .Append(ml.Transforms.CopyColumns(_options.PredictedLabelColumnName, nameof(ScoreScalars.LatentFlag)))
            .Append(ml.Transforms.DropColumns(nameof(ScoreVectors.LatentErrorVector), nameof(ScoreVectors.LatentFlagVector),
                nameof(ScoreScalars.LatentError), nameof(ScoreScalars.LatentFlag)));
    }

    private (float[] Rows, int Size) ReadFeatures(IDataView input)
    {
        var column = input.Schema.GetColumnOrNull(_options.FeatureColumnName)
            ?? throw new ArgumentException($"LatentAutoencoder: the input has no column '{_options.FeatureColumnName}'", nameof(input));
        if (column.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: true, Size: var size } || item != NumberDataViewType.Single)
            throw new ArgumentException($"LatentAutoencoder: column '{_options.FeatureColumnName}' is {column.Type}, expected a known-size vector of Single", nameof(input));
        var values = new List<float>();
        using (var cursor = input.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                foreach (float v in buffer.DenseValues()) values.Add(v);
            }
        }
        if (values.Count == 0) throw new ArgumentException($"LatentAutoencoder: the input has no rows", nameof(input));
        return (values.ToArray(), size);
    }

    private static float[] Errors(AutoencoderModel model, Dataset data)
    {
        var errors = new float[data.Count];
        using var _ = Tensor.NoGrad();
        for (int start = 0; start < data.Count; start += 256)
        {
            var idx = Enumerable.Range(start, Math.Min(256, data.Count - start)).ToArray();
            var x = data.Batch(idx);
            var r = model.Reconstruct(x);
            var d = (x - r).Square().Reshape(idx.Length, -1).Sum(1).ToArray();
            d.CopyTo(errors, start);
        }
        return errors;
    }
}
