using Latent.Core;
using Latent.Data.Rows;

namespace Latent.Data;

/// <summary>
/// A dataset: <see cref="Count"/> samples of shape <see cref="SampleShape"/> stored row after row in <see cref="X"/>
/// (images as [C,H,W] with values in [0,1]; tables as [features]), with optional labels. A dataset made over an
/// <see cref="IRowSource"/> (a file with row-level random access) holds no samples: <see cref="Batch"/> and
/// <see cref="Subset"/> read or select only the rows asked for, and <see cref="X"/> reads them all on first use.
/// </summary>
public sealed class Dataset
{
    private readonly IRowSource? _rows;
    private float[]? _x;

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
        _x = x;
        SampleShape = (int[])sampleShape.Clone();
        Labels = labels;
    }

    /// <summary>
    /// A dataset whose samples stay in <paramref name="rows"/> and are read when asked for (<see cref="Batch"/>), so that
    /// a process holds only the rows it uses (a data-parallel rank: those of its shards). Labels, if any, are in memory.
    /// </summary>
    public Dataset(string name, IRowSource rows, int[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var shape = rows.SampleShape;
        if (Shapes.Size(shape) <= 0)
            throw new ArgumentException($"Dataset '{name}': rows of shape {Shapes.Format(shape)} hold no values", nameof(rows));
        Count = rows.Count;
        if (labels is not null && labels.Length != Count)
            throw new ArgumentException($"Dataset '{name}': {labels.Length} labels for {Count} samples", nameof(labels));
        Name = name;
        _rows = rows;
        SampleShape = (int[])shape.Clone();
        Labels = labels;
    }

    /// <summary>Where the data came from ("fashion-mnist/train", a file path).</summary>
    public string Name { get; }

    /// <summary>
    /// All samples, row-major: sample i is X[i*SampleSize .. (i+1)*SampleSize). A dataset read on demand
    /// (<see cref="OnDemand"/>) reads every row the first time this is used and keeps them.
    /// </summary>
    public float[] X => _x ?? LazyInitializer.EnsureInitialized(ref _x, ReadAll);

    /// <summary>True while the samples are read from an <see cref="IRowSource"/> when asked for, not held in memory.</summary>
    public bool OnDemand => _x is null;

    /// <summary>This dataset when its samples are in memory, else a copy that reads them all now (metadata kept).</summary>
    public Dataset InMemory() => _x is not null ? this : Share(X);

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
        var x = _x; // read once: another thread may materialise X meanwhile
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Batch: index {k} outside dataset '{Name}' of {Count} samples");
            if (x is not null) Array.Copy(x, (long)k * per, data, (long)i * per, per);
        }
        if (x is null) _rows!.Read(indices, data);
        return new Tensor(data, [indices.Length, .. SampleShape]);
    }

    /// <summary>
    /// A new dataset holding copies of the samples at <paramref name="indices"/>; for a dataset read on demand, a
    /// selection of the same rows, still read on demand (<see cref="InMemory"/> copies it).
    /// </summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        if (_x is null)
            for (int i = 0; i < indices.Length; i++)
                if ((uint)indices[i] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Subset: index {indices[i]} outside dataset '{Name}' of {Count} samples");
        var batch = _x is null ? null : Batch(indices);
        int[]? labels = null;
        if (Labels is not null)
        {
            labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = Labels[indices[i]];
        }
        float[]? factors = null;
        if (Factors is not null)
        {
            int k = FactorNames!.Length;
            factors = new float[indices.Length * k];
            for (int i = 0; i < indices.Length; i++) Array.Copy(Factors, (long)indices[i] * k, factors, (long)i * k, k);
        }
        if (batch is null)
        {
            return new Dataset(name ?? Name, new RowSelection(_rows!, indices.ToArray(), name ?? Name), labels)
            {
                Description = Description,
                Factors = factors,
                FactorNames = FactorNames,
                FactorSizes = FactorSizes,
            };
        }
        return new Dataset(name ?? Name, batch.ToArray(), SampleShape, labels)
        {
            Description = Description,
            Factors = factors,
            FactorNames = FactorNames,
            FactorSizes = FactorSizes,
        };
    }

    // ---- optional metadata ------------------------------------------------------------------------

    /// <summary>A human-readable note on where the samples came from and how they were split (or null).</summary>
    public string? Description { get; private init; }

    /// <summary>
    /// Ground-truth generative factors as factor indices, row-major [Count, FactorNames.Length] (generated
    /// datasets such as sprites), or null. Entry [i, j] is in 0 .. FactorSizes[j]-1.
    /// </summary>
    public float[]? Factors { get; private init; }

    /// <summary>Names of the factor columns ("shape", "scale", ...), or null when there are no factors.</summary>
    public string[]? FactorNames { get; private init; }

    /// <summary>Number of distinct values of each factor (its cardinality), or null when there are no factors.</summary>
    public int[]? FactorSizes { get; private init; }

    /// <summary>Factor <paramref name="factor"/> of sample <paramref name="index"/>.</summary>
    public float Factor(int index, int factor)
    {
        if (Factors is null) throw new InvalidOperationException($"Dataset '{Name}' has no ground-truth factors");
        int k = FactorNames!.Length;
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"Factor: sample {index} outside dataset '{Name}' of {Count} samples");
        if ((uint)factor >= (uint)k) throw new ArgumentOutOfRangeException(nameof(factor), $"Factor: factor {factor} outside 0..{k - 1}");
        return Factors[index * k + factor];
    }

    /// <summary>The same samples (shared, not copied) with <see cref="Description"/> set.</summary>
    public Dataset WithDescription(string? description) =>
        new(this) { Description = description, Factors = Factors, FactorNames = FactorNames, FactorSizes = FactorSizes };

    /// <summary>
    /// The same samples (shared, not copied) with ground-truth factors: <paramref name="factors"/> is
    /// [Count, names.Length] row-major, each value an index in 0 .. sizes[j]-1.
    /// </summary>
    public Dataset WithFactors(float[] factors, string[] names, int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sizes);
        if (names.Length == 0 || sizes.Length != names.Length)
            throw new ArgumentException($"WithFactors: {names.Length} names and {sizes.Length} sizes", nameof(sizes));
        if (factors.Length != (long)Count * names.Length)
            throw new ArgumentException($"WithFactors: {factors.Length} values for {Count} samples x {names.Length} factors", nameof(factors));
        for (int i = 0; i < factors.Length; i++)
        {
            int j = i % names.Length;
            float v = factors[i];
            if (!(v >= 0 && v < sizes[j]) || v != MathF.Floor(v))
                throw new ArgumentException($"WithFactors: value {v} of factor '{names[j]}' (sample {i / names.Length}) is not an index in 0..{sizes[j] - 1}", nameof(factors));
        }
        return new Dataset(this)
        {
            Description = Description,
            Factors = factors,
            FactorNames = (string[])names.Clone(),
            FactorSizes = (int[])sizes.Clone(),
        };
    }

    // The same samples (the array, or the row source while nothing is read), without metadata.
    private Dataset(Dataset other)
    {
        Name = other.Name;
        _x = other._x;
        _rows = other._x is null ? other._rows : null;
        SampleShape = (int[])other.SampleShape.Clone();
        Count = other.Count;
        Labels = other.Labels;
    }

    private Dataset Share(float[] x) =>
        new(Name, x, SampleShape, Labels) { Description = Description, Factors = Factors, FactorNames = FactorNames, FactorSizes = FactorSizes };

    private float[] ReadAll()
    {
        int per = SampleSize;
        var x = new float[(long)Count * per];
        const int Block = 4096;
        var index = new int[Math.Min(Block, Count)];
        for (int start = 0; start < Count; start += Block)
        {
            int n = Math.Min(Block, Count - start);
            for (int i = 0; i < n; i++) index[i] = start + i;
            _rows!.Read(index.AsSpan(0, n), x.AsSpan(start * per, n * per));
        }
        return x;
    }
}
