using Latent.Models.IO;

namespace Latent.Models.Tests.IO;

public class DataDescriptionTests
{
    [Fact]
    public void Round_trips_through_the_manifest_with_every_field()
    {
        var dir = TestData.TempDir();
        var written = ModelFileTests.Manifest().Data!;
        ModelFile.Save(dir, TestData.SmallAe(), ModelFileTests.Manifest());
        var read = ModelFile.ReadManifest(dir).Data!;
        Assert.Equal(written.Source, read.Source);
        Assert.Equal(written.Kind, read.Kind);
        Assert.Equal(written.LabelColumn, read.LabelColumn);
        Assert.Equal(written.Mean, read.Mean);
        Assert.Equal(written.Std, read.Std);
        Assert.Equal(written.TrainCount, read.TrainCount);
        Assert.Equal(written.TestCount, read.TestCount);
        Assert.Equal(written.TestFraction, read.TestFraction);
        Assert.Equal(ulong.MaxValue - 5, read.Seed);
        Assert.Null(read.ImageSize);
        Assert.Null(read.Description);
    }

    [Fact]
    public void Absent_fields_are_left_out_of_the_file_and_read_back_as_null()
    {
        var dir = TestData.TempDir();
        var manifest = ModelFileTests.Manifest() with { Data = new DataDescription { Source = "sprites", Kind = "sprites", ImageSize = 28 } };
        ModelFile.Save(dir, TestData.SmallAe(), manifest);
        string text = File.ReadAllText(Path.Combine(dir, ModelFile.ManifestFileName));
        Assert.Contains("\"image_size\": 28", text);
        Assert.DoesNotContain("label_column", text);
        Assert.DoesNotContain("\"mean\"", text);
        var read = ModelFile.ReadManifest(dir).Data!;
        Assert.Equal(28, read.ImageSize);
        Assert.Null(read.Mean);
        Assert.Null(read.Std);
        Assert.Null(read.LabelColumn);
    }

    [Fact]
    public void A_manifest_without_data_reads_as_null()
    {
        var dir = TestData.TempDir();
        ModelFile.Save(dir, TestData.SmallAe(), ModelFileTests.Manifest() with { Data = null });
        Assert.DoesNotContain("\"data\"", File.ReadAllText(Path.Combine(dir, ModelFile.ManifestFileName)));
        Assert.Null(ModelFile.ReadManifest(dir).Data);
    }
}
