using System.Text;
using Latent.Data.Tables;

namespace Latent.Data.Tests.Tables;

public class CsvTableInputTests
{
    private static string Write(TempDir dir, byte[] bytes, string name = "t.csv")
    {
        File.WriteAllBytes(dir.File(name), bytes);
        return dir.File(name);
    }

    [Fact]
    public void Tsv_files_are_split_on_tabs()
    {
        using var dir = new TempDir();
        var ds = CsvTable.Load(Write(dir, Encoding.UTF8.GetBytes("a\tb,c\tlabel\n1\t2\t0\n3\t4\t1\n"), "t.tsv"));
        Assert.Equal([2], ds.SampleShape);
        Assert.Equal([1f, 2f, 3f, 4f], ds.X);
        Assert.Equal([0, 1], ds.Labels!);
        Assert.StartsWith("TSV t.tsv", ds.Description);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_column_name()
    {
        using var dir = new TempDir();
        var p = Write(dir, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("label,a\n1,2\n0,3\n")]);
        Assert.Equal([1, 0], CsvTable.Load(p).Labels!);
    }

    [Fact]
    public void A_numeric_first_row_is_data_and_the_description_says_so()
    {
        using var dir = new TempDir();
        var p = Write(dir, Encoding.UTF8.GetBytes("1,2,0\n3,4,1\n5,6,0\n"));
        var ds = CsvTable.Load(p);
        Assert.Equal(3, ds.Count);
        Assert.Equal([3], ds.SampleShape);
        Assert.Null(ds.Labels);
        Assert.Contains("no header row", ds.Description);
        var labelled = CsvTable.Load(p, "3");
        Assert.Equal([0, 1, 0], labelled.Labels!);
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p, "label"));
        Assert.Contains("must be a column number 1..3", e.Message);
    }

    [Fact]
    public void A_long_line_is_read_without_building_it()
    {
        using var dir = new TempDir();
        var line = string.Concat(Enumerable.Repeat("1,", 2_000_000)) + "1\n";
        var p = Write(dir, Encoding.ASCII.GetBytes("a,b\n" + line));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4_000_000, "a 4 MB line must not be copied into strings");
        Assert.Contains("found 2000001", e.Message);
    }

    [Fact]
    public void A_gzip_file_cut_at_a_flush_point_is_an_error()
    {
        using var dir = new TempDir();
        var text = Encoding.ASCII.GetBytes("a,b\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i},{i * 2}\n")));
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(text, 0, text.Length / 2);
            gz.Flush();
            var cut = ms.ToArray();
            var p = Write(dir, cut, "t.csv.gz");
            var e = Assert.Throws<DatasetFormatException>(() => CsvTable.Load(p));
            Assert.Contains("gzip trailer does not match the content", e.Message);
            Assert.StartsWith(p, e.Message);
        }
    }
}
