using System.Text.Json;

namespace Latent.Core.Tests.Ops;

/// <summary>Maps a golden case's op name and parameters to the Latent call that should reproduce it.</summary>
internal static class GoldenOps
{
    /// <summary>The convolution, pooling and upsampling ops (tested by ConvGoldenTests).</summary>
    public static readonly HashSet<string> Conv = ["conv2d", "conv_transpose2d", "conv1d", "conv_transpose1d", "max_pool2d", "avg_pool2d", "upsample_nearest"];

    public static Tensor[] Run(string op, JsonElement p, Tensor[] x)
    {
        return op switch
        {
            "exp" => [x[0].Exp()],
            "log" => [x[0].Log()],
            "sqrt" => [x[0].Sqrt()],
            "abs" => [x[0].Abs()],
            "relu" => [x[0].Relu()],
            "sigmoid" => [x[0].Sigmoid()],
            "tanh" => [x[0].Tanh()],
            "gelu" => [x[0].Gelu()],
            "softplus" => [x[0].Softplus()],
            "square" => [x[0].Square()],
            "neg" => [-x[0]],
            "pow_scalar" => [x[0].Pow(F(p, "p"))],
            "clamp" => [x[0].Clamp(OptF(p, "min") ?? float.NegativeInfinity, OptF(p, "max") ?? float.PositiveInfinity)],
            "leaky_relu" => [x[0].LeakyRelu(F(p, "slope"))],
            "elu" => [x[0].Elu(F(p, "alpha"))],
            "add" => [x[0] + x[1]],
            "sub" => [x[0] - x[1]],
            "mul" => [x[0] * x[1]],
            "div" => [x[0] / x[1]],
            "pow" => [Tensor.Pow(x[0], x[1])],
            "maximum" => [Tensor.Maximum(x[0], x[1])],
            "minimum" => [Tensor.Minimum(x[0], x[1])],
            "where" => [Tensor.Where(x[0], x[1], x[2])],
            "sum" => [x[0].Sum(Ints(p, "axes"), B(p, "keepdim"))],
            "sum_all" => [x[0].Sum()],
            "mean" => [x[0].Mean(Ints(p, "axes"), B(p, "keepdim"))],
            "mean_all" => [x[0].Mean()],
            "var" => [x[0].Var(Ints(p, "axes"), B(p, "unbiased"), B(p, "keepdim"))],
            "max" => [x[0].Max(I(p, "axis"), B(p, "keepdim"))],
            "min" => [x[0].Min(I(p, "axis"), B(p, "keepdim"))],
            "argmax" => [IndexTensor(x[0].ArgMax(I(p, "axis")), DropAxis(x[0].Shape, I(p, "axis")))],
            "argmin" => [IndexTensor(x[0].ArgMin(I(p, "axis")), DropAxis(x[0].Shape, I(p, "axis")))],
            "logsumexp" => [x[0].LogSumExp(I(p, "axis"), B(p, "keepdim"))],
            "softmax" => [x[0].Softmax(I(p, "axis"))],
            "log_softmax" => [x[0].LogSoftmax(I(p, "axis"))],
            "matmul" => [Tensor.MatMul(x[0], x[1], B(p, "transposeA"), B(p, "transposeB"))],
            "reshape" => [x[0].Reshape(Ints(p, "shape"))],
            "permute" => [x[0].Permute(Ints(p, "perm"))],
            "transpose" => [x[0].Transpose(I(p, "axis0"), I(p, "axis1"))],
            "slice" => [x[0].Slice(Ints(p, "starts"), Ints(p, "sizes"))],
            "pad" => [x[0].Pad(p.GetProperty("pads").EnumerateArray().Select(q => (q[0].GetInt32(), q[1].GetInt32())).ToArray())],
            "concat" => [Tensor.Concat(x, I(p, "axis"))],
            "stack" => [Tensor.Stack(x, I(p, "axis"))],
            "split" => x[0].Split(Ints(p, "sizes"), I(p, "axis")),
            "chunk" => x[0].Chunk(I(p, "chunks"), I(p, "axis")),
            "index_select" => [x[0].IndexSelect(I(p, "axis"), Ints(p, "index"))],
            "embedding" => [Embedding(x[0], p.GetProperty("ids"))],
            "gather" => [x[0].GatherAlong(I(p, "axis"), Ints(p, "index"), Ints(p, "indexShape"))],
            "scatter_add" => [x[0].ScatterAddAlong(I(p, "axis"), Ints(p, "index"), Ints(p, "shape"))],
            "topk" => TopK(x[0], I(p, "k"), I(p, "axis"), B(p, "largest")),
            "conv2d" => [Tensor.Conv2d(x[0], x[1], x.Length > 2 ? x[2] : null, I(p, "stride"), I(p, "padding"), I(p, "dilation"))],
            "conv_transpose2d" => [Tensor.ConvTranspose2d(x[0], x[1], x.Length > 2 ? x[2] : null,
                I(p, "stride"), I(p, "padding"), I(p, "outputPadding"), I(p, "dilation"))],
            "conv1d" => [Tensor.Conv1d(x[0], x[1], x.Length > 2 ? x[2] : null, I(p, "stride"), I(p, "padding"), I(p, "dilation"))],
            "conv_transpose1d" => [Tensor.ConvTranspose1d(x[0], x[1], x.Length > 2 ? x[2] : null,
                I(p, "stride"), I(p, "padding"), I(p, "outputPadding"), I(p, "dilation"))],
            "max_pool2d" => [x[0].MaxPool2d(I(p, "kernel"), I(p, "stride"), I(p, "padding"))],
            "avg_pool2d" => [x[0].AvgPool2d(I(p, "kernel"), I(p, "stride"), I(p, "padding"))],
            "upsample_nearest" => [x[0].UpsampleNearest2d(I(p, "scale"))],
            _ => throw new NotSupportedException($"golden op '{op}' has no C# mapping"),
        };
    }

    private static Tensor[] TopK(Tensor x, int k, int axis, bool largest)
    {
        var (values, indices) = x.TopK(k, axis, largest);
        return [values, IndexTensor(indices, values.Shape)];
    }

    /// <summary>F.embedding(ids [B, T], table [V, D]) -> [B, T, D] as an index-select of rows.</summary>
    private static Tensor Embedding(Tensor table, JsonElement ids)
    {
        var rows = ids.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var flat = rows.SelectMany(r => r).ToArray();
        return table.IndexSelect(0, flat).Reshape(rows.Length, rows[0].Length, table.Shape[1]);
    }

    private static Tensor IndexTensor(int[] index, int[] shape) => new(index.Select(i => (float)i).ToArray(), shape);

    private static int[] DropAxis(int[] shape, int axis)
    {
        int a = axis < 0 ? axis + shape.Length : axis;
        return shape.Where((_, i) => i != a).ToArray();
    }

    private static int I(JsonElement p, string name) => p.GetProperty(name).GetInt32();
    private static bool B(JsonElement p, string name) => p.GetProperty(name).GetBoolean();
    private static float F(JsonElement p, string name) => (float)p.GetProperty(name).GetDouble();
    private static float? OptF(JsonElement p, string name) =>
        p.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (float)v.GetDouble() : null;
    private static int[] Ints(JsonElement p, string name) => p.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
