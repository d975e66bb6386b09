using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Quality.Results;

/// <summary>
/// Writes one section's figures to <c>bench/results/SECTION.json</c> (schema: bench/README.md): an object with
/// <c>section</c>, <c>entries</c> (one per RESULT key: name, value, unit, description, target, tolerance,
/// target_text, higher_is_better, headline, command, date, machine, commit, notes) and <c>tables</c> (id, title,
/// columns, rows). An existing file is updated, not replaced: entries with the same name and tables with the same id
/// are overwritten, the others kept, so a run of part of a section (e.g. one of its data sets) leaves the rest alone.
/// </summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One measured RESULT key.</summary>
    public sealed record Entry(string Name, string Value, Measure? Measure, string? Notes);

    /// <summary>One printed table.</summary>
    public sealed record Table(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

    /// <summary>Where and how the run was made: the same for every entry of one run.</summary>
    public sealed record Run(string Command, string Date, MachineInfo Machine, string Commit);

    /// <summary>Merges <paramref name="entries"/> and <paramref name="tables"/> into <paramref name="path"/> (created when missing).</summary>
    public static void Write(string path, string section, Run run, IEnumerable<Entry> entries, IEnumerable<Table> tables)
    {
        JsonObject root;
        try
        {
            root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? new JsonObject() : new JsonObject();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        root["section"] = section;
        var list = root["entries"] as JsonArray ?? [];
        foreach (var e in entries) Upsert(list, "name", e.Name, ToJson(e, run));
        root["entries"] = list.DeepClone();
        var tableList = root["tables"] as JsonArray ?? [];
        foreach (var t in tables) Upsert(tableList, "id", t.Id, ToJson(t));
        root["tables"] = tableList.DeepClone();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, root.ToJsonString(Indented) + "\n");
    }

    /// <summary>The short hash of HEAD of the repository holding <paramref name="folder"/> ("+changes" when src/ or the quality bench differ from it), or "unknown".</summary>
    public static string Commit(string folder)
    {
        string? head = Git(folder, "rev-parse --short=12 HEAD");
        if (head is null) return "unknown";
        string? changes = Git(folder, "status --porcelain -- src bench/Latent.Quality");
        return string.IsNullOrWhiteSpace(changes) ? head : head + "+changes";
    }

    private static string? Git(string folder, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", $"-C \"{folder}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(info);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    private static void Upsert(JsonArray list, string key, string id, JsonObject item)
    {
        for (int i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && (string?)o[key] == id)
            {
                list[i] = item;
                return;
            }
        list.Add(item);
    }

    private static JsonObject ToJson(Entry e, Run run)
    {
        var m = e.Measure;
        var o = new JsonObject
        {
            ["name"] = e.Name,
            // The number exactly as the RESULT line writes it (4 decimals), so the page shows the same text.
            ["value"] = double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? JsonNode.Parse(e.Value) : null,
            ["unit"] = m?.Unit ?? "",
            ["description"] = m?.Description ?? "",
            ["target"] = m?.Target is { } t ? JsonValue.Create(t) : null,
        };
        if (m?.Tolerance is { } tol) o["tolerance"] = tol;
        if (m?.TargetText is { } text) o["target_text"] = text;
        o["higher_is_better"] = m?.HigherIsBetter is { } h ? JsonValue.Create(h) : null;
        if (m?.Headline == true) o["headline"] = true;
        o["command"] = run.Command;
        o["date"] = run.Date;
        o["machine"] = new JsonObject { ["cpu"] = run.Machine.Cpu, ["cores"] = run.Machine.Cores, ["dotnet"] = run.Machine.Dotnet };
        o["commit"] = run.Commit;
        o["notes"] = e.Notes ?? "";
        return o;
    }

    private static JsonObject ToJson(Table t) => new()
    {
        ["id"] = t.Id,
        ["title"] = t.Title,
        ["columns"] = new JsonArray([.. t.Columns.Select(c => (JsonNode?)c)]),
        ["rows"] = new JsonArray([.. t.Rows.Select(r => (JsonNode?)new JsonArray([.. r.Select(c => (JsonNode?)c)]))]),
    };
}
