using Latent.Models.Training;

namespace Latent.Models.Tests.Training;

/// <summary>The linear scaling rule and gradual warm-up of Goyal et al. 2017 (TrainingOptions.LrScaling, LrWarmupEpochs).</summary>
public sealed class LargeBatchTests
{
    [Theory]
    [InlineData("none", 256, 1.0)]
    [InlineData("linear", 256, 4.0)]
    [InlineData("linear:128", 256, 2.0)]
    [InlineData("linear:512", 256, 0.5)]
    public void LinearScalingMultipliesByBatchOverReference(string rule, int batch, double k) =>
        Assert.Equal(k, new TrainingOptions { LrScaling = rule, BatchSize = batch }.LrScale());

    [Theory]
    [InlineData("sqrt")]
    [InlineData("linear:0")]
    [InlineData("linear:x")]
    [InlineData("linear:1:2")]
    public void UnknownRulesAreRejectedByName(string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingOptions { LrScaling = rule }.Validate());
        Assert.Equal(nameof(TrainingOptions.LrScaling), e.ParamName);
        Assert.Contains($"'{rule}'", e.Message);
    }

    [Fact]
    public void WarmupRisesFromBaseOverKToTheScaledRate()
    {
        // k = 4, two epochs of 10 steps: factor (1 + 3t)/4 for t = step/20, then 1.
        var options = new TrainingOptions { LrScaling = "linear", BatchSize = 256, LrWarmupEpochs = 2 };
        Assert.Equal(0.25f, Trainer.LrWarmup(options, 0, 10));
        Assert.Equal(0.625f, Trainer.LrWarmup(options, 10, 10));
        Assert.Equal(1f, Trainer.LrWarmup(options, 20, 10));
        Assert.Equal(1f, Trainer.LrWarmup(options, 500, 10));
        Assert.Equal(1f, Trainer.LrWarmup(options with { LrWarmupEpochs = 0 }, 0, 10));
    }

    [Fact]
    public void ScaledRateReachesTheOptimizer()
    {
        var model = new ToyModel(1f, 0f, 0f);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.01f, LrScaling = "linear:2", Shuffle = false };
        var seen = new List<double>();
        Trainer.Fit(model, ToyModel.Data(16), null, options, new Progress(p => { if (p.EpochEnd is null) seen.Add(p.LearningRate); }));
        Assert.All(seen, lr => Assert.Equal(0.04, lr, 6));
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
