using Latent.Models;
using Latent.Models.Training;

namespace Latent.Cli;

/// <summary>What the host supplies besides the arguments: the console flag, Ctrl+C, standard input, and test hooks into training.</summary>
public sealed record CliHooks
{
    /// <summary>Cancels training (Ctrl+C).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>True when the writers are the process console (a progress bar may be drawn when it is a terminal).</summary>
    public bool Console { get; init; }

    /// <summary>Called after every training step and epoch with the model (tests use it to cancel or to inject a NaN).</summary>
    public Action<TrainingProgress, AutoencoderModel>? OnProgress { get; init; }

    /// <summary>Standard input for commands that read rows from it (latent anomaly --stream); null = the console's.</summary>
    public TextReader? Input { get; init; }
}
