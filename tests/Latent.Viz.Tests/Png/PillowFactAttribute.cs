namespace Latent.Viz.Tests.Png;

/// <summary>A fact reported as skipped, with the reason, when <c>/usr/bin/python3</c> cannot import PIL.</summary>
public sealed class PillowFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(() => PythonRunner.CannotImport("PIL"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PIL is not importable.</summary>
    public PillowFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason;
    }
}
