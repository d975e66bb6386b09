using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models.Tests.Training;

public class TrainerTests
{
    private static readonly Dataset Data = TestData.LowRankImages(40);

    private static TrainingOptions Options(string? dir = null, ulong seed = 11) =>
        new() { Epochs = 4, BatchSize = 10, LearningRate = 5e-3f, Seed = seed, OutputDirectory = dir, CheckpointEvery = 1 };

    /// <summary>Runs Fit and returns the per-step loss values (all terms, as raw doubles) and the result.</summary>
    private static (List<double[]> Steps, TrainingResult Result) Run(AutoencoderModel model, TrainingOptions o, Dataset? valid = null,
        CancellationTokenSource? cancelAfter = null, long cancelAtStep = -1, string? resume = null, Action<TrainingProgress>? also = null)
    {
        var steps = new List<double[]>();
        var progress = new TestData.SyncProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnd is null)
            {
                steps.Add(p.Terms.Select(t => t.Value).ToArray());
                if (p.Step == cancelAtStep) cancelAfter!.Cancel();
            }
            also?.Invoke(p);
        });
        var result = Trainer.Fit(model, Data, valid, o, progress, cancelAfter?.Token ?? default, resume);
        return (steps, result);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_losses_and_weights()
    {
        var (a, ra) = Run(TestData.SmallAe(seed: 1), Options());
        var (b, rb) = Run(TestData.SmallAe(seed: 1), Options());
        Assert.Equal(16, a.Count);
        Assert.Equal(a, b);
        Assert.Equal(TrainingStatus.Completed, ra.Status);
        Assert.Equal(ra.History.Select(h => h.TrainValue("total")), rb.History.Select(h => h.TrainValue("total")));

        var (c, _) = Run(TestData.SmallAe(seed: 1), Options(seed: 12)); // another shuffle order
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(6)]  // mid-epoch: epoch 2, after its second step
    [InlineData(8)]  // the cancelled step ends epoch 2
    [InlineData(1)]  // the very first step
    public void Interrupted_then_resumed_run_matches_an_uninterrupted_one_bit_for_bit(long cancelAt)
    {
        var straight = TestData.SmallAe(seed: 1);
        var (expected, expectedResult) = Run(straight, Options(TestData.TempDir()));

        var dir = TestData.TempDir();
        var cts = new CancellationTokenSource();
        var (first, cancelled) = Run(TestData.SmallAe(seed: 1), Options(dir), cancelAfter: cts, cancelAtStep: cancelAt);
        Assert.Equal(TrainingStatus.Cancelled, cancelled.Status);
        Assert.Equal(cancelAt, cancelled.Steps);

        var resumed = TestData.SmallAe(seed: 42); // different init: the checkpoint must overwrite it
        var (second, final) = Run(resumed, Options(dir), resume: Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(expected, first.Concat(second).ToList());
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));
        Assert.Equal(TrainingStatus.Completed, final.Status);
        Assert.Equal(expectedResult.History.Select(h => h.Train), final.History.Select(h => h.Train));
        Assert.Equal(1 + 4, File.ReadAllLines(Path.Combine(dir, Trainer.MetricsFileName)).Length);
    }

    [Fact]
    public void Cancellation_saves_a_checkpoint_at_the_end_of_the_step()
    {
        var dir = TestData.TempDir();
        var cts = new CancellationTokenSource();
        var (steps, result) = Run(TestData.SmallAe(), Options(dir), cancelAfter: cts, cancelAtStep: 3);
        Assert.Equal(TrainingStatus.Cancelled, result.Status);
        Assert.Equal(3, steps.Count);
        Assert.Equal(0, result.EpochsCompleted);
        var ckpt = Checkpoint.Load(result.CheckpointPath!);
        Assert.Equal("cancelled", ckpt.Status);
        Assert.Equal(3, ckpt.GlobalStep);
        Assert.Equal(3, ckpt.StepInEpoch);
        Assert.Equal(3, ckpt.Optimizers[0].StepCount);
        Assert.Equal(40, ckpt.Permutation!.Length);
        Assert.Equal(30, ckpt.PartialSamples);
    }

    [Fact]
    public void Nan_in_the_weights_stops_naming_epoch_step_and_term_and_keeps_the_last_checkpoint()
    {
        var dir = TestData.TempDir();
        var path = Path.Combine(dir, Trainer.CheckpointFileName);
        var model = TestData.SmallAe();
        byte[]? before = null;
        var e = Assert.Throws<TrainingDivergedException>(() => Run(model, Options(dir), also: p =>
        {
            if (p.EpochEnd is null && p.Step == 5) // first step of epoch 2: the epoch-1 checkpoint exists
            {
                before = File.ReadAllBytes(path);
                model.Parameters().First().Span[0] = float.NaN;
            }
        }));
        Assert.Equal(2, e.Epoch);
        Assert.Equal(6, e.Step);
        Assert.Equal("reconstruction", e.Term);
        Assert.Contains("'reconstruction' is NaN at epoch 2, step 6", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, Checkpoint.Load(path).EpochsCompleted);
    }

    [Fact]
    public void Nan_in_the_data_stops_at_the_first_batch_holding_it()
    {
        var x = (float[])Data.X.Clone();
        x[5] = float.NaN;
        var data = new Dataset("nan", x, Data.SampleShape);
        var dir = TestData.TempDir();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(TestData.SmallAe(), data, null, Options(dir) with { Shuffle = false }));
        Assert.Equal((1, 1L, "reconstruction"), (e.Epoch, e.Step, e.Term));
        Assert.False(File.Exists(Path.Combine(dir, Trainer.CheckpointFileName)));
    }

    [Fact]
    public void Metrics_csv_has_one_header_and_a_row_per_epoch()
    {
        var dir = TestData.TempDir();
        var result = Trainer.Fit(TestData.SmallAe(), Data, TestData.LowRankImages(12, seed: 9), Options(dir) with { Epochs = 3 });
        var lines = File.ReadAllLines(Path.Combine(dir, Trainer.MetricsFileName));
        Assert.Equal("epoch,train_total,train_reconstruction,val_total,val_reconstruction,lr,seconds", lines[0]);
        Assert.Equal(4, lines.Length);
        for (int i = 1; i <= 3; i++)
        {
            var cells = lines[i].Split(',');
            var h = result.History[i - 1];
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(h.TrainValue("total"), double.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(h.ValidationValue("reconstruction"), double.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.Equal("0.005", cells[5]); // the float rate's shortest text, not 0.004999999888241291
            Assert.True(double.Parse(cells[6], CultureInfo.InvariantCulture) >= 0);
        }
    }

    [Theory]
    [InlineData(1e-3f, "0.001")]
    [InlineData(5e-5f, "0.00005")]
    [InlineData(3e-4f, "0.0003")]
    [InlineData(0.1f, "0.1")]
    [InlineData(2f, "2")]
    [InlineData(0f, "0")]
    [InlineData(1.2345678e-4f, "0.00012345678")]
    public void Learning_rates_are_written_in_plain_decimals(float rate, string text) =>
        Assert.Equal(text, Trainer.FormatRate(rate));

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        // w climbs from 0 towards 10; the validation optimum is w = 1, passed during epoch 2.
        var model = new ToyModel(0f, trainTarget: 10f, validTarget: 1f);
        var wAtEpochEnd = new List<float>();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.EpochEnd is not null) wAtEpochEnd.Add(model.W.Span[0]); });
        var result = Trainer.Fit(model, ToyModel.Data(4), ToyModel.Data(2),
            new TrainingOptions { Epochs = 50, BatchSize = 1, LearningRate = 0.15f, EarlyStoppingPatience = 2, CheckpointEvery = 0 }, progress);

        Assert.Equal(TrainingStatus.EarlyStopped, result.Status);
        var val = result.History.Select(h => h.ValidationValue("total")).ToList();
        int best = val.IndexOf(val.Min()) + 1;
        Assert.Equal(best, result.BestEpoch);
        Assert.Equal(best + 2, result.EpochsCompleted);
        Assert.True(result.EpochsCompleted < 50);
        Assert.NotEqual(wAtEpochEnd[^1], wAtEpochEnd[best - 1]);
        Assert.Equal(wAtEpochEnd[best - 1], model.W.Span[0]);
    }

    [Fact]
    public void Warm_up_raises_the_regularisation_weight_linearly()
    {
        var model = new ToyModel(0f, 1f, 1f);
        Trainer.Fit(model, ToyModel.Data(4), null, new TrainingOptions { Epochs = 3, BatchSize = 2, WarmupEpochs = 2, CheckpointEvery = 0 });
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1f], model.SeenWeights);
    }

    [Fact]
    public void Gradient_clipping_goes_through_the_service()
    {
        var calls = new List<float>();
        var services = TrainerServices.Default with { ClipGradNorm = (ps, max) => { calls.Add(max); return 1f; } };
        Trainer.Fit(TestData.SmallAe(), Data, null, Options() with { Epochs = 1, GradientClip = 0.5f }, services: services);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], calls);

        var none = TrainerServices.Default with { ClipGradNorm = null };
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), Data, null, Options() with { GradientClip = 0.5f }, services: none));
        Assert.Contains("ClipGradNorm", e.Message);

        var bad = TrainerServices.Default with { ClipGradNorm = (_, _) => float.PositiveInfinity };
        var d = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(TestData.SmallAe(), Data, null, Options() with { GradientClip = 1f }, services: bad));
        Assert.Equal("gradient_norm", d.Term);
    }

    [Fact]
    public void Validation_fraction_holds_out_samples()
    {
        var result = Trainer.Fit(TestData.SmallAe(), Data, null, Options() with { Epochs = 1, ValidationFraction = 0.25 });
        Assert.Equal(3, result.Steps); // 30 training samples in batches of 10
        Assert.NotNull(result.History[0].Validation);
        Assert.True(result.BestValidationLoss > 0);
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("LearningRate")]
    [InlineData("ValidationFraction")]
    [InlineData("EarlyStoppingPatience")]
    [InlineData("Augmentation")]
    public void Bad_options_name_the_option(string option)
    {
        var o = option switch
        {
            "Epochs" => Options() with { Epochs = 0 },
            "BatchSize" => Options() with { BatchSize = 0 },
            "LearningRate" => Options() with { LearningRate = float.NaN },
            "ValidationFraction" => Options() with { ValidationFraction = 1 },
            "Augmentation" => Options() with { Augmentation = "shift:x" },
            _ => Options() with { EarlyStoppingPatience = -1 },
        };
        Assert.Equal(option, Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), Data, null, o)).ParamName);
    }

    [Fact]
    public void Unknown_optimizer_and_mismatched_resume_are_rejected()
    {
        Assert.Equal("Optimizer", Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), Data, null, Options() with { Optimizer = "lion" })).ParamName);
        var dir = TestData.TempDir();
        Trainer.Fit(TestData.SmallAe(), Data, null, Options(dir) with { Epochs = 1 });
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(TestData.SmallAe(), Data, null, Options(dir) with { BatchSize = 5 },
            resumeFrom: Path.Combine(dir, Trainer.CheckpointFileName)));
        Assert.Contains("batch size 10", e.Message);
    }

    [Fact]
    public void Augmentation_changes_the_training_batches_deterministically_and_resumes_bit_for_bit()
    {
        var o = Options() with { Augmentation = "shift:1" };
        var (plain, _) = Run(TestData.SmallAe(seed: 1), Options());
        var (a, _) = Run(TestData.SmallAe(seed: 1), o);
        var (b, _) = Run(TestData.SmallAe(seed: 1), o);
        Assert.Equal(a, b);
        Assert.NotEqual(plain, a);

        var dir = TestData.TempDir();
        var cts = new CancellationTokenSource();
        var (first, _) = Run(TestData.SmallAe(seed: 1), Options(dir) with { Augmentation = "shift:1" }, cancelAfter: cts, cancelAtStep: 6);
        var (second, _) = Run(TestData.SmallAe(seed: 1), Options(dir) with { Augmentation = "shift:1" }, resume: Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(a, first.Concat(second).ToList());
    }

    [Fact]
    public void Augmentation_needs_image_samples()
    {
        var flat = new Dataset("flat", new float[40 * 16], [16]);
        var model = new Latent.Models.Autoencoder.Autoencoder(new Latent.Models.Autoencoder.AutoencoderOptions { Architecture = "16-8-3" }, [16], new Rng(1));
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, flat, null, Options() with { Augmentation = "shift:1" }));
        Assert.Contains("needs image samples", e.Message);
    }
}
