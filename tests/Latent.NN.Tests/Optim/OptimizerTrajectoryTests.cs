using Latent.Core;
using Latent.NN.Losses;
using Latent.NN.Optim;

namespace Latent.NN.Tests.Optim;

public class OptimizerTrajectoryTests
{
    internal static Optimizer Make(string config, Tensor[] p) => config switch
    {
        "sgd_plain" => new Sgd(p, 0.1f),
        "sgd_momentum" => new Sgd(p, 0.05f, momentum: 0.9f),
        "sgd_dampening" => new Sgd(p, 0.05f, momentum: 0.9f, dampening: 0.3f),
        "sgd_nesterov" => new Sgd(p, 0.05f, momentum: 0.9f, nesterov: true),
        "sgd_weight_decay" => new Sgd(p, 0.05f, momentum: 0.9f, weightDecay: 0.1f),
        "sgd_clip" => new Sgd(p, 0.1f, momentum: 0.9f),
        "adam" => new Adam(p, 0.05f),
        "adam_l2" => new Adam(p, 0.05f, weightDecay: 0.1f),
        "adamw_default" => new AdamW(p, 0.05f),
        "adamw" or "adamw_clip" => new AdamW(p, 0.05f, weightDecay: 0.1f),
        _ => throw new ArgumentException(config),
    };

    /// <summary>The fixed problem: W [3,4], b [3] fitted by MSE to y [8,3] from x [8,4].</summary>
    internal sealed class Problem
    {
        private readonly Tensor _x, _y;

        public Problem()
        {
            var g = Golden.Case("optim");
            W = g.T("w0").RequireGrad();
            B = g.T("b0").RequireGrad();
            _x = g.T("x");
            _y = g.T("y");
        }

        public Tensor W { get; }
        public Tensor B { get; }

        /// <summary>Zeroes the gradients, computes the loss and back-propagates; returns the loss.</summary>
        public float Gradients(Optimizer opt)
        {
            opt.ZeroGrad();
            var loss = Loss.Mse(F.Linear(_x, W, B), _y);
            loss.Backward();
            return loss.Item();
        }
    }

    public static TheoryData<string> Configs => new()
    {
        "sgd_plain", "sgd_momentum", "sgd_dampening", "sgd_nesterov", "sgd_weight_decay", "sgd_clip",
        "adam", "adam_l2", "adamw_default", "adamw", "adamw_clip",
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void TenStepsMatchPyTorch(string config)
    {
        var run = Golden.Case("optim").GetProperty("runs").GetProperty(config);
        bool clip = run.GetProperty("clip").ValueKind != System.Text.Json.JsonValueKind.Null;
        float maxNorm = clip ? run.GetProperty("clip").GetSingle() : 0f;
        var losses = run.GetProperty("losses").Doubles();
        var norms = run.GetProperty("norms").Doubles();
        var ws = run.GetProperty("w").EnumerateArray().ToArray();
        var bs = run.GetProperty("b").EnumerateArray().ToArray();
        var problem = new Problem();
        var opt = Make(config, [problem.W, problem.B]);
        for (int step = 0; step < 10; step++)
        {
            float loss = problem.Gradients(opt);
            Assert.InRange(loss, losses[step] * (1 - 1e-5) - 1e-6, losses[step] * (1 + 1e-5) + 1e-6);
            if (clip)
            {
                float norm = GradClip.ClipGradNorm(opt.Params, maxNorm);
                Assert.InRange(norm, norms[step] * (1 - 1e-5), norms[step] * (1 + 1e-5));
            }
            opt.Step();
            Check.Close(ws[step].T(), problem.W, 1e-5f, 1e-6f, $"{config} W after step {step + 1}");
            Check.Close(bs[step].T(), problem.B, 1e-5f, 1e-6f, $"{config} b after step {step + 1}");
        }
        Assert.Equal(10, opt.StepCount);
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        var a = Tensor.FromArray([1f, 2f]).RequireGrad();
        var b = Tensor.FromArray([3f]).RequireGrad();
        foreach (var opt in new Optimizer[] { new Sgd([a, b], 0.1f, momentum: 0.9f), new Adam([a, b]), new AdamW([a, b]) })
        {
            opt.ZeroGrad();
            (a * a).Sum().Backward();
            opt.Step();
            Assert.Equal(3f, b.Item());
        }
    }

    [Fact]
    public void InvalidHyperparametersThrow()
    {
        var p = new[] { Tensor.Zeros(2).RequireGrad() };
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1f, nesterov: true)).Message);
        Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(p, -1f));
        Assert.Throws<ArgumentException>(() => new Adam(p, beta1: 1f));
        Assert.Throws<ArgumentException>(() => new AdamW(p, weightDecay: -0.1f));
    }
}
