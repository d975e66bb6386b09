using System.Text;
using Latent.Data.Tables;

namespace Latent.Data.Tests.Tables;

public class CsvTableTests
{
    private static string Write(TempDir dir, string text, string name = "t.csv", bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(dir.File(name), gzip ? TestFiles.Gzip(bytes) : bytes);
        return dir.File(name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_features_and_label_column(bool gzip)
    {
        using var dir = new TempDir();
        var p = Write(dir, "a,label,b\n1,0,2.5\n-3e2,1, 4\n\n", "t.csv.gz", gzip);
        var ds = CsvTable.Load(p);
        Assert.Equal([2], ds.SampleShape);
        Assert.Equal([1f, 2.5f, -300f, 4f], ds.X);
        Assert.Equal([0, 1], ds.Labels!);
        Assert.Contains("labels from column 'label'", ds.Description);
    }

    [Fact]
    public void Label_column_by_name_or_none()
    {
        using var dir = new TempDir();
        var p = Write(dir, "\"x\",\"y\",cls\r\n1,2,3\r\n4,5,6\r\n");
        Assert.Equal([3, 6], CsvTable.Load(p, "cls").Labels!);
        Assert.Null(CsvTable.Load(p).Labels);                       // no 'label' column: all features
        Assert.Equal(3, CsvTable.Load(p, labels: false).SampleSize);
        Assert.Equal(["x", "y", "cls"], CsvTable.ReadHeader(p));
    }

    [Fact]
    public void Missing_named_label_column()
    {
        using var dir = new TempDir();
        var p = Write(dir, "a,b\n1,2\n");
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p, "target"));
        Assert.Equal($"{p}: line 1: label column 'target' not in header [a,b]", e.Message);
    }

    [Fact]
    public void Ragged_row_names_line_and_counts()
    {
        using var dir = new TempDir();
        var p = Write(dir, "a,b,label\n1,2,0\n3,4\n");
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p));
        Assert.Equal($"{p}: line 3: expected 3 columns as in the header, found 2", e.Message);
    }

    [Theory]
    [InlineData("1,abc,0", "line 3, column 2 ('b'): expected a finite number, found 'abc'")]
    [InlineData("1,NaN,0", "line 3, column 2 ('b'): expected a finite number, found 'NaN'")]
    [InlineData("1,2,0.5", "line 3, column 3 ('label'): expected an integer label, found '0.5'")]
    public void Bad_cell_names_line_and_column(string row, string detail)
    {
        using var dir = new TempDir();
        var p = Write(dir, "a,b,label\n1,2,0\n" + row + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p));
        Assert.Equal($"{p}: {detail}", e.Message);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("\n\n", "empty file")]
    [InlineData("a,b\n", "no data rows")]
    public void Empty_inputs(string text, string expected)
    {
        using var dir = new TempDir();
        var p = Write(dir, text);
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(p, e.Message);
    }

    [Theory]
    [InlineData("arrhythmia", 274)]
    [InlineData("cardio", 21)]
    [InlineData("ionosphere", 33)]
    [InlineData("mnist", 100)]
    [InlineData("musk", 166)]
    [InlineData("pendigits", 16)]
    [InlineData("pima", 8)]
    [InlineData("satellite", 36)]
    [InlineData("satimage-2", 36)]
    [InlineData("shuttle", 9)]
    [InlineData("wbc", 30)]
    public void Odds_sets_load_with_binary_labels(string name, int features)
    {
        var ds = CsvTable.Load(Path.Combine(TestFiles.SharedDatasets, "odds", name + ".csv.gz"));
        Assert.Equal([features], ds.SampleShape);
        Assert.True(ds.Count > 100);
        Assert.All(ds.Labels!, l => Assert.True(l is 0 or 1));
        int outliers = ds.Labels!.Count(l => l == 1);
        Assert.InRange(outliers, 1, ds.Count / 2);
    }
}
