using Latent.Core;
using Latent.NN.Inference;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Inference;

[Collection(nameof(InferencePlanThreadsCollection))]
public class InferencePlanTests
{
    /// <summary>The conv autoencoder's encoder (bench/Latent.Bench infer).</summary>
    private static Sequential Encoder() => new(
        new Conv2d(1, 32, 4, new Rng(0), stride: 2, padding: 1), Activation.Relu(),
        new Conv2d(32, 64, 4, new Rng(1), stride: 2, padding: 1), Activation.Relu(),
        new Flatten(), new Linear(3136, 32, new Rng(2)));

    private static Tensor Input(int n, params int[] sample)
    {
        var rng = new Rng((ulong)(n + sample.Sum()));
        var x = Tensor.Zeros([n, .. sample]);
        var s = x.Span;
        for (int i = 0; i < s.Length; i++) s[i] = rng.NextFloat() * 2 - 1;
        return x;
    }

    private static Tensor Forward(Layer network, Tensor x)
    {
        using var noGrad = Tensor.NoGrad();
        using var eval = network.Evaluating();
        return network.Forward(x);
    }

    [Fact]
    public void TheEncoderRunsNativelyAndGivesItsForward()
    {
        var encoder = Encoder();
        // native: true checks the plan's own stages on any machine (without AVX-512 through the kernels' scalar twins).
        var plan = InferencePlan.Compile(encoder, [1, 28, 28], native: true);
        Assert.Equal([1, 28, 28], plan.SampleShape);
        Assert.Equal([32], plan.OutputShape);
        Assert.Equal(
        [
            "layout Dense -> ChannelsLast pad 1",
            "conv 1->32 4x4 stride 2 pad 1 + relu (direct, channels-last)",
            "conv 32->64 4x4 stride 2 pad 1 + relu (direct, channels-last)",
            "linear 3136->32 (direct, columns in channels-last order)",
        ], plan.Steps);
        var x = Input(37, 1, 28, 28);
        Check.Close(Forward(encoder, x), plan.Run(x), rtol: 1e-4f, atol: 1e-5f, what: "encoder");
    }

    [Theory]
    [InlineData(3, 5, 3, 1, 1, 1, true)]    // same-size 3x3
    [InlineData(4, 7, 5, 2, 2, 1, false)]   // 5x5 stride 2, no bias
    [InlineData(2, 3, 3, 3, 0, 2, true)]    // stride 3, dilation 2, no padding
    [InlineData(6, 40, 1, 1, 0, 1, true)]   // 1x1, two weight blocks of which one is partial
    public void ConvolutionsOfAnyGeometryGiveTheirForward(int c, int o, int k, int stride, int padding, int dilation, bool bias)
    {
        var network = new Sequential(
            new Conv2d(c, o, k, new Rng(3), stride, padding, dilation, bias), Activation.Relu(),
            new Conv2d(o, 4, 3, new Rng(4), padding: 1), new Flatten());
        var plan = InferencePlan.Compile(network, [c, 11, 10], native: true);
        Assert.DoesNotContain(plan.Steps, s => s.Contains("own Forward"));
        var x = Input(5, c, 11, 10);
        Check.Close(Forward(network, x), plan.Run(x), rtol: 1e-4f, atol: 1e-5f, what: $"conv {c}->{o} k{k} s{stride} p{padding} d{dilation}");
    }

    [Fact]
    public void ADecoderRunsNativelyUpToItsOneChannelOutput()
    {
        var decoder = new Sequential(new Linear(16, 3136, new Rng(11)), Activation.Relu(), new Unflatten(1, [64, 7, 7]),
            new ConvTranspose2d(64, 32, 4, new Rng(12), stride: 2, padding: 1), Activation.Relu(),
            new ConvTranspose2d(32, 1, 4, new Rng(13), stride: 2, padding: 1));
        var plan = InferencePlan.Compile(decoder, [16], native: true);
        Assert.Equal([1, 28, 28], plan.OutputShape);
        Assert.Equal(
        [
            "linear 16->3136 + relu (direct, outputs in channels-last order)",
            "convT 64->32 4x4 stride 2 pad 1 + relu (direct phases, channels-last)",
            "layout ChannelsLast -> Dense",
            "ConvTranspose2d (its own Forward)",
        ], plan.Steps);
        var z = Input(19, 16);
        Check.Close(Forward(decoder, z), plan.Run(z), rtol: 1e-4f, atol: 1e-5f, what: "decoder");
    }

    [Theory]
    [InlineData(24, 20, 3, 1, 1, 0, 1)]  // stride 1: one phase
    [InlineData(8, 17, 4, 2, 1, 1, 1)]   // output padding
    [InlineData(5, 40, 3, 3, 0, 2, 2)]   // stride 3, dilation 2, output padding 2, a partial second block
    public void TransposedConvolutionsOfAnyGeometryGiveTheirForward(int c, int o, int k, int stride, int padding, int outputPadding, int dilation)
    {
        // A convolution after it: the transposed convolution writes inside that layer's zero borders.
        var network = new Sequential(
            new ConvTranspose2d(c, o, k, new Rng(14), stride, padding, outputPadding, dilation), Activation.Relu(),
            new Conv2d(o, 3, 3, new Rng(15), padding: 1));
        var plan = InferencePlan.Compile(network, [c, 5, 6], native: true);
        Assert.Equal(3, plan.Steps.Count(st => st.StartsWith("convT") || st.StartsWith("conv ") || st.StartsWith("layout Dense")));
        var x = Input(4, c, 5, 6);
        Check.Close(Forward(network, x), plan.Run(x), rtol: 1e-4f, atol: 1e-5f, what: $"convT {c}->{o} k{k} s{stride} p{padding} op{outputPadding} d{dilation}");
    }

    [Fact]
    public void OtherLayersRunAsTheirOwnForwardInEvaluationMode()
    {
        var network = new Sequential(
            new Linear(12, 48, new Rng(5)), Activation.Tanh(), new Dropout(0.5f, new Rng(6)),
            new Unflatten(1, [3, 4, 4]), new Conv2d(3, 8, 3, new Rng(7), padding: 1), new BatchNorm2d(8), Activation.Relu(),
            new ConvTranspose2d(8, 2, 4, new Rng(8), stride: 2, padding: 1), Activation.Sigmoid());
        // Running statistics that are not the defaults, so evaluation mode matters.
        using (Tensor.NoGrad()) network.Forward(Input(16, 12));
        var plan = InferencePlan.Compile(network, [12], native: true);
        Assert.Equal([2, 8, 8], plan.OutputShape);
        Assert.Contains(plan.Steps, s => s == "BatchNorm2d (its own Forward)");
        Assert.Contains(plan.Steps, s => s == "conv 3->8 3x3 stride 1 pad 1 (direct, channels-last)");
        Assert.True(network.Training);
        var x = Input(9, 12);
        Check.Close(Forward(network, x), plan.Run(x), rtol: 1e-4f, atol: 1e-5f, what: "mixed network");
        Assert.True(network.Training);
    }

    [Fact]
    public void AVectorNetworkWithAStandaloneReluRunsNatively()
    {
        var network = new Sequential(Activation.Relu(), new Linear(20, 33, new Rng(9)), Activation.Relu(), new Linear(33, 3, new Rng(10), bias: false));
        var plan = InferencePlan.Compile(network, [20], native: true);
        Assert.Equal(["relu", "linear 20->33 + relu (direct)", "linear 33->3 (direct)"], plan.Steps);
        var x = Input(30, 20);
        Check.Close(Forward(network, x), plan.Run(x), rtol: 1e-5f, atol: 1e-6f, what: "mlp");
    }

    [Fact]
    public void ASampleGetsTheSameBitsInAnyBatchAndOnAnyNumberOfThreads()
    {
        var plan = InferencePlan.Compile(Encoder(), 1, 28, 28);
        var x = Input(41, 1, 28, 28);
        int saved = Parallelism.MaxDegree;
        try
        {
            Parallelism.MaxDegree = 1;
            var reference = plan.Run(x).Span.ToArray();
            foreach (int threads in (int[])[1, 2, 3])
            {
                Parallelism.MaxDegree = threads;
                var whole = plan.Run(x).Span;
                for (int i = 0; i < reference.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(whole[i]), $"{threads} threads: element {i}");
                // Sample 17 alone, and samples 17 and 18 (fewer samples than threads: each layer split between them).
                var one = new float[32];
                plan.Run(x.Span.Slice(17 * 784, 784), one);
                for (int j = 0; j < 32; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(reference[17 * 32 + j]) == BitConverter.SingleToInt32Bits(one[j]), $"{threads} threads: sample 17 alone, output {j}");
                var two = new float[64];
                plan.Run(x.Span.Slice(17 * 784, 2 * 784), two);
                for (int j = 0; j < 64; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(reference[17 * 32 + j]) == BitConverter.SingleToInt32Bits(two[j]), $"{threads} threads: samples 17 and 18, output {j}");
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Fact]
    public void WithoutTheNativeKernelsEveryLayerRunsAsItsOwnForward()
    {
        var encoder = Encoder();
        var plan = InferencePlan.Compile(encoder, [1, 28, 28], native: false);
        Assert.Equal(["Conv2d (its own Forward)", "Activation (its own Forward)", "Conv2d (its own Forward)", "Activation (its own Forward)", "Flatten (its own Forward)", "Linear (its own Forward)"], plan.Steps);
        var x = Input(20, 1, 28, 28);
        Assert.Equal(Forward(encoder, x).Span.ToArray(), plan.Run(x).Span.ToArray());
    }

    [Fact]
    public void ThePlanIsASnapshotOfTheWeights()
    {
        var encoder = Encoder();
        var plan = InferencePlan.Compile(encoder, 1, 28, 28);
        var x = Input(3, 1, 28, 28);
        var before = plan.Run(x).Span.ToArray();
        foreach (var p in encoder.Parameters()) p.Span.Fill(0.5f);
        if (plan.Steps.All(s => !s.Contains("its own Forward"))) Assert.Equal(before, plan.Run(x).Span.ToArray());
        else Assert.Contains("weights changed since Compile", Assert.Throws<InvalidOperationException>(() => plan.Run(x)).Message);
    }

    [Fact]
    public void APlanOfTheLayersOwnForwardsRefusesToRunAfterTheWeightsChange()
    {
        var encoder = Encoder();
        var plan = InferencePlan.Compile(encoder, [1, 28, 28], native: false);
        var x = Input(2, 1, 28, 28);
        Assert.Equal(encoder.Forward(x).Span.ToArray(), plan.Run(x).Span.ToArray());
        encoder.Parameters().First().Span[0] += 1f;
        var e = Assert.Throws<InvalidOperationException>(() => plan.Run(x));
        Assert.Contains("layer 0 (Conv2d) runs as its own Forward and its weights changed since Compile", e.Message);
        Assert.Throws<ArgumentException>(() => InferencePlan.Compile(encoder, [3, 28, 28], native: false));
    }

    [Fact]
    public void BadShapesAreRefusedWithTheirSizes()
    {
        var plan = InferencePlan.Compile(Encoder(), 1, 28, 28);
        var e = Assert.Throws<ArgumentException>(() => plan.Run(Tensor.Zeros(2, 1, 28, 27)));
        Assert.Contains("input [2,1,28,27] is not [N,1,28,28]", e.Message);
        e = Assert.Throws<ArgumentException>(() => plan.Run(new float[784 * 2 + 1], new float[64]));
        Assert.Contains("1569 floats is not a whole number of samples of 784", e.Message);
        e = Assert.Throws<ArgumentException>(() => plan.Run(new float[784 * 2], new float[32]));
        Assert.Contains("output of 32 floats, expected 2 samples of 32", e.Message);
        e = Assert.Throws<ArgumentException>(() => InferencePlan.Compile(Encoder(), 3, 28, 28));
        Assert.Contains("layer 0 (Conv2d 1->32) gets 3 channels", e.Message);
        e = Assert.Throws<ArgumentException>(() => InferencePlan.Compile(Encoder(), 1, 0, 28));
        Assert.Contains("sample shape [1,0,28]", e.Message);
        e = Assert.Throws<ArgumentException>(() => InferencePlan.Compile(new Sequential(new Linear(5, 2, new Rng(0))), 1, 4, 4));
        Assert.Contains("layer 0 (Linear)", e.Message);
        Assert.Equal(0, plan.Run(Tensor.Zeros(0, 1, 28, 28)).Size);
    }
}
