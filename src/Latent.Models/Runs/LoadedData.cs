using Latent.Data;
using Latent.Data.Tables;
using Latent.Models.IO;

namespace Latent.Models.Runs;

/// <summary>A train and a test split, ready for a model (normalised), with how they were obtained.</summary>
/// <param name="Train">The training samples.</param>
/// <param name="Test">The test samples.</param>
/// <param name="Description">What to record in model.json (source, kind, normalisation, counts).</param>
/// <param name="Origin">One or more lines saying where the data came from (folder and files, or "generated").</param>
/// <param name="Standardizer">The standardisation applied (tables), or null.</param>
public sealed record LoadedData(Dataset Train, Dataset Test, DataDescription Description, string Origin, Standardizer? Standardizer)
{
    /// <summary>The split called <paramref name="name"/>: "train", "test" or "all" (train then test).</summary>
    public Dataset Split(string name) => name.ToLowerInvariant() switch
    {
        "train" => Train,
        "test" => Test,
        "all" => DataSource.Concat(Train, Test),
        _ => throw new ArgumentException($"unknown split '{name}' (expected train, test or all)", nameof(name)),
    };
}
