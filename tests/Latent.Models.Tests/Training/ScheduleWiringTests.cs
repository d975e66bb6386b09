using Latent.Models.Training;
using Latent.NN.Optim;

namespace Latent.Models.Tests.Training;

public class ScheduleWiringTests
{
    private static readonly Latent.Data.Dataset Data = TestData.LowRankImages(40);

    private static TrainingOptions Options(string dir, string optimizer, string schedule) =>
        new()
        {
            Epochs = 4, BatchSize = 10, LearningRate = 5e-3f, Seed = 5, OutputDirectory = dir, Optimizer = optimizer,
            Schedule = schedule, GradientClip = 1f, ValidationFraction = 0.25,
        };

    private static (List<(double Loss, double Lr)> Steps, TrainingResult Result) Run(AutoencoderModel model, TrainingOptions o,
        long cancelAt = -1, string? resume = null)
    {
        var steps = new List<(double, double)>();
        var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnd is not null) return;
            steps.Add((p.Terms[0].Value, p.LearningRate));
            if (p.Step == cancelAt) cts.Cancel();
        });
        return (steps, Trainer.Fit(model, Data, null, o, progress, cts.Token, resume));
    }

    [Theory]
    [InlineData("sgd", "cosine:warmup=1", 5)]
    [InlineData("adamw", "step:size=1,gamma=0.5", 7)]
    [InlineData("adam", "plateau:patience=0,factor=0.5", 4)]
    [InlineData("adam", "exponential:gamma=0.9", 1)]
    public void Optimizers_and_schedules_resume_bit_for_bit(string optimizer, string schedule, long cancelAt)
    {
        var straight = TestData.SmallAe(seed: 1);
        var (expected, _) = Run(straight, Options(TestData.TempDir(), optimizer, schedule));

        var dir = TestData.TempDir();
        var (first, cancelled) = Run(TestData.SmallAe(seed: 1), Options(dir, optimizer, schedule), cancelAt);
        Assert.Equal(TrainingStatus.Cancelled, cancelled.Status);
        var ckpt = Checkpoint.Load(cancelled.CheckpointPath!);
        Assert.Equal(optimizer, ckpt.Optimizers[0].Kind);
        Assert.Equal(schedule, ckpt.Schedule);
        Assert.NotNull(ckpt.Optimizers[0].SchedulerState);

        var resumed = TestData.SmallAe(seed: 9);
        var (second, final) = Run(resumed, Options(dir, optimizer, schedule), resume: cancelled.CheckpointPath);
        Assert.Equal(TrainingStatus.Completed, final.Status);
        Assert.Equal(expected, first.Concat(second).ToList());
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));
    }

    [Fact]
    public void Learning_rates_follow_the_schedule()
    {
        var (cosine, _) = Run(TestData.SmallAe(), Options(TestData.TempDir(), "adam", "cosine"));
        Assert.Equal(5e-3, cosine[0].Lr, 6);
        Assert.True(cosine.Zip(cosine.Skip(1)).All(p => p.Second.Lr <= p.First.Lr));
        Assert.True(cosine[^1].Lr < 1e-4);

        var (step, result) = Run(TestData.SmallAe(), Options(TestData.TempDir(), "sgd", "step:size=2,gamma=0.1"));
        Assert.Equal([5e-3, 5e-3, 5e-4, 5e-4], result.History.Select(h => Math.Round(h.LearningRate, 7)));
        Assert.Equal(12, step.Count);
    }

    [Fact]
    public void Plateau_reads_the_loss_and_saves_its_best()
    {
        var (_, result) = Run(TestData.SmallAe(), Options(TestData.TempDir(), "adam", "plateau:patience=0,factor=0.5"));
        var state = Checkpoint.Load(result.CheckpointPath!).Optimizers[0].SchedulerState!;
        Assert.True(double.IsFinite(state["best"]));
        Assert.Equal(4, state["last_epoch"]);
    }

    [Theory]
    [InlineData("Optimizer", "lion", "constant")]
    [InlineData("Schedule", "adam", "warp")]
    [InlineData("Schedule", "adam", "step:speed=3")]
    [InlineData("Schedule", "adam", "step:warmup=1")]
    [InlineData("Schedule", "adam", "cosine:min=abc")]
    public void Bad_names_name_the_option(string param, string optimizer, string schedule)
    {
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), Data, null,
            Options(TestData.TempDir(), optimizer, schedule)));
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void Clipping_uses_grad_clip_by_default()
    {
        Assert.NotNull(TrainerServices.Default.ClipGradNorm);
        var p = Latent.Core.Tensor.FromArray([1f, 1f], 2);
        p.Grad = Latent.Core.Tensor.FromArray([3f, 4f], 2);
        Assert.Equal(5f, TrainerServices.Default.ClipGradNorm!([p], 1f), 5);
        Assert.Equal(1f, GradClip.ClipGradNorm([p], 10f), 4); // the gradient was scaled to norm 1
    }
}
