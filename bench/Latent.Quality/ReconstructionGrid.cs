using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Viz.Images;

namespace Latent.Quality;

/// <summary>
/// A PNG of the first <c>count</c> test images above their reconstructions: rows of 10 originals, each followed
/// by the row of their reconstructions (Latent.Viz ImageGrid.ComposeRows).
/// </summary>
internal static class ReconstructionGrid
{
    public static void Save(IAutoencoder model, Dataset test, int count, string path, int height = 28, int width = 28)
    {
        const int perRow = 10;
        var groups = new List<Tensor>();
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < count; start += perRow)
            {
                int n = Math.Min(perRow, count - start);
                var idx = Enumerable.Range(start, n).ToArray();
                var x = test.Batch(idx).Reshape(n, height * width);
                var r = model.Reconstruct(test.Batch(idx)).Reshape(n, height * width);
                groups.Add(x);
                groups.Add(r);
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ImageGrid.ComposeRows(groups, height, width, new GridOptions { Columns = perRow, Padding = 1 }).SavePng(path);
        BenchContext.Log($"  wrote {path}");
    }
}
