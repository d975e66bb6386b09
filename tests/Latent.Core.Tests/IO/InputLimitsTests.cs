using Latent.Core.IO;

namespace Latent.Core.Tests.IO;

public class InputLimitsTests
{
    [Theory]
    [InlineData(null, InputLimits.DefaultMaxInputBytes)]
    [InlineData("", InputLimits.DefaultMaxInputBytes)]
    [InlineData("1000", 1000L)]
    [InlineData("512K", 512L << 10)]
    [InlineData("800m", 800L << 20)]
    [InlineData(" 2G ", 2L << 30)]
    public void Environment_values_are_bytes_with_binary_suffixes(string? text, long expected) =>
        Assert.Equal(expected, InputLimits.FromEnvironment(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("lots")]
    [InlineData("1.5G")]
    [InlineData("99999999999T")]
    public void Bad_environment_values_name_the_variable(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => InputLimits.FromEnvironment(text));
        Assert.Contains(InputLimits.EnvironmentVariableName, e.Message);
    }

    [Fact]
    public void ReadAllBytes_stops_at_the_limit_on_a_file_and_on_a_device()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[1000]);
            Assert.Equal(1000, InputLimits.ReadAllBytes(path, m => new InvalidDataException(m), 1000).Length);
            var e = Assert.Throws<InvalidDataException>(() => InputLimits.ReadAllBytes(path, m => new InvalidDataException(m), 999));
            Assert.Contains("the file is 1000 bytes", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        if (File.Exists("/dev/zero"))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<InvalidDataException>(() => InputLimits.ReadAllBytes("/dev/zero", m => new InvalidDataException(m), 1 << 20));
            Assert.Contains("more than", e.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
        }
    }

    [Fact]
    public void SafeTensors_header_is_read_without_the_data()
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [("w", Tensor.FromArray(new float[1 << 16], 256, 256)), ("b", Tensor.FromArray([1f, 2f], 2))]);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, ms.ToArray());
            long before = GC.GetAllocatedBytesForCurrentThread();
            var (tensors, _) = SafeTensors.ReadHeader(path);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 17); // the data is 256 KiB
            Assert.Equal(["w", "b"], tensors.Select(t => t.Name));
            Assert.Equal([256, 256], tensors[0].Shape);
            File.WriteAllBytes(path, ms.ToArray()[..^4]);
            Assert.Throws<InvalidModelFileException>(() => SafeTensors.ReadHeader(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
