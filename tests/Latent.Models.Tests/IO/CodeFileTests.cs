using System.Globalization;
using Latent.Core;
using Latent.Data.Arrays;
using Latent.Models.IO;

namespace Latent.Models.Tests.IO;

public class CodeFileTests
{
    private static Tensor Codes(int n, int z) => new Rng(4).Normal([n, z], std: 100f);

    [Fact]
    public void Csv_has_a_header_and_every_value_round_trips()
    {
        var path = Path.Combine(TestData.TempDir(), "codes.csv");
        var codes = Codes(4, 3);
        CodeFile.Write(path, codes, [7, 0, 2, 9]);
        var lines = File.ReadAllLines(path);
        Assert.Equal(5, lines.Length);
        Assert.Equal("z0,z1,z2,label", lines[0]);
        var values = lines.Skip(1).SelectMany(l => l.Split(',').Take(3)).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(codes.ToArray(), values);
        Assert.Equal(["7", "0", "2", "9"], lines.Skip(1).Select(l => l.Split(',')[3]));
    }

    [Fact]
    public void Csv_without_labels_has_no_label_column()
    {
        var path = Path.Combine(TestData.TempDir(), "codes.txt");
        CodeFile.Write(path, Codes(2, 2));
        var lines = File.ReadAllLines(path);
        Assert.Equal("z0,z1", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Equal(2, l.Split(',').Length));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(1, 1)]
    [InlineData(50, 117)]
    public void Npy_reads_back_with_shape_and_values(int n, int z)
    {
        var path = Path.Combine(TestData.TempDir(), "codes.NPY");
        var codes = Codes(n, z);
        CodeFile.Write(path, codes);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", System.Text.Encoding.ASCII.GetString(bytes, 1, 5));
        int dataStart = 10 + (bytes[8] | bytes[9] << 8);
        Assert.Equal(0, dataStart % 64);
        Assert.Equal((byte)'\n', bytes[dataStart - 1]);
        Assert.Equal(dataStart + n * z * 4, bytes.Length);
        var array = NpyReader.Read(path);
        Assert.Equal("<f4", array.Dtype);
        Assert.Equal([n, z], array.Shape);
        Assert.Equal(codes.ToArray(), array.ToSingle());
    }

    [Fact]
    public void Npy_keeps_the_labels_in_a_file_beside_the_codes()
    {
        var path = Path.Combine(TestData.TempDir(), "codes.npy");
        var written = CodeFile.Write(path, Codes(3, 2), [4, 0, 9]);
        string labelsPath = Path.Combine(Path.GetDirectoryName(path)!, "codes.labels.npy");
        Assert.Equal([path, labelsPath], written);
        var labels = NpyReader.Read(labelsPath);
        Assert.Equal("<i4", labels.Dtype);
        Assert.Equal([3], labels.Shape);
        Assert.Equal([4, 0, 9], labels.ToInt32());
        Assert.Single(CodeFile.Write(Path.Combine(TestData.TempDir(), "plain.npy"), Codes(2, 2)));
    }

    [Fact]
    public void Csv_names_each_label_when_class_names_are_given()
    {
        var path = Path.Combine(TestData.TempDir(), "codes.csv");
        CodeFile.Write(path, Codes(3, 2), [1, 0, 2], ["T-shirt/top", "Trouser", "a, b"]);
        var lines = File.ReadAllLines(path);
        Assert.Equal("z0,z1,label,class", lines[0]);
        Assert.EndsWith(",1,Trouser", lines[1]);
        Assert.EndsWith(",0,T-shirt/top", lines[2]);
        Assert.EndsWith(",2,\"a, b\"", lines[3]);
    }

    [Fact]
    public void Codes_must_be_a_matrix()
    {
        var path = Path.Combine(TestData.TempDir(), "codes.csv");
        var e = Assert.Throws<ArgumentException>(() => CodeFile.Write(path, Tensor.Zeros(6)));
        Assert.Equal("codes", e.ParamName);
        Assert.Contains("[6]", e.Message);
        Assert.Throws<ArgumentException>(() => CodeFile.Write("", Tensor.Zeros(2, 2)));
        Assert.False(File.Exists(path));
    }
}
