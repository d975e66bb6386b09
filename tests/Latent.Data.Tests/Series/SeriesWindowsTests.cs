using Latent.Data.Series;
using Latent.Data.Tables;

namespace Latent.Data.Tests.Series;

public class SeriesWindowsTests
{
    private static TimeSeries Ramp(int length, int columns = 2, int[]? labels = null) =>
        new("ramp", Enumerable.Range(0, length * columns).Select(i => (float)i).ToArray(),
            Enumerable.Range(0, columns).Select(c => $"c{c}").ToArray(), labels);

    [Fact]
    public void Starts_step_by_stride_and_cover_the_end()
    {
        Assert.Equal([0, 2, 4, 6], SeriesWindows.Starts(10, 4, 2));
        Assert.Equal([0, 3, 6], SeriesWindows.Starts(10, 4, 3));  // 6 + 4 = 10: aligned
        Assert.Equal([0, 4, 6], SeriesWindows.Starts(10, 4, 4));  // one more window at the end
        Assert.Equal([0], SeriesWindows.Starts(5, 5, 1));
    }

    [Fact]
    public void Windows_are_consecutive_steps_of_every_column()
    {
        var ds = SeriesWindows.Windows(Ramp(6), 3, 2);
        Assert.Equal([3, 2], ds.SampleShape);
        Assert.Equal(3, ds.Count); // starts 0, 2, 3
        Assert.Equal([6f, 7, 8, 9, 10, 11], ds.Batch([2]).ToArray());
        Assert.Equal([4f, 5, 6, 7, 8, 9], ds.Batch([1]).ToArray());
        Assert.Null(ds.Labels);
    }

    [Fact]
    public void A_window_is_anomalous_when_any_of_its_steps_is()
    {
        var ds = SeriesWindows.Windows(Ramp(8, 1, [0, 0, 0, 0, 0, 1, 0, 0]), 3, 1);
        Assert.Equal([0, 0, 0, 1, 1, 1], ds.Labels!);
    }

    [Fact]
    public void Step_scores_are_the_mean_over_covering_windows()
    {
        int[] starts = SeriesWindows.Starts(5, 2, 1); // 0..3
        var steps = SeriesWindows.StepScores([1f, 3f, 5f, 7f], starts, 2, 5);
        Assert.Equal([1f, 2f, 4f, 6f, 7f], steps);
        var gaps = SeriesWindows.StepScores([2f], [1], 2, 4);
        Assert.True(float.IsNaN(gaps[0]) && float.IsNaN(gaps[3]));
        Assert.Equal(2f, gaps[1]);
    }

    [Theory]
    [InlineData(11, 1, "--window 11 is longer than the series 'ramp' (10 steps)")]
    [InlineData(0, 1, "--window 0 must be at least 1")]
    [InlineData(4, 0, "--stride 0 must be at least 1")]
    public void Bad_windows_fail_with_one_line(int window, int stride, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SeriesWindows.Windows(Ramp(10), window, stride));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Csv_series_keeps_column_names_and_step_labels()
    {
        using var dir = new TempDir();
        var path = dir.File("s.csv");
        File.WriteAllText(path, "temp,flag,load\n1,0,2\n3,1,4\n5,0,6\n");
        var s = TimeSeries.LoadCsv(path, "flag");
        Assert.Equal(["temp", "load"], s.Columns);
        Assert.Equal(3, s.Length);
        Assert.Equal([0, 1, 0], s.Labels!);
        Assert.Equal(4f, s[1, 1]);
        s.SaveCsv(dir.File("copy.csv"), "flag");
        var back = TimeSeries.LoadCsv(dir.File("copy.csv"), "flag");
        Assert.Equal(s.Values, back.Values);
        Assert.Equal(s.Labels, back.Labels);
    }

    [Fact]
    public void Non_numeric_column_is_named_in_the_error()
    {
        using var dir = new TempDir();
        var path = dir.File("s.csv");
        File.WriteAllText(path, "temp,when\n1,2\n3,monday\n");
        var e = Assert.Throws<DatasetFormatException>(() => TimeSeries.LoadCsv(path));
        Assert.Contains("column 2 ('when'): expected a finite number, found 'monday'", e.Message);
    }

    [Fact]
    public void Standardise_uses_the_given_statistics()
    {
        var s = Ramp(4, 1);
        var st = Standardizer.Fit(s.Slice(0, 2).AsRows()); // mean 0.5, std 0.5
        Assert.Equal([-1f, 1f, 3f, 5f], s.Standardise(st).Values);
    }
}
