using Latent.Core;

namespace Latent.Models.Tests;

public class ModelRegistryTests
{
    [Fact]
    public void Ae_is_listed_with_paper_and_defaults()
    {
        var ae = ModelRegistry.Get("AE");
        Assert.Equal("ae", ae.Name);
        Assert.Contains("Hinton & Salakhutdinov 2006", ae.Citation);
        Assert.Contains("arch=784-1000-500-250-30", ae.DefaultOptionsText);
        Assert.Contains(ModelRegistry.All, m => m.Name == "ae");
    }

    [Fact]
    public void Create_builds_from_settings()
    {
        var model = ModelRegistry.Create("ae", new Dictionary<string, string> { ["arch"] = "16-5" }, [1, 4, 4], new Rng(1));
        Assert.Equal(5, model.CodeSize);
        Assert.Equal([1, 4, 4], model.InputShape);
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("nope"));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("ae", e.Message);
        Assert.Throws<ArgumentException>(() => ModelRegistry.Register(ModelRegistry.Get("ae")));
    }
}
