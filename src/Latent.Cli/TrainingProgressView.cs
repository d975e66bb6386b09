using System.Globalization;
using Latent.Models;
using Latent.Models.Runs;
using Latent.Models.Training;
using Spectre.Console;

namespace Latent.Cli;

/// <summary>Training progress on the console: a live bar in a terminal, one line per epoch otherwise, nothing with --quiet.</summary>
internal static class TrainingProgressView
{
    public static TrainingRunResult Run(CliContext ctx, int epochs, AutoencoderModel model, Func<IProgress<TrainingProgress>, CancellationToken, TrainingRunResult> run)
    {
        var token = ctx.Hooks.Cancellation;
        if (!ctx.Interactive)
            return run(new Plain(ctx, model), token);

        TrainingRunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(p =>
            {
                var task = p.AddTask("training", maxValue: 1);
                result = run(new Live(ctx, task, epochs, model), token);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    internal static string Terms(IEnumerable<KeyValuePair<string, double>> terms, string prefix = "") =>
        string.Join("  ", terms.Select(t => $"{prefix}{t.Key} {t.Value.ToString("G5", CultureInfo.InvariantCulture)}"));

    private sealed class Plain(CliContext ctx, AutoencoderModel model) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.EpochEnd is { } e)
                ctx.Info($"{(p.Stage is null ? "" : p.Stage + " ")}epoch {e.Epoch}/{p.Epochs}  {Terms(e.Train)}" + (e.Validation is null ? "" : "  " + Terms(e.Validation, "val_"))
                    + $"  lr {e.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}  {p.SamplesPerSecond:F0} samples/s  {e.Seconds:F1} s");
            ctx.Hooks.OnProgress?.Invoke(p, model);
        }
    }

    private sealed class Live(CliContext ctx, ProgressTask task, int epochs, AutoencoderModel model) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            task.MaxValue = Math.Max(1, p.TotalSteps);
            task.Value = p.Step;
            var terms = p.EpochEnd?.Validation ?? (p.Terms.Count > 0 ? p.Terms : p.EpochEnd?.Train ?? []);
            int shown = p.Stage is null ? epochs : p.Epochs; // a side stage (pretraining, prior) has its own epochs
            task.Description = Markup.Escape($"{(p.Stage is null ? "" : p.Stage + " ")}epoch {Math.Min(p.Epoch + 1, shown)}/{shown}  {Terms(terms.Take(3))}  {p.SamplesPerSecond:F0} samples/s");
            if (p.EpochEnd is { } e)
                AnsiConsole.MarkupLine(Markup.Escape($"{(p.Stage is null ? "" : p.Stage + " ")}epoch {e.Epoch}/{shown}  {Terms(e.Train)}" + (e.Validation is null ? "" : "  " + Terms(e.Validation, "val_"))));
            ctx.Hooks.OnProgress?.Invoke(p, model);
        }
    }

}
