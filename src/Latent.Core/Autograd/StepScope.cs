namespace Latent.Core.Autograd;

/// <summary>
/// One training step's storage scope (<see cref="Tensor.Step"/>): disposing it hands the arrays of the graph built
/// inside it back to the per-thread pool that the next step's ops draw from.
/// </summary>
public sealed class StepScope : IDisposable
{
    private BufferPool.Session? _session;

    internal StepScope(BufferPool.Session session) => _session = session;

    /// <summary>Ends the scope (idempotent). Scopes must be disposed innermost first, on the thread that opened them.</summary>
    public void Dispose()
    {
        _session?.End(recycle: true);
        _session = null;
    }
}
