using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Contractive;
using Latent.Models.Metrics;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Contractive;

public class ContractiveAutoencoderTests
{
    private static ContractiveAutoencoder Model(ulong seed = 1, float lambda = 0.1f, string arch = "16-6", string hidden = "relu", string code = "sigmoid",
        JacobianMethod method = JacobianMethod.Auto) =>
        new(new ContractiveOptions
        {
            Network = new AutoencoderOptions { Architecture = arch, HiddenActivation = hidden, CodeActivation = code },
            Lambda = lambda, Jacobian = method,
        }, [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n = 6) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Defaults_and_options_parse_back()
    {
        Assert.Equal(0.1f, new ContractiveOptions().Lambda);
        Assert.Equal("784-1000", new ContractiveOptions().Network.Architecture);
        ModelChecks.RegistryRoundTrip("contractive-ae", new() { ["arch"] = "16-4", ["lambda"] = "0.5", ["jacobian"] = "exact" }, [1, 4, 4]);
        Assert.Equal("Lambda", Assert.Throws<ArgumentException>(() => ContractiveOptions.Schema.Parse(new Dictionary<string, string> { ["lambda"] = "-1" })).ParamName);
        Assert.True(Model().UsesClosedForm);
        Assert.False(Model(method: JacobianMethod.Exact).UsesClosedForm);
        Assert.False(Model(arch: "16-8-4").UsesClosedForm);
        Assert.False(Model(code: "tanh").UsesClosedForm);
    }

    [Fact]
    public void Closed_form_equals_the_exact_second_order_jacobian_and_its_gradient()
    {
        var x = Batch();
        var fast = Model(seed: 3);
        var exact = Model(seed: 3, method: JacobianMethod.Exact);
        var a = fast.JacobianPenalty(x).ToArray();
        var b = exact.JacobianPenalty(x).ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);
        // The gradients of the loss (which go through the Jacobian's own graph in the exact path) agree too.
        fast.Loss(x, new TrainingContext(new Rng(1))).Total.Backward();
        exact.Loss(x, new TrainingContext(new Rng(1))).Total.Backward();
        var ga = fast.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        var gb = exact.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        for (int p = 0; p < ga.Count; p++)
            for (int i = 0; i < ga[p].Length; i++) Assert.Equal(ga[p][i], gb[p][i], 4);
    }

    [Fact]
    public void Exact_norm_of_a_deep_encoder_matches_finite_differences()
    {
        var model = Model(seed: 4, arch: "16-8-3", hidden: "tanh", code: "tanh");
        var x = Batch(2);
        var norms = model.JacobianPenalty(x).ToArray();
        var xs = x.ToArray();
        const float eps = 1e-2f;
        for (int b = 0; b < 2; b++)
        {
            double sum = 0;
            for (int i = 0; i < 16; i++)
            {
                var plus = (float[])xs.Clone(); plus[b * 16 + i] += eps;
                var minus = (float[])xs.Clone(); minus[b * 16 + i] -= eps;
                var hp = model.Encode(Tensor.FromArray(plus, 2, 1, 4, 4)).ToArray();
                var hm = model.Encode(Tensor.FromArray(minus, 2, 1, 4, 4)).ToArray();
                for (int j = 0; j < 3; j++) { double d = (hp[b * 3 + j] - hm[b * 3 + j]) / (2 * eps); sum += d * d; }
            }
            Assert.Equal(sum, norms[b], 2);
            Assert.True(Math.Abs(sum - norms[b]) < 1e-2 * sum, $"sample {b}: finite differences {sum} vs exact {norms[b]}");
        }
    }

    [Fact]
    public void Loss_is_reconstruction_plus_lambda_times_the_mean_norm_and_evaluates_under_no_grad()
    {
        var model = Model(lambda: 0.5f, arch: "16-8-4", method: JacobianMethod.Exact);
        var x = Batch();
        var terms = ModelChecks.ShapesAndFiniteLoss(model, x);
        float jac = terms.Extras.Single(e => e.Key == "jacobian").Value.Item();
        Assert.Equal(model.JacobianPenalty(x).Mean().Item(), jac, 5);
        Assert.Equal(terms.Reconstruction.Item() + 0.5f * jac, terms.Total.Item(), 4);
        var values = Evaluation.AverageLossTerms(model, TestData.LowRankImages(6));
        Assert.Equal(terms.Total.Item(), values[0].Value, 3);
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Model(arch: "16-8-4"), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(s => Model(seed: s), data);
        ModelChecks.LossFalls(Model(seed: 5), data, epochs: 12);
    }

    [Fact]
    public void Contracts_more_than_a_plain_autoencoder_of_equal_reconstruction_error()
    {
        var all = TestData.LowRankImages(512);
        var cae = ModelChecks.Fit(Model(seed: 2, lambda: 1f, arch: "16-10"), all, epochs: 20);
        double caeSse = Evaluation.Reconstruction(cae, all).SsePerImage, caeJac = ClaimMetrics.JacobianFrobenius(cae, all, 200);
        // The plain autoencoder (λ = 0), epoch by epoch: take the epoch whose reconstruction error is closest to the CAE's.
        var plain = Model(seed: 2, lambda: 0f, arch: "16-10");
        double bestGap = double.MaxValue, plainSse = 0, plainJac = 0;
        for (int e = 0; e < 20; e++)
        {
            ModelChecks.Fit(plain, all, epochs: 1);
            double sse = Evaluation.Reconstruction(plain, all).SsePerImage;
            if (Math.Abs(sse - caeSse) < bestGap) { bestGap = Math.Abs(sse - caeSse); plainSse = sse; plainJac = ClaimMetrics.JacobianFrobenius(plain, all, 200); }
        }
        Assert.True(plainSse <= 1.1 * caeSse, $"no plain AE epoch came near the CAE's error: {plainSse} vs {caeSse}");
        Assert.True(caeJac < 0.7 * plainJac, $"CAE ||J||^2 {caeJac:F3} (SSE {caeSse:F4}) vs plain {plainJac:F3} (SSE {plainSse:F4})");
    }
}
