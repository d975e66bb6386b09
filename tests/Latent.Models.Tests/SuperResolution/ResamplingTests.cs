using System.Text.Json;
using Latent.Core;
using Latent.Models.SuperResolution;

namespace Latent.Models.Tests.SuperResolution;

public class ResamplingTests
{
    /// <summary>tests/Golden/resample/resample_cv2.json: cv2.resize on float32 images (gen_resample_cv2.py, OpenCV 4.6).</summary>
    [Fact]
    public void Matches_opencv_resize_nearest_bilinear_bicubic_and_area()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "resample", "resample_cv2.json")));
        int checkedCases = 0;
        foreach (var c in golden.RootElement.GetProperty("cases").EnumerateArray())
        {
            int h = c.GetProperty("h").GetInt32(), w = c.GetProperty("w").GetInt32(), f = c.GetProperty("factor").GetInt32();
            var x = Tensor.FromArray(Floats(c, "input"), 1, 1, h, w);
            AssertClose(Floats(c, "nearest"), Resampling.Nearest(x, f), 0f, $"nearest {h}x{w} x{f}");
            AssertClose(Floats(c, "bilinear"), Resampling.Bilinear(x, f), 1e-5f, $"bilinear {h}x{w} x{f}");
            AssertClose(Floats(c, "bicubic_a075"), Resampling.Bicubic(x, f, a: -0.75f), 1e-5f, $"bicubic {h}x{w} x{f}");
            var big = Tensor.FromArray(Floats(c, "area_input"), 1, 1, h * f, w * f);
            AssertClose(Floats(c, "area"), Resampling.Downsample(big, f), 1e-6f, $"area {h}x{w} x{f}");
            checkedCases++;
        }
        Assert.Equal(4, checkedCases);
    }

    [Fact]
    public void Bicubic_with_a_half_matches_hand_derived_weights()
    {
        // Keys' kernel with a = −0.5 at t = 0.25 (the ×2 offsets are 0.25 and 0.75):
        // W(1.25) = −0.5·1.953125 + 2.5·1.5625 − 4·1.25 + 2 = −0.0703125, W(0.25) = 1.5·0.015625 − 2.5·0.0625 + 1 = 0.8671875,
        // W(0.75) = 1.5·0.421875 − 2.5·0.5625 + 1 = 0.2265625, W(1.75) = 1 − the others = −0.0234375.
        float[] expected = [-0.0703125f, 0.8671875f, 0.2265625f, -0.0234375f];
        var weights = Resampling.CubicWeights(0.25f, -0.5f);
        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], weights[k], 6);
        // A 1×4 row [0, 0, 1, 0] enlarged ×2: output d samples the row at s = d/2 − 0.25.
        var y = Resampling.Bicubic(Tensor.FromArray([0f, 0f, 1f, 0f], 1, 1, 1, 4), 2).ToArray();
        Assert.Equal(16, y.Length); // [1,1,2,8]: two identical rows (a constant column stays constant)
        for (int c = 0; c < 8; c++) Assert.Equal(y[c], y[8 + c], 6);
        Assert.Equal(0.8671875f, y[4], 6); // s = 1.75: weight of the tap at 2 (offset 0.25)
        Assert.Equal(0.2265625f, y[3], 6); // s = 1.25: weight of the tap at 2 (offset 0.75)
        Assert.Equal(-0.0703125f, y[2], 6); // s = 0.75: the tap at 2 is offset 1.25 away
        Assert.Equal(0.2265625f, y[6], 6); // s = 2.75: offset 0.75 again, by symmetry
    }

    [Fact]
    public void Constants_stay_constant_and_bad_arguments_name_themselves()
    {
        var x = Tensor.Full(0.3f, 2, 1, 3, 3);
        foreach (var m in new[] { "nearest", "bilinear", "bicubic" })
            Assert.All(Resampling.Upscale(x, 4, m).ToArray(), v => Assert.Equal(0.3f, v, 5));
        Assert.Equal("factor", Assert.Throws<ArgumentException>(() => Resampling.Downsample(Tensor.Zeros(1, 1, 6, 6), 4)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentException>(() => Resampling.Upscale(x, 2, "lanczos")).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Resampling.Nearest(Tensor.Zeros(3, 3), 2)).ParamName);
    }

    private static float[] Floats(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static void AssertClose(float[] expected, Tensor actual, float tol, string what)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol, $"{what}: [{i}] {a[i]} vs OpenCV {expected[i]}");
    }
}
