using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.IO;
using Latent.Models.Training;
using Latent.NN.Layers;
using Latent.NN.Optim;
using Ae = Latent.Models.Autoencoder.Autoencoder;

namespace Latent.Models.Tests.Autoencoder;

/// <summary>tied=true: W_dec = W_encᵀ as one shared parameter, with its own decoder biases.</summary>
public class TiedWeightsTests
{
    private static Ae Tied(string arch = "16-8-3", ulong seed = 1, OutputDistribution output = OutputDistribution.Bernoulli, string hidden = "relu") =>
        new(new AutoencoderOptions { Architecture = arch, Tied = true, Output = output, HiddenActivation = hidden }, [1, 4, 4], new Rng(seed));

    private static Linear[] EncoderLinears(NetworkAutoencoder m) => ((Sequential)m.Encoder).Layers.OfType<Linear>().ToArray();

    [Fact]
    public void The_decoder_stores_only_its_biases_and_uses_the_encoder_weights_transposed()
    {
        var model = Tied();
        Assert.Equal(["encoder.1.weight", "encoder.1.bias", "encoder.3.weight", "encoder.3.bias", "decoder.0.bias", "decoder.2.bias"],
            model.StateDict().Select(p => p.Name));
        var encoders = EncoderLinears(model);
        var decoders = ((Sequential)model.Decoder).Layers.OfType<TiedLinear>().ToArray();
        Assert.Equal(2, decoders.Length);
        Assert.Same(encoders[1].Weight, decoders[0].Weight); // 3 → 8 uses the 8 → 3 layer's weight
        Assert.Same(encoders[0].Weight, decoders[1].Weight);
        Assert.Equal(8 * 16 + 8 + 3 * 8 + 3 + 8 + 16, model.ParameterCount());

        // y = z W + b, W the mirror's [out, in] weight.
        var z = new Rng(2).Normal([2, 3]);
        var expected = Tensor.MatMul(z, encoders[1].Weight) + decoders[0].Bias;
        Assert.Equal(expected.ToArray(), decoders[0].Forward(z).ToArray());
    }

    [Fact]
    public void One_step_moves_both_halves_by_the_sum_of_their_gradients()
    {
        // An untied copy with W_dec = W_encᵀ computes the same loss; the tied gradient is the encoder's plus the decoder's transposed.
        var tied = Tied("16-5", output: OutputDistribution.Gaussian);
        var untied = new Ae(new AutoencoderOptions { Architecture = "16-5", Output = OutputDistribution.Gaussian }, [1, 4, 4], new Rng(9));
        var encT = EncoderLinears(tied)[0];
        var decT = ((Sequential)tied.Decoder).Layers.OfType<TiedLinear>().Single();
        var encU = EncoderLinears(untied)[0];
        var decU = ((Sequential)untied.Decoder).Layers.OfType<Linear>().Single();
        encT.Weight.CopyFrom(encU.Weight);
        encT.Bias!.CopyFrom(encU.Bias!);
        decU.Weight.CopyFrom(encU.Weight.Transpose());
        decT.Bias.CopyFrom(decU.Bias!);

        var x = TestData.LowRankImages(6).Batch([0, 1, 2, 3, 4, 5]);
        var lossT = tied.Loss(x, new TrainingContext(new Rng(1))).Total;
        var lossU = untied.Loss(x, new TrainingContext(new Rng(1))).Total;
        Assert.True(Math.Abs(lossU.Item() - lossT.Item()) <= 1e-5 * Math.Abs(lossU.Item()), $"{lossU.Item()} vs {lossT.Item()}");
        lossT.Backward();
        lossU.Backward();
        var expected = (encU.Weight.Grad! + decU.Weight.Grad!.Transpose()).ToArray();
        var actual = encT.Weight.Grad!.ToArray();
        float scale = expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++) Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * scale, $"gradient {i}: {expected[i]} vs {actual[i]}");
        Assert.Contains(decU.Weight.Grad!.ToArray(), g => MathF.Abs(g) > 1e-3f); // the decoder's share is not negligible

        var before = decT.Weight.ToArray();
        new Sgd(tied.Parameters(), 0.1f).Step();
        Assert.NotEqual(before, decT.Weight.ToArray());
        Assert.Equal(encT.Weight.ToArray(), decT.Weight.ToArray());
    }

    /// <summary>n rows of 16 values: mean + A·s + small noise, s with standard deviations 3, 2, 1 along three fixed directions.</summary>
    private static Dataset LowRankRows(int n, ulong seed = 5)
    {
        var rng = new Rng(seed);
        var a = rng.Normal([16, 3]).ToArray();
        var mean = rng.Normal([16]).ToArray();
        float[] scales = [3f, 2f, 1f];
        var x = new float[n * 16];
        for (int i = 0; i < n; i++)
        {
            float s0 = scales[0] * rng.NextNormal(), s1 = scales[1] * rng.NextNormal(), s2 = scales[2] * rng.NextNormal();
            for (int j = 0; j < 16; j++)
                x[i * 16 + j] = mean[j] + a[j * 3] * s0 + a[j * 3 + 1] * s1 + a[j * 3 + 2] * s2 + 0.05f * rng.NextNormal();
        }
        return new Dataset("lowrank-rows", x, [16]);
    }

    /// <summary>‖P₁ − P₂‖_F for the orthogonal projections onto the row spaces of <paramref name="a"/> and <paramref name="b"/> [K, D]:
    /// √2 times the root sum of the squared sines of the principal angles (0 for the same subspace).</summary>
    private static double SubspaceDistance(float[] a, float[] b, int k, int d)
    {
        double[,] P(float[] rows)
        {
            // Gram–Schmidt on the K rows, then P = Qᵀ Q.
            var q = new double[k, d];
            for (int r = 0; r < k; r++)
            {
                var v = new double[d];
                for (int j = 0; j < d; j++) v[j] = rows[r * d + j];
                for (int p = 0; p < r; p++)
                {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += v[j] * q[p, j];
                    for (int j = 0; j < d; j++) v[j] -= dot * q[p, j];
                }
                double norm = Math.Sqrt(v.Sum(t => t * t));
                for (int j = 0; j < d; j++) q[r, j] = v[j] / norm;
            }
            var proj = new double[d, d];
            for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            for (int r = 0; r < k; r++) proj[i, j] += q[r, i] * q[r, j];
            return proj;
        }
        var pa = P(a);
        var pb = P(b);
        double sum = 0;
        for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) sum += (pa[i, j] - pb[i, j]) * (pa[i, j] - pb[i, j]);
        return Math.Sqrt(sum);
    }

    [Fact]
    public void A_tied_linear_autoencoder_learns_the_principal_subspace()
    {
        var data = LowRankRows(512);
        var pca = global::Latent.Models.Pca.Pca.Fit(data, 3).Components.ToArray(); // [3, 16]
        var model = new Ae(new AutoencoderOptions { Architecture = "16-3", Tied = true, HiddenActivation = "identity", Output = OutputDistribution.Gaussian },
            [16], new Rng(4));
        double before = SubspaceDistance(EncoderLinears(model)[0].Weight.ToArray(), pca, 3, 16);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 60, BatchSize = 32, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0, ValidationFraction = 0 });
        double after = SubspaceDistance(EncoderLinears(model)[0].Weight.ToArray(), pca, 3, 16);
        Assert.True(before > 0.5, $"the untrained subspace is already close: {before}");
        Assert.True(after < 0.05, $"distance to the PCA subspace {before} -> {after}");
    }

    [Fact]
    public void Checkpoints_and_model_files_hold_the_shared_weight_once_and_load_bit_identically()
    {
        var data = TestData.LowRankImages(24);
        ModelChecks.CheckpointLoadsBitIdentically(seed => Tied(seed: seed), data);

        var model = ModelChecks.Fit(Tied(), data, 2);
        model.Eval();
        var dir = TestData.TempDir();
        ModelFile.Save(dir, model, new ModelManifest { Model = model.Name, Options = model.Options.ToText(), CodeSize = model.CodeSize, InputShape = model.InputShape });
        var (loaded, _) = ModelFile.Load(dir);
        Assert.Contains("tied=true", loaded.Options.ToText());
        Assert.Equal(model.StateDict().Select(p => p.Name), loaded.StateDict().Select(p => p.Name));
        Assert.Equal(TestData.Weights(model), TestData.Weights(loaded));
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), loaded.Reconstruct(x).ToArray());
    }

    [Fact]
    public void A_cancelled_tied_run_resumes_to_the_uninterrupted_weights()
    {
        var data = TestData.LowRankImages(48);
        TrainingOptions Options(string? dir) => new() { Epochs = 3, BatchSize = 8, LearningRate = 1e-2f, Seed = 3, OutputDirectory = dir };
        var straight = Tied();
        Trainer.Fit(straight, data, null, Options(null) with { CheckpointEvery = 0 });

        var dir = TestData.TempDir();
        using var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.Step == 7) cts.Cancel(); });
        Assert.Equal(TrainingStatus.Cancelled, Trainer.Fit(Tied(), data, null, Options(dir), progress, cts.Token).Status);
        var resumed = Tied(seed: 42);
        Trainer.Fit(resumed, data, null, Options(dir) with { Resume = true });
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));
    }

    [Theory]
    [InlineData("dae", "arch=16-6;code=sigmoid")]
    [InlineData("sparse-ae", "arch=16-6")]
    [InlineData("k-sparse-ae", "arch=16-6;k=2;k_start=6")]
    [InlineData("dropout-ae", "arch=16-8-3")]
    [InlineData("contractive-ae", "arch=16-6")]
    [InlineData("stacked-ae", "arch=16-8-3;pretrain_epochs=1")]
    [InlineData("ae", "arch=16-8-3;network=mlp-bn")]
    public void Every_mlp_family_ties_its_decoder(string name, string settings)
    {
        var dict = (settings + ";tied=true").Split(';').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var model = (NetworkAutoencoder)ModelChecks.RegistryRoundTrip(name, dict, [1, 4, 4]);
        var decoder = ((Sequential)model.Decoder).Layers;
        Assert.DoesNotContain(decoder, l => l is Linear);
        Assert.Equal(EncoderLinears(model).Length, decoder.OfType<TiedLinear>().Count());
        Assert.DoesNotContain(model.NamedParameters(), p => p.Name.StartsWith("decoder.", StringComparison.Ordinal) && p.Name.EndsWith(".weight", StringComparison.Ordinal) && p.Tensor.Rank == 2);
        var x = TestData.LowRankImages(8).Batch([0, 1, 2, 3, 4, 5, 6, 7]);
        ModelChecks.ShapesAndFiniteLoss(model, x);
        ModelChecks.OneStepChangesEveryParameter(model, x);
        if (model is IPretrainable p)
            Assert.Equal(TrainingStatus.Completed, p.Pretrain(TestData.LowRankImages(16), new TrainingOptions { BatchSize = 8, CheckpointEvery = 0 }, null, default).Status);
    }

    [Theory]
    [InlineData("ae", "network=conv")]
    [InlineData("dae", "network=conv-bn")]
    [InlineData("sparse-ae", "network=conv1d")]
    public void Networks_whose_decoder_does_not_mirror_refuse_tied_weights(string name, string network)
    {
        var settings = new Dictionary<string, string> { ["tied"] = "true", [network.Split('=')[0]] = network.Split('=')[1] };
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get(name).Schema.Parse(settings));
        Assert.Equal($"{name}: option 'tied' = true: needs network=mlp or mlp-bn: the decoder of {network} does not mirror the encoder's Linear layers",
            Options.OptionSchemaTests.Message(e));
    }
}
