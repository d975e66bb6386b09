namespace Latent.Core.Tests.Ops;

/// <summary>Finite-difference checks of every unary op, first and second order.</summary>
public class UnaryGradTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, float[] Kinks, bool Positive)> Ops = new()
    {
        ["exp"] = (x => x.Exp(), [], false),
        ["log"] = (x => x.Log(), [], true),
        ["sqrt"] = (x => x.Sqrt(), [], true),
        ["abs"] = (x => x.Abs(), [0f], false),
        ["pow3"] = (x => x.Pow(3f), [], false),
        ["pow_half"] = (x => x.Pow(0.5f), [], true),
        ["pow_neg1.5"] = (x => x.Pow(-1.5f), [], true),
        ["square"] = (x => x.Square(), [], false),
        ["clamp"] = (x => x.Clamp(-0.5f, 0.7f), [-0.5f, 0.7f], false),
        ["clamp_min"] = (x => x.Clamp(min: 0.2f), [0.2f], false),
        ["relu"] = (x => x.Relu(), [0f], false),
        ["leaky_relu"] = (x => x.LeakyRelu(0.1f), [0f], false),
        ["elu"] = (x => x.Elu(1.3f), [0f], false),
        ["sigmoid"] = (x => x.Sigmoid(), [], false),
        ["tanh"] = (x => x.Tanh(), [], false),
        ["softplus"] = (x => x.Softplus(), [], false),
        ["gelu"] = (x => x.Gelu(), [], false),
        ["neg"] = (x => -x, [], false),
        ["scalar_ops"] = (x => (2f - x) * 3f / 4f + 1f, [], false),
        ["rdiv"] = (x => 1f / x, [], true),
    };

    public static TheoryData<string> Names() => new(Ops.Keys);

    private static Tensor Input(string name, int[] shape, ulong seed)
    {
        var (_, kinks, positive) = Ops[name];
        var rng = new Rng(seed);
        var x = GradCheck.AwayFrom(rng, shape, kinks, 0.05f, 1.5f);
        if (positive) x = x.Abs() + 0.3f;
        return x.Detach();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FirstOrder(string name)
    {
        foreach (var shape in new[] { new[] { 7 }, new[] { 2, 3, 4 }, Array.Empty<int>() })
            GradCheck.Check(xs => Ops[name].F(xs[0]), [Input(name, shape, 5)]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondOrder(string name)
    {
        GradCheck.CheckSecondOrder(xs => Ops[name].F(xs[0]), [Input(name, [3, 4], 6)]);
    }

    [Fact]
    public void SoftplusLargeInputsUseThresholdAndStayFinite()
    {
        var x = Tensor.FromArray([25f, 100f, -100f, 0f]).RequireGrad();
        var y = x.Softplus();
        Assert.Equal(25f, y.Span[0]);
        Assert.Equal(100f, y.Span[1]);
        Assert.Equal(MathF.Log(2f), y.Span[3], 6);
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Span[0]);
        Assert.Equal(0.5f, x.Grad!.Span[3]);
    }

    [Fact]
    public void SoftplusOfVeryNegativeInputIsAccurateNotZero()
    {
        // PyTorch: softplus(-30) = log1p(exp(-30)) = 9.3576e-14; log(1 + 9e-14) rounds to log(1) = 0 in float32.
        var y = Tensor.FromArray([-30f, -20f]).Softplus();
        Assert.Equal(9.3576e-14, y.Span[0], 1e-17);
        Assert.Equal(2.0611537e-9, y.Span[1], 1e-14);
    }

    [Fact]
    public void GradientsAtKinksFollowPyTorch()
    {
        var x = Tensor.FromArray([0f, -0.5f, 0.7f]).RequireGrad();
        (x.Relu() + x.Abs() + x.Clamp(-0.5f, 0.7f) + x.LeakyRelu(0.1f)).Sum().Backward();
        // relu'(0)=0, abs'(0)=0, clamp passes at both bounds (inclusive), leaky'(0)=slope.
        var g = x.Grad!.ToArray();
        Assert.Equal(1.1f, g[0], 6);
        Assert.Equal(0.1f, g[1], 6);
        Assert.Equal(4f, g[2], 6);
    }

    [Fact]
    public void PowZeroHasZeroGradientEverywhere()
    {
        // PyTorch special-cases exponent 0: d/dx x^0 = 0, also at x = 0 (not 0 * 0^-1 = NaN).
        var x = Tensor.FromArray([0f, 2f]).RequireGrad();
        x.Pow(0f).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void GeluUsesTheExactErf()
    {
        // torch.nn.functional.gelu(x) (approximate='none') in float64, rounded to float32.
        var y = Tensor.FromArray([-3f, -1f, 0.5f, 2f]).Gelu();
        Assert.Equal(-0.0040496, y.Span[0], 1e-6);
        Assert.Equal(-0.1586553, y.Span[1], 1e-6);
        Assert.Equal(0.3457312, y.Span[2], 1e-6);
        Assert.Equal(1.9544997, y.Span[3], 1e-6);
    }

    [Fact]
    public void NaNPropagatesThroughActivations()
    {
        var x = Tensor.FromArray([float.NaN]);
        foreach (var (name, op) in Ops)
            Assert.True(float.IsNaN(op.F(x).Item()), name);
    }
}
