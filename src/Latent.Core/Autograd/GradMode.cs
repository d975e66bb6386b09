namespace Latent.Core.Autograd;

/// <summary>
/// Whether ops record themselves for backward (per thread). Off inside <see cref="Tensor.NoGrad"/> and while
/// a backward pass runs without <c>createGraph</c>. Scopes nest and the innermost one wins, as in PyTorch:
/// a no-grad scope inside an enabled one turns recording off, and disposing a scope restores the mode it found.
/// </summary>
public static class GradMode
{
    // Default false: recording is on for every new thread.
    [ThreadStatic] private static bool _disabled;

    /// <summary>True when new ops are recorded.</summary>
    public static bool IsEnabled => !_disabled;

    /// <summary>Turns recording off until the returned scope is disposed.</summary>
    public static Scope Disable() => Set(disabled: true);

    /// <summary>Turns recording on (even inside a no-grad scope) until the returned scope is disposed.</summary>
    public static Scope Enable() => Set(disabled: false);

    private static Scope Set(bool disabled)
    {
        var scope = new Scope(_disabled);
        _disabled = disabled;
        return scope;
    }

    /// <summary>Restores the previous grad mode when disposed.</summary>
    public readonly struct Scope(bool previouslyDisabled) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => _disabled = previouslyDisabled;
    }
}
