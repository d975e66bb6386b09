namespace Latent.NN;

/// <summary>Restores a module's training mode when disposed (<see cref="Module.Evaluating"/>).</summary>
public readonly struct ModeScope(Module module, bool training) : IDisposable
{
    /// <summary>Sets the mode the module had when the scope began.</summary>
    public void Dispose() => module.Train(training);
}
