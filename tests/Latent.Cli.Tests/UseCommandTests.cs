using System.Globalization;
using Latent.Data.Images;

namespace Latent.Cli.Tests;

/// <summary>The commands that use a trained autoencoder: interpolate --space, sample --sampler, filters, attributes, inpaint.</summary>
public class UseCommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private string Dir => fixture.Dir;

    private static string Png(string name) => Path.Combine(CliRunner.TempDir(), name + ".png");

    [Fact]
    public void Interpolate_both_draws_the_latent_row_above_the_pixel_row()
    {
        string latent = Png("latent"), pixel = Png("pixel"), both = Png("both");
        Assert.Equal(0, CliRunner.Run("interpolate", Dir, "--steps", "5", "--out", latent).Code);
        Assert.Equal(0, CliRunner.Run("interpolate", Dir, "--steps", "5", "--space", "pixel", "--out", pixel).Code);
        Assert.Equal(0, CliRunner.Run("interpolate", Dir, "--steps", "5", "--space", "both", "--out", both).Code);
        var (l, p, b) = (PngDecoder.Decode(latent), PngDecoder.Decode(pixel), PngDecoder.Decode(both));
        Assert.Equal(l.Width, b.Width);
        Assert.True(b.Height > l.Height + 20, $"{b.Height} vs {l.Height}");
        Assert.Equal(l.Height, p.Height);
        Assert.NotEqual(l.Pixels, p.Pixels); // a morph is not a cross-fade
        Assert.Equal(2, CliRunner.Run("interpolate", Dir, "--space", "sideways", "--out", Png("x")).Code);
    }

    [Fact]
    public void Sample_with_a_mixture_fits_it_once_and_reuses_it()
    {
        string first = Png("gmm1"), second = Png("gmm2");
        var r1 = CliRunner.Run("sample", Dir, "--sampler", "gmm:3:diag", "--count", "9", "--out", first);
        Assert.True(r1.Code == 0, r1.Err);
        Assert.Contains("fitted a 3-component mixture", r1.Err + r1.Out);
        Assert.True(File.Exists(Path.Combine(Dir, "sampler-gmm-3-diag.json")));
        var r2 = CliRunner.Run("sample", Dir, "--sampler", "gmm:3:diag", "--count", "9", "--out", second);
        Assert.Equal(0, r2.Code);
        Assert.Contains("stored mixture", r2.Err + r2.Out);
        Assert.Equal(CliRunner.Hash(first), CliRunner.Hash(second)); // same seed, same mixture, same picture
        Assert.Equal(0, CliRunner.Run("sample", Dir, "--sampler", "normal", "--count", "4", "--out", Png("normal")).Code);
    }

    [Fact]
    public void Sample_rejects_a_bad_sampler_and_a_broken_mixture_file_in_one_line()
    {
        string png = Png("bad");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", Dir, "--sampler", "gmm:zero", "--out", png), contains: "--sampler");
        var dir = CliRunner.TempDir();
        foreach (var f in Directory.GetFiles(Dir, "model.*")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(dir, "sampler-gmm-2-full.json"), "{\"version\": 1");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", dir, "--sampler", "gmm:2", "--out", png), contains: "sampler-gmm-2-full.json");
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void Filters_draws_one_normalised_tile_per_first_layer_unit()
    {
        string png = Png("filters");
        var r = CliRunner.Run("filters", Dir, "--count", "16", "--columns", "4", "--out", png);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("[32,400]", r.Err + r.Out);
        var img = PngDecoder.Decode(png);
        // 4×4 tiles of 20×20 pixels at scale 2, 1 pixel of padding.
        Assert.Equal(1 + 4 * (40 + 1), img.Width);
        Assert.Equal(1 + 4 * (40 + 1), img.Height);
        // Each tile is normalised on its own: it reaches both black and white.
        var tile = Enumerable.Range(0, 40 * 40).Select(i => img[1 + i / 40, 1 + i % 40, 0]).ToArray();
        Assert.Equal(0f, tile.Min());
        Assert.Equal(1f, tile.Max());
        CliRunner.AssertOneLineError(CliRunner.Run("filters", Dir, "--count", "0", "--out", png), contains: "--count");
    }

    [Fact]
    public void Attributes_prints_sprite_factor_directions_and_draws_grids()
    {
        string sweep = Png("sweep"), apply = Png("apply");
        var r = CliRunner.Run("attributes", Dir, "--out", sweep);
        Assert.True(r.Code == 0, r.Err);
        foreach (var name in new[] { "scale", "orientation", "x ", "y ", "shape=0" }) Assert.Contains(name, r.Out);
        Assert.True(File.Exists(sweep));
        var a = CliRunner.Run("attributes", Dir, "--apply", "scale:+1.5", "--count", "4", "--out", apply);
        Assert.True(a.Code == 0, a.Err);
        var img = PngDecoder.Decode(apply);
        Assert.True(img.Height > 3 * 40 && img.Width > 4 * 40);
        CliRunner.AssertOneLineError(CliRunner.Run("attributes", Dir, "--apply", "zoom:1", "--out", Png("z")), contains: "zoom");
        CliRunner.AssertOneLineError(CliRunner.Run("attributes", Dir, "--apply", "scale", "--out", Png("z")), contains: "--apply");
    }

    [Theory]
    [InlineData("model", "block:0.25")]
    [InlineData("model", "box:2,2,8,8", "--fill", "0")]
    [InlineData("telea", "box:2,2,8,8")]
    [InlineData("navier-stokes", "strokes:3")]
    public void Inpaint_writes_three_rows_and_the_hole_psnr(string method, string mask, params string[] extra)
    {
        string png = Png("inpaint-" + method);
        var r = CliRunner.Run(["inpaint", Dir, "--method", method, "--mask", mask, "--count", "5", "--iterations", "5", "--out", png, .. extra]);
        Assert.True(r.Code == 0, r.Err);
        var line = r.Out.Split('\n').Single(l => l.StartsWith("hole_psnr_db"));
        double psnr = double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.InRange(psnr, 3, 60);
        var img = PngDecoder.Decode(png);
        Assert.Equal(2 + 3 * (40 + 2), img.Height);
        Assert.Equal(2 + 5 * (40 + 2), img.Width);
    }

    [Fact]
    public void Inpaint_reports_bad_masks_in_one_line()
    {
        string png = Png("bad-mask");
        CliRunner.AssertOneLineError(CliRunner.Run("inpaint", Dir, "--mask", "block:2", "--out", png), contains: "--mask");
        CliRunner.AssertOneLineError(CliRunner.Run("inpaint", Dir, "--mask", "box:50,50,2,2", "--out", png), contains: "outside");
        CliRunner.AssertOneLineError(CliRunner.Run("inpaint", Dir, "--mask", "missing.png", "--out", png), contains: "missing.png");
        CliRunner.AssertOneLineError(CliRunner.Run("inpaint", Dir, "--fill", "grey", "--out", png), contains: "--fill");
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void Compress_and_decompress_round_trip_through_a_checked_file()
    {
        var tmp = CliRunner.TempDir();
        string file = Path.Combine(tmp, "test.ltnc"), png = Path.Combine(tmp, "decoded.png");
        var r = CliRunner.Run("compress", Dir, "--count", "20", "--bits", "4", "--out", file);
        Assert.True(r.Code == 0, r.Err);
        double Value(string key) => double.Parse(r.Out.Split('\n').Single(l => l.StartsWith(key)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.Equal(20, Value("images"));
        Assert.Equal(new FileInfo(file).Length * 8.0 / 20, Value("bits_per_image"), 1);
        Assert.InRange(Value("psnr_db"), 5, 60);
        var d = CliRunner.Run("decompress", Dir, file, "--count", "9", "--out", png);
        Assert.True(d.Code == 0, d.Err);
        Assert.Equal(2 + 3 * (40 + 2), PngDecoder.Decode(png).Width);
        var bytes = File.ReadAllBytes(file);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        string bad = Path.Combine(tmp, "bad.png");
        CliRunner.AssertOneLineError(CliRunner.Run("decompress", Dir, file, "--out", bad), contains: "checksum");
        CliRunner.AssertOneLineError(CliRunner.Run("decompress", Dir, png, "--out", bad), contains: "magic");
        Assert.False(File.Exists(bad));
    }
}
