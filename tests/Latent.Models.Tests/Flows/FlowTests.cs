using Latent.Core;
using Latent.Models.Flows;
using Latent.Models.Metrics;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Flows;

public class FlowTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static PlanarVae Planar(int flows = 3, ulong seed = 1) => new(new PlanarVaeOptions { Architecture = "16-8-3", Flows = flows }, Shape, new Rng(seed));

    private static IafVae Iaf(int flows = 2, ulong seed = 1) => new(new IafVaeOptions { Architecture = "16-8-3", Flows = flows, FlowHidden = 8 }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Planar_model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("planar-vae", new() { ["arch"] = "16-8-3", ["flows"] = "2" }, Shape);
        Assert.Contains(model.StateDict(), p => p.Name == "flow.1.u");
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Planar(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Planar(seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Planar(seed: 5), TestData.LowRankImages(128));
    }

    [Fact]
    public void Iaf_model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("iaf-vae", new() { ["arch"] = "16-8-3", ["flows"] = "2", ["flow_hidden"] = "8" }, Shape);
        Assert.Contains(model.StateDict(), p => p.Name == "flow.1.w2");
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Iaf(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Iaf(seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Iaf(seed: 5), TestData.LowRankImages(128));
    }

    /// <summary>The reported log |det| of one step equals log |det J| of a central finite-difference Jacobian (3×3, in double).</summary>
    [Theory]
    [InlineData("planar", 1UL)]
    [InlineData("planar", 2UL)]
    [InlineData("iaf", 1UL)]
    [InlineData("iaf-reversed", 2UL)]
    public void Log_det_matches_a_finite_difference_jacobian(string kind, ulong seed)
    {
        var rng = new Rng(seed);
        Func<Tensor, (Tensor Z, Tensor LogDet)> step;
        if (kind == "planar")
        {
            var f = new PlanarFlow(3, rng);
            f.U.CopyFrom(rng.Normal([3], std: 1.5f));
            f.W.CopyFrom(rng.Normal([3], std: 1.5f));
            f.B.CopyFrom(Tensor.FromArray([0.3f], 1));
            step = f.Forward;
        }
        else
        {
            var f = new InverseAutoregressiveFlow(3, 6, kind == "iaf-reversed", rng);
            f.W2.CopyFrom(rng.Normal([6, 6], std: 1f));
            f.B2.CopyFrom(rng.Normal([6], std: 1f));
            step = f.Forward;
        }
        var z = new Rng(seed + 10).Normal([1, 3]).ToArray();
        float logDet = step(new Tensor(z, 1, 3)).LogDet.Item();
        var jac = new double[3, 3];
        const float h = 1e-2f;
        for (int j = 0; j < 3; j++)
        {
            var plus = (float[])z.Clone(); plus[j] += h;
            var minus = (float[])z.Clone(); minus[j] -= h;
            var a = step(new Tensor(plus, 1, 3)).Z.ToArray();
            var b = step(new Tensor(minus, 1, 3)).Z.ToArray();
            for (int i = 0; i < 3; i++) jac[i, j] = (a[i] - b[i]) / (2.0 * h);
        }
        double det = jac[0, 0] * (jac[1, 1] * jac[2, 2] - jac[1, 2] * jac[2, 1])
                   - jac[0, 1] * (jac[1, 0] * jac[2, 2] - jac[1, 2] * jac[2, 0])
                   + jac[0, 2] * (jac[1, 0] * jac[2, 1] - jac[1, 1] * jac[2, 0]);
        Assert.Equal(Math.Log(Math.Abs(det)), logDet, 2);
        if (kind.StartsWith("iaf", StringComparison.Ordinal))
        {
            // Autoregressive: output i depends only on the inputs before it in the step's order (triangular Jacobian).
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    if (kind == "iaf" ? j > i : j < i) Assert.Equal(0.0, jac[i, j], 6);
        }
    }

    /// <summary>The invertibility correction keeps wᵀû ≥ −1 even for u pointing against w.</summary>
    [Fact]
    public void Planar_flow_stays_invertible_for_opposed_u_and_w()
    {
        var f = new PlanarFlow(2, new Rng(1));
        f.W.CopyFrom(Tensor.FromArray([1f, 0f], 2));
        f.U.CopyFrom(Tensor.FromArray([-5f, 0f], 2));
        var (_, logDet) = f.Forward(new Rng(2).Normal([50, 2]));
        Assert.All(logDet.ToArray(), v => Assert.True(float.IsFinite(v), $"log det {v}"));
    }

    [Fact]
    public void Flow_nll_uses_the_transformed_posterior()
    {
        var data = TestData.LowRankImages(128);
        var model = ModelChecks.Fit(Iaf(seed: 3), data, epochs: 4);
        double k1 = Likelihood.ImportanceSampledNll(model, data, 1, new Rng(7));
        double k50 = Likelihood.ImportanceSampledNll(model, data, 50, new Rng(7));
        double negElbo = Evaluation.AverageLossTerms(model, data, 64, new Rng(7)).First(t => t.Key == "neg_elbo").Value;
        Assert.True(Math.Abs(k1 - negElbo) < 0.05 * Math.Abs(negElbo) + 0.2, $"K=1 {k1} vs negative ELBO {negElbo}");
        Assert.True(k50 < k1, $"K=50 {k50} not below K=1 {k1}");
    }
}
