using Latent.Core;
using Latent.Data.Generated;

namespace Latent.Models.TdVae;

/// <summary>
/// Evidence for TD-VAE's claim (Gregor et al. 2019, §5): from a belief formed on observed frames it predicts frames k
/// steps ahead directly ("jumpy"), which a model that only copies the last frame cannot do on moving sprites.
/// </summary>
public static class TdVaeEvaluation
{
    /// <summary>
    /// Observes the first <paramref name="observed"/> frames of every sequence of <paramref name="data"/>, predicts frame
    /// observed − 1 + k for k = 1..<paramref name="maxAhead"/> with <see cref="TdVae.PredictAhead"/> (one jump when k ≤ MaxJump),
    /// and scores the prediction and the copy-the-last-frame baseline by the intensity centroid's distance to the true
    /// sprite centre (<see cref="MovingSpritesData.Positions"/>), by the centroid of the bright part
    /// (<see cref="PeakCentroid"/>, blind to background haze) and by pixel MSE. Model and copy frames go through the same
    /// centroid functions. By default the prediction follows the means (z = μ_B(b_last), then z ← μ_T(z, δ)): a point
    /// prediction, independent of <paramref name="rng"/>; <paramref name="sample"/> scores one sampled rollout instead.
    /// Only frames 0..observed−1 reach the model.
    /// </summary>
    public static TdVaeJumpyReport JumpyPrediction(TdVae model, MovingSpritesData data, int observed, int maxAhead, Rng rng, int batchSize = 128, bool sample = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckArguments(model, data, observed, maxAhead, nameof(maxAhead));
        if (batchSize < 1) throw new ArgumentException($"td-vae: batch size {batchSize} must be >= 1", nameof(batchSize));

        int size = data.Size, per = size * size;
        var mPos = new double[maxAhead];
        var cPos = new double[maxAhead];
        var mMse = new double[maxAhead];
        var cMse = new double[maxAhead];
        var mPeak = new double[maxAhead];
        var cPeak = new double[maxAhead];
        using var _ = Tensor.NoGrad();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            var x = data.Sequences.Batch(Enumerable.Range(start, n).ToArray()); // [n, T, 1, S, S]
            var seen = x.Narrow(1, 0, observed);
            var last = x.Narrow(1, observed - 1, 1).Reshape(n, per).Clone().ToArray();
            for (int k = 1; k <= maxAhead; k++)
            {
                int t = observed - 1 + k;
                var pred = model.PredictAhead(seen, k, rng, sample).Reshape(n, per).Clone().ToArray();
                var truth = x.Narrow(1, t, 1).Reshape(n, per).Clone().ToArray();
                for (int i = 0; i < n; i++)
                {
                    var (px, py) = data.Position(start + i, t);
                    var p = pred.AsSpan(i * per, per);
                    var c = last.AsSpan(i * per, per);
                    var g = truth.AsSpan(i * per, per);
                    mPos[k - 1] += Distance(Centroid(p, size), px, py);
                    cPos[k - 1] += Distance(Centroid(c, size), px, py);
                    mPeak[k - 1] += Distance(PeakCentroid(p, size), px, py);
                    cPeak[k - 1] += Distance(PeakCentroid(c, size), px, py);
                    mMse[k - 1] += Mse(p, g);
                    cMse[k - 1] += Mse(c, g);
                }
            }
        }
        for (int k = 0; k < maxAhead; k++)
        {
            mPos[k] /= data.Count; cPos[k] /= data.Count; mMse[k] /= data.Count; cMse[k] /= data.Count;
            mPeak[k] /= data.Count; cPeak[k] /= data.Count;
        }
        return new TdVaeJumpyReport(data.Count, observed, Enumerable.Range(1, maxAhead).ToArray(), mPos, cPos, mMse, cMse, mPeak, cPeak);
    }

    /// <summary>
    /// Does the predicted motion follow the true one? After <paramref name="observed"/> frames, the displacement the model
    /// predicts <paramref name="ahead"/> steps on — bright-part centroid (<see cref="PeakCentroid"/>) of
    /// <see cref="TdVae.PredictAhead"/>(k) minus that of the filtering reconstruction PredictAhead(0), both with the means —
    /// is compared with the true displacement of the sprite centre: the mean cosine between the two over the sequences
    /// (1: always the right direction; 0: unrelated, e.g. a model that predicts no motion). Sequences whose predicted or
    /// true displacement is under 0.05 px count as 0.
    /// </summary>
    public static double MotionAgreement(TdVae model, MovingSpritesData data, int observed, int ahead)
    {
        CheckArguments(model, data, observed, ahead, nameof(ahead));
        int size = data.Size, per = size * size, n = data.Count;
        using var _ = Tensor.NoGrad();
        var seen = data.Sequences.Batch(Enumerable.Range(0, n).ToArray()).Narrow(1, 0, observed);
        var rng = new Rng(0); // unused: the means
        var now = model.PredictAhead(seen, 0, rng, sample: false).Reshape(n, per).Clone().ToArray();
        var later = model.PredictAhead(seen, ahead, rng, sample: false).Reshape(n, per).Clone().ToArray();
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            var (ax, ay) = PeakCentroid(now.AsSpan(i * per, per), size);
            var (bx, by) = PeakCentroid(later.AsSpan(i * per, per), size);
            var (px, py) = data.Position(i, observed - 1);
            var (qx, qy) = data.Position(i, observed - 1 + ahead);
            double dx = bx - ax, dy = by - ay, tx = qx - px, ty = qy - py;
            double nm = Math.Sqrt(dx * dx + dy * dy), nt = Math.Sqrt(tx * tx + ty * ty);
            if (nm >= 0.05 && nt >= 0.05) sum += (dx * tx + dy * ty) / (nm * nt);
        }
        return sum / n;
    }

    /// <summary>
    /// The intensity-weighted centre (x, y) in pixels of a frame [size·size], with pixel (col, row) centred at
    /// (col + ½, row + ½) as <see cref="Sprites.Render"/> draws; the image centre for a blank frame.
    /// </summary>
    public static (double X, double Y) Centroid(ReadOnlySpan<float> frame, int size) => WeightedCentroid(frame, size, 0f);

    /// <summary>
    /// The centroid of the frame's bright part: weights max(0, v − ½·max v), so a faint haze over the background (a
    /// blurred prediction's soft Bernoulli means) does not pull the centre toward the image centre. On a rendered sprite
    /// (max 1) it keeps the pixels more than half covered. The image centre for a blank frame.
    /// </summary>
    public static (double X, double Y) PeakCentroid(ReadOnlySpan<float> frame, int size)
    {
        float peak = 0f;
        for (int i = 0; i < size * size; i++) peak = Math.Max(peak, frame[i]);
        return WeightedCentroid(frame, size, 0.5f * peak);
    }

    // The centre of the weights max(0, v − floor), pixel (col, row) at (col + ½, row + ½); the image centre when they vanish.
    private static (double X, double Y) WeightedCentroid(ReadOnlySpan<float> frame, int size, float floor)
    {
        double w = 0, sx = 0, sy = 0;
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                double v = Math.Max(0f, frame[r * size + c] - floor);
                w += v; sx += v * (c + 0.5); sy += v * (r + 0.5);
            }
        }
        return w > 1e-9 ? (sx / w, sy / w) : (size / 2.0, size / 2.0);
    }

    // The checks both evaluations share; the messages name the argument.
    private static void CheckArguments(TdVae model, MovingSpritesData data, int observed, int ahead, string aheadName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (observed < 1) throw new ArgumentException($"td-vae: observed {observed} must be >= 1", nameof(observed));
        if (ahead < 1 || observed + ahead > data.Frames)
            throw new ArgumentException($"td-vae: observed {observed} + ahead {ahead} exceeds the {data.Frames} frames per sequence", aheadName);
        if (!Shapes.Equal(model.FrameShape, [1, data.Size, data.Size]))
            throw new ArgumentException($"td-vae: model frames {Shapes.Format(model.FrameShape)} do not match the data's [1,{data.Size},{data.Size}]", nameof(data));
        if (data.Count == 0) throw new ArgumentException("td-vae: no sequences to evaluate", nameof(data));
    }

    private static double Distance((double X, double Y) a, float x, float y) => Math.Sqrt((a.X - x) * (a.X - x) + (a.Y - y) * (a.Y - y));

    private static double Mse(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; s += d * d; }
        return s / a.Length;
    }
}
