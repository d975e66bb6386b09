using Latent.Data.Images;

namespace Latent.Data.Tests.Images;

public class ImageFolderTests
{
    [Fact]
    public void Loads_gray_with_labels_from_sub_folders_and_resizes()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(Path.Combine(dir.Sub("cat"), "a.png"), PngTestEncoder.Encode(8, 8, 0, 8, (_, _, _) => 255));
        File.WriteAllBytes(Path.Combine(dir.Sub("cat"), "b.PNG"), PngTestEncoder.Encode(16, 8, 2, 8, (_, _, s) => s == 0 ? 255 : 0));
        File.WriteAllBytes(Path.Combine(dir.Sub("ant"), "c.png"), PngTestEncoder.Encode(4, 4, 6, 8, (_, _, s) => s == 3 ? 0 : 255));

        var ds = ImageFolder.Load(dir.Path, new ImageFolderOptions { Width = 4, Height = 4, LabelsFromSubfolders = true });

        Assert.Equal(["ant", "cat"], ImageFolder.ClassNames(dir.Path));
        Assert.Equal(3, ds.Count);
        Assert.Equal([1, 4, 4], ds.SampleShape);
        Assert.Equal([0, 1, 1], ds.Labels!);                      // ant/c, cat/a, cat/b (ordinal path order)
        Assert.All(ds.X.Take(16), v => Assert.Equal(0f, v));       // transparent white on black
        Assert.All(ds.X.Skip(16).Take(16), v => Assert.Equal(1f, v, 6));
        Assert.All(ds.X.Skip(32), v => Assert.Equal(0.299f, v, 5)); // pure red, 16x8 cropped to 8x8 then 4x4
    }

    [Fact]
    public void Rgb_keeps_native_size_and_mixed_sizes_without_a_target_are_an_error()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("1.png"), PngTestEncoder.Encode(3, 2, 0, 8, (x, _, _) => x * 100));
        var ds = ImageFolder.Load(dir.Path, new ImageFolderOptions { Color = ColorMode.Rgb });
        Assert.Equal([3, 2, 3], ds.SampleShape);
        Assert.Equal(100 / 255f, ds.X[1], 6);            // R plane, pixel (0,1)
        Assert.Equal(100 / 255f, ds.X[6 + 1], 6);        // G plane
        Assert.Null(ds.Labels);

        File.WriteAllBytes(dir.File("2.png"), PngTestEncoder.Encode(4, 2, 0, 8, (x, _, _) => x));
        var e = Assert.Throws<DatasetFormatException>(() => ImageFolder.Load(dir.Path));
        Assert.Contains("image is 4x2, expected 3x2", e.Message);
        Assert.StartsWith(dir.File("2.png"), e.Message);
    }

    [Fact]
    public void Labels_need_sub_folders_and_empty_folders_are_errors()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DatasetFormatException>(() => ImageFolder.Load(dir.Path));
        Assert.Contains("no image files", e.Message);
        File.WriteAllBytes(dir.File("1.png"), PngTestEncoder.Encode(2, 2, 0, 8, (_, _, _) => 0));
        e = Assert.Throws<DatasetFormatException>(() => ImageFolder.Load(dir.Path, new ImageFolderOptions { LabelsFromSubfolders = true }));
        Assert.Contains("not in a sub-folder", e.Message);
    }

    [Fact]
    public void Jpeg_and_bmp_files_load_beside_png_and_other_files_are_errors_naming_them()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("a.png"), PngTestEncoder.Encode(12, 10, 0, 8, (x, _, _) => 20 * x));
        File.WriteAllBytes(dir.File("b.JPG"), RasterDecoderTests.BaselineJpeg(12, 10, (x, _) => (byte)(20 * x)));
        File.WriteAllBytes(dir.File("c.bmp"), RasterDecoderTests.Bmp(12, 10, (x, _) => ((byte)(20 * x), (byte)(20 * x), (byte)(20 * x))));
        File.WriteAllText(dir.File(".hidden"), "ignored");
        var ds = ImageFolder.Load(dir.Path);
        Assert.Equal(3, ds.Count);
        Assert.Equal([1, 10, 12], ds.SampleShape);
        for (int i = 0; i < 3; i++) Assert.InRange(Math.Abs(ds.X[i * 120 + 5] - 100 / 255f), 0, 4 / 255f);

        File.WriteAllText(dir.File("notes.txt"), "not an image");
        var e = Assert.Throws<DatasetFormatException>(() => ImageFolder.Load(dir.Path));
        Assert.StartsWith(dir.File("notes.txt"), e.Message);
        Assert.Contains("unsupported file type '.txt'", e.Message);
    }
}
