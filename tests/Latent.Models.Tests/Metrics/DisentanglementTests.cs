using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Metrics;

public class DisentanglementTests
{
    private static readonly int[] Sizes = [3, 6, 10];

    /// <summary>n samples of three independent uniform factors [n, 3].</summary>
    private static int[] Factors(int n, ulong seed = 1)
    {
        var rng = new Rng(seed);
        var f = new int[n * 3];
        for (int i = 0; i < f.Length; i++) f[i] = rng.NextInt(Sizes[i % 3]);
        return f;
    }

    [Fact]
    public void Perfectly_disentangled_codes_score_one()
    {
        int n = 6000;
        var f = Factors(n);
        var rng = new Rng(2);
        // z_j = v_j (+ jitter far below a bin), plus one pure-noise dimension.
        var codes = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) codes[i * 4 + j] = f[i * 3 + j] + 1e-3f * rng.NextNormal();
            codes[i * 4 + 3] = rng.NextNormal();
        }
        double mig = Disentanglement.Mig(codes, 4, f, Sizes);
        Assert.InRange(mig, 0.97, 1.0);
        var nmi = Disentanglement.NormalisedMutualInformation(codes, 4, f, Sizes);
        for (int j = 0; j < 3; j++) Assert.InRange(nmi[j, j], 0.999, 1.0);
    }

    [Fact]
    public void Codes_that_share_every_factor_between_two_dimensions_score_zero()
    {
        int n = 6000;
        var f = Factors(n);
        // Both dimensions hold the same mixture of all factors: the top two MIs are equal for every factor.
        var codes = new float[n * 2];
        for (int i = 0; i < n; i++)
            codes[i * 2] = codes[i * 2 + 1] = f[i * 3] + 3f * f[i * 3 + 1] + 18f * f[i * 3 + 2];
        Assert.InRange(Disentanglement.Mig(codes, 2, f, Sizes), 0.0, 1e-9);
    }

    [Fact]
    public void Codes_unrelated_to_the_factors_score_near_zero()
    {
        int n = 6000;
        var f = Factors(n);
        var codes = new Rng(5).Normal([n, 5]).ToArray();
        Assert.InRange(Disentanglement.Mig(codes, 5, f, Sizes), 0.0, 0.02);
    }

    [Fact]
    public void Rotated_codes_score_lower_than_axis_aligned_ones()
    {
        int n = 6000;
        var f = Factors(n);
        var aligned = new float[n * 2];
        var rotated = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            float a = f[i * 3 + 1], b = f[i * 3 + 2];
            aligned[i * 2] = a; aligned[i * 2 + 1] = b;
            rotated[i * 2] = a + b; rotated[i * 2 + 1] = a - b;
        }
        int[] sizes = [3, 6, 10];
        Assert.True(Disentanglement.Mig(aligned, 2, f, sizes) > Disentanglement.Mig(rotated, 2, f, sizes) + 0.2);
    }

    [Fact]
    public void Model_overload_encodes_the_dataset()
    {
        // A dataset whose pixels are the factors themselves, and an identity "model".
        int n = 3000;
        var f = Factors(n);
        var x = f.Select(v => (float)v).ToArray();
        var data = new Dataset("factors", x, [3]).WithFactors(x, ["a", "b", "c"], Sizes);
        Assert.InRange(Disentanglement.Mig(new Identity(), data), 0.97, 1.0);
        Assert.Throws<ArgumentException>(() => Disentanglement.Mig(new Identity(), new Dataset("plain", x, [3])));
    }

    [Fact]
    public void Bad_inputs_name_the_parameter()
    {
        var f = Factors(10);
        Assert.Equal("factors", Assert.Throws<ArgumentException>(() => Disentanglement.Mig(new float[20], 2, f.Take(29).ToArray(), Sizes)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentException>(() => Disentanglement.Mig(new float[20], 2, f, Sizes, bins: 1)).ParamName);
        f[0] = 7;
        Assert.Equal("factors", Assert.Throws<ArgumentException>(() => Disentanglement.Mig(new float[20], 2, f, Sizes)).ParamName);
    }

    private sealed class Identity : IAutoencoder
    {
        public int[] InputShape => [3];
        public int CodeSize => 3;
        public Tensor Encode(Tensor x) => x;
        public Tensor Decode(Tensor z) => z;
        public Tensor Reconstruct(Tensor x) => x;
    }
}
