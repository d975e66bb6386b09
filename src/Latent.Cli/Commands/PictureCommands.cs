using System.CommandLine;
using System.Globalization;
using Latent.Core;
using Latent.Models;
using Latent.Models.Denoising;
using Latent.Models.IO;
using Latent.Models.Sampling;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent reconstruct | sample | interpolate | traverse | denoise</c>: PNG grids.</summary>
internal static class PictureCommands
{
    private static void RequireImages(int[] shape)
    {
        if (!ModelPictures.IsImage(shape))
            throw new ArgumentException($"samples of shape [{string.Join(",", shape)}] are not images; this command draws image grids");
    }

    private static void Saved(CliContext ctx, string path) => ctx.Info($"wrote {path}");

    public static Command Reconstruct(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the reconstruction grid");
        var count = new Option<int>("--count", "-n") { Description = "Number of samples", DefaultValueFactory = _ => 16 };
        var cmd = new Command("reconstruct", "Draw test samples (top row) above their reconstructions (bottom row).\n\nExample:\n  latent reconstruct runs/demo --out recon.png --count 16");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, count);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            CommonOptions.RequirePng(p.GetValue(outFile)!); // before the model is loaded
            OptionLimits.Check(p.GetValue(count), "--count", 1, OptionLimits.MaxCount);
            var (model, _, set) = md.Load(p, ctx);
            RequireImages(set.SampleShape);
            var idx = ModelPictures.FirstIndices(set, p.GetValue(count));
            string path = p.GetValue(outFile)!;
            ModelPictures.Reconstructions(model, set, idx).SavePng(path);
            Saved(ctx, path);
            return 0;
        }));
        return cmd;
    }

    public static Command Sample(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var outFile = CommonOptions.OutFile("PNG file for the grid of samples");
        var count = new Option<int>("--count", "-n") { Description = "Number of samples", DefaultValueFactory = _ => 64 };
        var sampler = new Option<string?>("--sampler")
        {
            Description = "How codes are drawn for any autoencoder: normal (z ~ N(0, I)) or gmm:K[:diag] (a Gaussian mixture fitted by EM on the training codes, stored in MODEL_DIR and reused). Default: the model's own sampler",
        };
        var data = CommonOptions.Data("Training data the mixture is fitted on (default: what the model was trained on)");
        var classOption = new Option<string?>("--class")
        {
            Description = "Draw samples of one class K (0-based) or 'all' (one row per class, --count split over the rows, each row labelled with its class name), for a class-conditional model: cvae, or vq-vae / vq-vae-2 trained with prior_classes=N",
        };
        var cmd = new Command("sample", "Draw new samples from a generative model (VAE, AAE, VQ-VAE with a prior, ...), or from any autoencoder through --sampler.\n\nExamples:\n  latent sample runs/vae --count 64 --out samples.png --seed 3\n  latent sample runs/ae --sampler gmm:10 --out samples.png\n  latent sample runs/cvae --class 3 --count 16 --out class3.png\n  latent sample runs/cvae --class all --count 100 --out classes.png");
        CommonOptions.Add(cmd, dir, outFile, count, sampler, data, classOption);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var spec = p.GetValue(sampler) is { } text ? SamplerSpec.Parse(text) : null;
            int n = p.GetValue(count);
            OptionLimits.Check(n, "--count", 1, OptionLimits.MaxCount);
            string modelDir = p.GetValue(dir)!;
            string path = p.GetValue(outFile)!;
            int columns = (int)Math.Ceiling(Math.Sqrt(n));
            var wanted = p.GetValue(classOption) is { } classText ? ParseClass(classText) : null;
            if (wanted is not null && spec is not null)
                throw new ArgumentException("--class draws from the model's own conditional sampler; it cannot be combined with --sampler");
            if (wanted is { } choice)
            {
                var (model, manifest) = ModelFile.Load(modelDir);
                if (model is not IConditionalGenerativeModel { Classes: > 0 } conditional)
                    throw new ArgumentException($"model '{model.Name}' cannot draw samples of a class; --class needs cvae, or vq-vae / vq-vae-2 trained with prior_classes=N");
                if (model is IPriorModel { PriorTrained: false })
                    throw new ArgumentException($"model '{model.Name}' needs its prior fitted before sampling; train with --prior-epochs N");
                if (choice >= conditional.Classes)
                    throw new ArgumentException($"--class {choice} is outside [0, {conditional.Classes}): model '{model.Name}' has {conditional.Classes} classes");
                RequireImages(model.InputShape);
                var rng = new Rng(ctx.Seed);
                if (choice < 0)
                {
                    int per = Math.Max(1, (n + conditional.Classes - 1) / conditional.Classes);
                    // Each row's class name (model.json's, or the class number) is written at its left.
                    var names = manifest.Data?.ClassNames;
                    ModelPictures.ClassSamples(conditional, Enumerable.Range(0, conditional.Classes).ToArray(), per, per, rng,
                        classNames: Enumerable.Range(0, conditional.Classes).Select(c => names is not null && c < names.Length ? names[c] : c.ToString(CultureInfo.InvariantCulture)).ToList()).SavePng(path);
                    ctx.Info($"one row per class, {per} samples each, its class name at the left: rows 0..{conditional.Classes - 1} are classes 0..{conditional.Classes - 1}");
                }
                else
                {
                    ModelPictures.ClassSamples(conditional, [choice], n, columns, rng).SavePng(path);
                }
                Saved(ctx, path);
                return 0;
            }
            if (spec is null)
            {
                var (model, _) = ModelFile.Load(modelDir);
                if (model is not IGenerativeModel gen)
                    throw new ArgumentException($"model '{model.Name}' cannot draw samples by itself (it is not generative); use --sampler gmm:10 to fit a Gaussian mixture on its training codes");
                if (model is IPriorModel { PriorTrained: false })
                    throw new ArgumentException($"model '{model.Name}' needs its prior fitted before sampling; train with --prior-epochs N");
                RequireImages(model.InputShape);
                ModelPictures.Samples(gen, n, new Rng(ctx.Seed), columns).SavePng(path);
            }
            else
            {
                var (model, _, loaded) = CommonOptions.LoadModelAndData(ctx, modelDir, p.GetValue(data), null, null, null);
                RequireImages(model.InputShape);
                GaussianMixture? mixture = null;
                if (!spec.IsNormal)
                {
                    var (gmm, fitted) = CodeSampler.LoadOrFit(modelDir, model, loaded.Split("train"), spec, ctx.Seed);
                    ctx.Info(fitted ? $"fitted a {gmm.Components}-component mixture on the training codes; saved {Path.Combine(modelDir, spec.FileName)}"
                                    : $"using the stored mixture {Path.Combine(modelDir, spec.FileName)}");
                    mixture = gmm;
                }
                var samples = CodeSampler.Sample(model, mixture, n, new Rng(ctx.Seed));
                ModelPictures.Rows([samples], columns).SavePng(path);
            }
            Saved(ctx, path);
            return 0;
        }));
        return cmd;
    }

    /// <summary>"all" → −1, a class number K ≥ 0 → K; anything else is a one-line error naming --class.</summary>
    private static int? ParseClass(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return -1;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int k)) return k;
        throw new ArgumentException($"--class: '{text}' is neither a class number (0, 1, ...) nor 'all'");
    }

    public static Command Interpolate(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the interpolation strip");
        var from = new Option<int>("--from") { Description = "Index of the first sample in the split", DefaultValueFactory = _ => 0 };
        var to = new Option<int>("--to") { Description = "Index of the second sample", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Decoded points on the line, ends included", DefaultValueFactory = _ => 10 };
        var space = new Option<string>("--space")
        {
            Description = "latent: decode the line between the codes (a morph); pixel: cross-fade the two images; both: latent row above pixel row",
            DefaultValueFactory = _ => "latent",
        }.AcceptOnlyFromAmong("latent", "pixel", "both");
        var cmd = new Command("interpolate", "Decode points on the straight line between two samples' codes (originals at both ends), or cross-fade them in pixel space.\n\nExamples:\n  latent interpolate runs/demo --from 3 --to 7 --steps 12 --out line.png\n  latent interpolate runs/demo --from 3 --to 7 --space both --out morph-vs-fade.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, from, to, steps, space);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            CommonOptions.RequirePng(p.GetValue(outFile)!); // before the model is loaded
            OptionLimits.Check(p.GetValue(steps), "--steps", 2, OptionLimits.MaxSteps);
            var (model, _, set) = md.Load(p, ctx);
            RequireImages(set.SampleShape);
            int a = CommonOptions.Index(p.GetValue(from), set, "--from"), b = CommonOptions.Index(p.GetValue(to), set, "--to");
            string path = p.GetValue(outFile)!;
            var where = InterpolationPictures.ParseSpace(p.GetValue(space)!);
            InterpolationPictures.Draw(model, set.Batch([a]), set.Batch([b]), p.GetValue(steps), where).SavePng(path);
            Saved(ctx, path);
            return 0;
        }));
        return cmd;
    }

    public static Command Traverse(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the traversal grid");
        var index = new Option<int>("--index") { Description = "Sample whose code is the centre", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Values per dimension", DefaultValueFactory = _ => 9 };
        var range = new Option<float>("--range") { Description = "Offsets span ±range around the code", DefaultValueFactory = _ => 3f };
        var dims = new Option<int>("--dims") { Description = "Number of code dimensions (rows) to show", DefaultValueFactory = _ => 10 };
        var cmd = new Command("traverse", "Change one code dimension at a time around a sample's code; one row per dimension.\n\nExample:\n  latent traverse runs/vae --index 5 --range 3 --steps 9 --out traverse.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, index, steps, range, dims);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            CommonOptions.RequirePng(p.GetValue(outFile)!); // before the model is loaded
            OptionLimits.Check(p.GetValue(steps), "--steps", 2, OptionLimits.MaxSteps);
            OptionLimits.Check(p.GetValue(dims), "--dims", 1, OptionLimits.MaxDims);
            var (model, _, set) = md.Load(p, ctx);
            RequireImages(set.SampleShape);
            int i = CommonOptions.Index(p.GetValue(index), set, "--index");
            string path = p.GetValue(outFile)!;
            ModelPictures.Traversal(model, set.Batch([i]), p.GetValue(steps), p.GetValue(range), p.GetValue(dims)).SavePng(path);
            Saved(ctx, path);
            return 0;
        }));
        return cmd;
    }

    public static Command Denoise(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the clean / noisy / restored grid");
        var noise = new Option<string>("--noise") { Description = "Corruption: " + Corruption.Syntax, DefaultValueFactory = _ => "gaussian:0.3" };
        var count = new Option<int>("--count", "-n") { Description = "Number of samples", DefaultValueFactory = _ => 12 };
        var cmd = new Command("denoise", "Corrupt test samples and restore them with the model: rows clean / noisy / restored, SSEs printed.\n\nExample:\n  latent denoise runs/dae --noise masking:0.3 --out denoise.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, noise, count);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            CommonOptions.RequirePng(p.GetValue(outFile)!); // before the model is loaded
            OptionLimits.Check(p.GetValue(count), "--count", 1, OptionLimits.MaxCount);
            var corruption = Corruption.Parse(p.GetValue(noise)!);
            var (model, _, set) = md.Load(p, ctx);
            RequireImages(set.SampleShape);
            var (grid, noisy, restored) = ModelPictures.Denoise(model, set, ModelPictures.FirstIndices(set, p.GetValue(count)), corruption, new Rng(ctx.Seed));
            string path = p.GetValue(outFile)!;
            grid.SavePng(path);
            ctx.Out.WriteLine($"sse_per_image noisy    {noisy.ToString("G6", CultureInfo.InvariantCulture)}");
            ctx.Out.WriteLine($"sse_per_image restored {restored.ToString("G6", CultureInfo.InvariantCulture)}");
            Saved(ctx, path);
            return 0;
        }));
        return cmd;
    }
}
