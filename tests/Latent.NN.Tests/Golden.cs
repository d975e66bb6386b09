using System.Text.Json;
using Latent.Core;

namespace Latent.NN.Tests;

/// <summary>Reads tests/Golden/nn/nn_golden.json (written by gen_nn_golden.py with PyTorch 1.13).</summary>
internal static class Golden
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "nn", "nn_golden.json"))));

    public static JsonElement Case(string name) => Doc.Value.RootElement.GetProperty(name);

    public static Tensor T(this JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var data = e.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        return Tensor.FromArray(data, shape);
    }

    public static Tensor T(this JsonElement e, string name) => e.GetProperty(name).T();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
