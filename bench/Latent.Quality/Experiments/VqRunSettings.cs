namespace Latent.Quality.Experiments;

/// <summary>Settings of one VQ-VAE / VQ-VAE-2 evidence run on Fashion-MNIST (the vq section).</summary>
internal sealed record VqRunSettings
{
    public required string Model { get; init; }
    public IReadOnlyDictionary<string, string> ModelOptions { get; init; } = new Dictionary<string, string>();
    public string Tag { get; init; } = "";
    public int Epochs { get; init; } = 5;
    /// <summary>Stop training cleanly after this many seconds (0 = no limit); the partial epoch's steps count.</summary>
    public double BudgetSeconds { get; init; }
    public int TrainCount { get; init; } = 60000;
    /// <summary>Test images scored (all 10,000 by default).</summary>
    public int TestCount { get; init; } = 10000;
    public int Batch { get; init; } = 64;
    public float LearningRate { get; init; } = 1e-3f;
    public ulong Seed { get; init; } = 1;
    /// <summary>Print the test reconstruction after every epoch (the test set is passed as validation data; early
    /// stopping is off, so nothing is selected on it).</summary>
    public bool EvalEachEpoch { get; init; }
    public int PriorEpochs { get; init; }
    public string? SamplesPng { get; init; }
}
