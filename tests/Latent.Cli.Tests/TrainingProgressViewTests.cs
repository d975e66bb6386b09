using Latent.Models.Training;
using Spectre.Console;

namespace Latent.Cli.Tests;

/// <summary>The live training view on a recording console of a fixed width.</summary>
public sealed class TrainingProgressViewTests
{
    private static readonly KeyValuePair<string, double>[] Terms =
        [new("total", 251.25), new("reconstruction", 236.5), new("regularisation", 14.75), new("kl", 14.75)];

    private static TrainingProgress Step(long step, int epoch, int epochs = 10, long stepsPerEpoch = 10) => new()
    {
        Epoch = epoch, Epochs = epochs, Step = step, TotalSteps = epochs * stepsPerEpoch, Terms = Terms,
        LearningRate = 1e-3, SamplesPerSecond = 1e6, Eta = TimeSpan.FromSeconds(95),
    };

    private static TrainingProgress End(long step, int epoch, double seconds, int epochs = 10, long stepsPerEpoch = 10) =>
        Step(step, epoch - 1, epochs, stepsPerEpoch) with { Terms = [], EpochEnd = new EpochMetrics(epoch, Terms, Terms, 1e-3, seconds) };

    private static (IAnsiConsole Console, StringWriter Text) Recording(int width)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = width;
        return (console, text);
    }

    /// <summary>What a terminal of <paramref name="width"/> columns would show as status lines: each piece after a carriage return.</summary>
    private static IEnumerable<string> Redraws(string text) =>
        text.Split('\n').SelectMany(line => line.Split('\r')).Where(s => s.Trim().Length > 0);

    [Theory]
    [InlineData(80)]
    [InlineData(40)]
    public void The_status_line_fits_the_width_and_keeps_epoch_and_percentage(int width)
    {
        var line = TrainingProgressView.StatusLine(Step(52, 5), 10, 1234, width - 1);
        Assert.True(line.Length <= width - 1, $"{line.Length} > {width - 1}: '{line}'");
        Assert.StartsWith("epoch 6/10", line);
        Assert.Contains("52%", line);
        if (width >= 80)
        {
            Assert.Contains("━", line);
            Assert.Contains("1234 samples/s", line);
            Assert.Contains("total 251.25", line);
        }
    }

    [Fact]
    public void A_cancelled_run_redraws_where_it_stopped_not_at_100_percent()
    {
        var (console, text) = Recording(80);
        var view = new TrainingProgressView.Live(console, 10, 16);
        for (int s = 1; s <= 10; s++) view.Report(Step(s, 0));
        view.Report(End(10, 1, 2));
        for (int s = 11; s <= 52; s++) view.Report(Step(s, s <= 20 ? 1 : s <= 30 ? 2 : s <= 40 ? 3 : s <= 50 ? 4 : 5));
        view.Finish(cancelled: true);
        string last = Redraws(text.ToString()).Last();
        Assert.Contains("52%", last);
        Assert.Contains("cancelled", last);
        Assert.DoesNotContain("100%", text.ToString());
        foreach (var piece in text.ToString().Split('\n').SelectMany(l => l.Split('\r')).Where(s => s.Contains('━')))
            Assert.True(piece.Length < 80, $"a status line of {piece.Length} columns wraps at 80: '{piece}'");
    }

    [Fact]
    public void At_40_columns_no_status_line_wraps()
    {
        var (console, text) = Recording(40);
        var view = new TrainingProgressView.Live(console, 3, 16);
        for (int s = 1; s <= 30; s++)
        {
            view.Report(Step(s, (s - 1) / 10, 3));
            if (s % 10 == 0) view.Report(End(s, s / 10, 1, 3));
        }
        view.Finish(cancelled: false);
        var status = Redraws(text.ToString()).Where(s => !s.Contains("val_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(status);
        Assert.All(status, s => Assert.True(s.TrimEnd().Length < 40, $"'{s}' is {s.TrimEnd().Length} columns"));
        Assert.Contains("100%", status.Last());
    }

    [Fact]
    public void Throughput_is_the_epochs_own()
    {
        var clock = new TrainingProgressView.EpochClock(16);
        for (int s = 1; s <= 10; s++) clock.SamplesPerSecond(Step(s, 0));
        Assert.Equal(160 / 2.0, clock.SamplesPerSecond(End(10, 1, 2)), 9); // 10 steps of 16 in 2 s
        for (int s = 11; s <= 20; s++) clock.SamplesPerSecond(Step(s, 1));
        // The second epoch alone: 160 samples in 4 s (an average since the start would say 320 / 6).
        Assert.Equal(160 / 4.0, clock.SamplesPerSecond(End(20, 2, 4)), 9);
    }
}
