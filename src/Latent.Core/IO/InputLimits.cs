using System.Globalization;

namespace Latent.Core.IO;

/// <summary>
/// The size budget of every reader. A size read from a file (an image header, array dimensions, a member size, a
/// decompressed length) is checked against the bytes actually present and against <see cref="MaxInputBytes"/>
/// before anything sized by it is allocated, and decompression stops once it has produced more than that many
/// bytes. The default (256 MiB) holds MNIST and Fashion-MNIST several times over; for larger data set the
/// environment variable <see cref="EnvironmentVariableName"/> (bytes, or with a K/M/G suffix) or assign
/// <see cref="MaxInputBytes"/>.
/// </summary>
public static class InputLimits
{
    /// <summary>The environment variable that raises (or lowers) the budget: bytes, or a number with K, M or G (binary units).</summary>
    public const string EnvironmentVariableName = "LATENT_MAX_INPUT_BYTES";

    /// <summary>The budget when the environment variable is not set: 256 MiB.</summary>
    public const long DefaultMaxInputBytes = 256L << 20;

    /// <summary>The deepest nesting a header parser follows (brackets in an NPY header, JSON objects).</summary>
    public const int MaxNesting = 32;

    private static long? _override;

    /// <summary>
    /// The largest input one reader accepts, in bytes: the file (or its decompressed content), and the float32 values
    /// decoded from it (4 bytes each). Reading the environment variable once per call keeps tests able to change it.
    /// </summary>
    public static long MaxInputBytes
    {
        get => _override ?? FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariableName));
        set => _override = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"MaxInputBytes {value} must be positive");
    }

    /// <summary>Forgets a value assigned to <see cref="MaxInputBytes"/> (the environment or the default applies again).</summary>
    public static void Reset() => _override = null;

    /// <summary>The budget that <paramref name="text"/> (the environment variable's value) asks for; the default when null or empty.</summary>
    /// <exception cref="ArgumentException">The text is not a positive size such as 1073741824, 800M or 2G.</exception>
    public static long FromEnvironment(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultMaxInputBytes;
        string t = text.Trim();
        int shift = char.ToUpperInvariant(t[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        if (shift > 0) t = t[..^1];
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0 || n > (long.MaxValue >> shift))
            throw new ArgumentException($"{EnvironmentVariableName}='{text}': expected a positive number of bytes, optionally with K, M or G (e.g. 2G)");
        return n << shift;
    }

    /// <summary>"the 256 MiB input limit (LATENT_MAX_INPUT_BYTES)": the words an error message uses for the budget.</summary>
    public static string Describe() => $"the {Format(MaxInputBytes)} input limit (set {EnvironmentVariableName} to raise it)";

    /// <summary>A byte count in words: "7.3 GiB", "512 KiB", "100 bytes".</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>
    /// Reads the whole file at <paramref name="path"/> if it holds at most <paramref name="limit"/> bytes (default
    /// <see cref="MaxInputBytes"/>); never reads more than limit + 1 bytes, so a device such as /dev/zero or a file
    /// that grows cannot exhaust memory. <paramref name="tooLarge"/> builds the exception for an oversized file from
    /// a one-line description.
    /// </summary>
    public static byte[] ReadAllBytes(string path, Func<string, Exception> tooLarge, long? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tooLarge);
        long max = limit ?? MaxInputBytes;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long known = fs.CanSeek ? fs.Length : 0;
        if (known > max) throw tooLarge($"the file is {Format(known)}, over {DescribeLimit(max)}");
        // Devices (/dev/zero), pipes and files that report no length are read in pieces up to the limit.
        using var ms = new MemoryStream(known > 0 ? (int)known : 1 << 16);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = fs.Read(buffer, 0, (int)Math.Min(buffer.Length, max + 1 - ms.Length))) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > max) throw tooLarge($"more than {DescribeLimit(max)} of data (a device or an endless stream?)");
        }
        return ms.Length == ms.Capacity ? ms.GetBuffer() : ms.ToArray();
    }

    private static string DescribeLimit(long max) => max == MaxInputBytes ? Describe() : $"the {Format(max)} limit";
}
