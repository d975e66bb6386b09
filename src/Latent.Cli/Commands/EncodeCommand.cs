using System.CommandLine;
using Latent.Core;
using Latent.Models.IO;

namespace Latent.Cli.Commands;

/// <summary><c>latent encode</c>.</summary>
internal static class EncodeCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("codes.csv (header z0..,label,class when the data has labels) or codes.npy (float32 [N, Z]; the labels as int32 [N] in codes.labels.npy beside it)");
        var cmd = new Command("encode", "Write the code of every sample as CSV or NPY, with the samples' labels (and class names) when the data has them.\n\nExamples:\n  latent encode runs/demo --out codes.csv\n  latent encode runs/mnist --data mnist --split all --out codes.npy");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, loaded, set) = md.Load(p, ctx);
            var codes = new float[(long)set.Count * model.CodeSize];
            model.Eval();
            using (Tensor.NoGrad())
                for (int start = 0; start < set.Count; start += 256)
                {
                    var idx = Enumerable.Range(start, Math.Min(256, set.Count - start)).ToArray();
                    model.Encode(set.Batch(idx)).Span.CopyTo(codes.AsSpan(start * model.CodeSize));
                }
            string path = p.GetValue(outFile)!;
            var files = CodeFile.Write(path, new Tensor(codes, [set.Count, model.CodeSize]), set.Labels, loaded.Description.ClassNames);
            ctx.Info($"wrote {set.Count} codes of size {model.CodeSize} to {path}" + (files.Count > 1 ? $" and their labels to {files[1]}" : set.Labels is null ? "" : " with their labels"));
            return 0;
        }));
        return cmd;
    }
}
