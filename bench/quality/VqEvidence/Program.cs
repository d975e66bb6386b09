using System.Globalization;
using Latent.Data.Named;
using Latent.Evidence;
using Latent.Models.IO;

// Evidence for the VQ-VAE family on real Fashion-MNIST (issue 5). Usage:
//   dotnet run -c Release --project bench/quality/VqEvidence -- <model> [key=value ...]
//   model: vq-vae | vq-vae-2;  run keys: epochs, budget_s, eval_each_epoch, prior_epochs, train (samples), batch, lr,
//   seed, samples_png, tag, save (a folder for the trained model); every other key is a model option (k, d, ema,
//   restart, ...). The work is done by bench/quality/Shared/VqExperiment.cs (also used by latent-quality's "vq"
//   section). Prints one line per epoch and appends a row to bench/quality/VqEvidence/results.md.
var culture = CultureInfo.InvariantCulture;
if (args.Length == 0) { Console.Error.WriteLine("usage: VqEvidence <vq-vae|vq-vae-2> [key=value ...] | top-prior-ablation MODEL_DIR [epochs=2] [heads=4]"); return 2; }
if (args[0] == "top-prior-ablation")
{
    if (args.Length < 2) { Console.Error.WriteLine("top-prior-ablation: MODEL_DIR (a saved vq-vae-2 folder) is missing"); return 2; }
    var a = args.Skip(2).Select(x => x.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    return TopPriorAblation.Run(args[1], int.Parse(a.GetValueOrDefault("epochs", "2"), culture), int.Parse(a.GetValueOrDefault("heads", "4"), culture),
        NamedDatasets.Load("fashion-mnist", "train"), NamedDatasets.Load("fashion-mnist", "test"), Console.WriteLine);
}
var settings = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
string Take(string key, string fallback) { if (settings.Remove(key, out var v)) return v; return fallback; }
var run = new VqRunSettings
{
    Model = args[0],
    Tag = Take("tag", args[0]),
    Epochs = int.Parse(Take("epochs", "5"), culture),
    BudgetSeconds = double.Parse(Take("budget_s", "0"), culture),
    EvalEachEpoch = Take("eval_each_epoch", "false") == "true",
    PriorEpochs = int.Parse(Take("prior_epochs", "0"), culture),
    TrainCount = int.Parse(Take("train", "60000"), culture),
    Batch = int.Parse(Take("batch", "64"), culture),
    LearningRate = float.Parse(Take("lr", "1e-3"), culture),
    Seed = ulong.Parse(Take("seed", "1"), culture),
    SamplesPng = settings.Remove("samples_png", out var png) ? png : null,
};
string? saveDir = settings.Remove("save", out var sd) ? sd : null;
run = run with { ModelOptions = settings };

var (model, report) = VqExperiment.Run(run, NamedDatasets.Load("fashion-mnist", "train"), NamedDatasets.Load("fashion-mnist", "test"), Console.WriteLine);
if (saveDir is not null)
{
    ModelFile.Save(saveDir, model, new ModelManifest { Model = model.Name, Options = model.Options.ToText(), CodeSize = model.CodeSize, InputShape = model.InputShape });
    Console.WriteLine($"  saved -> {saveDir}");
}
string results = Path.Combine(AppContext.BaseDirectory, "../../../results.md");
File.AppendAllText(results, report.Row() + string.Create(culture, $" prior {report.PriorEpochs} ep {report.PriorSeconds:F0}s\n"));
return 0;
