using Latent.Core;
using Latent.Data;
using Latent.Models.Training;
using Latent.NN.Optim;

namespace Latent.Models.Tests.Autoencoder;

/// <summary>The checks every model family's tests run: registry round trip, one step, checkpoint round trip, loss falls.</summary>
internal static class ModelChecks
{
    /// <summary>The registry entry parses its own default text back to equal options and builds a model with <paramref name="settings"/>.</summary>
    public static AutoencoderModel RegistryRoundTrip(string name, Dictionary<string, string> settings, int[] shape)
    {
        var info = ModelRegistry.Get(name);
        var text = info.Defaults.ToText();
        var parsed = info.Schema.Parse(text.Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]));
        Assert.Equal(info.Defaults, parsed);
        Assert.Equal(text, parsed.ToText());
        var model = ModelRegistry.Create(name, settings, shape, new Rng(1));
        Assert.Equal(name, model.Name);
        var again = info.Schema.Parse(model.Options.ToText().Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]));
        Assert.Equal(model.Options, again);
        var unknown = Assert.Throws<ArgumentException>(() => info.Schema.Parse(new Dictionary<string, string> { ["nope"] = "1" }));
        Assert.Contains($"{name}: unknown option 'nope'", unknown.Message);
        return model;
    }

    /// <summary>Shapes of Encode/Decode/Reconstruct and a finite loss with named terms (<paramref name="labels"/>: the batch's classes, for a conditional model).</summary>
    public static LossTerms ShapesAndFiniteLoss(AutoencoderModel model, Tensor x, int[]? labels = null)
    {
        int b = x.Shape[0];
        var z = model.Encode(x);
        Assert.Equal([b, model.CodeSize], z.Shape);
        Assert.Equal(x.Shape, model.Decode(z).Shape);
        Assert.Equal(x.Shape, model.Reconstruct(x).Shape);
        var terms = model.Loss(x, new TrainingContext(new Rng(2)) { Labels = labels });
        Assert.All(terms.Values(), kv => Assert.True(double.IsFinite(kv.Value), $"{kv.Key} = {kv.Value}"));
        return terms;
    }

    /// <summary>One Adam step on the model's loss changes every parameter (<paramref name="labels"/>: the batch's classes, for a conditional model).</summary>
    public static void OneStepChangesEveryParameter(AutoencoderModel model, Tensor x, int[]? labels = null)
    {
        var before = model.NamedParameters().Select(p => (p.Name, Values: p.Tensor.ToArray())).ToList();
        var opt = new Adam(model.Parameters(), 1e-2f);
        model.Loss(x, new TrainingContext(new Rng(1)) { Labels = labels }).Total.Backward();
        opt.Step();
        var after = model.Parameters().Select(p => p.ToArray()).ToList();
        for (int i = 0; i < before.Count; i++)
            Assert.False(before[i].Values.SequenceEqual(after[i]), $"{before[i].Name} did not change");
    }

    /// <summary>Trains 1 epoch with a checkpoint, loads it into a differently seeded copy: bit-identical weights and outputs.</summary>
    public static void CheckpointLoadsBitIdentically(Func<ulong, AutoencoderModel> make, Dataset data)
    {
        var dir = TestData.TempDir();
        var model = make(1);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 1, BatchSize = 8, OutputDirectory = dir });
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        var copy = make(99);
        Assert.NotEqual(TestData.Weights(model), TestData.Weights(copy));
        copy.LoadStateDict(ckpt.Weights.ToDictionary(p => p.Name, p => p.Tensor));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        model.Eval(); copy.Eval();
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(model.Options.ToText(), ckpt.ModelOptions);
        Assert.Equal(model.Name, ckpt.ModelName);
    }

    /// <summary>Trains with a fixed seed; the last epoch's total is below <paramref name="ratio"/> of the first's. Returns the result.</summary>
    public static TrainingResult LossFalls(AutoencoderModel model, Dataset data, int epochs = 12, double ratio = 0.97, float lr = 1e-2f)
    {
        var result = Trainer.Fit(model, data, null,
            new TrainingOptions { Epochs = epochs, BatchSize = 16, LearningRate = lr, Seed = 3, CheckpointEvery = 0 });
        double first = result.History[0].TrainValue("total"), last = result.History[^1].TrainValue("total");
        Assert.True(last < ratio * first, $"loss went {first} -> {last}");
        return result;
    }

    /// <summary>Trains quietly (no assertion) and returns the model.</summary>
    public static T Fit<T>(T model, Dataset data, int epochs, float lr = 1e-2f, int batch = 16) where T : AutoencoderModel
    {
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = lr, Seed = 3, CheckpointEvery = 0 });
        return model;
    }
}
