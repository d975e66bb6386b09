using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void TrainingDropsAboutPAndScalesSurvivors()
    {
        const float p = 0.3f;
        var layer = new Dropout(p, new Rng(11));
        var y = layer.Forward(Tensor.Ones(100_000));
        int zeros = 0;
        foreach (float v in y.Span)
        {
            if (v == 0f) zeros++;
            else Assert.Equal(1f / (1f - p), v);
        }
        // The dropped fraction has standard deviation √(p(1−p)/n) ≈ 0.0014; allow 7σ.
        Assert.InRange(zeros / 100_000.0, p - 0.01, p + 0.01);
        Assert.InRange(y.Mean().Item(), 0.98f, 1.02f);
    }

    [Fact]
    public void EvalIsTheIdentity()
    {
        var layer = new Dropout(0.5f, new Rng(1));
        layer.Eval();
        var x = new Rng(2).Normal([10]);
        Assert.Equal(x.ToArray(), layer.Forward(x).ToArray());
    }

    [Fact]
    public void GradientIsTheScaledMask()
    {
        var x = new Rng(3).Normal([50]).RequireGrad();
        var y = F.Dropout(x, 0.4f, training: true, new Rng(4));
        var gx = Gradients.Grad(y.Sum(), [x])[0];
        for (int i = 0; i < x.Size; i++)
            Assert.Equal(y.Span[i] == 0f ? 0f : 1f / 0.6f, gx.Span[i], 5);
        Check.Gradients(() => Check.Project(F.Dropout(x, 0.4f, true, new Rng(4))), [x]);
    }

    [Fact]
    public void ProbabilityOneGivesZerosAndBadProbabilityThrows()
    {
        Assert.All(F.Dropout(Tensor.Ones(5), 1f, true, new Rng(1)).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains("Dropout", Assert.Throws<ArgumentException>(() => new Dropout(1.5f, new Rng(1))).Message);
    }
}
