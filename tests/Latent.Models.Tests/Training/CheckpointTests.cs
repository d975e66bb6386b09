using Latent.Models.Training;

namespace Latent.Models.Tests.Training;

public class CheckpointTests
{
    private static string Write()
    {
        var dir = TestData.TempDir();
        Trainer.Fit(TestData.SmallAe(), TestData.LowRankImages(20), TestData.LowRankImages(5, seed: 3),
            new TrainingOptions { Epochs = 2, BatchSize = 8, OutputDirectory = dir });
        return Path.Combine(dir, Trainer.CheckpointFileName);
    }

    [Fact]
    public void Round_trips_every_field()
    {
        var path = Write();
        var c = Checkpoint.Load(path);
        Assert.Equal("ae", c.ModelName);
        Assert.Equal("completed", c.Status);
        Assert.Equal(2, c.EpochsCompleted);
        Assert.Equal(6, c.GlobalStep);
        Assert.Equal(2, c.History.Count);
        Assert.Equal(c.Weights.Select(w => w.Name), c.BestWeights.Select(w => w.Name));
        Assert.Equal(16, c.Optimizers[0].Tensors.Count); // m and v for 8 parameters
        var copy = Path.Combine(Path.GetDirectoryName(path)!, "copy.latent");
        c.Save(copy);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_flipped_byte_is_reported_as_a_crc_mismatch()
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains("CRC-32 mismatch", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Truncated_and_foreign_files_are_rejected()
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.Contains("CRC-32", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
        File.WriteAllBytes(path, bytes[..10]);
        Assert.Contains("shorter", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
        File.WriteAllText(path, "not a checkpoint at all, but long enough");
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
    }
}
