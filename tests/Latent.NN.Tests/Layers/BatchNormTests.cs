using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class BatchNormTests
{
    private static BatchNorm Make(string name, int c) => name.StartsWith("batchnorm1d", StringComparison.Ordinal)
        ? new BatchNorm1d(c)
        : name == "batchnorm2d_cumulative" ? new BatchNorm2d(c, momentum: null) : new BatchNorm2d(c);

    [Theory]
    [InlineData("batchnorm1d_2d")]
    [InlineData("batchnorm1d_3d")]
    [InlineData("batchnorm2d")]
    [InlineData("batchnorm2d_cumulative")]
    public void TrainThenEvalMatchesPyTorch(string name)
    {
        var g = Golden.Case(name);
        var w = g.T("weight");
        var bn = Make(name, w.Size);
        bn.Weight!.CopyFrom(w);
        bn.Bias!.CopyFrom(g.T("bias"));
        int step = 0;
        foreach (var s in g.GetProperty("train").EnumerateArray())
        {
            step++;
            var x = s.T("x").RequireGrad();
            var y = bn.Forward(x);
            var grads = Gradients.Grad((y * s.T("g")).Sum(), [x, bn.Weight!, bn.Bias!]);
            Check.Close(s.T("y"), y, 1e-4f, 1e-5f, $"{name} step {step} y");
            Check.Close(s.T("gx"), grads[0], 1e-4f, 1e-5f, $"{name} step {step} dx");
            Check.Close(s.T("gw"), grads[1], 1e-4f, 1e-5f, $"{name} step {step} dweight");
            Check.Close(s.T("gb"), grads[2], 1e-4f, 1e-5f, $"{name} step {step} dbias");
            Check.Close(s.T("running_mean"), bn.RunningMean!, 1e-5f, 1e-6f, $"{name} step {step} running_mean");
            Check.Close(s.T("running_var"), bn.RunningVar!, 1e-5f, 1e-6f, $"{name} step {step} running_var");
            Assert.Equal(s.GetProperty("num_batches_tracked").GetInt32(), (int)bn.NumBatchesTracked!.Item());
        }
        bn.Eval();
        var e = g.GetProperty("eval");
        var xe = e.T("x").RequireGrad();
        var ye = bn.Forward(xe);
        var ge = Gradients.Grad((ye * e.T("g")).Sum(), [xe, bn.Weight!, bn.Bias!]);
        Check.Close(e.T("y"), ye, 1e-4f, 1e-5f, $"{name} eval y");
        Check.Close(e.T("gx"), ge[0], 1e-4f, 1e-5f, $"{name} eval dx");
        Check.Close(e.T("gw"), ge[1], 1e-4f, 1e-5f, $"{name} eval dweight");
        Check.Close(e.T("gb"), ge[2], 1e-4f, 1e-5f, $"{name} eval dbias");
    }

    [Fact]
    public void EvalDoesNotTouchRunningStatistics()
    {
        var bn = new BatchNorm1d(2);
        bn.Eval();
        bn.Forward(new Rng(1).Normal([5, 2], 3f, 2f));
        Assert.Equal([0f, 0f], bn.RunningMean!.ToArray());
        Assert.Equal([1f, 1f], bn.RunningVar!.ToArray());
        Assert.Equal(0f, bn.NumBatchesTracked!.Item());
    }

    [Fact]
    public void TrainingGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(3);
        var x = rng.Normal([4, 3, 2]).RequireGrad();
        var w = rng.Normal([3], 1f, 0.5f).RequireGrad();
        var b = rng.Normal([3]).RequireGrad();
        Check.Gradients(() => Check.Project(F.BatchNorm(x, null, null, w, b, training: true)), [x, w, b]);
    }

    [Fact]
    public void EvalGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(4);
        var x = rng.Normal([3, 2, 2, 2]).RequireGrad();
        var w = rng.Normal([2], 1f, 0.5f).RequireGrad();
        var b = rng.Normal([2]).RequireGrad();
        var rm = Tensor.FromArray([0.3f, -0.2f]);
        var rv = Tensor.FromArray([1.5f, 0.4f]);
        Check.Gradients(() => Check.Project(F.BatchNorm(x, rm, rv, w, b, training: false)), [x, w, b]);
    }

    [Fact]
    public void WrongChannelCountNamesTheLayerAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 3, 3)));
        Assert.Contains("BatchNorm2d", ex.Message);
        Assert.Contains("[2,4,3,3]", ex.Message);
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 3, 3, 3)));
    }

    [Fact]
    public void OneValuePerChannelInTrainingThrows()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3)));
        Assert.Contains("more than 1 value per channel", ex.Message);
    }

    [Fact]
    public void WithoutRunningStatisticsEvalUsesBatchStatistics()
    {
        var bn = new BatchNorm1d(2, trackRunningStats: false);
        Assert.Empty(bn.NamedBuffers());
        bn.Eval();
        var y = bn.Forward(Tensor.FromArray([1f, 10f, 3f, 30f], 2, 2));
        // Each column normalised by its own batch statistics: ±1 (up to eps).
        Check.Close(Tensor.FromArray([-1f, -1f, 1f, 1f], 2, 2), y, 0f, 1e-4f, "batch stats in eval");
    }
}
