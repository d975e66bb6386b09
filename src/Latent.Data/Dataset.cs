using Latent.Core;

namespace Latent.Data;

/// <summary>
/// An in-memory dataset: <see cref="Count"/> samples of shape <see cref="SampleShape"/> stored row after row
/// in <see cref="X"/> (images as [C,H,W] with values in [0,1]; tables as [features]), with optional labels.
/// </summary>
public sealed class Dataset
{
    /// <summary>A dataset over <paramref name="x"/> (not copied).</summary>
    public Dataset(string name, float[] x, int[] sampleShape, int[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        int per = Shapes.Size(sampleShape);
        if (per <= 0 || x.Length % per != 0)
            throw new ArgumentException($"Dataset '{name}': {x.Length} values do not divide into samples of shape {Shapes.Format(sampleShape)}", nameof(x));
        Count = x.Length / per;
        if (labels is not null && labels.Length != Count)
            throw new ArgumentException($"Dataset '{name}': {labels.Length} labels for {Count} samples", nameof(labels));
        Name = name;
        X = x;
        SampleShape = (int[])sampleShape.Clone();
        Labels = labels;
    }

    /// <summary>Where the data came from ("fashion-mnist/train", a file path).</summary>
    public string Name { get; }

    /// <summary>All samples, row-major: sample i is X[i*SampleSize .. (i+1)*SampleSize).</summary>
    public float[] X { get; }

    /// <summary>Shape of one sample ([1,28,28], [d]).</summary>
    public int[] SampleShape { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Elements per sample.</summary>
    public int SampleSize => Shapes.Size(SampleShape);

    /// <summary>Integer class labels, one per sample, or null.</summary>
    public int[]? Labels { get; }

    /// <summary>The samples at <paramref name="indices"/> as a tensor [indices.Length, ...SampleShape].</summary>
    public Tensor Batch(ReadOnlySpan<int> indices)
    {
        int per = SampleSize;
        var data = new float[indices.Length * per];
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Batch: index {k} outside dataset '{Name}' of {Count} samples");
            Array.Copy(X, (long)k * per, data, (long)i * per, per);
        }
        return new Tensor(data, [indices.Length, .. SampleShape]);
    }

    /// <summary>A new dataset holding copies of the samples at <paramref name="indices"/>.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var batch = Batch(indices);
        int[]? labels = null;
        if (Labels is not null)
        {
            labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = Labels[indices[i]];
        }
        return new Dataset(name ?? Name, batch.ToArray(), SampleShape, labels);
    }
}
