using System.Text.Json;
using Latent.Models.Inpainting;
using Xunit.Abstractions;

namespace Latent.Models.Tests.Inpainting;

/// <summary>
/// Telea and Navier–Stokes inpainting against OpenCV 4.6's cv2.inpaint (tests/Golden/inpaint, produced by
/// gen_inpaint_golden.py). The two implementations share the algorithm, not the code: OpenCV works on 8-bit values,
/// adds a bounded remnant of Telea's gradient term and uses absolute differences for the NS isophote. The stated
/// tolerance is on the hole pixels, in grey levels of 255: the mean absolute difference per case is at most
/// <see cref="TeleaTolerance"/> (measured: 0.8–3.1) or <see cref="NavierStokesTolerance"/> (measured: 0.3–4.5), and
/// well below the difference of filling the hole with the mean of the known pixels (13–119).
/// </summary>
public class OpenCvGoldenTests(ITestOutputHelper output)
{
    /// <summary>Mean |ours − OpenCV| over the hole pixels of one case for Telea, in grey levels (0..255).</summary>
    public const double TeleaTolerance = 4.0;

    /// <summary>The same for Navier–Stokes.</summary>
    public const double NavierStokesTolerance = 6.0;

    private static readonly JsonElement Golden = Load();

    private static JsonElement Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "Golden", "inpaint", "inpaint_golden.json"))) dir = dir.Parent;
        if (dir is null) throw new FileNotFoundException("tests/Golden/inpaint/inpaint_golden.json not found above " + AppContext.BaseDirectory);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "tests", "Golden", "inpaint", "inpaint_golden.json"))).RootElement;
    }

    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("cases").EnumerateArray()) d.Add(c.GetProperty("name").GetString()!);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Telea_matches_opencv(string name) => Compare(name, "telea", ClassicalInpainting.Telea, TeleaTolerance);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Navier_stokes_matches_opencv(string name) => Compare(name, "navier_stokes", ClassicalInpainting.NavierStokes, NavierStokesTolerance);

    private delegate void Method(Span<float> image, ReadOnlySpan<bool> hole, int height, int width, int radius);

    private void Compare(string name, string key, Method method, double tolerance)
    {
        var c = Golden.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32(), r = c.GetProperty("radius").GetInt32();
        var image = c.GetProperty("image").EnumerateArray().Select(v => v.GetInt32() / 255f).ToArray();
        var hole = c.GetProperty("mask").EnumerateArray().Select(v => v.GetInt32() != 0).ToArray();
        var expected = c.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var ours = (float[])image.Clone();
        method(ours, hole, h, w, r);
        double diff = 0, baseline = 0, max = 0;
        int n = 0;
        double mean = image.Where((_, i) => !hole[i]).Average() * 255;
        for (int i = 0; i < image.Length; i++)
        {
            if (!hole[i])
            {
                Assert.Equal(image[i], ours[i]); // known pixels are never touched
                continue;
            }
            double d = Math.Abs(ours[i] * 255 - expected[i]);
            diff += d;
            max = Math.Max(max, d);
            baseline += Math.Abs(mean - expected[i]);
            n++;
        }
        diff /= n;
        baseline /= n;
        output.WriteLine($"{name} {key}: mean |diff| {diff:F2}, max {max:F1}, mean-fill {baseline:F2} grey levels over {n} hole pixels");
        Assert.True(diff <= tolerance, $"{name} {key}: mean |ours − OpenCV| {diff:F2} > {tolerance}");
        Assert.True(diff < 0.25 * baseline, $"{name} {key}: {diff:F2} is not well below the mean-fill difference {baseline:F2}");
    }
}
