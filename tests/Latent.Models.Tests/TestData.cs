using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Ae = Latent.Models.Autoencoder.Autoencoder;

namespace Latent.Models.Tests;

/// <summary>Tiny generated datasets and models shared by the tests.</summary>
internal static class TestData
{
    /// <summary>n images [1,4,4] in (0,1) generated from 3 latent factors: x = sigmoid(A z).</summary>
    public static Dataset LowRankImages(int n, ulong seed = 7)
    {
        var rng = new Rng(seed);
        var a = rng.Normal([16, 3], std: 1.5f).ToArray();
        var x = new float[n * 16];
        for (int i = 0; i < n; i++)
        {
            float z0 = rng.NextNormal(), z1 = rng.NextNormal(), z2 = rng.NextNormal();
            for (int j = 0; j < 16; j++)
            {
                float v = a[j * 3] * z0 + a[j * 3 + 1] * z1 + a[j * 3 + 2] * z2;
                x[i * 16 + j] = 1f / (1f + MathF.Exp(-v));
            }
        }
        return new Dataset("lowrank", x, [1, 4, 4]);
    }

    public static Ae SmallAe(ulong seed = 1, string arch = "16-8-3") =>
        new(new AutoencoderOptions { Architecture = arch }, [1, 4, 4], new Rng(seed));

    public static float[] Weights(Latent.NN.Module m) => m.StateDict().SelectMany(p => p.Tensor.ToArray()).ToArray();

    /// <summary>A new empty folder, removed when the test process exits.</summary>
    public static string TempDir() => Latent.Tests.TestTempRoot.NewDir("latent-models-tests");

    /// <summary>Reports delivered synchronously (Progress&lt;T&gt; would post them to a thread pool).</summary>
    public sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
    {
        public void Report(T value) => onReport(value);
    }
}
