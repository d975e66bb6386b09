namespace Latent.Models.Options;

/// <summary>What the command line may do with an option besides <c>--set</c>, independent of its key.</summary>
public enum OptionRole
{
    /// <summary>Set only by <c>--set key=value</c>.</summary>
    None,

    /// <summary>Layer sizes "IN-…-CODE": <c>--arch</c> replaces it, its first size is fitted to the data and <c>--code</c> sets its last.</summary>
    Architecture,

    /// <summary>An integer code size that <c>--code</c> sets (families without an <see cref="Architecture"/> option).</summary>
    CodeSize,

    /// <summary>The output distribution: data standardised to zero mean select "gaussian" unless it was given.</summary>
    Output,
}
