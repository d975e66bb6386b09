using Latent.Data.Download;

namespace Latent.Data.Named;

/// <summary>
/// A named IDX image dataset: its four files (IDX, gzip), where to download them and how to verify them.
/// </summary>
/// <param name="Name">CLI name ("mnist", "fashion-mnist").</param>
/// <param name="TrainImages">Training images file.</param>
/// <param name="TrainLabels">Training labels file.</param>
/// <param name="TestImages">Test images file.</param>
/// <param name="TestLabels">Test labels file.</param>
/// <param name="Mirrors">Base URLs, tried in order.</param>
/// <param name="TestOnlyTrainCount">When not null and only the test files exist, train = the first this-many test
/// images and test = the rest (MNIST: 8,000 / 2,000).</param>
/// <param name="ClassNames">What each label means, indexed by label ("T-shirt/top" for 0 in Fashion-MNIST), or null.</param>
public sealed record NamedDatasetSpec(
    string Name,
    RemoteFile TrainImages,
    RemoteFile TrainLabels,
    RemoteFile TestImages,
    RemoteFile TestLabels,
    IReadOnlyList<Uri> Mirrors,
    int? TestOnlyTrainCount = null,
    IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>The four files, train first.</summary>
    public IReadOnlyList<RemoteFile> Files => [TrainImages, TrainLabels, TestImages, TestLabels];
}
