using Latent.Core;
using Latent.Data;
using Latent.Models.Attributes;

namespace Latent.Models.Tests.Attributes;

public class AttributeVectorsTests
{
    [Fact]
    public void Class_directions_are_the_difference_of_mean_codes()
    {
        // Codes: class 1 sits at (2, 0) + noise, classes 0 and 2 at (0, 1) and (0, -1).
        int n = 300;
        var rng = new Rng(4);
        var z = new float[n * 2];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            z[2 * i] = (labels[i] == 1 ? 2 : 0) + 0.1f * rng.NextNormal();
            z[2 * i + 1] = (labels[i] == 0 ? 1 : labels[i] == 2 ? -1 : 0) + 0.1f * rng.NextNormal();
        }
        var data = new Dataset("toy", new float[n], [1], labels);
        var dirs = AttributeVectors.Directions(new Tensor(z, [n, 2]), data);
        Assert.Equal(["class=0", "class=1", "class=2"], dirs.Select(d => d.Name));
        var d1 = AttributeVectors.Find(dirs, "class=1");
        Assert.Equal(2, d1.Vector[0], 0.05);
        Assert.Equal(0, d1.Vector[1], 0.05);
        Assert.Equal(100, d1.With);
        Assert.Equal(200, d1.Without);
        var moved = AttributeVectors.Move(new Tensor([0f, 0f, 1f, 1f], [2, 2]), d1, 1.5f);
        Assert.Equal(1.5f * d1.Vector[0], moved.Span[0], 5);
        Assert.Equal(1 + 1.5f * d1.Vector[1], moved.Span[3], 5);
    }

    [Fact]
    public void Ordered_factors_compare_the_upper_half_with_the_lower_half()
    {
        // One factor "scale" with values 0..4; the code's first dimension is the scale.
        int n = 50;
        var factors = new float[n];
        var z = new float[n * 2];
        for (int i = 0; i < n; i++) { factors[i] = i % 5; z[2 * i] = i % 5; z[2 * i + 1] = 7; }
        var data = new Dataset("sprites-like", new float[n], [1]).WithFactors(factors, ["scale"], [5]);
        var d = AttributeVectors.Find(AttributeVectors.Directions(new Tensor(z, [n, 2]), data), "scale");
        Assert.Equal(3.5f - 0.5f, d.Vector[0], 5); // mean of {3,4} minus mean of {0,1}; value 2 is in neither half
        Assert.Equal(0f, d.Vector[1], 5);
        Assert.Equal(20, d.With);
        Assert.Equal(20, d.Without);
    }

    [Theory]
    [InlineData("scale:+1.5", "scale", 1.5f)]
    [InlineData("class=3:-2", "class=3", -2f)]
    public void Apply_parses(string text, string name, float amount)
    {
        var (n, a) = AttributeVectors.ParseApply(text);
        Assert.Equal(name, n);
        Assert.Equal(amount, a);
    }

    [Fact]
    public void Unknown_attributes_and_bad_amounts_are_errors()
    {
        Assert.Contains("--apply", Assert.Throws<ArgumentException>(() => AttributeVectors.ParseApply("scale")).Message);
        Assert.Contains("--apply", Assert.Throws<ArgumentException>(() => AttributeVectors.ParseApply("scale:big")).Message);
        var dirs = new[] { new AttributeDirection("x", [1f], 1, 1) };
        Assert.Contains("x", Assert.Throws<ArgumentException>(() => AttributeVectors.Find(dirs, "zoom")).Message);
    }
}
