using System.CommandLine;
using System.Globalization;
using Latent.Models.Attributes;
using Latent.Models.Sampling;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent attributes</c>: attribute directions in code space and moving images along them.</summary>
internal static class AttributesCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the attribute grid");
        var apply = new Option<string?>("--apply") { Description = "NAME:AMOUNT, e.g. scale:+1.5 or class=3:2: rows original / reconstruction / moved for --count samples. Default: one row per attribute sweeping ±--range" };
        var index = new Option<int>("--index") { Description = "Sample whose code is moved in the sweep", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count", "-n") { Description = "Number of samples with --apply", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Amounts per attribute in the sweep", DefaultValueFactory = _ => 7 };
        var range = new Option<float>("--range") { Description = "The sweep moves the code by α·d for α in ±range", DefaultValueFactory = _ => 2f };
        var cmd = new Command("attributes",
            "Attribute directions in code space from labelled data (mean code with the attribute minus without): class=c from labels, or the generated sprites' factors (scale, x, y, orientation, shape=v; brightness with --data sprites-brightness at training). Prints each direction's length and draws a grid per attribute.\n\n" +
            "Examples:\n  latent attributes runs/sprites --out attributes.png\n  latent attributes runs/sprites --apply scale:+1.5 --out bigger.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, apply, index, count, steps, range);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var applied = p.GetValue(apply) is { } text ? AttributeVectors.ParseApply(text) : ((string, float)?)null;
            var (model, loaded, set) = md.Load(p, ctx);
            if (!ModelPictures.IsImage(set.SampleShape))
                throw new ArgumentException($"samples of shape [{string.Join(",", set.SampleShape)}] are not images; this command draws image grids");
            // Directions come from the training split: the pictures then move test images along them.
            var train = loaded.Split("train");
            var directions = AttributeVectors.Directions(CodeSampler.EncodeAll(model, train), train);
            foreach (var d in directions)
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Name,-14} |d| {d.Length:G4}  with {d.With}  without {d.Without}"));
            string path = p.GetValue(outFile)!;
            if (applied is var (name, amount))
            {
                if (p.GetValue(count) < 1) throw new ArgumentException($"--count {p.GetValue(count)} must be positive");
                var direction = AttributeVectors.Find(directions, name);
                var x = set.Batch(Enumerable.Range(0, Math.Min(p.GetValue(count), set.Count)).ToArray());
                AttributePictures.Apply(model, x, direction, amount).SavePng(path);
            }
            else
            {
                int i = CommonOptions.Index(p.GetValue(index), set, "--index");
                AttributePictures.Sweep(model, set.Batch([i]), directions, p.GetValue(steps), p.GetValue(range)).SavePng(path);
            }
            ctx.Info($"wrote {path}");
            return 0;
        }));
        return cmd;
    }
}
