namespace Latent.Cli.Tests.Serve;

/// <summary>A fact reported as skipped, with the reason, when Debian's Chromium is not at <see cref="Path"/> (apt-get install chromium).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Where Debian installs Chromium; Playwright launches it there (its own browser download is not used).</summary>
    public const string Path = "/usr/bin/chromium";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is missing.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path)) Skip = $"no Chromium at {Path} (install it with: apt-get install chromium)";
    }
}
