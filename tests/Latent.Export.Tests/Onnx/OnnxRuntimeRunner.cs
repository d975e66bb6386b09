using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Latent.Core.Tensor;

namespace Latent.Export.Tests.Onnx;

/// <summary>Runs an ONNX model with ONNX Runtime on Latent tensors.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>Output name → (values, shape) of running <paramref name="model"/> on the float <paramref name="inputs"/>.</summary>
    public static Dictionary<string, (float[] Values, int[] Shape)> Run(byte[] model, params (string Name, Tensor Value)[] inputs)
    {
        using var session = new InferenceSession(model);
        var feeds = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>(i.Value.ToArray(), i.Value.Shape))).ToList();
        using var results = session.Run(feeds);
        var outputs = new Dictionary<string, (float[], int[])>();
        foreach (var r in results)
        {
            if (r.Value is DenseTensor<float> f) outputs[r.Name] = (f.ToArray(), f.Dimensions.ToArray());
            else if (r.Value is DenseTensor<long> l) outputs[r.Name] = (l.ToArray().Select(v => (float)v).ToArray(), l.Dimensions.ToArray());
            else throw new InvalidOperationException($"output '{r.Name}' has an unexpected type {r.Value?.GetType().Name}");
        }
        return outputs;
    }

    /// <summary>max |a − b| / max |b|: the error relative to the output's scale.</summary>
    public static double RelativeError(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v)), err = 0;
        Assert.True(scale > 0, "the reference output is all zeros: the comparison would prove nothing");
        for (int i = 0; i < expected.Length; i++) err = Math.Max(err, Math.Abs((double)actual[i] - expected[i]));
        return err / scale;
    }
}
