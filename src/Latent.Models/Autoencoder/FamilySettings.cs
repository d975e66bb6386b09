using System.Globalization;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Reads a model family's "key=value" settings: the network keys of <see cref="AutoencoderOptions.Parse(IReadOnlyDictionary{string, string}, AutoencoderOptions)"/>
/// over the family's network defaults, and the family's own keys, with errors that name the model and the key.
/// </summary>
internal static class FamilySettings
{
    /// <summary>The keys that belong to <see cref="AutoencoderOptions"/>.</summary>
    public static readonly string[] NetworkKeys = ["arch", "architecture", "hidden", "activation", "code", "code_activation", "output", "network"];

    /// <summary>Splits <paramref name="settings"/> into the parsed network options and the family's own settings (keys lower-cased).</summary>
    public static (AutoencoderOptions Network, Dictionary<string, string> Own) Split(
        string model, IReadOnlyDictionary<string, string> settings, AutoencoderOptions defaults, params string[] ownKeys)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var net = new Dictionary<string, string>();
        var own = new Dictionary<string, string>();
        foreach (var (key, value) in settings)
        {
            string k = key.ToLowerInvariant();
            if (NetworkKeys.Contains(k)) net[k] = value;
            else if (ownKeys.Contains(k)) own[k] = value;
            else
                throw new ArgumentException(
                    $"{model}: unknown option '{key}' (expected {string.Join(", ", ownKeys.Concat(["arch", "hidden", "code", "output", "network"]))})",
                    nameof(settings));
        }
        return (AutoencoderOptions.Parse(net, defaults), own);
    }

    /// <summary>A finite float; ArgumentException naming <paramref name="option"/> otherwise.</summary>
    public static float Float(string model, string key, string value, string option) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)
            ? v
            : throw new ArgumentException($"{model}: {key}='{value}' is not a number", option);

    /// <summary>An integer; ArgumentException naming <paramref name="option"/> otherwise.</summary>
    public static int Int(string model, string key, string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"{model}: {key}='{value}' is not an integer", option);

    /// <summary>Invariant text of a float that parses back to the same value.</summary>
    public static string Text(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
