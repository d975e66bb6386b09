using Latent.Core;

namespace Latent.Models.Tests;

public class LossTermsTests
{
    [Fact]
    public void Terms_are_named_and_ordered()
    {
        var t = new LossTerms(Tensor.Scalar(3), Tensor.Scalar(2), Tensor.Scalar(1)).With("kl", Tensor.Scalar(0.5f)).With("commitment", Tensor.Scalar(0.25f));
        Assert.Equal(["total", "reconstruction", "regularisation", "kl", "commitment"], t.All().Select(kv => kv.Key));
        Assert.Equal([3.0, 2.0, 1.0, 0.5, 0.25], t.Values().Select(kv => kv.Value));
        Assert.Equal(["total", "reconstruction"], new LossTerms(Tensor.Scalar(1), Tensor.Scalar(1)).All().Select(kv => kv.Key));
    }

    [Fact]
    public void Rejects_non_scalars_and_duplicate_names()
    {
        Assert.Equal("total", Assert.Throws<ArgumentException>(() => new LossTerms(Tensor.Zeros(2), Tensor.Scalar(1))).ParamName);
        var t = new LossTerms(Tensor.Scalar(1), Tensor.Scalar(1)).With("kl", Tensor.Scalar(0));
        Assert.Throws<ArgumentException>(() => t.With("kl", Tensor.Scalar(0)));
        Assert.Throws<ArgumentException>(() => t.With("total", Tensor.Scalar(0)));
        Assert.Throws<ArgumentException>(() => t.With("a b", Tensor.Scalar(0)));
    }
}
