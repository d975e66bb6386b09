using System.CommandLine;
using Latent.Core;
using Latent.Models;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent rollout</c>.</summary>
internal static class RolloutCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var data = CommonOptions.Data("Sequences (default: what the model was trained on, e.g. moving-sprites)");
        var samples = CommonOptions.Samples();
        var index = new Option<int>("--index") { Description = "Test sequence to continue", DefaultValueFactory = _ => 0 };
        var observe = new Option<int>("--observe") { Description = "Frames given to the model", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps") { Description = "Frames to predict", DefaultValueFactory = _ => 5 };
        var outFile = CommonOptions.OutFile("PNG: the true sequence above the observed frames followed by the predicted ones");
        var cmd = new Command("rollout", "Predict future frames of a sequence with a sequence model (TD-VAE).\n\nExample:\n  latent rollout runs/tdvae --observe 5 --steps 5 --out rollout.png");
        CommonOptions.Add(cmd, dir, data, samples, index, observe, steps, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, _, loaded) = CommonOptions.LoadModelAndData(ctx, p.GetValue(dir)!, p.GetValue(data), null, null, p.GetValue(samples));
            if (model is not ISequenceModel seq)
                throw new ArgumentException($"model '{model.Name}' is not a sequence model; rollout needs one (e.g. td-vae)");
            var set = loaded.Test;
            int i = CommonOptions.Index(p.GetValue(index), set, "--index");
            int t = set.SampleShape[0], k = p.GetValue(observe), n = p.GetValue(steps);
            if (k < 1 || k > t) throw new ArgumentException($"--observe {k} must be in 1..{t} (frames per sequence)");
            if (n < 1) throw new ArgumentException($"--steps {n} must be positive");
            var frameShape = seq.FrameShape;
            int frame = Shapes.Size(frameShape);
            var all = set.Batch([i]).ToArray();
            var observed = new Tensor(all[..(k * frame)], [1, k, .. frameShape]);
            Tensor predicted;
            using (Tensor.NoGrad()) predicted = seq.Rollout(observed, n, new Rng(ctx.Seed));
            var truth = new Tensor(all, [t, .. frameShape]);
            var guess = new Tensor([.. all[..(k * frame)], .. predicted.ToArray()], [k + n, .. frameShape]);
            string path = p.GetValue(outFile)!;
            ModelPictures.Rows([truth, guess], Math.Max(t, k + n)).SavePng(path);
            ctx.Info($"wrote {path}");
            return 0;
        }));
        return cmd;
    }
}
