using System.Text;
using System.Text.Json;

namespace Latent.Cli;

/// <summary>Writes one JSON object (non-finite numbers as null) on one line.</summary>
internal static class JsonOutput
{
    public static string Object(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    public static void Numbers(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, double>> values)
    {
        foreach (var (k, v) in values) Number(w, k, v);
    }
}
