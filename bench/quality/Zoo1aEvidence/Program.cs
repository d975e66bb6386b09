// Evidence for the claims of the regularised autoencoders (branch zoo1a), printed as plain lines; see zoo1a-evidence.md.
using System.Diagnostics;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Denoising;
using Latent.Models.Metrics;
using Latent.Models.Training;

// Finds Fashion-MNIST as the library does (LATENT_DATA, ../shared/datasets beside the working folder or a parent, cache).
var opts = new DataOptions();
var trainAll = NamedDatasets.Load("fashion-mnist", "train", opts);
var testAll = NamedDatasets.Load("fashion-mnist", "test", opts);
int nTrain = int.Parse(args.Length > 1 ? args[1] : "5000");
var train = trainAll.Subset(Enumerable.Range(0, nTrain).ToArray());
var test = testAll.Subset(Enumerable.Range(0, 1000).ToArray());
int epochs = int.Parse(args.Length > 2 ? args[2] : "5");
string what = args.Length > 0 ? args[0] : "all";
Console.WriteLine($"train {train.Count} test {test.Count} shape [{string.Join(",", train.SampleShape)}] epochs {epochs}");

AutoencoderModel Fit(string name, Dictionary<string, string> s, int ep)
{
    var sw = Stopwatch.StartNew();
    var m = ModelRegistry.Create(name, s, train.SampleShape, new Rng(1));
    if (m is IPretrainable p) p.Pretrain(train, new TrainingOptions { Epochs = ep, BatchSize = 64, Seed = 1 }, null, default);
    var r = Trainer.Fit(m, train, null, new TrainingOptions { Epochs = ep, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 });
    var rec = Evaluation.Reconstruction(m, test);
    Console.WriteLine($"  {name} {string.Join(" ", s.Select(kv => kv.Key + "=" + kv.Value))}: train total {r.History[^1].TrainValue("total"):F2}, test SSE/img {rec.SsePerImage:F2} ({sw.Elapsed.TotalSeconds:F0}s)");
    return m;
}

if (what is "all" or "dae")
{
    foreach (var noise in new[] { "masking:0.25", "gaussian:0.3", "salt-and-pepper:0.2", "block:0.4" })
    {
        var m = Fit("dae", new() { ["arch"] = "784-256", ["noise"] = noise }, epochs);
        var d = ClaimMetrics.DenoisingGain(m, test, Corruption.Parse(noise), seed: 7);
        Console.WriteLine($"DAE {noise}: noisy SSE {d.NoisySse:F2}, restored SSE {d.RestoredSse:F2}, clean-recon SSE {d.CleanSse:F2}, gain {d.Gain:F2}; on changed pixels noisy {d.NoisySseCorrupted:F2} restored {d.RestoredSseCorrupted:F2} (gain {d.GainCorrupted:F2}, {d.CorruptedFraction:P1} changed)");
    }
}
if (what is "all" or "sparse")
{
    var m = Fit("sparse-ae", new(), epochs);
    var a = ClaimMetrics.MeanActivations(m, test);
    var at = ClaimMetrics.MeanActivations(m, train);
    Console.WriteLine($"sparse-ae (rho 0.05, beta 3, 784-196): test mean of rho_hat {a.Average():F4} (min {a.Min():F4}, max {a.Max():F4}, units within ±0.01: {a.Count(v => Math.Abs(v - 0.05) <= 0.01)}/{a.Length}); train mean {at.Average():F4}, within ±0.01: {at.Count(v => Math.Abs(v - 0.05) <= 0.01)}/{at.Length}");
    var l1 = Fit("sparse-ae", new() { ["penalty"] = "l1", ["code"] = "sigmoid" }, epochs);
    var b = ClaimMetrics.MeanActivations(l1, test);
    var plain = Fit("sparse-ae", new() { ["beta"] = "0" }, epochs);
    var c = ClaimMetrics.MeanActivations(plain, test);
    Console.WriteLine($"sparse-ae l1 lambda 0.1: mean activation {b.Average():F4}; beta=0: {c.Average():F4}");
}
if (what is "all" or "ksparse")
{
    var m = Fit("k-sparse-ae", new(), epochs);
    var nz = ClaimMetrics.NonZeroCounts(m, test);
    Console.WriteLine($"k-sparse-ae (784-1000, k 25): non-zeros per code min {nz.Min()} max {nz.Max()} mean {nz.Average():F2}");
    var m3 = ModelRegistry.Create("k-sparse-ae", new Dictionary<string, string> { ["alpha"] = "3" }, train.SampleShape, new Rng(1));
    m3.LoadStateDict(m.StateDict().ToDictionary(p => p.Name, p => p.Tensor));
    var nz3 = ClaimMetrics.NonZeroCounts(m3, test);
    Console.WriteLine($"  alpha 3 encoding: non-zeros min {nz3.Min()} max {nz3.Max()}");
}
if (what is "all" or "cae")
{
    foreach (var lambda in new[] { "0.1", "1" })
    {
        var cae = Fit("contractive-ae", new() { ["arch"] = "784-256", ["lambda"] = lambda }, epochs);
        double sse = Evaluation.Reconstruction(cae, test).SsePerImage, jac = ClaimMetrics.JacobianFrobenius(cae, test, 300);
        var plain = ModelRegistry.Create("contractive-ae", new Dictionary<string, string> { ["arch"] = "784-256", ["lambda"] = "0" }, train.SampleShape, new Rng(1));
        double best = double.MaxValue, pSse = 0, pJac = 0; int pEpoch = 0;
        for (int e = 1; e <= epochs * 2; e++)
        {
            Trainer.Fit(plain, train, null, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3f, Seed = (ulong)e, CheckpointEvery = 0 });
            double s = Evaluation.Reconstruction(plain, test).SsePerImage;
            if (Math.Abs(s - sse) < best) { best = Math.Abs(s - sse); pSse = s; pJac = ClaimMetrics.JacobianFrobenius(plain, test, 300); pEpoch = e; }
        }
        Console.WriteLine($"CAE lambda {lambda}: test SSE {sse:F2}, ||J||_F^2 {jac:F2}; plain AE (lambda 0) at epoch {pEpoch} with SSE {pSse:F2}: ||J||_F^2 {pJac:F2}; ratio {jac / pJac:F3}");
    }
}
if (what is "all" or "conv")
{
    Fit("ae", new() { ["arch"] = "784-32", ["code"] = "none" }, epochs);
    Fit("ae", new() { ["arch"] = "784-256-32" }, epochs);
    Fit("ae", new() { ["arch"] = "784-32", ["network"] = "conv" }, epochs);
    Fit("ae", new() { ["arch"] = "784-32", ["network"] = "conv-bn" }, epochs);
}
if (what is "all" or "stacked")
{
    Fit("stacked-ae", new() { ["arch"] = "784-256-64-16", ["pretrain_epochs"] = "3" }, epochs);
    Fit("stacked-ae", new() { ["arch"] = "784-256-64-16", ["pretrain_epochs"] = "0" }, epochs);
}
if (what is "sparsesweep")
{
    // args[3..]: one configuration each, "key=value,key=value" (model settings) plus the training keys
    // n= (train images), epochs=, batch= ; e.g. "beta=3,epochs=20" or "beta=10,n=60000,epochs=10,batch=128".
    foreach (var spec in args.Skip(3))
    {
        var kv = spec.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        int n = kv.Remove("n", out var nv) ? int.Parse(nv) : nTrain;
        int ep = kv.Remove("epochs", out var ev) ? int.Parse(ev) : epochs;
        int batch = kv.Remove("batch", out var bv) ? int.Parse(bv) : 64;
        var tr = trainAll.Subset(Enumerable.Range(0, n).ToArray());
        var sw = Stopwatch.StartNew();
        var m = ModelRegistry.Create("sparse-ae", kv, tr.SampleShape, new Rng(1));
        Trainer.Fit(m, tr, null, new TrainingOptions { Epochs = ep, BatchSize = batch, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 });
        var rec = Evaluation.Reconstruction(m, test);
        var a = ClaimMetrics.MeanActivations(m, test);
        Console.WriteLine($"sparse-ae {spec}: test SSE/img {rec.SsePerImage:F2}, mean rho_hat {a.Average():F4} (min {a.Min():F4}, max {a.Max():F4}, within ±0.01: {a.Count(v => Math.Abs(v - 0.05) <= 0.01)}/{a.Length}) ({sw.Elapsed.TotalSeconds:F0}s)");
    }
}
if (what is "sparsenotes")
{
    // Ng's objective literally: J = (1/B) Σ_b ½‖σ(o_b) − x_b‖² + β Σ_j KL(ρ ‖ ρ̂_j) + (λ/2) Σ W², sigmoid outputs,
    // trained with Adam 1e-3 on n images for the given epochs (args[3] = β, args[4] = batch). Then, on the test images,
    // the ratio ‖∂L_BCE/∂h‖ / ‖∂L_notes/∂h‖ of the two reconstruction terms' pull on the code.
    float beta = float.Parse(args.Length > 3 ? args[3] : "3", System.Globalization.CultureInfo.InvariantCulture);
    int batch = int.Parse(args.Length > 4 ? args[4] : "64");
    var sw = Stopwatch.StartNew();
    var m = (Latent.Models.Sparse.SparseAutoencoder)ModelRegistry.Create("sparse-ae", new Dictionary<string, string> { ["beta"] = "0", ["decay"] = "0" }, train.SampleShape, new Rng(1));
    var opt = new Latent.NN.Optim.Adam(m.Parameters(), 1e-3f);
    var rng = new Rng(1);
    Tensor NotesRec(Tensor o, Tensor x) => (o.Sigmoid() - x.Reshape(o.Shape)).Square().Sum() * (0.5f / x.Shape[0]);
    for (int e = 0; e < epochs; e++)
    {
        var perm = rng.Permutation(train.Count);
        for (int start = 0; start + batch <= train.Count; start += batch)
        {
            var x = train.Batch(perm.AsSpan(start, batch));
            var h = m.Encoder.Forward(x);
            var loss = NotesRec(m.Decoder.Forward(h), x) + Latent.Models.Sparse.SparseAutoencoder.KlSparsity(h, 0.05f) * beta;
            var decay = Tensor.Scalar(0f);
            foreach (var (name, w) in m.NamedParameters())
                if (name.EndsWith(".weight", StringComparison.Ordinal) && w.Rank >= 2) decay = decay + w.Square().Sum();
            loss = loss + decay * (1e-4f / 2f);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var a = ClaimMetrics.MeanActivations(m, test);
        var rec = Evaluation.Reconstruction(m, test);
        Console.WriteLine($"notes objective beta {beta} epoch {e + 1}: test SSE/img {rec.SsePerImage:F2}, mean rho_hat {a.Average():F4} (min {a.Min():F4}, max {a.Max():F4}, within ±0.01: {a.Count(v => Math.Abs(v - 0.05) <= 0.01)}/{a.Length}) ({sw.Elapsed.TotalSeconds:F0}s)");
    }
    double bce = 0, notes = 0;
    for (int start = 0; start < test.Count; start += 100)
    {
        var x = test.Batch(Enumerable.Range(start, 100).ToArray());
        var h = m.Encoder.Forward(x).Detach().RequireGrad();
        var o = m.Decoder.Forward(h);
        var gb = Latent.Core.Autograd.Gradients.Grad(Latent.NN.Losses.Loss.BceWithLogits(o, x.Reshape(o.Shape), Latent.NN.Losses.Reduction.Sum) * (1f / 100), [h])[0];
        var gn = Latent.Core.Autograd.Gradients.Grad(NotesRec(o, x), [h])[0];
        bce += gb.Square().Sum().Item();
        notes += gn.Square().Sum().Item();
    }
    Console.WriteLine($"reconstruction pull on the code, ‖∂BCE/∂h‖ / ‖∂(½ SSE of sigmoid)/∂h‖ on the test images: {Math.Sqrt(bce / notes):F2}");
}
if (what is "sparseprobe")
{
    foreach (var beta in new[] { "10", "30", "100" })
    {
        var m = Fit("sparse-ae", new() { ["beta"] = beta }, epochs);
        var a = ClaimMetrics.MeanActivations(m, test);
        Console.WriteLine($"sparse-ae beta {beta}: test mean rho_hat {a.Average():F4} (min {a.Min():F4}, max {a.Max():F4}, within ±0.01: {a.Count(v => Math.Abs(v - 0.05) <= 0.01)}/{a.Length})");
    }
}
