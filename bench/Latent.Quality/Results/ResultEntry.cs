using System.Globalization;
using System.Text.Json;

namespace Latent.Quality.Results;

/// <summary>One entry of a bench/results/*.json file as docs/RESULTS.md shows it (schema: bench/README.md).</summary>
internal sealed record ResultEntry(string File, string Name, string ValueText, double? Value, string Unit, string Description,
    double? Target, double? Tolerance, string? TargetText, bool? HigherIsBetter, bool Headline, string? Status,
    string Command, string Date, string Machine, string Commit, string Notes, string? Source)
{
    /// <summary>Reads entry <paramref name="index"/> of <paramref name="file"/>; throws <see cref="InvalidDataException"/> naming both when a required field is missing.</summary>
    public static ResultEntry Parse(string file, int index, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{file}: entry {index} is not an object");
        string name = Text(e, "name") ?? throw new InvalidDataException($"{file}: entry {index} has no \"name\"");
        if (!e.TryGetProperty("value", out var v)) throw new InvalidDataException($"{file}: entry '{name}' has no \"value\"");
        (string valueText, double? value) = v.ValueKind switch
        {
            JsonValueKind.Number => (v.GetRawText(), (double?)v.GetDouble()),
            JsonValueKind.String => (v.GetString()!, double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null),
            JsonValueKind.Null => ("na", (double?)null),
            _ => throw new InvalidDataException($"{file}: entry '{name}': \"value\" must be a number, a string or null"),
        };
        return new ResultEntry(file, name, valueText, value, Text(e, "unit") ?? "", Text(e, "description") ?? "",
            Number(e, "target"), Number(e, "tolerance"), Text(e, "target_text"), Bool(e, "higher_is_better"), Bool(e, "headline") == true,
            Text(e, "status"), Text(e, "command") ?? "", Text(e, "date") ?? "", MachineText(e), Text(e, "commit") ?? "",
            Text(e, "notes") ?? "", Text(e, "source"));
    }

    /// <summary>True when the entry belongs in the status table: it has a target or is a headline key.</summary>
    public bool HasStatus => Target is not null || TargetText is not null || Headline;

    /// <summary>The target as the status table shows it: "≤ 6.1", "≥ 0.877", "1 ± 0.03", the target text, or "".</summary>
    public string TargetDisplay => Target is not { } t ? TargetText ?? ""
        : Tolerance is { } tol ? (tol == 0 ? $"= {G(t)}" : $"{G(t)} ± {G(tol)}")
        : HigherIsBetter == true ? $"≥ {G(t)}"
        : HigherIsBetter == false ? $"≤ {G(t)}"
        : G(t);

    /// <summary>met / missed for a numeric target, the entry's own status when it gives one, else "reported".</summary>
    public string StatusDisplay
    {
        get
        {
            if (Status is not null) return Status;
            if (Target is not { } t) return "reported";
            if (Value is not { } v) return "not measured";
            bool met = Tolerance is { } tol ? Math.Abs(v - t) <= tol + 1e-12
                : HigherIsBetter == true ? v >= t
                : HigherIsBetter == false ? v <= t
                : true;
            return met ? "met" : "**missed**";
        }
    }

    private static string G(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static double? Number(JsonElement e, string key) =>
        e.TryGetProperty(key, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;

    private static bool? Bool(JsonElement e, string key) =>
        e.TryGetProperty(key, out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null;

    private static string MachineText(JsonElement e)
    {
        if (!e.TryGetProperty("machine", out var m)) return "";
        if (m.ValueKind == JsonValueKind.String) return m.GetString()!;
        if (m.ValueKind != JsonValueKind.Object) return "";
        var parts = new List<string>();
        if (Text(m, "cpu") is { } cpu) parts.Add(cpu);
        if (m.TryGetProperty("cores", out var c) && c.ValueKind == JsonValueKind.Number) parts.Add($"{c.GetRawText()} cores");
        if (Text(m, "dotnet") is { } dotnet) parts.Add(dotnet);
        return string.Join(", ", parts);
    }
}
