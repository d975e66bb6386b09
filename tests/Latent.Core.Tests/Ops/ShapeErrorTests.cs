namespace Latent.Core.Tests.Ops;

/// <summary>Shape errors are ArgumentExceptions whose message names the op and the shapes involved.</summary>
public class ShapeErrorTests
{
    private static void Throws(Action act, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(act);
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
    }

    [Fact]
    public void MatMulInnerDims() =>
        Throws(() => Tensor.MatMul(Tensor.Zeros(32, 784), Tensor.Zeros(128, 64)), "MatMul", "[32,784]", "[128,64]", "784 != 128");

    [Fact]
    public void MatMulInnerDimsWithTransposeFlags() =>
        Throws(() => Tensor.MatMul(Tensor.Zeros(3, 4), Tensor.Zeros(3, 5), transposeB: true), "MatMul", "[3,4]", "[3,5]", "4 != 5");

    [Fact]
    public void MatMulBatchDims() =>
        Throws(() => Tensor.MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5)), "MatMul", "[2,3,4]", "[3,4,5]");

    [Fact]
    public void MatMulRank() => Throws(() => Tensor.MatMul(Tensor.Zeros(4), Tensor.Zeros(4, 2)), "MatMul", "[4]", "[4,2]");

    [Theory]
    [InlineData("add")]
    [InlineData("sub")]
    [InlineData("mul")]
    [InlineData("div")]
    [InlineData("pow")]
    [InlineData("maximum")]
    [InlineData("minimum")]
    public void BroadcastingBinaryOps(string op)
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        Action act = op switch
        {
            "add" => () => _ = a + b,
            "sub" => () => _ = a - b,
            "mul" => () => _ = a * b,
            "div" => () => _ = a / b,
            "pow" => () => Tensor.Pow(a, b),
            "maximum" => () => Tensor.Maximum(a, b),
            _ => () => Tensor.Minimum(a, b),
        };
        Throws(act, op, "[2,3]", "[4]");
    }

    [Fact]
    public void Where() => Throws(() => Tensor.Where(Tensor.Zeros(2), Tensor.Zeros(3), Tensor.Zeros(1)), "where", "[2]", "[3]");

    [Fact]
    public void BroadcastTo() => Throws(() => Tensor.Zeros(2, 3).BroadcastTo([3, 3]), "[2,3]", "[3,3]");

    [Fact]
    public void Concat() =>
        Throws(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1), "Concat", "[2,3]", "[3,3]", "dimension 0");

    [Fact]
    public void ConcatRank() => Throws(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3)]), "Concat", "[2,3]", "[3]");

    [Fact]
    public void Stack() => Throws(() => Tensor.Stack([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)]), "Concat", "[1,2,3]", "[1,2,4]");

    [Fact]
    public void Reshape() => Throws(() => Tensor.Zeros(2, 3).Reshape(4, 2), "Reshape", "[2,3]", "[4,2]");

    [Fact]
    public void ReshapeInferred() => Throws(() => Tensor.Zeros(2, 3).Reshape(4, -1), "Reshape", "[2,3]", "[4,-1]");

    [Fact]
    public void ReshapeNegative() => Throws(() => Tensor.Zeros(2, 3).Reshape(-2, -3), "Reshape", "[2,3]", "[-2,-3]");

    [Fact]
    public void Permute() => Throws(() => Tensor.Zeros(2, 3).Permute(0, 1, 2), "Permute", "[2,3]");

    [Fact]
    public void Slice() => Throws(() => Tensor.Zeros(2, 3).Slice([0, 2], [1, 2]), "Slice", "[2,3]");

    [Fact]
    public void Split() => Throws(() => Tensor.Zeros(2, 5).Split([2, 2], 1), "Split", "[2,5]");

    [Fact]
    public void Gather() => Throws(() => Tensor.Zeros(3, 4).GatherAlong(1, [0, 0, 0, 0], [2, 2]), "GatherAlong", "[2,2]", "[3,4]");

    [Fact]
    public void IndexSelect() => Throws(() => Tensor.Zeros(3, 4).IndexSelect(0, [3]), "IndexSelect", "[3,4]");

    [Fact]
    public void Axis() => Throws(() => Tensor.Zeros(3, 4).Sum(2), "Sum", "axis 2");

    [Fact]
    public void TopK() => Throws(() => Tensor.Zeros(3, 4).TopK(5), "TopK", "[3,4]");

    [Fact]
    public void SumTo() => Throws(() => Tensor.Zeros(3, 4).SumTo([2, 4]), "SumTo", "[3,4]", "[2,4]");

    [Fact]
    public void BackwardGradientShape()
    {
        var x = Tensor.Zeros(2, 3).RequireGrad();
        Throws(() => (x * 2f).Backward(Tensor.Zeros(3, 2)), "Backward", "[3,2]", "[2,3]");
    }
}
