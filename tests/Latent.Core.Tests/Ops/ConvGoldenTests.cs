namespace Latent.Core.Tests.Ops;

/// <summary>
/// conv2d, conv_transpose2d, conv1d, conv_transpose1d (stride/padding/dilation/output_padding), max_pool2d, avg_pool2d and nearest
/// upsampling against PyTorch: forward and the gradients of sum(output ⊙ W) for every input (x, weight, bias).
/// </summary>
/// <remarks>
/// Pending: rename this file to ConvGoldenTests.cs when the conv kernels land (they threw NotImplementedException
/// when it was written). The cases are already in golden.json and the op mapping in <see cref="GoldenOps"/>.
/// Tolerances are those of <see cref="GoldenCheck"/>: each output sums C·kh·kw products, so atol grows with √n.
/// </remarks>
public class ConvGoldenTests
{
    public static TheoryData<string> Cases() => GoldenCase.Names(GoldenOps.Conv.Contains);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => GoldenCheck.Run(GoldenCase.Get(name));

    [Fact]
    public void EveryConvOpHasCases()
    {
        var ops = GoldenCase.Ops();
        foreach (var op in GoldenOps.Conv) Assert.Contains(op, ops);
    }
}
