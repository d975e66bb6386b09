using Latent.Core;
using Latent.NN.Optim;

namespace Latent.NN.Tests.Optim;

public class OptimizerStateTests
{
    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("sgd_nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void ResumedRunContinuesBitForBit(string config)
    {
        var full = new OptimizerTrajectoryTests.Problem();
        var fullOpt = OptimizerTrajectoryTests.Make(config, [full.W, full.B]);
        var first = new OptimizerTrajectoryTests.Problem();
        var firstOpt = OptimizerTrajectoryTests.Make(config, [first.W, first.B]);
        for (int i = 0; i < 4; i++)
        {
            full.Gradients(fullOpt); fullOpt.Step();
            first.Gradients(firstOpt); firstOpt.Step();
        }
        var state = firstOpt.GetState();
        // Resume: fresh parameters loaded with the saved values, a fresh optimizer given the saved state.
        var resumed = new OptimizerTrajectoryTests.Problem();
        resumed.W.CopyFrom(first.W);
        resumed.B.CopyFrom(first.B);
        var resumedOpt = OptimizerTrajectoryTests.Make(config, [resumed.W, resumed.B]);
        resumedOpt.SetState(state);
        Assert.Equal(4, resumedOpt.StepCount);
        for (int i = 0; i < 6; i++)
        {
            full.Gradients(fullOpt); fullOpt.Step();
            resumed.Gradients(resumedOpt); resumedOpt.Step();
        }
        Assert.Equal(full.W.ToArray(), resumed.W.ToArray());
        Assert.Equal(full.B.ToArray(), resumed.B.ToArray());
    }

    [Fact]
    public void StateIsACopyWithPyTorchNames()
    {
        var p = Tensor.Zeros(3).RequireGrad();
        var opt = new Adam([p], 0.1f);
        p.Grad = Tensor.Ones(3);
        opt.Step();
        var state = opt.GetState();
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq"], state.Buffers.Keys.Order());
        Assert.Equal(1, state.Step);
        Assert.Equal(0.1f, state.LearningRate);
        state.Buffers["0.exp_avg"][0] = 42f;
        Assert.NotEqual(42f, opt.FirstMoments[0][0]);
    }

    [Fact]
    public void SgdHasNoMomentumBufferBeforeItsFirstStep()
    {
        var p = Tensor.Zeros(2).RequireGrad();
        var opt = new Sgd([p], 0.1f, momentum: 0.9f);
        Assert.Empty(opt.GetState().Buffers);
        p.Grad = Tensor.Ones(2);
        opt.Step();
        Assert.Equal(["0.momentum_buffer"], opt.GetState().Buffers.Keys);
        Assert.Empty(new Sgd([p], 0.1f).GetState().Buffers);
    }

    [Fact]
    public void SetStateValidatesNamesAndLengths()
    {
        var p = Tensor.Zeros(3).RequireGrad();
        var adam = new Adam([p]);
        var good = adam.GetState();
        var shortBuffer = new Dictionary<string, float[]>(good.Buffers) { ["0.exp_avg"] = new float[2] };
        var ex = Assert.Throws<ArgumentException>(() => adam.SetState(good with { Buffers = shortBuffer }));
        Assert.Contains("Adam", ex.Message);
        Assert.Contains("[3]", ex.Message);
        var missing = new Dictionary<string, float[]> { ["0.exp_avg"] = new float[3] };
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => adam.SetState(good with { Buffers = missing })).Message);
        var unknown = new Dictionary<string, float[]>(good.Buffers) { ["0.momentum_buffer"] = new float[3] };
        Assert.Contains("unknown", Assert.Throws<ArgumentException>(() => adam.SetState(good with { Buffers = unknown })).Message);
        var badIndex = new Dictionary<string, float[]>(good.Buffers) { ["1.exp_avg"] = new float[3] };
        Assert.Throws<ArgumentException>(() => adam.SetState(good with { Buffers = badIndex }));
        Assert.Throws<ArgumentException>(() => adam.SetState(good with { Step = -1 }));
        var sgd = new Sgd([p], 0.1f);
        Assert.Throws<ArgumentException>(() => sgd.SetState(new OptimizerState(1, 0.1f, new Dictionary<string, float[]> { ["0.momentum_buffer"] = new float[3] })));
    }
}
