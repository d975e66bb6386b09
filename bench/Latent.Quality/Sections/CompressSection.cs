using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models.Compression;
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
/// compress_rd.svg beside the pictures. Settings: compress.epochs, compress.settings, compress.images. Adds
/// jpeg_bits_q75, jpeg_psnr_q75, png_bits, compress_psnr_max and compress_bits_at_jpeg_psnr (the learned codec's bits
/// per image at JPEG q75's PSNR, interpolated on its curve; "na" when the codec never reaches that PSNR).
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
        int epochs = o.GetInt("compress.epochs", 1, 5);
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
        ctx.Print(table, "rate-distortion", $"Fashion-MNIST test ({part.Count} images): bits per image vs PSNR; AE 784-512-128-32, {epochs} epochs ({seconds:F0} s)");

        ctx.Result("png_bits", pngBits, new Measure("bits/image", "PNG (our encoder) bits per Fashion-MNIST test image, lossless"));
        ctx.Result("compress_psnr_max", ae.Max(a => a.Psnr), new Measure("dB", $"best PSNR of the AE codec (8 bits/dim; unquantised codes: {unquantised:F2} dB)"));
        var q75 = jpeg.FirstOrDefault(j => j.Quality == 75);
        if (q75.Quality == 75)
        {
            ctx.Result("jpeg_bits_q75", q75.Bits, new Measure("bits/image", "JPEG quality 75 bits per Fashion-MNIST test image", Headline: true));
            ctx.Result("jpeg_psnr_q75", q75.Psnr, new Measure("dB", "JPEG quality 75 PSNR"));
            double at = AtPsnr(ae, q75.Psnr);
            ctx.Result("compress_bits_at_jpeg_psnr", at,
                new Measure("bits/image", "AE codec bits per image at the PSNR of JPEG quality 75", q75.Bits, HigherIsBetter: false, Headline: true),
                double.IsFinite(at) ? null : $"the AE codec's best PSNR is {ae.Max(a => a.Psnr):F2} dB, below JPEG q75's {q75.Psnr:F2} dB: the code (32 dimensions, {epochs} epochs) limits the quality, not the bits");
        }
        if (o.ImageDir is not null && !o.Quick)
        {
            var chart = new LineChart { Title = "Fashion-MNIST: rate–distortion", XLabel = "bits per image", YLabel = "PSNR (dB)" };
            chart.AddSeries("AE-32 + arithmetic coder", ae.Select(a => a.Bits).ToList(), ae.Select(a => a.Psnr).ToList());
            if (jpeg.Count > 0) chart.AddSeries("JPEG", jpeg.Select(j => j.Bits).ToList(), jpeg.Select(j => j.Psnr).ToList());
            File.WriteAllText(Path.Combine(o.ImageDir, "compress_rd.svg"), chart.ToSvg());
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
