namespace Latent.Core.Autograd;

/// <summary>
/// Whether ops record themselves for backward (per thread). Off inside <see cref="Tensor.NoGrad"/> and while
/// a backward pass runs without <c>createGraph</c>.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;
    [ThreadStatic] private static int _forcedDepth;

    /// <summary>True when new ops are recorded.</summary>
    public static bool IsEnabled => _forcedDepth > 0 || _disabledDepth == 0;

    /// <summary>Turns recording off until the returned scope is disposed.</summary>
    public static Scope Disable() { _disabledDepth++; return new Scope(false); }

    /// <summary>Turns recording on (even inside a no-grad scope) until the returned scope is disposed.</summary>
    public static Scope Enable() { _forcedDepth++; return new Scope(true); }

    /// <summary>Restores the previous grad mode when disposed.</summary>
    public readonly struct Scope(bool forced) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            if (forced) _forcedDepth--; else _disabledDepth--;
        }
    }
}
