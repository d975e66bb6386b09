using System.Globalization;
using Latent.Core;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Latent.MLNet.Tests;

/// <summary>The Latent stage in a real ML.NET pipeline: CSV → normalise → Latent autoencoder → anomaly evaluation; save and load.</summary>
public sealed class LatentAutoencoderEstimatorTests
{
    private const int Features = 8;

    /// <summary>
    /// A table of <paramref name="normal"/> rows on a 2-D plane in 8-D (plus a little noise) and <paramref name="anomalies"/>
    /// rows off it, shuffled; columns: label (1 = anomaly), f0..f7, on a scale of tens so that normalising matters.
    /// </summary>
    private static string WriteCsv(int normal, int anomalies, ulong seed)
    {
        var rng = new Random((int)seed);
        var basis = new double[2, Features];
        for (int k = 0; k < 2; k++) for (int j = 0; j < Features; j++) basis[k, j] = rng.NextDouble() * 2 - 1;
        var lines = new List<string>();
        for (int i = 0; i < normal + anomalies; i++)
        {
            bool anomaly = i >= normal;
            double a = rng.NextDouble() * 2 - 1, b = rng.NextDouble() * 2 - 1;
            var row = new string[Features];
            for (int j = 0; j < Features; j++)
            {
                double v = a * basis[0, j] + b * basis[1, j] + 0.02 * (rng.NextDouble() - 0.5);
                if (anomaly) v = rng.NextDouble() * 2 - 1;
                row[j] = (10 * v + 50).ToString("R", CultureInfo.InvariantCulture);
            }
            lines.Add((anomaly ? "1" : "0") + "," + string.Join(",", row));
        }
        var shuffled = lines.OrderBy(_ => rng.Next()).ToList();
        string path = Path.Combine(Path.GetTempPath(), $"latent-mlnet-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["label," + string.Join(",", Enumerable.Range(0, Features).Select(j => $"f{j}")), .. shuffled]);
        return path;
    }

    private static IDataView Load(MLContext ml, string csv) => ml.Data.LoadFromTextFile(csv,
        [new TextLoader.Column("Label", DataKind.Single, 0), new TextLoader.Column("Features", DataKind.Single, 1, Features)],
        separatorChar: ',', hasHeader: true);

    [Fact]
    public void A_pipeline_from_csv_to_anomaly_evaluation_finds_the_anomalies_and_survives_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        string csv = WriteCsv(400, 20, 3);
        var data = Load(ml, csv);
        var latent = ml.Transforms.LatentAutoencoder(new LatentAutoencoderOptions { CodeSize = 2, HiddenSize = 16, Epochs = 100, LearningRate = 1e-2f, Contamination = 0.05 });
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(latent);
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["Code"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["ReconstructionError"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["IsAnomaly"].Type);

        var metrics = ml.AnomalyDetection.Evaluate(scored, labelColumnName: "Label", scoreColumnName: "Score", predictedLabelColumnName: "IsAnomaly");
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve}");
        var flagged = scored.GetColumn<bool>("IsAnomaly").ToArray();
        var labels = scored.GetColumn<float>("Label").Select(l => l > 0).ToArray();
        Assert.InRange(flagged.Where((f, i) => !labels[i]).Count(f => f), 0, 40);   // about 5% of the 400 normal rows
        Assert.True(flagged.Where((f, i) => labels[i]).Count(f => f) >= 15, "most anomalies are flagged");

        // Save with the ML.NET model, load in a fresh context: the same columns and values.
        string path = Path.Combine(Path.GetTempPath(), $"latent-mlnet-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, data.Schema, path);
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out var schema);
        Assert.Equal(Features, ((VectorDataViewType)schema["Features"].Type).Size);
        var again = loaded.Transform(Load(fresh, csv));
        Assert.Equal(scored.GetColumn<float>("Score").ToArray(), again.GetColumn<float>("Score").ToArray());
        Assert.Equal(scored.GetColumn<float[]>("Code").SelectMany(c => c).ToArray(), again.GetColumn<float[]>("Code").SelectMany(c => c).ToArray());
        Assert.Equal(flagged, again.GetColumn<bool>("IsAnomaly").ToArray());
        File.Delete(path);
        File.Delete(csv);
    }

    [Fact]
    public void The_columns_are_latents_code_and_error_with_the_threshold_of_the_training_rows()
    {
        var ml = new MLContext(seed: 1);
        string csv = WriteCsv(200, 10, 5);
        var data = ml.Transforms.NormalizeMeanVariance("Features").Fit(Load(ml, csv)).Transform(Load(ml, csv));
        var estimator = ml.Transforms.LatentAutoencoder(new LatentAutoencoderOptions
        {
            CodeSize = 3, Epochs = 5, Contamination = 0.1, CodeColumnName = "Z", ScoreColumnName = "AnomalyScore", PredictedLabelColumnName = "Flag",
        });
        var scored = estimator.Fit(data).Transform(data);
        var model = estimator.TrainedModel!;
        var features = data.GetColumn<float[]>("Features").ToArray();
        var x = Tensor.FromArray(features.SelectMany(f => f).ToArray(), features.Length, Features);
        float[] code, error;
        using (Tensor.NoGrad())
        {
            code = model.Encode(x).ToArray();
            error = (x - model.Reconstruct(x)).Square().Sum(1).ToArray();
        }
        var z = scored.GetColumn<float[]>("Z").SelectMany(c => c).ToArray();
        var score = scored.GetColumn<float>("AnomalyScore").ToArray();
        Assert.Equal(code.Length, z.Length);
        Assert.True(code.Zip(z).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5 * code.Max(Math.Abs), "code");
        Assert.True(error.Zip(score).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5 * error.Max(), "score");
        Assert.Equal(score, scored.GetColumn<float>("ReconstructionError").ToArray());
        Assert.Equal(score.Select(s => s > estimator.Threshold).ToArray(), scored.GetColumn<bool>("Flag").ToArray());
        // The threshold is the 90% quantile of the training rows' errors: about a tenth of them lie above it.
        Assert.InRange(score.Count(s => s > estimator.Threshold), 15, 27);
        File.Delete(csv);
    }

    [Fact]
    public void A_missing_or_scalar_feature_column_is_named_in_one_line()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Value = 1f } });
        var missing = Assert.Throws<ArgumentException>(() => ml.Transforms.LatentAutoencoder("Features").Fit(data));
        Assert.Contains("no column 'Features'", missing.Message);
        var scalar = Assert.Throws<ArgumentException>(() => ml.Transforms.LatentAutoencoder("Value").Fit(data));
        Assert.Contains("'Value'", scalar.Message);

        Assert.Throws<ArgumentException>(() => ml.Transforms.LatentAutoencoder(contamination: 1.5));
    }

    private sealed class ScalarRow
    {
        public float Value { get; set; }
    }
}
