namespace Latent.Core.Autograd;

/// <summary>
/// A storage scope (<see cref="Tensor.Step"/>, <see cref="Tensor.Scratch"/>): disposing it hands the arrays of the
/// graph built inside it (or, for a scratch scope, of every tensor made inside it) back to the per-thread pool that
/// later ops draw from.
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
