namespace Latent.Cli;

/// <summary>
/// Ranges of the numeric options whose size drives memory (pictures, counts); a value outside is a user error
/// (exit 1) naming the option, checked before any model or data is loaded.
/// </summary>
internal static class OptionLimits
{
    /// <summary>Most pictures in one grid (--count): 4096 tiles of 28x28 at scale 2 are a 3600x3600 image.</summary>
    public const int MaxCount = 4096;

    /// <summary>Most points on a line or per traversed dimension (--steps).</summary>
    public const int MaxSteps = 256;

    /// <summary>Most traversed code dimensions (--dims); a model's code is shorter than this in practice.</summary>
    public const int MaxDims = 1024;

    /// <summary>Throws ArgumentException naming <paramref name="option"/> unless <paramref name="value"/> is in [min, max].</summary>
    public static int Check(int value, string option, int min, int max)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{option} {value} must be between {min} and {max}");
        return value;
    }
}
