using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Compression;
using Latent.Models.VqVae;
using Latent.Models.VqVae2;
using Latent.Quality.Experiments;
using Latent.Models.Sampling;
using Latent.Models.Training;
using Latent.Viz.Png;
using Latent.Viz.Svg;

namespace Latent.Quality.Sections;

/// <summary>
/// Rate–distortion of the learned codec (<see cref="CodeCodec"/>: an autoencoder's code quantised to 2..8 bits per
/// dimension and arithmetic-coded) against PNG (our encoder, lossless) and JPEG (Debian's cjpeg/djpeg from
/// libjpeg-turbo-progs, greyscale, qualities 5..95; used here only, never by the library) on Fashion-MNIST test
/// images. Bits per image include the container's header, shared by the images of one file. Writes
/// compress_rd.svg beside the pictures. The VQ-VAE (one 7×7 map, K = 128) and VQ-VAE-2 (4×4 top map, K = 8; 7×7
/// bottom map, K = 64) points: their index maps arithmetic-coded by <see cref="IndexCodec"/> (one adaptive model per
/// map), each model trained with the vq section's settings for at most compress.vq_budget_s seconds or
/// compress.vq_epochs epochs. Settings: compress.epochs, compress.settings, compress.images, compress.vq_models,
/// compress.vq_budget_s, compress.vq_epochs, compress.vq_options. Adds jpeg_bits_q75, jpeg_psnr_q75, png_bits,
/// compress_psnr_max, compress_{vqvae|vqvae2}_{bits|psnr}, compress_bits_at_jpeg_psnr (the smallest bits per image of
/// the learned codecs at JPEG q75's PSNR, interpolated on the AE curve, a VQ point counting when it reaches it; "na"
/// with the reason when none does) and, for the best JPEG quality whose PSNR a learned codec reaches,
/// compress_reached_jpeg_quality, jpeg_bits_at_reached_quality and compress_bits_at_reached_jpeg_psnr.
/// </summary>
internal static class CompressSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        if (o.Quick) train = train.Subset(Enumerable.Range(0, 3000).ToArray(), train.Name + "[:3000]");
        int epochs = o.GetInt("compress.epochs", 1, 10);
        int images = o.GetInt("compress.images", 100, 1000);
        string settings = o.Get("compress.settings", "arch=784-512-128-32,hidden=relu,output=bernoulli", "arch=784-512-128-32,hidden=relu,output=bernoulli");
        var part = test.Subset(Enumerable.Range(0, Math.Min(images, test.Count)).ToArray());
        var x = part.Batch(Enumerable.Range(0, part.Count).ToArray());

        var training = new TrainingOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, Schedule = "constant", Seed = 1, CheckpointEvery = 0 };
        var model = QualityTraining.Create("ae", settings, train.SampleShape, training.Seed);
        BenchContext.Log($"\n== compress: fashion-mnist ae {settings}, {epochs} epochs; {part.Count} test images");
        double seconds = QualityTraining.Fit(model, train, training, [], null);
        var codes = CodeSampler.EncodeAll(model, part);

        var table = new TextTable("codec", "setting", "bits/image", "PSNR dB");
        var ae = new List<(double Bits, double Psnr)>();
        foreach (int bits in new[] { 2, 3, 4, 5, 6, 8 })
        {
            var c = CodeCodec.Compress(codes, bits);
            double bpi = CodeCodec.ToBytes(c).Length * 8.0 / part.Count;
            double psnr = CodecMetrics.Psnr(CodeSampler.DecodeAll(model, CodeCodec.Decompress(c)), x);
            ae.Add((bpi, psnr));
            table.Add("ae-32 + arithmetic", $"{bits} bits/dim", F(bpi), F(psnr));
        }
        double unquantised = CodecMetrics.Psnr(CodeSampler.DecodeAll(model, codes), x);
        table.Add("ae-32 (float codes)", "no quantisation", F(32.0 * model.CodeSize), F(unquantised));

        // VQ-VAE and VQ-VAE-2: one rate each (the index maps' size is fixed by the model), entropy-coded losslessly.
        var vq = new List<(string Name, double Bits, double Psnr)>();
        var vqModels = o.Get("compress.vq_models", "vq-vae,vq-vae-2", "vq-vae,vq-vae-2").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var vqSettings = new VqRunSettings
        {
            Model = "vq-vae",
            Epochs = o.GetInt("compress.vq_epochs", 1, 3),
            BudgetSeconds = double.Parse(o.Get("compress.vq_budget_s", "0", "600"), CultureInfo.InvariantCulture),
            TrainCount = o.Quick ? 2000 : train.Count,
            TestCount = part.Count,
        };
        string vqShared = o.Get("compress.vq_options", "hidden=32,res_hidden=16", "");
        foreach (var name in vqModels)
        {
            var opts = name == "vq-vae-2"
                ? new Dictionary<string, string> { ["k_top"] = "8", ["k_bottom"] = "64", ["restart"] = "20" }
                : new Dictionary<string, string> { ["ema"] = "true", ["restart"] = "20" };
            foreach (var kv in vqShared.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(kv => kv.Split('=', 2)))
                opts[kv[0]] = kv[1];
            BenchContext.Log($"\n== compress: {name}, at most {vqSettings.Epochs} epochs / {vqSettings.BudgetSeconds:F0} s");
            var (vqModel, report) = VqExperiment.Run(vqSettings with { Model = name, Tag = name, ModelOptions = opts }, train, part, BenchContext.Log);
            var (bitsPerImage, psnr, raw) = VqPoint(vqModel, x, part.Count);
            vq.Add((name, bitsPerImage, psnr));
            string key = name == "vq-vae" ? "vqvae" : "vqvae2";
            string trained = $"{report.Epochs}{(report.Cancelled ? "+" : "")} epochs, {report.TrainSeconds:F0} s";
            table.Add($"{name} + arithmetic", $"indices ({raw:F0} bits raw; {trained})", F(bitsPerImage), F(psnr));
            ctx.Result($"compress_{key}_bits", bitsPerImage, new Measure("bits/image", $"{name} index maps, arithmetic-coded, bits per Fashion-MNIST test image ({raw:F0} bits uncoded; {trained})"));
            ctx.Result($"compress_{key}_psnr", psnr, new Measure("dB", $"{name} decoded from its indices, PSNR on Fashion-MNIST test images"));
        }

        var (h, w) = (part.SampleShape[^2], part.SampleShape[^1]);
        double pngBits = 0;
        for (int i = 0; i < part.Count; i++)
            pngBits += PngEncoder.EncodeUnitFloats(w, h, 1, x.Span.Slice(i * h * w, h * w)).Length * 8.0;
        pngBits /= part.Count;
        table.Add("PNG (ours)", "lossless", F(pngBits), "inf");

        var jpeg = new List<(int Quality, double Bits, double Psnr)>();
        foreach (int q in new[] { 5, 10, 25, 50, 75, 90, 95 })
        {
            var r = Jpeg(x, part.Count, h, w, q);
            if (r is null) { BenchContext.Log("  cjpeg/djpeg not found: install libjpeg-turbo-progs for the JPEG curve"); break; }
            jpeg.Add((q, r.Value.Bits, r.Value.Psnr));
            table.Add("JPEG (libjpeg-turbo)", $"quality {q}", F(r.Value.Bits), F(r.Value.Psnr));
        }
        ctx.Print(table, "rate-distortion", $"Fashion-MNIST test ({part.Count} images): bits per image vs PSNR; AE 784-512-128-32, {epochs} epochs ({seconds:F0} s); VQ models as trained");

        ctx.Result("png_bits", pngBits, new Measure("bits/image", "PNG (our encoder) bits per Fashion-MNIST test image, lossless"));
        ctx.Result("compress_psnr_max", ae.Max(a => a.Psnr), new Measure("dB", $"best PSNR of the AE codec (8 bits/dim; unquantised codes: {unquantised:F2} dB)"));
        double best = Math.Max(ae.Max(a => a.Psnr), vq.Count > 0 ? vq.Max(v => v.Psnr) : double.NegativeInfinity);
        string bests = string.Join(", ", new[] { $"AE {ae.Max(a => a.Psnr):F2} dB" }.Concat(vq.Select(v => $"{v.Name} {v.Psnr:F2} dB")));
        var q75 = jpeg.FirstOrDefault(j => j.Quality == 75);
        if (q75.Quality == 75)
        {
            ctx.Result("jpeg_bits_q75", q75.Bits, new Measure("bits/image", "JPEG quality 75 bits per Fashion-MNIST test image", Headline: true));
            ctx.Result("jpeg_psnr_q75", q75.Psnr, new Measure("dB", "JPEG quality 75 PSNR"));
            double at = AtPsnr(ae, vq, q75.Psnr);
            ctx.Result("compress_bits_at_jpeg_psnr", at,
                new Measure("bits/image", "learned codecs' (AE, VQ-VAE, VQ-VAE-2) fewest bits per image at the PSNR of JPEG quality 75", q75.Bits, HigherIsBetter: false, Headline: true),
                double.IsFinite(at) ? null : $"no learned codec reaches JPEG q75's {q75.Psnr:F2} dB (best: {bests}): their reconstructions, not the bits, limit the quality");
        }
        // The best JPEG quality that some learned codec matches in PSNR: where the curves can be compared at equal quality.
        var reached = jpeg.Where(j => j.Psnr <= best).OrderByDescending(j => j.Quality).FirstOrDefault();
        if (reached.Quality > 0)
        {
            ctx.Result("compress_reached_jpeg_quality", reached.Quality.ToString(CultureInfo.InvariantCulture), new Measure("quality", $"the best JPEG quality whose PSNR ({reached.Psnr:F2} dB) a learned codec reaches"));
            ctx.Result("jpeg_bits_at_reached_quality", reached.Bits, new Measure("bits/image", $"JPEG bits per image at quality {reached.Quality}"));
            ctx.Result("compress_bits_at_reached_jpeg_psnr", AtPsnr(ae, vq, reached.Psnr), new Measure("bits/image", $"learned codecs' fewest bits per image at JPEG quality {reached.Quality}'s PSNR ({reached.Psnr:F2} dB)"));
        }
        if (o.ImageDir is not null && !o.Quick)
        {
            var chart = new LineChart { Title = "Fashion-MNIST: rate–distortion", XLabel = "bits per image", YLabel = "PSNR (dB)" };
            chart.AddSeries("AE-32 + arithmetic coder", ae.Select(a => a.Bits).ToList(), ae.Select(a => a.Psnr).ToList());
            if (jpeg.Count > 0) chart.AddSeries("JPEG", jpeg.Select(j => j.Bits).ToList(), jpeg.Select(j => j.Psnr).ToList());
            foreach (var v in vq) chart.AddSeries($"{v.Name} indices + arithmetic coder", [v.Bits], [v.Psnr]);
            chart.AddSeries("PNG (lossless, drawn at 60 dB)", [pngBits], [60.0]);
            File.WriteAllText(Path.Combine(o.ImageDir, "compress_rd.svg"), chart.ToSvg());
        }
    }

    /// <summary>The fewest bits per image at which the AE curve (interpolated) or a VQ point reaches <paramref name="psnr"/>; NaN when none does.</summary>
    private static double AtPsnr(List<(double Bits, double Psnr)> curve, List<(string Name, double Bits, double Psnr)> points, double psnr)
    {
        double at = AtPsnr(curve, psnr);
        foreach (var p in points)
            if (p.Psnr >= psnr && !(p.Bits >= at)) at = p.Bits;
        return at;
    }

    /// <summary>Bits per image (container included) and PSNR of a VQ model's arithmetic-coded index maps, and their uncoded size h·w·log2 K.</summary>
    private static (double Bits, double Psnr, double Raw) VqPoint(AutoencoderModel model, Latent.Core.Tensor x, int n)
    {
        using var _ = Latent.Core.Tensor.NoGrad();
        model.Eval();
        const int chunk = 250;
        var chunks = Enumerable.Range(0, (n + chunk - 1) / chunk).Select(i => (Start: i * chunk, Count: Math.Min(chunk, n - i * chunk))).ToList();
        int size = x.Size / n;
        Latent.Core.Tensor Slice(int start, int count) => new(x.Span.Slice(start * size, count * size).ToArray(), [count, .. x.Shape[1..]]);
        switch (model)
        {
            case VqVae v:
            {
                var idx = chunks.SelectMany(c => v.EncodeIndices(Slice(c.Start, c.Count))).ToArray();
                var bytes = IndexCodec.ToBytes(IndexCodec.Compress([idx], [v.Quantizer.CodebookSize], n));
                var back = IndexCodec.Decompress(IndexCodec.FromBytes(bytes, "memory"))[0];
                int per = idx.Length / n;
                var decoded = chunks.Select(c => v.DecodeIndices(back[(c.Start * per)..((c.Start + c.Count) * per)], c.Count)).ToList();
                return (bytes.Length * 8.0 / n, CodecMetrics.Psnr(Latent.Core.Tensor.Concat([.. decoded], 0), x), v.BitsPerImage);
            }
            case VqVae2 v2:
            {
                var maps = chunks.Select(c => v2.EncodeIndices(Slice(c.Start, c.Count))).ToList();
                int[] top = [.. maps.SelectMany(m => m.Top)], bottom = [.. maps.SelectMany(m => m.Bottom)];
                var bytes = IndexCodec.ToBytes(IndexCodec.Compress([top, bottom], [v2.TopQuantizer.CodebookSize, v2.BottomQuantizer.CodebookSize], n));
                var back = IndexCodec.Decompress(IndexCodec.FromBytes(bytes, "memory"));
                int pt = top.Length / n, pb = bottom.Length / n;
                var decoded = chunks.Select(c => v2.DecodeIndices(back[0][(c.Start * pt)..((c.Start + c.Count) * pt)], back[1][(c.Start * pb)..((c.Start + c.Count) * pb)], c.Count)).ToList();
                return (bytes.Length * 8.0 / n, CodecMetrics.Psnr(Latent.Core.Tensor.Concat([.. decoded], 0), x), v2.BitsPerImage);
            }
            default:
                throw new ArgumentException($"compress: {model.Name} has no index maps");
        }
    }

    /// <summary>Bits per image at <paramref name="psnr"/> by linear interpolation between the curve's points; NaN when it never gets there.</summary>
    private static double AtPsnr(List<(double Bits, double Psnr)> curve, double psnr)
    {
        var c = curve.OrderBy(p => p.Bits).ToList();
        for (int i = 0; i < c.Count; i++)
        {
            if (c[i].Psnr < psnr) continue;
            if (i == 0) return c[0].Bits;
            double t = (psnr - c[i - 1].Psnr) / (c[i].Psnr - c[i - 1].Psnr);
            return c[i - 1].Bits + t * (c[i].Bits - c[i - 1].Bits);
        }
        return double.NaN;
    }

    /// <summary>Mean bits per image and PSNR of JPEG at <paramref name="quality"/> through cjpeg/djpeg (greyscale PGM in and out), or null without them.</summary>
    private static (double Bits, double Psnr)? Jpeg(Latent.Core.Tensor x, int n, int h, int w, int quality)
    {
        string dir = Path.Combine(Path.GetTempPath(), "latent-jpeg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            double bits = 0, se = 0;
            for (int i = 0; i < n; i++)
            {
                var pixels = new byte[h * w];
                for (int p = 0; p < pixels.Length; p++) pixels[p] = PngEncoder.ToByte(x.Span[i * h * w + p]);
                string pgm = Path.Combine(dir, "in.pgm"), jpg = Path.Combine(dir, "out.jpg"), back = Path.Combine(dir, "back.pgm");
                File.WriteAllBytes(pgm, [.. Encoding.ASCII.GetBytes($"P5\n{w} {h}\n255\n"), .. pixels]);
                if (!Tool("cjpeg", $"-quality {quality} -grayscale -optimize -outfile {jpg} {pgm}")) return null;
                if (!Tool("djpeg", $"-pnm -outfile {back} {jpg}")) return null;
                bits += new FileInfo(jpg).Length * 8.0;
                var decoded = File.ReadAllBytes(back);
                int offset = decoded.Length - h * w;
                for (int p = 0; p < h * w; p++)
                {
                    double d = decoded[offset + p] / 255.0 - x.Span[i * h * w + p];
                    se += d * d;
                }
            }
            return (bits / n, 10 * Math.Log10(1 / (se / (n * h * w))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Tool(string name, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(name, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
