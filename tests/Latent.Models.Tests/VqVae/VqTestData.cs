using Latent.Core;
using Latent.Data;
using Latent.Models.VqVae;
using VqModel = Latent.Models.VqVae.VqVae;

namespace Latent.Models.Tests.VqVae;

/// <summary>Tiny images and models for the VQ family's tests.</summary>
internal static class VqTestData
{
    /// <summary>n images [1,8,8]: one of four bar/block patterns per 4×4 quadrant, plus a little noise; labels = pattern of quadrant 0.</summary>
    public static Dataset Patterns(int n, ulong seed = 5, int size = 8)
    {
        var rng = new Rng(seed);
        var x = new float[n * size * size];
        var labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++)
        {
            for (int q = 0; q < 4; q++)
            {
                int pattern = rng.NextInt(4);
                if (q == 0) labels[i] = pattern;
                int r0 = (q / 2) * half, c0 = (q % 2) * half;
                for (int r = 0; r < half; r++)
                    for (int c = 0; c < half; c++)
                    {
                        bool on = pattern switch { 0 => r < half / 2, 1 => c < half / 2, 2 => (r + c) % 2 == 0, _ => false };
                        x[i * size * size + (r0 + r) * size + c0 + c] = (on ? 0.9f : 0.1f) + 0.05f * rng.NextNormal();
                    }
            }
        }
        return new Dataset("patterns", x, [1, size, size], labels);
    }

    public static VqVaeOptions SmallOptions(bool ema = false, int restart = 0) => new()
    {
        CodebookSize = 8, EmbeddingDim = 4, Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, Ema = ema, RestartAfter = restart,
        PriorLayers = 2, PriorChannels = 8, PriorKernel = 3,
    };

    public static VqModel Small(bool ema = false, int restart = 0, ulong seed = 1) => new(SmallOptions(ema, restart), [1, 8, 8], new Rng(seed));

    public static Tensor Batch(Dataset d, int n) => d.Batch(Enumerable.Range(0, n).ToArray());
}
