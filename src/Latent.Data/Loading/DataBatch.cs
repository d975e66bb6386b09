using Latent.Core;

namespace Latent.Data.Loading;

/// <summary>One mini-batch from a <see cref="DataLoader"/>.</summary>
/// <param name="X">The samples, [B, ...SampleShape].</param>
/// <param name="Labels">Their labels [B], or null when the dataset has none.</param>
/// <param name="Indices">Their indices in the dataset. A view of the loader's order array: valid until the next epoch starts.</param>
public sealed record DataBatch(Tensor X, int[]? Labels, ReadOnlyMemory<int> Indices)
{
    /// <summary>Number of samples in the batch.</summary>
    public int Size => Indices.Length;
}
