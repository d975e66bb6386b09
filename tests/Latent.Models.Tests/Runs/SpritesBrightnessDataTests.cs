using Latent.Core;
using Latent.Models.Attributes;
using Latent.Models.Runs;

namespace Latent.Models.Tests.Runs;

public class SpritesBrightnessDataTests
{
    [Fact]
    public void Sprites_with_brightness_load_by_name_and_give_a_brightness_direction()
    {
        var plain = DataSource.Load(new DataRequest { Source = "sprites", Samples = 120, ImageSize = 28 });
        var data = DataSource.Load(new DataRequest { Source = DataSource.SpritesWithBrightness, Samples = 120, ImageSize = 28 });
        Assert.Equal(5, plain.Train.FactorNames!.Length);
        Assert.Equal("brightness", data.Train.FactorNames![^1]);
        Assert.Equal(6, data.Train.FactorSizes![^1]);
        Assert.Equal(plain.Train.Labels, data.Train.Labels);
        Assert.Equal(DataSource.SpritesWithBrightness, data.Description.Source);
        // Codes that are the mean pixel value: the brightness direction must point to brighter images.
        int size = data.Train.SampleSize;
        var codes = new Tensor(Enumerable.Range(0, data.Train.Count).Select(i => data.Train.X.AsSpan(i * size, size).ToArray().Average()).ToArray(), [data.Train.Count, 1]);
        var directions = AttributeVectors.Directions(codes, data.Train);
        var brightness = AttributeVectors.Find(directions, "brightness");
        Assert.True(brightness.Vector[0] > 0, $"brightness direction {brightness.Vector[0]}");
        Assert.DoesNotContain(AttributeVectors.Directions(codes, plain.Train), d => d.Name == "brightness");
    }
}
