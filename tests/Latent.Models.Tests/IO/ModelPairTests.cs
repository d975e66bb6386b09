using Latent.Core.IO;
using Latent.Models.IO;

namespace Latent.Models.Tests.IO;

/// <summary>model.json names its weights by SHA-256: a pair from different saves is refused, an interrupted save is read as its new pair.</summary>
public class ModelPairTests
{
    private static ModelManifest Manifest() => new() { Model = "ae", Options = "", CodeSize = 1, InputShape = [1] };

    [Fact]
    public void Save_records_the_weights_checksum_and_leaves_no_pending_file()
    {
        var dir = TestData.TempDir();
        var manifest = ModelFile.Save(dir, TestData.SmallAe(seed: 3), Manifest());
        Assert.Equal(ModelFile.Sha256(Path.Combine(dir, ModelFile.WeightsFileName)), manifest.WeightsSha256);
        Assert.Equal(manifest.WeightsSha256, ModelFile.ReadManifest(dir).WeightsSha256);
        Assert.Equal([ModelFile.ManifestFileName, ModelFile.WeightsFileName], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Weights_from_another_save_are_refused_with_one_line_saying_so()
    {
        var a = TestData.TempDir();
        var b = TestData.TempDir();
        ModelFile.Save(a, TestData.SmallAe(seed: 3), Manifest());
        ModelFile.Save(b, TestData.SmallAe(seed: 4), Manifest()); // same shapes, other values
        File.Copy(Path.Combine(b, ModelFile.WeightsFileName), Path.Combine(a, ModelFile.WeightsFileName), overwrite: true);
        var e = Assert.Throws<InvalidModelFileException>(() => ModelFile.Load(a));
        Assert.Contains(ModelFile.WeightsFileName, e.Message);
        Assert.Contains("different saves", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_save_interrupted_between_manifest_and_rename_reads_as_the_new_pair_and_is_completed()
    {
        var dir = TestData.TempDir();
        var old = TestData.SmallAe(seed: 3);
        var next = TestData.SmallAe(seed: 4);
        ModelFile.Save(dir, old, Manifest());
        byte[] oldWeights = File.ReadAllBytes(Path.Combine(dir, ModelFile.WeightsFileName));
        var manifest = ModelFile.Save(dir, next, Manifest());
        // The state a kill leaves after the new manifest is in place and before the weights' rename.
        File.Move(Path.Combine(dir, ModelFile.WeightsFileName), ModelFile.PendingWeightsPath(dir, manifest.WeightsSha256!));
        File.WriteAllBytes(Path.Combine(dir, ModelFile.WeightsFileName), oldWeights);

        var (loaded, _) = ModelFile.Load(dir);
        Assert.Equal(TestData.Weights(next), TestData.Weights(loaded));

        ModelFile.CompleteSave(dir);
        Assert.False(File.Exists(ModelFile.PendingWeightsPath(dir, manifest.WeightsSha256!)));
        Assert.Equal(manifest.WeightsSha256, ModelFile.Sha256(Path.Combine(dir, ModelFile.WeightsFileName)));
    }

    [Fact]
    public void Pending_weights_that_no_manifest_names_are_removed_and_the_old_pair_stays()
    {
        var dir = TestData.TempDir();
        ModelFile.Save(dir, TestData.SmallAe(seed: 3), Manifest());
        var before = Directory.GetFiles(dir).ToDictionary(f => f, File.ReadAllBytes);
        string orphan = ModelFile.PendingWeightsPath(dir, new string('a', 64)); // a save killed before its manifest
        File.WriteAllBytes(orphan, [1, 2, 3]);
        ModelFile.Load(dir);
        ModelFile.CompleteSave(dir);
        Assert.False(File.Exists(orphan));
        Assert.Equal(before, Directory.GetFiles(dir).ToDictionary(f => f, File.ReadAllBytes));
    }

    [Fact]
    public void A_checksum_that_is_not_hex_is_refused()
    {
        var dir = TestData.TempDir();
        ModelFile.Save(dir, TestData.SmallAe(seed: 3), Manifest());
        string path = Path.Combine(dir, ModelFile.ManifestFileName);
        var text = File.ReadAllText(path);
        var sha = ModelFile.ReadManifest(dir).WeightsSha256!;
        File.WriteAllText(path, text.Replace(sha, "../../etc/passwd", StringComparison.Ordinal));
        Assert.Contains("weights_sha256", Assert.Throws<InvalidModelFileException>(() => ModelFile.Load(dir)).Message);
    }
}
