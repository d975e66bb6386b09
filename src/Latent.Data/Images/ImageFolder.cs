namespace Latent.Data.Images;

/// <summary>
/// Loads a folder of images as a dataset [C, H, W] in [0, 1]: PNG (<see cref="PngDecoder"/>), JPEG and BMP
/// (<see cref="RasterDecoder"/>), found recursively and taken in ordinal path order; with
/// <see cref="ImageFolderOptions.LabelsFromSubfolders"/> each immediate sub-folder is a class. Any other file (hidden
/// files, whose names start with '.', excepted) is an error naming it, not silently skipped.
/// </summary>
public static class ImageFolder
{
    /// <summary>The class names (sorted sub-folder names) that label indices refer to.</summary>
    public static string[] ClassNames(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The file extensions read (lower case): .png, .jpg, .jpeg, .bmp.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>Decodes one image file by its extension (PNG, JPEG or BMP); DatasetFormatException naming it otherwise.</summary>
    public static ImageData DecodeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => PngDecoder.Decode(path),
            ".jpg" or ".jpeg" or ".bmp" => RasterDecoder.Decode(path),
            var ext => throw new DatasetFormatException(path, $"unsupported image type '{ext}' (expected {string.Join(", ", Extensions)})"),
        };
    }

    /// <summary>Loads every PNG, JPEG and BMP file under <paramref name="folder"/>.</summary>
    public static Dataset Load(string folder, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new ImageFolderOptions();
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"image folder not found: {Path.GetFullPath(folder)}");
        if (options.Width is <= 0 || options.Height is <= 0 || (options.Width is null) != (options.Height is null))
            throw new ArgumentException($"ImageFolder: size {options.Width}x{options.Height}: give both width and height, positive, or neither", nameof(options));

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var f in files)
            if (!Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                throw new DatasetFormatException(f, $"unsupported file type '{Path.GetExtension(f)}' in an image folder (expected {string.Join(", ", Extensions)}; remove or move the file)");
        if (files.Count == 0)
            throw new DatasetFormatException(folder, $"no image files ({string.Join(", ", Extensions)}) found in the folder or its sub-folders");

        string[] classes = options.LabelsFromSubfolders ? ClassNames(folder) : [];
        int[]? labels = options.LabelsFromSubfolders ? new int[files.Count] : null;
        int channels = options.Color == ColorMode.Gray ? 1 : 3;
        int w = options.Width ?? 0, h = options.Height ?? 0;
        float[]? x = null;
        for (int i = 0; i < files.Count; i++)
        {
            var img = ImageOps.Convert(DecodeFile(files[i]), options.Color);
            if (options.Width is null)
            {
                if (i == 0) { w = img.Width; h = img.Height; }
                else if (img.Width != w || img.Height != h)
                    throw new DatasetFormatException(files[i], $"image is {img.Width}x{img.Height}, expected {w}x{h} like {files[0]}: resize them all with --image-size N (ImageFolderOptions.Width and Height)");
            }
            else img = ImageOps.ResizeAndCrop(img, w, h, options.Resize);
            if (x is null)
            {
                long total = (long)files.Count * channels * w * h * sizeof(float);
                if (total > Latent.Core.IO.InputLimits.MaxInputBytes)
                    throw new DatasetFormatException(folder, $"{files.Count} images of {channels}x{h}x{w} need {Latent.Core.IO.InputLimits.Format(total)} of float32 values, over {Latent.Core.IO.InputLimits.Describe()}");
                x = new float[total / sizeof(float)];
            }
            img.ToChw().CopyTo(x, (long)i * channels * w * h);

            if (labels is not null)
            {
                var rel = Path.GetRelativePath(folder, files[i]);
                int sep = rel.IndexOfAny(['/', '\\']);
                if (sep < 0)
                    throw new DatasetFormatException(files[i], "labels come from sub-folder names, but this file is not in a sub-folder");
                labels[i] = Array.BinarySearch(classes, rel[..sep], StringComparer.Ordinal);
            }
        }
        var ds = new Dataset(Path.GetFullPath(folder), x!, [channels, h, w], labels);
        return ds.WithDescription($"{files.Count} images from {Path.GetFullPath(folder)} as {options.Color} {w}x{h}"
            + (labels is null ? "" : $", classes: {string.Join(", ", classes)}"));
    }
}
