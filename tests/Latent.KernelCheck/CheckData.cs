namespace Latent.KernelCheck;

/// <summary>Inputs and the bit-for-bit comparison shared by the kernel checks.</summary>
internal static class CheckData
{
    /// <summary>n floats uniform in [−scale, scale).</summary>
    public static float[] Random(Random rng, int n, float scale = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return a;
    }

    /// <summary>Same length and the same bits in every element (−0.0 ≠ 0.0, NaN payloads compared too).</summary>
    public static bool Same(float[] a, float[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) return false;
        return true;
    }
}
