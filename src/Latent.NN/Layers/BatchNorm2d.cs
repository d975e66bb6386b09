namespace Latent.NN.Layers;

/// <summary>torch.nn.BatchNorm2d: x [N, C, H, W], normalised per channel over N, H, W. See <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm("BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank == 4;

    /// <inheritdoc />
    protected override string Layout => "[N,C,H,W]";
}
