using Latent.Core;
using Latent.NN.Optim;
using Latent.NN.Optim.Scheduling;

namespace Latent.NN.Tests.Optim;

public class FactoryTests
{
    private static Tensor[] Params() => [Tensor.Zeros(2).RequireGrad()];

    [Fact]
    public void OptimizersAreCreatedByNameWithPyTorchDefaults()
    {
        Assert.IsType<Adam>(Optimizers.Create("adam", Params(), 1e-3f));
        var adamw = Assert.IsType<AdamW>(Optimizers.Create("AdamW", Params(), 1e-3f));
        Assert.Equal(0.01f, adamw.WeightDecay);
        Assert.True(adamw.Decoupled);
        var sgd = Assert.IsType<Sgd>(Optimizers.Create("sgd", Params(), 0.1f, momentum: 0.9f, nesterov: true));
        Assert.True(sgd.Nesterov);
        Assert.Equal(0f, Assert.IsType<Adam>(Optimizers.Create("adam", Params(), 1e-3f)).WeightDecay);
    }

    [Fact]
    public void UnknownOptimizerNameListsTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Optimizers.Create("rmsprop", Params(), 0.1f));
        Assert.Contains("'rmsprop'", ex.Message);
        Assert.Contains("adam, adamw, sgd", ex.Message);
    }

    [Fact]
    public void SchedulesAreCreatedByName()
    {
        var opt = new Sgd(Params(), 0.1f);
        Assert.IsType<ConstantLr>(Schedules.Create("constant", opt));
        Assert.IsType<StepLr>(Schedules.Create("step", opt, stepSize: 5));
        Assert.IsType<ExponentialLr>(Schedules.Create("exponential", opt, gamma: 0.9f));
        Assert.IsType<CosineAnnealingLr>(Schedules.Create("cosine", opt, totalSteps: 10));
        Assert.IsType<ReduceLrOnPlateau>(Schedules.Create("plateau", opt));
        var warm = Assert.IsType<LinearWarmup>(Schedules.Create("cosine", opt, totalSteps: 10, warmupSteps: 2));
        Assert.Equal(2, warm.WarmupSteps);
    }

    [Fact]
    public void BadScheduleArgumentsThrow()
    {
        var opt = new Sgd(Params(), 0.1f);
        Assert.Contains("expected one of", Assert.Throws<ArgumentException>(() => Schedules.Create("linear", opt)).Message);
        Assert.Throws<ArgumentException>(() => Schedules.Create("step", opt));
        Assert.Throws<ArgumentException>(() => Schedules.Create("cosine", opt, totalSteps: 3, warmupSteps: 3));
        Assert.Throws<ArgumentException>(() => Schedules.Create("plateau", opt, warmupSteps: 2));
    }
}
