using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Latent.NN;
using Latent.NN.Layers;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.Metrics;

/// <summary>
/// A small classifier whose penultimate layer is the feature space of <see cref="SampleQuality"/>: an MLP
/// x [B, ...InputShape] → flatten → Linear, ReLU (one per hidden size) → features φ(x) [B, F] → Linear → logits [B, C],
/// trained by cross-entropy on a labelled dataset through <see cref="Trainer.Fit"/> (the labels arrive as
/// <see cref="TrainingContext.Labels"/>). It plays the part Inception-v3's pool features play in FID (Heusel et al. 2017),
/// on the dataset itself, so the Fréchet distance it gives is comparable only between runs that use the same classifier
/// (same data, hidden sizes, epochs and seed).
/// </summary>
public sealed class FeatureClassifier : Module
{
    /// <summary>A classifier of samples <paramref name="inputShape"/> into <paramref name="classes"/> classes with hidden layers <paramref name="hidden"/> (the last is the feature width F).</summary>
    public FeatureClassifier(int[] inputShape, int classes, int[] hidden, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rng);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"FeatureClassifier: input shape {Shapes.Format(inputShape)} must be non-empty with positive dimensions", nameof(inputShape));
        if (classes < 2) throw new ArgumentException($"FeatureClassifier: classes {classes} must be >= 2", nameof(classes));
        if (hidden.Length == 0 || hidden.Any(h => h <= 0))
            throw new ArgumentException($"FeatureClassifier: hidden sizes [{string.Join(",", hidden)}] must be one or more positive widths", nameof(hidden));
        InputShape = (int[])inputShape.Clone();
        Classes = classes;
        int size = Shapes.Size(inputShape);
        var body = new Sequential(new BatchReshape([size]));
        foreach (int h in hidden)
        {
            body.Append(new Linear(size, h, rng));
            body.Append(Activation.Relu());
            size = h;
        }
        Body = Add("body", body);
        Head = Add("head", new Linear(size, classes, rng));
        FeatureSize = size;
    }

    /// <summary>Shape of one sample.</summary>
    public int[] InputShape { get; }

    /// <summary>C.</summary>
    public int Classes { get; }

    /// <summary>F, the width of <see cref="Features(Tensor)"/>.</summary>
    public int FeatureSize { get; }

    /// <summary>x [B, ...InputShape] → φ(x) [B, F] (after the last ReLU).</summary>
    public Sequential Body { get; }

    /// <summary>φ [B, F] → logits [B, C].</summary>
    public Linear Head { get; }

    /// <summary>Logits [B, C] of x [B, ...InputShape].</summary>
    public Tensor Logits(Tensor x) => Head.Forward(Body.Forward(Check(x)));

    /// <summary>The penultimate features φ(x) [B, F] of x [B, ...InputShape], computed in evaluation mode without gradients, in batches of 256.</summary>
    public Tensor Features(Tensor x)
    {
        Check(x);
        int n = x.Shape[0];
        var result = new float[n * FeatureSize];
        bool wasTraining = Training;
        Eval();
        try
        {
            using (Tensor.NoGrad())
                for (int start = 0; start < n; start += 256)
                {
                    int count = Math.Min(256, n - start);
                    Body.Forward(x.Narrow(0, start, count)).Span.CopyTo(result.AsSpan(start * FeatureSize, count * FeatureSize));
                }
        }
        finally
        {
            Train(wasTraining);
        }
        return new Tensor(result, [n, FeatureSize]);
    }

    /// <summary>The training objective "feature-classifier": mean cross-entropy of the batch's labels (nats), with the error rate as an extra term.</summary>
    public Objective Objective() => new("feature-classifier", $"hidden={FeatureSize} classes={Classes}", InputShape, [("classifier", this)], (x, ctx) =>
    {
        var labels = ctx.Labels
            ?? throw new ArgumentException("FeatureClassifier: the data has no class labels; the classifier trains on a labelled dataset", nameof(ctx));
        var logits = Logits(x);
        var loss = NnLoss.CrossEntropy(logits, labels);
        return new LossTerms(loss, loss).With("error", Tensor.Scalar((float)(1 - Accuracy(logits, labels))));
    });

    /// <summary>Trains on <paramref name="train"/> (which must have labels in [0, C)) with <paramref name="options"/> through <see cref="Trainer.Fit"/>; returns the result.</summary>
    public TrainingResult Fit(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (train.Labels is null)
            throw new ArgumentException($"FeatureClassifier: dataset '{train.Name}' has no class labels", nameof(train));
        int bad = Array.FindIndex(train.Labels, y => (uint)y >= (uint)Classes);
        if (bad >= 0)
            throw new ArgumentException($"FeatureClassifier: dataset '{train.Name}' sample {bad} has label {train.Labels[bad]} outside [0, {Classes})", nameof(train));
        var result = Trainer.Fit(Objective(), train, null, options, progress, cancellationToken);
        Eval();
        return result;
    }

    /// <summary>The fraction of <paramref name="data"/>'s samples whose arg-max class equals the label.</summary>
    public double Accuracy(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is null) throw new ArgumentException($"FeatureClassifier: dataset '{data.Name}' has no class labels", nameof(data));
        int correct = 0;
        bool wasTraining = Training;
        Eval();
        try
        {
            using (Tensor.NoGrad())
                for (int start = 0; start < data.Count; start += 256)
                {
                    int count = Math.Min(256, data.Count - start);
                    var idx = Enumerable.Range(start, count).ToArray();
                    correct += (int)Math.Round(Accuracy(Logits(data.Batch(idx)), data.Labels.AsSpan(start, count).ToArray()) * count);
                }
        }
        finally
        {
            Train(wasTraining);
        }
        return (double)correct / data.Count;
    }

    private static double Accuracy(Tensor logits, int[] labels)
    {
        ReadOnlySpan<float> s = logits.Span;
        int c = logits.Shape[1], correct = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            int best = 0;
            for (int k = 1; k < c; k++) if (s[b * c + k] > s[b * c + best]) best = k;
            if (best == labels[b]) correct++;
        }
        return labels.Length == 0 ? 0 : (double)correct / labels.Length;
    }

    private Tensor Check(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != InputShape.Length + 1 || !Shapes.Equal(x.Shape.AsSpan(1), InputShape))
            throw new ArgumentException($"FeatureClassifier: input {Shapes.Format(x.Shape)} is not [B,{string.Join(",", InputShape)}]", nameof(x));
        return x;
    }
}
