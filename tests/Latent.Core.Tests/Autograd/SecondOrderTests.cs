using Latent.Core.Autograd;

namespace Latent.Core.Tests.Autograd;

/// <summary>
/// Gradients of gradients: the Jacobian penalty ||dz/dx||²_F of a 2-layer MLP, differentiated with respect to
/// the weights (what a contractive or gradient-penalty loss needs), checked by finite differences; and the
/// contractive autoencoder's closed form for a sigmoid encoder (Rifai et al., 2011, eq. 5).
/// </summary>
public class SecondOrderTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Activations = new()
    {
        ["tanh"] = h => h.Tanh(),
        ["sigmoid"] = h => h.Sigmoid(),
        ["softplus"] = h => h.Softplus(),
    };

    /// <summary>z = W2·act(W1·x + b1) + b2 for a batch x [B, D]; W1 [H, D], W2 [O, H].</summary>
    private static Tensor Mlp(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Func<Tensor, Tensor> act) =>
        Tensor.MatMul(act(Tensor.MatMul(x, w1, transposeB: true) + b1), w2, transposeB: true) + b2;

    /// <summary>Σ_b ||∂z_b/∂x_b||²_F: one createGraph backward per output unit (the batch rows are independent).</summary>
    private static Tensor JacobianPenalty(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Func<Tensor, Tensor> act)
    {
        var xr = x.Detach().Clone().RequireGrad();
        var z = Mlp(xr, w1, b1, w2, b2, act);
        Tensor? total = null;
        for (int k = 0; k < z.Shape[1]; k++)
        {
            var dzdx = Gradients.Grad(z.Narrow(1, k, 1).Sum(), [xr], createGraph: true)[0];
            var term = dzdx.Square().Sum();
            total = total is null ? term : total + term;
        }
        return total!;
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("softplus")]
    public void GradientOfJacobianPenaltyMatchesFiniteDifferences(string activation)
    {
        var rng = new Rng(42);
        var x = rng.Normal([3, 4]);
        var w1 = rng.Normal([5, 4], 0f, 0.7f);
        var b1 = rng.Normal([5], 0f, 0.5f);
        var w2 = rng.Normal([2, 5], 0f, 0.7f);
        var b2 = rng.Normal([2]);
        var act = Activations[activation];
        GradCheck.Check(p => JacobianPenalty(x, p[0], p[1], p[2], p[3], act), [w1, b1, w2, b2]);

        // b2 shifts z but not its Jacobian: its gradient must be exactly zero.
        var leaves = new[] { w1, b1, w2, b2 }.Select(t => t.Clone().RequireGrad()).ToArray();
        var g = Gradients.Grad(JacobianPenalty(x, leaves[0], leaves[1], leaves[2], leaves[3], act), leaves);
        Assert.All(g[3].ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(g[0].ToArray(), v => v != 0f);
    }

    [Fact]
    public void ContractivePenaltyClosedFormMatchesAutodiff()
    {
        // h = sigmoid(W x + b): ||J||²_F = Σ_j (h_j(1−h_j))² Σ_i W_ji².
        var rng = new Rng(5);
        var w = rng.Normal([6, 4]).RequireGrad();
        var b = rng.Normal([6]).RequireGrad();
        var x = rng.Normal([1, 4]).RequireGrad();
        var h = (Tensor.MatMul(x, w, transposeB: true) + b).Sigmoid(); // [1, 6]

        Tensor? autodiff = null;
        for (int j = 0; j < 6; j++)
        {
            var row = Gradients.Grad(h.Narrow(1, j, 1).Sum(), [x], createGraph: true)[0];
            var term = row.Square().Sum();
            autodiff = autodiff is null ? term : autodiff + term;
        }
        var dh = h * (1f - h);
        var closed = (dh.Square().Reshape(6) * w.Square().Sum(1)).Sum();
        Assert.Equal(closed.Item(), autodiff!.Item(), 5);

        // And their gradients with respect to the encoder's weights agree too.
        var gAuto = Gradients.Grad(autodiff, [w, b]);
        var gClosed = Gradients.Grad(closed, [w, b]);
        for (int i = 0; i < 2; i++)
            for (int e = 0; e < gAuto[i].Size; e++)
                Assert.Equal(gClosed[i].Span[e], gAuto[i].Span[e], 5);
    }

    [Fact]
    public void ThirdOrderOfCubeThroughCreateGraph()
    {
        var x = Tensor.FromArray([1.5f]).RequireGrad();
        var d1 = Gradients.Grad((x * x * x).Sum(), [x], createGraph: true)[0];  // 3x²
        var d2 = Gradients.Grad(d1.Sum(), [x], createGraph: true)[0];            // 6x
        var d3 = Gradients.Grad(d2.Sum(), [x])[0];                               // 6
        Assert.Equal(6.75f, d1.Item(), 5);
        Assert.Equal(9f, d2.Item(), 5);
        Assert.Equal(6f, d3.Item(), 5);
    }
}
