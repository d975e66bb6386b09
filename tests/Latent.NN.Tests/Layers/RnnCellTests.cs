using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class RnnCellTests
{
    private static void Load(Tensor target, System.Text.Json.JsonElement g, string name) => target.CopyFrom(g.T(name));

    [Fact]
    public void LstmCellMatchesPyTorch()
    {
        var g = Golden.Case("lstmcell");
        var cell = new LstmCell(5, 4, new Rng(0));
        Load(cell.WeightIh, g, "weight_ih"); Load(cell.WeightHh, g, "weight_hh");
        Load(cell.BiasIh!, g, "bias_ih"); Load(cell.BiasHh!, g, "bias_hh");
        var x = g.T("x").RequireGrad();
        var h = g.T("h").RequireGrad();
        var c = g.T("c").RequireGrad();
        var (h1, c1) = cell.Forward(x, (h, c));
        var loss = (h1 * g.T("gh")).Sum() + (c1 * g.T("gc")).Sum();
        var grads = Gradients.Grad(loss, [x, h, c, cell.WeightIh, cell.WeightHh, cell.BiasIh!, cell.BiasHh!]);
        Check.Close(g.T("h1"), h1, 1e-5f, 1e-6f, "h'");
        Check.Close(g.T("c1"), c1, 1e-5f, 1e-6f, "c'");
        string[] names = ["grad_x", "grad_h", "grad_c", "grad_weight_ih", "grad_weight_hh", "grad_bias_ih", "grad_bias_hh"];
        for (int i = 0; i < names.Length; i++) Check.Close(g.T(names[i]), grads[i], 1e-4f, 1e-5f, names[i]);
    }

    [Fact]
    public void GruCellMatchesPyTorch()
    {
        var g = Golden.Case("grucell");
        var cell = new GruCell(5, 4, new Rng(0));
        Load(cell.WeightIh, g, "weight_ih"); Load(cell.WeightHh, g, "weight_hh");
        Load(cell.BiasIh!, g, "bias_ih"); Load(cell.BiasHh!, g, "bias_hh");
        var x = g.T("x").RequireGrad();
        var h = g.T("h").RequireGrad();
        var h1 = cell.Forward(x, h);
        var grads = Gradients.Grad((h1 * g.T("gh")).Sum(), [x, h, cell.WeightIh, cell.WeightHh, cell.BiasIh!, cell.BiasHh!]);
        Check.Close(g.T("h1"), h1, 1e-5f, 1e-6f, "h'");
        string[] names = ["grad_x", "grad_h", "grad_weight_ih", "grad_weight_hh", "grad_bias_ih", "grad_bias_hh"];
        for (int i = 0; i < names.Length; i++) Check.Close(g.T(names[i]), grads[i], 1e-4f, 1e-5f, names[i]);
    }

    [Fact]
    public void LstmCellGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(7);
        var cell = new LstmCell(3, 2, rng);
        var x = rng.Normal([2, 3]).RequireGrad();
        var h = rng.Normal([2, 2]).RequireGrad();
        var c = rng.Normal([2, 2]).RequireGrad();
        Check.Gradients(() =>
        {
            var (h1, c1) = cell.Forward(x, (h, c));
            return Check.Project(h1, 1) + Check.Project(c1, 2);
        }, [x, h, c, cell.WeightIh, cell.WeightHh, cell.BiasIh!, cell.BiasHh!]);
    }

    [Fact]
    public void GruCellGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(8);
        var cell = new GruCell(3, 2, rng);
        var x = rng.Normal([2, 3]).RequireGrad();
        var h = rng.Normal([2, 2]).RequireGrad();
        Check.Gradients(() => Check.Project(cell.Forward(x, h)), [x, h, cell.WeightIh, cell.WeightHh, cell.BiasIh!, cell.BiasHh!]);
    }

    [Fact]
    public void MissingStateStartsFromZeros()
    {
        var rng = new Rng(9);
        var lstm = new LstmCell(3, 2, rng);
        var gru = new GruCell(3, 2, rng);
        var x = rng.Normal([4, 3]);
        var (h, c) = lstm.Forward(x);
        var (h0, c0) = lstm.Forward(x, (Tensor.Zeros(4, 2), Tensor.Zeros(4, 2)));
        Assert.Equal(h0.ToArray(), h.ToArray());
        Assert.Equal(c0.ToArray(), c.ToArray());
        Assert.Equal(gru.Forward(x, Tensor.Zeros(4, 2)).ToArray(), gru.Forward(x).ToArray());
    }

    [Fact]
    public void WrongShapesThrowWithTheCellName()
    {
        var lstm = new LstmCell(3, 2, new Rng(1));
        Assert.Contains("LstmCell", Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(4, 5))).Message);
        Assert.Contains("[4,3]", Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(4, 3), (Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)))).Message);
        var gru = new GruCell(3, 2, new Rng(1));
        Assert.Contains("GruCell", Assert.Throws<ArgumentException>(() => gru.Forward(Tensor.Zeros(4, 3), Tensor.Zeros(3, 2))).Message);
    }
}
