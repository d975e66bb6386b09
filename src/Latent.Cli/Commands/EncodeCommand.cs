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
        var outFile = CommonOptions.OutFile("codes.csv (header z0..,label) or codes.npy (float32 [N, Z])");
        var cmd = new Command("encode", "Write the code of every sample as CSV or NPY.\n\nExamples:\n  latent encode runs/demo --out codes.csv\n  latent encode runs/mnist --data mnist --split all --out codes.npy");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, _, set) = md.Load(p, ctx);
            var codes = new float[(long)set.Count * model.CodeSize];
            model.Eval();
            using (Tensor.NoGrad())
                for (int start = 0; start < set.Count; start += 256)
                {
                    var idx = Enumerable.Range(start, Math.Min(256, set.Count - start)).ToArray();
                    model.Encode(set.Batch(idx)).Span.CopyTo(codes.AsSpan(start * model.CodeSize));
                }
            string path = p.GetValue(outFile)!;
            CodeFile.Write(path, new Tensor(codes, [set.Count, model.CodeSize]), set.Labels);
            ctx.Info($"wrote {set.Count} codes of size {model.CodeSize} to {path}");
            return 0;
        }));
        return cmd;
    }
}
