using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.IO;

/// <summary>
/// A trained model on disk: a folder with <c>model.safetensors</c> (the state dict, keys = <see cref="Latent.NN.Module.StateDict"/>
/// names) and <c>model.json</c> (<see cref="ModelManifest"/>), which names the weights by their SHA-256. A save writes the
/// weights under a name made of their checksum (<c>.model.SHA256.safetensors</c>), then the manifest (atomically: the
/// moment the new model becomes visible), then renames the weights to <c>model.safetensors</c>. A reader that finds
/// the manifest's checksum on the pending file rather than on <c>model.safetensors</c> (a save interrupted between the
/// two renames) reads the pending file, so the two files are always seen as a pair; a pair that does not match is an
/// <see cref="InvalidModelFileException"/> saying so.
/// </summary>
public static class ModelFile
{
    /// <summary>The weights file name.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The manifest file name.</summary>
    public const string ManifestFileName = "model.json";

    /// <summary>The version of Latent, written to every manifest.</summary>
    public static string LatentVersion { get; } =
        typeof(ModelFile).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The largest model.json accepted (16 MiB: a manifest with per-feature statistics is a few hundred KiB).</summary>
    public const long MaxManifestBytes = 16L << 20;

    /// <summary>True when <paramref name="dir"/> holds a model.json.</summary>
    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, ManifestFileName));

    /// <summary>
    /// Writes <paramref name="model"/>'s weights and <paramref name="manifest"/> to <paramref name="dir"/>; the manifest's
    /// model name, options, code size and input shape are taken from the model.
    /// </summary>
    public static ModelManifest Save(string dir, AutoencoderModel model, ModelManifest manifest)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(Path.GetFullPath(dir), $".{WeightsFileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string sha;
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafeTensors.Write(fs, model.StateDict().ToList(), new Dictionary<string, string> { ["model"] = model.Name, ["format"] = "latent" });
                fs.Flush(flushToDisk: true);
            }
            sha = Sha256(tmp);
            File.Move(tmp, PendingWeightsPath(dir, sha), overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        var full = manifest with
        {
            FormatVersion = ModelManifest.CurrentFormatVersion,
            Model = model.Name,
            Options = model.Options.ToText(),
            CodeSize = model.CodeSize,
            InputShape = (int[])model.InputShape.Clone(),
            WeightsSha256 = sha,
            LatentVersion = LatentVersion,
        };
        AtomicFile.WriteAllText(Path.Combine(dir, ManifestFileName), JsonSerializer.Serialize(full, Json) + "\n");
        File.Move(PendingWeightsPath(dir, sha), Path.Combine(dir, WeightsFileName), overwrite: true);
        return full;
    }

    /// <summary>Where <see cref="Save"/> keeps weights with checksum <paramref name="sha256"/> until their manifest is in place.</summary>
    public static string PendingWeightsPath(string dir, string sha256) => Path.Combine(dir, $".model.{sha256}.safetensors");

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fs));
    }

    /// <summary>
    /// Finishes a save in <paramref name="dir"/> that was interrupted: when model.json names pending weights, they are renamed
    /// to model.safetensors; pending weights no manifest names (a save stopped before its manifest) are deleted. For the
    /// one process that owns the folder (a training run holding its lock).
    /// </summary>
    public static void CompleteSave(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        if (!Directory.Exists(dir)) return;
        string? named = null;
        try { if (Exists(dir)) named = ReadManifest(dir).WeightsSha256; }
        catch (InvalidModelFileException) { } // not ours to repair; its readers will say what is wrong
        foreach (var pending in Directory.EnumerateFiles(dir, ".model.*.safetensors"))
        {
            if (named is not null && pending == PendingWeightsPath(dir, named)) File.Move(pending, Path.Combine(dir, WeightsFileName), overwrite: true);
            else File.Delete(pending);
        }
    }

    /// <summary>Reads and checks <c>model.json</c> in the folder <paramref name="dirOrFile"/> (or that file itself); InvalidModelFileException naming the file otherwise.</summary>
    public static ModelManifest ReadManifest(string dirOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(dirOrFile);
        string path = Directory.Exists(dirOrFile) ? Path.Combine(dirOrFile, ManifestFileName) : dirOrFile;
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(dirOrFile)
                ? $"'{dirOrFile}' is not a model folder: it has no {ManifestFileName}"
                : $"model '{dirOrFile}' not found", path);
        ModelManifest? m;
        try
        {
            var bytes = InputLimits.ReadAllBytes(path, why => new InvalidModelFileException(path, why), MaxManifestBytes);
            // Editors on some systems save UTF-8 with a byte-order mark; JSON readers must accept and skip it.
            var json = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes.AsSpan();
            m = JsonSerializer.Deserialize<ModelManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidModelFileException(path, $"not a valid model manifest: {e.Message}", e);
        }
        if (m is null) throw new InvalidModelFileException(path, "the manifest is null");
        if (m.FormatVersion != ModelManifest.CurrentFormatVersion)
            throw new InvalidModelFileException(path, $"format version {m.FormatVersion}, this Latent reads {ModelManifest.CurrentFormatVersion}");
        if (string.IsNullOrWhiteSpace(m.Model)) throw new InvalidModelFileException(path, "'model' is empty");
        if (m.Options is null) throw new InvalidModelFileException(path, "'options' is missing");
        if (m.InputShape is null || m.InputShape.Length == 0 || m.InputShape.Any(d => d <= 0) || m.InputShape.Aggregate(1L, (a, d) => a * d) > int.MaxValue)
            throw new InvalidModelFileException(path, $"'input_shape' {(m.InputShape is null ? "is missing" : Shapes.Format(m.InputShape) + " is not a list of positive sizes")}");
        if (m.WeightsSha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
            throw new InvalidModelFileException(path, $"'weights_sha256' '{sha}' is not 64 lower-case hexadecimal digits");
        if (m.CodeSize <= 0) throw new InvalidModelFileException(path, $"'code_size' {m.CodeSize} must be positive");
        if (m.Data is { } d && ((d.Mean is null) != (d.Std is null) || (d.Mean is not null && d.Mean.Length != d.Std!.Length)))
            throw new InvalidModelFileException(path, "'data' mean and std must both be present with the same length, or both absent");
        return m;
    }

    /// <summary>
    /// Rebuilds the model saved in <paramref name="dir"/>: reads the manifest and the weights file's header, checks that
    /// the layer sizes the options name fit the parameters the header holds (so a manifest that asks for a far larger
    /// model than its weights fails before anything is allocated), creates the model from the registry with its options
    /// (initialisation is then overwritten), and loads the weights after checking every tensor's name and shape against
    /// the model and that every value is finite. Missing, extra or mis-shaped tensors and NaN or infinite weights throw
    /// <see cref="InvalidModelFileException"/> naming the file and the tensor.
    /// </summary>
    public static (AutoencoderModel Model, ModelManifest Manifest) Load(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var manifest = ReadManifest(dir);
        string manifestPath = Path.Combine(dir, ManifestFileName);
        string weightsPath = Path.Combine(dir, WeightsFileName);
        if (manifest.WeightsSha256 is { } sha && !(File.Exists(weightsPath) && Sha256(weightsPath) == sha))
        {
            // A save interrupted between its manifest and the rename of its weights: the weights are still under their pending name.
            string pending = PendingWeightsPath(dir, sha);
            if (File.Exists(pending) && Sha256(pending) == sha) weightsPath = pending;
            else if (File.Exists(weightsPath))
                throw new InvalidModelFileException(weightsPath,
                    $"its SHA-256 {Sha256(weightsPath)[..16]}... is not the {sha[..Math.Min(16, sha.Length)]}... that {ManifestFileName} names: the two files come from different saves (one was replaced or a save was interrupted); train or save the model again");
        }

        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"model folder '{dir}' has no {WeightsFileName}", weightsPath);
        var (header, _) = SafeTensors.ReadHeader(weightsPath);
        CheckSizesAgainstWeights(manifest, header, manifestPath, weightsPath);

        ModelInfo info;
        try { info = ModelRegistry.Get(manifest.Model); }
        catch (ArgumentException e) { throw new InvalidModelFileException(manifestPath, e.Message, e); }
        AutoencoderModel model;
        try
        {
            var settings = ParseOptionsText(manifest.Options);
            foreach (var (key, value) in info.LegacyOptions) settings.TryAdd(key, value);
            var options = info.Schema.Parse(settings);
            model = info.Create(options, manifest.InputShape, new Rng(0));
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelFileException(manifestPath, $"cannot rebuild model '{manifest.Model}' from options '{manifest.Options}': {e.Message}", e);
        }
        if (model.CodeSize != manifest.CodeSize)
            throw new InvalidModelFileException(manifestPath, $"code size {manifest.CodeSize} does not match the model built from its options ({model.CodeSize})");

        var expected = model.StateDict().ToList();
        var declared = header.ToDictionary(h => h.Name, h => h.Shape, StringComparer.Ordinal);
        foreach (var (name, t) in expected)
        {
            if (!declared.TryGetValue(name, out var shape))
                throw new InvalidModelFileException(weightsPath, $"tensor '{name}' {Shapes.Format(t.Shape)} of model '{model.Name}' is missing");
            if (!Shapes.Equal(shape, t.Shape))
                throw new InvalidModelFileException(weightsPath, $"tensor '{name}' has shape {Shapes.Format(shape)}, model '{model.Name}' expects {Shapes.Format(t.Shape)}");
        }
        var names = expected.Select(e => e.Name).ToHashSet();
        foreach (var name in declared.Keys)
            if (!names.Contains(name))
                throw new InvalidModelFileException(weightsPath, $"unexpected tensor '{name}' (model '{model.Name}' has no such parameter)");
        var (tensors, _) = SafeTensors.Read(weightsPath);
        foreach (var (name, t) in tensors)
        {
            var values = t.Span;
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i]))
                    throw new InvalidModelFileException(weightsPath, $"tensor '{name}' holds {values[i]} at index {i}: the weights are not usable (did training diverge?)");
        }
        model.LoadStateDict(tensors);
        model.Eval();
        return (model, manifest);
    }

    /// <summary>
    /// Every option whose value is a list of layer sizes ("arch=784-256-20") implies fully connected layers between
    /// consecutive sizes (the first size may be replaced by a convolutional trunk's output, so its layer counts as at
    /// least one weight per output): at least s_1 + Σ_(i≥1) s_i·s_(i+1) weights. When that exceeds what the weights file holds, the manifest cannot belong to the
    /// weights, and building the model would allocate for nothing (or for far more than the file).
    /// </summary>
    private static void CheckSizesAgainstWeights(ModelManifest manifest, IReadOnlyList<(string Name, int[] Shape)> header, string manifestPath, string weightsPath)
    {
        long held = 0;
        foreach (var (_, shape) in header) held += shape.Aggregate(1L, (a, d) => a * d);
        Dictionary<string, string> settings;
        try { settings = ParseOptionsText(manifest.Options); }
        catch (ArgumentException e) { throw new InvalidModelFileException(manifestPath, $"cannot rebuild model '{manifest.Model}' from options '{manifest.Options}': {e.Message}", e); }
        foreach (var (key, value) in settings)
        {
            var parts = value.Split('-');
            if (parts.Length < 2) continue;
            var sizes = new long[parts.Length];
            bool allSizes = true;
            for (int i = 0; i < parts.Length && allSizes; i++)
                allSizes = long.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) && sizes[i] > 0;
            if (!allSizes) continue;
            double needed = sizes[1];
            for (int i = 1; i + 1 < sizes.Length; i++) needed += (double)sizes[i] * sizes[i + 1];
            if (needed > held)
                throw new InvalidModelFileException(manifestPath,
                    $"option {key}={value} needs at least {needed:0} weights but {Path.GetFileName(weightsPath)} holds {held}: the manifest and the weights do not belong together");
        }
    }

    /// <summary>"a=1 b=two" → {a: 1, b: two} (the form of <see cref="ModelOptions.ToText"/>); ArgumentException for a token without '='.</summary>
    public static Dictionary<string, string> ParseOptionsText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"option '{token}' is not key=value", nameof(text));
            settings[token[..eq]] = token[(eq + 1)..];
        }
        return settings;
    }
}
