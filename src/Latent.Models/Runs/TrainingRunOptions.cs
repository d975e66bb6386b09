using Latent.Models.Training;

namespace Latent.Models.Runs;

/// <summary>What <see cref="TrainingRun.Run"/> trains and where it writes.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>Registry name of the model.</summary>
    public string Model { get; init; } = "ae";

    /// <summary>Layer sizes for families with an <c>arch</c> option, or null for the family's default fitted to the data.</summary>
    public string? Architecture { get; init; }

    /// <summary>Code size, or null for the family's default.</summary>
    public int? CodeSize { get; init; }

    /// <summary>Further "key=value" model options.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The trainer's options; <see cref="TrainingOptions.OutputDirectory"/> and the checkpoint folder are set by the run.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>The run folder: model.safetensors, model.json, metrics.csv, checkpoints/.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Continue from <c>checkpoints/checkpoint.latent</c> in the run folder.</summary>
    public bool Resume { get; init; }

    /// <summary>Epochs of prior fitting after training, for <see cref="IPriorModel"/> models; 0 = none.</summary>
    public int PriorEpochs { get; init; }

    /// <summary>
    /// Trimming, for training data that contain the anomalies to be found: after training, the model is refitted
    /// (warm, same training options, fresh optimizer) on the 1 − <see cref="TrimFraction"/> of the training rows it
    /// reconstructs best, <see cref="TrimRounds"/> times. 0 = off; must be in [0, 1).
    /// </summary>
    public double TrimFraction { get; init; }

    /// <summary>Rounds of trimming when <see cref="TrimFraction"/> &gt; 0 (at least 1).</summary>
    public int TrimRounds { get; init; } = 3;

    /// <summary>The configuration as text for model.json and the report (extra entries such as the command line).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
