using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Latent.Models.Runs;

namespace Latent.Cli.Serve;

/// <summary>Reads run folders for the dashboard (read-only): the list of runs, a run's epoch history, files and configuration.</summary>
internal sealed class RunFolders(string root)
{
    /// <summary>Files a run folder may serve: pictures and charts.</summary>
    private static readonly HashSet<string> Served = [".png", ".svg"];

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Run folders under the root (the root itself when it is one), as names relative to the root ("." for the root).</summary>
    public List<string> Runs()
    {
        if (!Directory.Exists(Root)) return [];
        var dirs = new List<string>();
        if (IsRun(Root)) dirs.Add(".");
        foreach (var d in Directory.EnumerateDirectories(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
            if (IsRun(d)) dirs.Add(Path.GetRelativePath(Root, d).Replace('\\', '/'));
        dirs.Sort(StringComparer.Ordinal);
        return dirs;
    }

    private static bool IsRun(string d) =>
        File.Exists(Path.Combine(d, TrainingRunEvents.FileName)) || File.Exists(Path.Combine(d, "metrics.csv")) || File.Exists(Path.Combine(d, "model.json"));

    /// <summary>The folder of run <paramref name="name"/>, or null when it is not a run under the root.</summary>
    public string? Folder(string name)
    {
        string full = Path.GetFullPath(Path.Combine(Root, name));
        if (!(full == Root || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))) return null;
        return Directory.Exists(full) && IsRun(full) ? full : null;
    }

    /// <summary>The run's epochs as rows of column → value: from events.jsonl (main stage) when present, else metrics.csv.</summary>
    public JsonArray History(string dir)
    {
        string events = Path.Combine(dir, TrainingRunEvents.FileName);
        var rows = new JsonArray();
        if (File.Exists(events))
        {
            foreach (var line in CompleteLines(events, 0, out _))
                if (Parse(line) is JsonObject o && (string?)o["type"] == "epoch" && o["stage"] is null) rows.Add(o);
            return rows;
        }
        string csv = Path.Combine(dir, "metrics.csv");
        if (!File.Exists(csv)) return rows;
        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0) return rows;
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var o = new JsonObject { ["type"] = "epoch" };
            for (int i = 0; i < header.Length && i < cells.Length; i++)
                o[header[i]] = double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
            rows.Add(o);
        }
        return rows;
    }

    /// <summary>The complete lines of <paramref name="path"/> from byte <paramref name="offset"/>; a last line without its newline is left for the next read.</summary>
    public static List<string> CompleteLines(string path, long offset, out long next)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (f.Length < offset) offset = 0; // the file was started anew
        f.Seek(offset, SeekOrigin.Begin);
        var bytes = new byte[f.Length - offset];
        int read = 0;
        while (read < bytes.Length) { int n = f.Read(bytes, read, bytes.Length - read); if (n == 0) break; read += n; }
        int end = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, read - 1));
        if (read == 0 || end < 0) { next = offset; return []; }
        next = offset + end + 1;
        return Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public static JsonNode? Parse(string line)
    {
        try { return JsonNode.Parse(line); }
        catch (System.Text.Json.JsonException) { return null; } // a damaged line is skipped, as a partial one
    }

    /// <summary>The pictures and charts of the run (file names).</summary>
    public static List<string> Pictures(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => Served.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>The path of picture <paramref name="file"/> of the run, or null when it is not one it may serve.</summary>
    public static string? Picture(string dir, string file)
    {
        if (file.Contains('/') || file.Contains('\\') || file.StartsWith('.') || !Served.Contains(Path.GetExtension(file).ToLowerInvariant())) return null;
        string path = Path.Combine(dir, file);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The run's configuration and metrics: options.yaml as text, model.json's training and metrics.</summary>
    public static JsonObject Details(string dir)
    {
        var o = new JsonObject();
        string options = Path.Combine(dir, TrainConfigurationFile);
        o["options"] = File.Exists(options) ? File.ReadAllText(options) : null;
        string model = Path.Combine(dir, "model.json");
        if (File.Exists(model) && Parse(File.ReadAllText(model)) is JsonObject m)
        {
            o["model"] = m["model"]?.DeepClone();
            o["training"] = m["training"]?.DeepClone();
            o["metrics"] = m["metrics"]?.DeepClone();
        }
        return o;
    }

    private const string TrainConfigurationFile = Commands.TrainConfiguration.FileName;
}
