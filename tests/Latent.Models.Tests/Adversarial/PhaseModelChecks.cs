using Latent.Core;
using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models.Tests.Adversarial;

/// <summary>
/// The checks every model with several training phases passes (the adversarial autoencoder, FactorVAE, VAE-GAN): each
/// phase moves only its own parameter group, a checkpoint's weights load bit for bit into a fresh model, and a run
/// cancelled mid-epoch resumes to the weights and optimizer states of an uninterrupted run.
/// </summary>
internal static class PhaseModelChecks
{
    private static Dictionary<string, string> ToSettings(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>One Adam step on each phase's term changes every tensor of its group and no other; the earlier phases of
    /// the step run first, since a last phase's report reads their terms.</summary>
    public static void EachPhaseChangesOnlyItsGroup(Func<AutoencoderModel> make, Tensor x)
    {
        int count = make().TrainingPhases().Count;
        for (int phase = 0; phase < count; phase++)
        {
            var model = make();
            var phases = model.TrainingPhases();
            var ctx = new TrainingContext(new Rng(1));
            for (int i = 0; i < phase; i++) phases[i].Loss(x, ctx);
            var before = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
            var group = phases[phase].Parameters.ToHashSet();
            var opt = new Latent.NN.Optim.Adam(group.ToList(), 1e-2f);
            var terms = phases[phase].Loss(x, ctx);
            terms.All().First(t => t.Key == phases[phase].Term).Value.Backward();
            opt.Step();
            var inGroup = model.StateDict().Where(p => group.Contains(p.Tensor)).Select(p => p.Name).ToHashSet();
            Assert.NotEmpty(inGroup);
            foreach (var (name, t) in model.StateDict())
            {
                if (inGroup.Contains(name)) Assert.NotEqual(before[name], t.ToArray());
                else Assert.Equal(before[name], t.ToArray());
            }
        }
    }

    /// <summary>Two epochs write a checkpoint with one optimizer per phase, named <paramref name="phaseNames"/>; its
    /// options rebuild the model through the registry and its weights make the rebuilt one reconstruct and sample alike.</summary>
    public static void CheckpointLoadsBitIdentically(Func<ulong, AutoencoderModel> make, Dataset data, string[] phaseNames)
    {
        var dir = TestData.TempDir();
        var model = make(1);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 2, BatchSize = 8, OutputDirectory = dir });
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(phaseNames, ckpt.Optimizers.Select(o => o.Phase));
        var copy = ModelRegistry.Create(model.Name, ToSettings(ckpt.ModelOptions), data.SampleShape, new Rng(99));
        Assert.NotEqual(TestData.Weights(model), TestData.Weights(copy));
        copy.LoadStateDict(ckpt.Weights.ToDictionary(p => p.Name, p => p.Tensor));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(((IGenerativeModel)model).Sample(3, new Rng(5)).ToArray(), ((IGenerativeModel)copy).Sample(3, new Rng(5)).ToArray());
    }

    /// <summary>Cancelled after step 6 of 12 and resumed into a model built from another seed, the run ends with the
    /// weights and every phase's optimizer state of the run that was never stopped.</summary>
    public static void ResumeIsBitExact(Func<ulong, AutoencoderModel> make, Dataset data)
    {
        TrainingOptions Opts(string dir) => new() { Epochs = 3, BatchSize = 10, Seed = 5, OutputDirectory = dir };
        var straight = make(1);
        var straightDir = TestData.TempDir();
        Trainer.Fit(straight, data, null, Opts(straightDir));

        var dir = TestData.TempDir();
        var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.Step == 6 && p.EpochEnd is null) cts.Cancel(); });
        Assert.Equal(TrainingStatus.Cancelled, Trainer.Fit(make(1), data, null, Opts(dir), progress, cts.Token).Status);
        var phases = straight.TrainingPhases().Count;
        var partial = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName)).Optimizers;
        Assert.Equal(phases, partial.Count);
        Assert.All(partial, o => Assert.Equal(6, o.StepCount));

        var resumed = make(77);
        Assert.Equal(TrainingStatus.Completed, Trainer.Fit(resumed, data, null, Opts(dir), resumeFrom: Path.Combine(dir, Trainer.CheckpointFileName)).Status);
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));
        var a = Checkpoint.Load(Path.Combine(straightDir, Trainer.CheckpointFileName)).Optimizers;
        var b = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName)).Optimizers;
        Assert.Equal(phases, a.Count);
        for (int i = 0; i < phases; i++)
        {
            Assert.Equal((a[i].Phase, a[i].StepCount), (b[i].Phase, b[i].StepCount));
            Assert.Equal(a[i].Tensors.SelectMany(t => t.Tensor.ToArray()), b[i].Tensors.SelectMany(t => t.Tensor.ToArray()));
        }
    }
}
