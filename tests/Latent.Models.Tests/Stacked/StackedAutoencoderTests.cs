using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Stacked;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Training;

namespace Latent.Models.Tests.Stacked;

public class StackedAutoencoderTests
{
    private static StackedAutoencoder Model(ulong seed = 1, int epochs = 8, string arch = "16-12-8-3") =>
        new(new StackedOptions { Network = new AutoencoderOptions { Architecture = arch, HiddenActivation = "sigmoid" }, PretrainEpochs = epochs },
            [1, 4, 4], new Rng(seed));

    private static readonly TrainingOptions Training = new() { BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 };

    [Fact]
    public void Defaults_are_the_papers_and_parse_back()
    {
        var o = new StackedOptions();
        Assert.Equal(("784-1000-500-250-30", "sigmoid", "none", 50), (o.Network.Architecture, o.Network.HiddenActivation, o.Network.CodeActivation, o.PretrainEpochs));
        ModelChecks.RegistryRoundTrip("stacked-ae", new() { ["arch"] = "16-8-3", ["pretrain_epochs"] = "2" }, [1, 4, 4]);
        Assert.Equal("PretrainEpochs", Assert.Throws<ArgumentException>(() => StackedOptions.Schema.Parse(new Dictionary<string, string> { ["pretrain_epochs"] = "-1" })).ParamName);
        Assert.IsAssignableFrom<IPretrainable>(Model());
        Assert.Equal(3, Model().Depth);
    }

    [Fact]
    public void Pretraining_trains_each_layer_pair_greedily_and_reports_progress()
    {
        var data = TestData.LowRankImages(256);
        var model = Model();
        var before = model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var reports = new List<TrainingProgress>();
        model.Pretrain(data, Training, new TestData.SyncProgress<TrainingProgress>(reports.Add), CancellationToken.None);
        Assert.Equal(3, model.PretrainHistory.Count);
        foreach (var losses in model.PretrainHistory)
            Assert.True(losses[^1] < losses[0], $"layer loss went {losses[0]} -> {losses[^1]}");
        var epochs = reports.Where(r => r.EpochEnd is not null).ToList();
        Assert.Equal(24, epochs.Count);
        Assert.Equal(["pretrain1", "pretrain2", "pretrain3"], epochs.Select(r => r.Stage).Distinct());
        Assert.All(reports, r => Assert.Equal(8, r.Epochs));
        foreach (var (name, tensor) in model.NamedParameters())
            Assert.False(before[name].SequenceEqual(tensor.ToArray()), $"{name} was not pretrained");
    }

    [Fact]
    public void The_unrolled_pretrained_network_already_reconstructs_better_than_a_random_one()
    {
        var data = TestData.LowRankImages(256);
        var pretrained = Model(seed: 2);
        pretrained.Pretrain(data, Training, null, CancellationToken.None);
        var random = Model(seed: 2);
        double p = Evaluation(pretrained, data), r = Evaluation(random, data);
        Assert.True(p < 0.8 * r, $"pretrained {p} vs random {r}");
        // Fine-tuning then lowers it further.
        Trainer.Fit(pretrained, data, null, Training with { Epochs = 5 });
        Assert.True(Evaluation(pretrained, data) < p);
    }

    [Fact]
    public void Cancellation_stops_pretraining()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var model = Model();
        model.Pretrain(TestData.LowRankImages(64), Training, null, cts.Token);
        Assert.Empty(model.PretrainHistory);
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        var x = data.Batch([0, 1, 2, 3, 4, 5, 6, 7]);
        ModelChecks.ShapesAndFiniteLoss(Model(), x);
        ModelChecks.OneStepChangesEveryParameter(Model(), x);
        ModelChecks.CheckpointLoadsBitIdentically(s => Model(seed: s), data);
        ModelChecks.LossFalls(Model(seed: 5), data, epochs: 12);
    }

    private static double Evaluation(AutoencoderModel model, Latent.Data.Dataset data) =>
        Latent.Models.Metrics.Evaluation.Reconstruction(model, data).SsePerImage;
}
