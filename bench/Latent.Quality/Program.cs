using System.Diagnostics;
using Latent.Quality;
using Latent.Quality.Sections;

// latent-quality: the evidence on real data behind docs/RESULTS.md (run through bench/quality/run.sh).
// Each section is one function that prints its table and adds key=value pairs to the final RESULT line;
// new sections (VAE, DAE, VQ-VAE...) are added to this list.
var sections = new (string Name, Action<BenchContext> Run)[]
{
    ("seed", SeedAeSection.Run),
    ("ae-pca", AeVsPcaSection.Run),
    ("odds", OddsSection.Run),
    ("odds-heldout", OddsHeldoutSection.Run),
    ("vae", VaeElboSection.Run),
    ("vq", VqSection.Run),
    ("tdvae", TdVaeSection.Run),
    ("zoo1a", Zoo1aSection.Run),
    ("bvae", BvaeSection.Run),
    ("dvae", DvaeSection.Run),
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
BenchContext.Log($"latent-quality {(options.Quick ? "--quick " : "")}on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var total = Stopwatch.StartNew();
foreach (var (name, run) in sections)
{
    if (options.Sections.Count > 0 && !options.Sections.Contains(name)) continue;
    var clock = Stopwatch.StartNew();
    run(ctx);
    BenchContext.Log($"[section {name}: {clock.Elapsed.TotalMinutes:F1} min]");
}
// The headline keys first, in the order of issues 4 and 5, then every other pair the sections added.
string[] headline = ["fm_ae30_sse", "mnist_ae30_sse", "seed_ae_ratio", "vae_elbo_ratio", "odds_mean_auc",
    "vqvae_mse_over_var", "vqvae_perplexity", "vqvae2_mse_over_var", "tdvae_gain_over_copy", "tdvae_min_gain_over_copy"];
var pairs = headline.Select(k => new KeyValuePair<string, string>(k, ctx.Results.FirstOrDefault(p => p.Key == k).Value ?? "na"))
    .Concat(ctx.Results.Where(p => !headline.Contains(p.Key)));
BenchContext.Log($"[total: {total.Elapsed.TotalMinutes:F1} min]");
BenchContext.Log("RESULT " + string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")));
return 0;
