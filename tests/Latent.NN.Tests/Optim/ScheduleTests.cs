using Latent.Core;
using Latent.NN.Optim;
using Latent.NN.Optim.Scheduling;

namespace Latent.NN.Tests.Optim;

public class ScheduleTests
{
    private static Sgd NewOptimizer() => new([Tensor.Zeros(1).RequireGrad()], 0.1f);

    private static LrScheduler Make(string name, Optimizer opt) => name switch
    {
        "step" => new StepLr(opt, 3, 0.5f),
        "exponential" => new ExponentialLr(opt, 0.9f),
        "cosine" => new CosineAnnealingLr(opt, 6, 0.01f),
        "warmup" => new LinearWarmup(opt, 4, 1f / 3f),
        "warmup_cosine" => new LinearWarmup(opt, 4, 1f / 3f, new CosineAnnealingLr(opt, 8)),
        "plateau" => new ReduceLrOnPlateau(opt, factor: 0.5f, patience: 2, cooldown: 1, minLr: 0.02f),
        _ => throw new ArgumentException(name),
    };

    private static float? Metric(string name, int i) =>
        name == "plateau" ? (float)Golden.Case("schedules").GetProperty("plateau_metrics").Doubles()[i] : null;

    [Theory]
    [InlineData("step")]
    [InlineData("exponential")]
    [InlineData("cosine")]
    [InlineData("warmup")]
    [InlineData("warmup_cosine")]
    [InlineData("plateau")]
    public void LearningRatesMatchPyTorch(string name)
    {
        var expected = Golden.Case("schedules").GetProperty(name).Doubles();
        var opt = NewOptimizer();
        var schedule = Make(name, opt);
        for (int i = 0; i < expected.Length; i++)
        {
            if (i > 0) schedule.Step(Metric(name, i - 1));
            Assert.True(Math.Abs(opt.LearningRate - expected[i]) <= 1e-6 * expected[i] + 1e-9,
                $"{name}: lr at epoch {i} is {opt.LearningRate}, PyTorch has {expected[i]}");
        }
    }

    [Theory]
    [InlineData("step")]
    [InlineData("cosine")]
    [InlineData("warmup_cosine")]
    [InlineData("plateau")]
    public void ResumedScheduleContinuesIdentically(string name)
    {
        var opt = NewOptimizer();
        var schedule = Make(name, opt);
        for (int i = 0; i < 9; i++) schedule.Step(Metric(name, i));
        var state = schedule.GetState();
        var optState = opt.GetState();
        var opt2 = NewOptimizer();
        var resumed = Make(name, opt2);
        opt2.SetState(optState);
        resumed.SetState(state);
        Assert.Equal(opt.LearningRate, opt2.LearningRate);
        for (int i = 9; i < 20; i++)
        {
            schedule.Step(Metric(name, i));
            resumed.Step(Metric(name, i));
            Assert.Equal(opt.LearningRate, opt2.LearningRate);
        }
        Assert.Equal(schedule.GetState(), resumed.GetState());
    }

    [Fact]
    public void SetStateRejectsMissingAndUnknownKeys()
    {
        var schedule = new StepLr(NewOptimizer(), 2);
        var state = new Dictionary<string, double>(schedule.GetState());
        state.Remove("base_lr");
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => schedule.SetState(state)).Message);
        var extra = new Dictionary<string, double>(new ReduceLrOnPlateau(NewOptimizer()).GetState());
        Assert.Contains("unknown", Assert.Throws<ArgumentException>(() => schedule.SetState(extra)).Message);
    }

    [Fact]
    public void PlateauNeedsAMetric()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ReduceLrOnPlateau(NewOptimizer()).Step());
        Assert.Contains("metric", ex.Message);
    }
}
