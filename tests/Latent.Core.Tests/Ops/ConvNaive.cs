namespace Latent.Core.Tests.Ops;

/// <summary>
/// Direct nested-loop definitions (PyTorch's formulas, double accumulation) that the conv, pooling and
/// upsampling ops are compared with. Arrays are row-major [N,C,H,W].
/// </summary>
internal static class ConvNaive
{
    public static double[] Conv2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b, int s, int p, int d, out int[] ys)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        int ho = (h + 2 * p - d * (kh - 1) - 1) / s + 1, wo = (wd + 2 * p - d * (kw - 1) - 1) / s + 1;
        ys = [n, o, ho, wo];
        var y = new double[n * o * ho * wo];
        for (int ni = 0; ni < n; ni++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++)
                    {
                        double acc = b is null ? 0 : b[oc];
                        for (int ci = 0; ci < c; ci++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int ih = i * s - p + ki * d, iw = j * s - p + kj * d;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    acc += x[((ni * c + ci) * h + ih) * wd + iw] * w[((oc * c + ci) * kh + ki) * kw + kj];
                                }
                        y[((ni * o + oc) * ho + i) * wo + j] = acc;
                    }
        return y;
    }

    /// <summary>out[n, co, i·s − p + ki·d, j·s − p + kj·d] += x[n, ci, i, j] · w[ci, co, ki, kj] (weight [Cin,Cout,kh,kw]).</summary>
    public static double[] ConvTranspose2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b, int s, int p, int op, int d, out int[] ys)
    {
        int n = xs[0], cin = xs[1], h = xs[2], wd = xs[3], cout = ws[1], kh = ws[2], kw = ws[3];
        int ho = (h - 1) * s - 2 * p + d * (kh - 1) + op + 1, wo = (wd - 1) * s - 2 * p + d * (kw - 1) + op + 1;
        ys = [n, cout, ho, wo];
        var y = new double[n * cout * ho * wo];
        for (int ni = 0; ni < n; ni++)
            for (int co = 0; co < cout; co++)
                for (int q = 0; q < ho * wo; q++) y[(ni * cout + co) * ho * wo + q] = b is null ? 0 : b[co];
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < cin; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++)
                        for (int co = 0; co < cout; co++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int oh = i * s - p + ki * d, ow = j * s - p + kj * d;
                                    if (oh < 0 || oh >= ho || ow < 0 || ow >= wo) continue;
                                    y[((ni * cout + co) * ho + oh) * wo + ow] +=
                                        x[((ni * cin + ci) * h + i) * wd + j] * w[((ci * cout + co) * kh + ki) * kw + kj];
                                }
        return y;
    }

    public static double[] MaxPool2d(double[] x, int[] xs, int k, int s, int p, out int[] ys) => Pool(x, xs, k, s, p, max: true, out ys);

    public static double[] AvgPool2d(double[] x, int[] xs, int k, int s, int p, out int[] ys) => Pool(x, xs, k, s, p, max: false, out ys);

    private static double[] Pool(double[] x, int[] xs, int k, int s, int p, bool max, out int[] ys)
    {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1;
        ys = [n, c, ho, wo];
        var y = new double[n * c * ho * wo];
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < ho; i++)
                for (int j = 0; j < wo; j++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (int ki = 0; ki < k; ki++)
                        for (int kj = 0; kj < k; kj++)
                        {
                            int ih = i * s - p + ki, iw = j * s - p + kj;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            double v = x[(pl * h + ih) * w + iw];
                            acc = max ? Math.Max(acc, v) : acc + v;
                        }
                    y[(pl * ho + i) * wo + j] = max ? acc : acc / (k * k);
                }
        return y;
    }

    public static double[] Upsample(double[] x, int[] xs, int scale, out int[] ys)
    {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        ys = [n, c, h * scale, w * scale];
        var y = new double[x.Length * scale * scale];
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < h * scale; i++)
                for (int j = 0; j < w * scale; j++)
                    y[(pl * h * scale + i) * w * scale + j] = x[(pl * h + i / scale) * w + j / scale];
        return y;
    }
}
