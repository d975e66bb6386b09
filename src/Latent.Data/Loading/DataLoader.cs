using Latent.Core;

namespace Latent.Data.Loading;

/// <summary>
/// Iterates a dataset in mini-batches. Each call to <see cref="Epoch"/> optionally reshuffles one order array in
/// place with the loader's <see cref="Rng"/> (no index arrays are allocated per epoch), then yields batches of
/// <see cref="BatchSize"/> samples (the last one smaller unless <see cref="DropLast"/>).
/// </summary>
public sealed class DataLoader
{
    private readonly int[] _order;
    private readonly Rng? _rng;

    /// <summary>A loader over <paramref name="data"/>; <paramref name="shuffle"/> needs <paramref name="rng"/> (or uses Rng(0)).</summary>
    public DataLoader(Dataset data, int batchSize, bool shuffle = false, bool dropLast = false, Rng? rng = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"DataLoader: batch size {batchSize} must be >= 1");
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _rng = shuffle ? rng ?? new Rng(0) : null;
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
    }

    /// <summary>The dataset.</summary>
    public Dataset Data { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch reshuffles.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an incomplete last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => DropLast ? Data.Count / BatchSize : (Data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch (reshuffled first when <see cref="Shuffle"/>).</summary>
    public IEnumerable<DataBatch> Epoch()
    {
        if (_rng is not null)
        {
            // Fisher–Yates in place on the persistent order array.
            for (int i = _order.Length - 1; i > 0; i--)
            {
                int j = _rng.NextInt(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }
        return Batches();
    }

    private IEnumerable<DataBatch> Batches()
    {
        int n = BatchCount;
        for (int b = 0; b < n; b++)
        {
            int start = b * BatchSize, len = Math.Min(BatchSize, _order.Length - start);
            var idx = new ReadOnlyMemory<int>(_order, start, len);
            int[]? labels = null;
            if (Data.Labels is not null)
            {
                labels = new int[len];
                for (int i = 0; i < len; i++) labels[i] = Data.Labels[_order[start + i]];
            }
            yield return new DataBatch(Data.Batch(idx.Span), labels, idx);
        }
    }
}
