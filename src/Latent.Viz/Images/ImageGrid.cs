using Latent.Core;
using Latent.Viz.Png;

namespace Latent.Viz.Images;

/// <summary>
/// Tiles a batch of images into one picture: a grid of <see cref="GridOptions.Columns"/> columns, or a
/// "rows" layout where each group (originals, reconstructions, samples at each epoch...) starts a new row.
/// Values are expected in [0, 1]; they are clamped and rounded (<see cref="PngEncoder.ToByte"/>).
/// Captions belong in the HTML report, not in the pixels — except the name of each group of a labelled grid
/// (<see cref="ComposeLabelledRows"/>: a class name at the left of its row of samples), drawn with <see cref="BitmapFont"/>.
/// </summary>
public static class ImageGrid
{
    /// <summary>Tiles <paramref name="images"/>, shaped <c>[N, C, H, W]</c> (C = 1 or 3) or <c>[N, H, W]</c>, row by row.</summary>
    public static Raster Compose(Tensor images, GridOptions? options = null) =>
        ComposeRows([images], options);

    /// <summary>Tiles flattened images <c>[N, C·H·W]</c> (C = 1 or 3, e.g. MNIST rows <c>[N, 784]</c>) of the given size.</summary>
    public static Raster Compose(Tensor images, int height, int width, GridOptions? options = null) =>
        ComposeRows([images], height, width, options);

    /// <summary>
    /// Tiles several groups, each starting on a new row and wrapping at <see cref="GridOptions.Columns"/>:
    /// e.g. <c>[originals, reconstructions]</c> gives originals on top and reconstructions below.
    /// Every group is <c>[N, C, H, W]</c> or <c>[N, H, W]</c> with the same H and W (N and C may differ).
    /// </summary>
    public static Raster ComposeRows(IReadOnlyList<Tensor> groups, GridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Layout(groups.Select((g, i) => Describe(g, i, null, null)).ToList(), options ?? new GridOptions());
    }

    /// <summary>As <see cref="ComposeRows(IReadOnlyList{Tensor}, GridOptions?)"/> for flattened groups <c>[N, C·H·W]</c>.</summary>
    public static Raster ComposeRows(IReadOnlyList<Tensor> groups, int height, int width, GridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"ImageGrid: image size {height}×{width} must be positive");
        return Layout(groups.Select((g, i) => Describe(g, i, height, width)).ToList(), options ?? new GridOptions());
    }

    /// <summary>
    /// <see cref="ComposeRows(IReadOnlyList{Tensor}, GridOptions?)"/> with <paramref name="labels"/>[i] written at the left
    /// of group i's first row (black, <see cref="BitmapFont"/> at a scale that fits the row), in a margin as wide as the
    /// longest label.
    /// </summary>
    public static Raster ComposeLabelledRows(IReadOnlyList<Tensor> groups, IReadOnlyList<string> labels, GridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != groups.Count)
            throw new ArgumentException($"ImageGrid: {labels.Count} labels for {groups.Count} groups", nameof(labels));
        return Layout(groups.Select((g, i) => Describe(g, i, null, null)).ToList(), options ?? new GridOptions(), labels);
    }

    private readonly record struct Group(Tensor Tensor, int N, int C, int H, int W);

    private static Group Describe(Tensor t, int index, int? height, int? width)
    {
        ArgumentNullException.ThrowIfNull(t);
        var s = t.Shape;
        string where = $"ImageGrid: group {index} {Shapes.Format(s)}";
        Group g;
        if (height is { } h && width is { } w)
        {
            if (s.Length != 2) throw new ArgumentException($"{where}: expected [N, C*H*W] with H={h}, W={w}", nameof(t));
            if (s[1] != h * w && s[1] != 3 * h * w)
                throw new ArgumentException($"{where}: row length {s[1]} is neither {h}*{w} nor 3*{h}*{w}", nameof(t));
            g = new Group(t, s[0], s[1] / (h * w), h, w);
        }
        else
        {
            g = s.Length switch
            {
                3 => new Group(t, s[0], 1, s[1], s[2]),
                4 => new Group(t, s[0], s[1], s[2], s[3]),
                _ => throw new ArgumentException($"{where}: expected [N, C, H, W] or [N, H, W]", nameof(t)),
            };
            if (g.C is not (1 or 3)) throw new ArgumentException($"{where}: C must be 1 or 3, got {g.C}", nameof(t));
        }
        if (g.N < 1) throw new ArgumentException($"{where}: no images", nameof(t));
        if (g.H < 1 || g.W < 1) throw new ArgumentException($"{where}: empty images", nameof(t));
        return g;
    }

    private static Raster Layout(List<Group> groups, GridOptions o, IReadOnlyList<string>? labels = null)
    {
        o.Validate();
        if (groups.Count == 0) throw new ArgumentException("ImageGrid: no groups", nameof(groups));
        int h = groups[0].H, w = groups[0].W;
        foreach (var g in groups)
            if (g.H != h || g.W != w)
                throw new ArgumentException($"ImageGrid: images are {g.H}×{g.W} in one group and {h}×{w} in another", nameof(groups));

        int cols = Math.Min(o.Columns, groups.Max(g => g.N));
        int rows = groups.Sum(g => (g.N + cols - 1) / cols);
        int cellW = checked(w * o.Scale), cellH = checked(h * o.Scale);
        // Labels: font pixels of about a quarter of the row height, in a left margin: the padding, the longest label and
        // one character's space before the images.
        int fontScale = Math.Max(1, cellH / (4 * BitmapFont.GlyphHeight));
        int margin = labels is null ? 0 : o.Padding + labels.Max(l => BitmapFont.MeasureWidth(l, fontScale)) + BitmapFont.Advance * fontScale;
        int width = checked(margin + o.Padding + cols * (cellW + o.Padding));
        int height = checked(o.Padding + rows * (cellH + o.Padding));
        bool colour = !o.Background.IsGrey || groups.Any(g => g.C == 3);
        var r = new Raster(width, height, colour ? 3 : 1);
        r.Fill(o.Background);

        int row = 0;
        foreach (var (g, index) in groups.Select((g, i) => (g, i)))
        {
            var data = g.Tensor.Span;
            int plane = h * w;
            if (labels is not null)
            {
                int top = o.Padding + row * (cellH + o.Padding) + (cellH - BitmapFont.GlyphHeight * fontScale) / 2;
                BitmapFont.Draw(r, labels[index], o.Padding, top, o.Background.IsGrey && o.Background.R < 128 ? Rgb.White : Rgb.Black, fontScale);
            }
            for (int n = 0; n < g.N; n++)
            {
                int x0 = margin + o.Padding + (n % cols) * (cellW + o.Padding);
                int y0 = o.Padding + (row + n / cols) * (cellH + o.Padding);
                var img = data.Slice(n * g.C * plane, g.C * plane);
                for (int y = 0; y < cellH; y++)
                for (int x = 0; x < cellW; x++)
                {
                    int src = (y / o.Scale) * w + x / o.Scale;
                    int dst = ((y0 + y) * width + x0 + x) * r.Channels;
                    for (int c = 0; c < r.Channels; c++)
                        r.Pixels[dst + c] = PngEncoder.ToByte(img[(g.C == 1 ? 0 : c) * plane + src]);
                }
            }
            row += (g.N + cols - 1) / cols;
        }
        return r;
    }
}
