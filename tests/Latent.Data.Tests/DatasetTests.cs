namespace Latent.Data.Tests;

public class DatasetTests
{
    [Fact]
    public void With_description_and_factors_share_samples_and_validate()
    {
        var ds = new Dataset("d", [1, 2, 3, 4], [2], [0, 1]);
        var described = ds.WithDescription("note");
        Assert.Same(ds.X, described.X);
        Assert.Equal("note", described.Description);
        Assert.Null(ds.Description);

        var f = described.WithFactors([0, 2, 1, 0], ["a", "b"], [2, 3]);
        Assert.Equal(2f, f.Factor(0, 1));
        Assert.Equal("note", f.Description);
        Assert.Equal("note", f.WithDescription("note").Description);

        Assert.Contains("value 3 of factor 'b'", Assert.Throws<ArgumentException>(() => ds.WithFactors([0, 3, 0, 0], ["a", "b"], [2, 3])).Message);
        Assert.Throws<ArgumentException>(() => ds.WithFactors([0, 0.5f, 0, 0], ["a", "b"], [2, 3]));
        Assert.Throws<ArgumentException>(() => ds.WithFactors([0, 0, 0], ["a", "b"], [2, 3]));
        Assert.Throws<InvalidOperationException>(() => ds.Factor(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Factor(2, 0));
    }
}
