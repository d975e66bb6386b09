using System.Globalization;
using System.Text.Json;

namespace Latent.Core.Tests.Ops;

/// <summary>One case of tests/Golden/golden.json: an op, its parameters, inputs, and PyTorch's outputs and gradients.</summary>
internal sealed class GoldenCase
{
    public required string Name { get; init; }
    public required string Op { get; init; }
    public required JsonElement Params { get; init; }
    public required Tensor[] Inputs { get; init; }
    public required bool[] Differentiable { get; init; }
    public required Tensor[] Outputs { get; init; }
    public required Tensor[] Weights { get; init; }
    public required Tensor?[] Grads { get; init; }

    private static readonly Lazy<Dictionary<string, GoldenCase>> All = new(Load);

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static GoldenCase Get(string name) => All.Value[name];

    /// <summary>The op names that have at least one case.</summary>
    public static HashSet<string> Ops() => All.Value.Values.Select(c => c.Op).ToHashSet();

    /// <summary>Names of the cases whose op satisfies <paramref name="filter"/>, for MemberData.</summary>
    public static TheoryData<string> Names(Func<string, bool> filter)
    {
        var d = new TheoryData<string>();
        foreach (var c in All.Value.Values.Where(c => filter(c.Op))) d.Add(c.Name);
        return d;
    }

    private static Dictionary<string, GoldenCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "golden.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new Dictionary<string, GoldenCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
            var gc = new GoldenCase
            {
                Name = c.GetProperty("name").GetString()!,
                Op = c.GetProperty("op").GetString()!,
                Params = c.GetProperty("params").Clone(),
                Inputs = inputs.Select(ReadTensor).ToArray(),
                Differentiable = inputs.Select(i => i.GetProperty("grad").GetBoolean()).ToArray(),
                Outputs = c.GetProperty("outputs").EnumerateArray().Select(ReadTensor).ToArray(),
                Weights = c.GetProperty("weights").EnumerateArray().Select(ReadTensor).ToArray(),
                Grads = c.GetProperty("grads").EnumerateArray().Select(g => g.ValueKind == JsonValueKind.Null ? null : ReadTensor(g)).ToArray(),
            };
            result.Add(gc.Name, gc);
        }
        return result;
    }

    private static Tensor ReadTensor(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(ReadFloat).ToArray();
        return new Tensor(data, shape);
    }

    // Non-finite values are written as strings ("NaN", "Infinity", "-Infinity").
    private static float ReadFloat(JsonElement v) =>
        v.ValueKind == JsonValueKind.String ? float.Parse(v.GetString()!, CultureInfo.InvariantCulture) : (float)v.GetDouble();
}
