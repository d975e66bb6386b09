using Latent.Models.IO;
using Latent.Models.Training;

namespace Latent.Models.Runs;

/// <summary>What a training run produced.</summary>
/// <param name="Model">The trained model (evaluation mode).</param>
/// <param name="Training">The trainer's result (status, history).</param>
/// <param name="Manifest">The manifest written to model.json, or null when the run was cancelled (no model file written).</param>
/// <param name="Configuration">The run's configuration as text, in display order.</param>
public sealed record TrainingRunResult(
    AutoencoderModel Model,
    TrainingResult Training,
    ModelManifest? Manifest,
    IReadOnlyList<KeyValuePair<string, string>> Configuration);
