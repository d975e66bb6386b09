namespace Latent.Core.Tests.Ops;

/// <summary>
/// Forward and backward of every op against PyTorch (tests/Golden/golden.json, from gen_golden.py): the
/// outputs, and the gradients of Σ_k sum(output_k ⊙ W_k) for PyTorch's fixed random W_k.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> Cases() => GoldenCase.Names(op => !GoldenOps.Conv.Contains(op));

    [Fact]
    public void EveryOpHasGoldenCases()
    {
        // The generator covers every op the C# mapping knows; a missing op would silently test nothing.
        var ops = GoldenCase.Ops();
        foreach (var op in new[] { "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "gelu", "softplus", "pow_scalar",
                     "clamp", "leaky_relu", "elu", "add", "sub", "mul", "div", "pow", "maximum", "minimum", "where", "sum", "mean",
                     "var", "max", "min", "argmax", "argmin", "logsumexp", "softmax", "log_softmax", "matmul", "reshape", "permute",
                     "transpose", "slice", "pad", "concat", "stack", "split", "chunk", "index_select", "embedding", "gather",
                     "scatter_add", "topk", "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "upsample_nearest" })
            Assert.Contains(op, ops);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenCheck.Run(GoldenCase.Get(name));
}
