using System.Text;

namespace Latent.Distributed.Tests;

/// <summary>Writes float32 .npy files (format 1.0, C order) for the tests that read their rows on demand.</summary>
internal static class NpyFile
{
    /// <summary>Writes <paramref name="values"/> [N·D] as a '&lt;f4' array of shape [N, D] to <paramref name="path"/>.</summary>
    public static void Write(string path, float[] values, int rows)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {values.Length / rows}), }}";
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 11) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        foreach (var v in values) f.Write(BitConverter.GetBytes(v));
    }

    /// <summary>
    /// <paramref name="rows"/> samples of <paramref name="width"/> values in [0, 1] with structure an autoencoder can
    /// learn (each row a mix of a few fixed patterns), from a fixed seed.
    /// </summary>
    public static float[] Patterns(int rows, int width, int seed)
    {
        var rng = new Random(seed);
        var patterns = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, width).Select(_ => rng.NextSingle()).ToArray()).ToArray();
        var x = new float[rows * width];
        for (int i = 0; i < rows; i++)
        {
            float a = rng.NextSingle(), b = rng.NextSingle();
            var p = patterns[i % 4];
            var q = patterns[(i / 4) % 4];
            for (int j = 0; j < width; j++) x[i * width + j] = Math.Clamp(0.6f * a * p[j] + 0.4f * b * q[j], 0f, 1f);
        }
        return x;
    }
}
