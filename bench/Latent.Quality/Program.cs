using System.Diagnostics;
using Latent.Quality;
using Latent.Quality.Results;
using Latent.Quality.Sections;

// latent-quality: the measurements on real data behind docs/RESULTS.md (run through bench/quality/run.sh), and the
// generator of that page ("results"). Each section is one function that prints its tables and adds key=value pairs
// to the final RESULT line; with --results DIR each section's figures go to DIR/SECTION.json.
if (args.Length > 0 && args[0] == "results") return ResultsCommand.Run(args[1..]);

var sections = new (string Name, Action<BenchContext> Run)[]
{
    ("seed", SeedAeSection.Run),
    ("ae-pca", AeVsPcaSection.Run),
    ("odds", OddsSection.Run),
    ("odds-heldout", OddsHeldoutSection.Run),
    ("vae", VaeElboSection.Run),
    ("vq", VqSection.Run),
    ("tdvae", TdVaeSection.Run),
    ("regularised", RegularisedSection.Run),
    ("bvae", BvaeSection.Run),
    ("dvae", DvaeSection.Run),
    ("sr", SrSection.Run),
    ("inpaint", InpaintSection.Run),
    ("compress", CompressSection.Run),
    ("zoo-vae-variants", ZooVaeVariantsSection.Run),
    ("disentangle", DisentangleSection.Run),
    ("timeseries", TimeSeriesSection.Run),
    ("stacked", StackedSection.Run),
    ("sample-quality", SampleQualitySection.Run),
};

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"latent-quality: {e.Message}");
    return 2;
}
var unknown = options.Sections.Except(sections.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"latent-quality: unknown section(s) {string.Join(", ", unknown)} (expected {string.Join(", ", sections.Select(s => s.Name))})");
    return 2;
}

var ctx = new BenchContext(options);
DateTime started = DateTime.UtcNow;
BenchContext.Log($"latent-quality {(options.Quick ? "--quick " : "")}on {Environment.ProcessorCount} cores, {started:yyyy-MM-dd HH:mm} UTC");
ResultsFile.Run? run = null;
if (options.ResultsDir is { } resultsDir)
{
    Directory.CreateDirectory(resultsDir);
    run = new ResultsFile.Run(options.Command ?? "latent-quality " + string.Join(" ", args), $"{started:yyyy-MM-dd HH:mm} UTC",
        MachineInfo.Current, ResultsFile.Commit(ResultsCommand.FindRoot() ?? resultsDir));
}
var total = Stopwatch.StartNew();
foreach (var (name, runSection) in sections)
{
    if (options.Sections.Count > 0 && !options.Sections.Contains(name)) continue;
    var clock = Stopwatch.StartNew();
    ctx.BeginSection();
    runSection(ctx);
    BenchContext.Log($"[section {name}: {clock.Elapsed.TotalMinutes:F1} min]");
    if (run is not null)
    {
        string path = Path.Combine(options.ResultsDir!, name + ".json");
        ResultsFile.Write(path, name, run, ctx.SectionEntries, ctx.SectionTables);
        BenchContext.Log($"[wrote {path}]");
    }
}
// The headline keys first, then every other pair the sections added.
var headline = ctx.HeadlineKeys.ToList();
var pairs = ctx.Results.Where(p => headline.Contains(p.Key)).Concat(ctx.Results.Where(p => !headline.Contains(p.Key)));
BenchContext.Log($"[total: {total.Elapsed.TotalMinutes:F1} min]");
BenchContext.Log("RESULT " + string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")));
return 0;
