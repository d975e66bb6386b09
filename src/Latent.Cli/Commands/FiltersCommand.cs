using System.CommandLine;
using Latent.Models.IO;
using Latent.Viz.Weights;

namespace Latent.Cli.Commands;

/// <summary><c>latent filters</c>: the first layer's weights as image tiles.</summary>
internal static class FiltersCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var outFile = CommonOptions.OutFile("PNG file for the filter tiles");
        var count = new Option<int>("--count", "-n") { Description = "Number of units (tiles) to draw", DefaultValueFactory = _ => 64 };
        var columns = new Option<int>("--columns") { Description = "Tiles per row", DefaultValueFactory = _ => 8 };
        var cmd = new Command("filters", "Draw the first layer's weights as image tiles (MLP rows reshaped to the input image, or conv kernels), each normalised to its own min..max.\n\nExample:\n  latent filters runs/mnist-ae --count 100 --columns 10 --out filters.png");
        CommonOptions.Add(cmd, dir, outFile, count, columns);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            if (p.GetValue(count) < 1) throw new ArgumentException($"--count {p.GetValue(count)} must be positive");
            if (p.GetValue(columns) < 1) throw new ArgumentException($"--columns {p.GetValue(columns)} must be positive");
            var (model, _) = ModelFile.Load(p.GetValue(dir)!);
            var (name, weight) = FilterTiles.FirstLayer(model);
            string path = p.GetValue(outFile)!;
            FilterTiles.Draw(model, p.GetValue(count), p.GetValue(columns)).SavePng(path);
            ctx.Info($"{name} {Latent.Core.Shapes.Format(weight.Shape)}: {Math.Min(p.GetValue(count), weight.Shape[0])} tiles");
            ctx.Info($"wrote {path}");
            return 0;
        }));
        return cmd;
    }
}
