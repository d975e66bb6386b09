namespace Latent.NN.Layers;

/// <summary>torch.nn.BatchNorm1d: x [N, C] or [N, C, L], normalised per channel over N (and L). See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm("BatchNorm1d", numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;

    /// <inheritdoc />
    protected override string Layout => "[N,C] or [N,C,L]";
}
