namespace Latent.Models.Inpainting;

/// <summary>
/// The fast marching method (Sethian 1996) on a pixel grid, as both classical inpainting methods use it: the hole is
/// filled from its boundary inwards in order of the distance T to the boundary, solving |∇T| = 1 with the
/// upwind quadratic update on 4-neighbours. Each hole pixel is handed to a callback the moment its T is known, so a
/// pixel is filled only from pixels that are known or were filled before it.
/// </summary>
internal sealed class FastMarching
{
    internal const byte Known = 0, Band = 1, Inside = 2;

    private readonly int _h, _w;

    /// <summary>Flags Known / Band / Inside for every pixel [H·W].</summary>
    public byte[] State { get; }

    /// <summary>Distance to the hole's boundary [H·W]: positive inside the hole, 0 on the band, −distance on known pixels near it (up to the given radius), 0 elsewhere.</summary>
    public float[] T { get; }

    public FastMarching(ReadOnlySpan<bool> hole, int height, int width, int outsideRadius)
    {
        _h = height;
        _w = width;
        State = new byte[height * width];
        T = new float[height * width];
        for (int p = 0; p < hole.Length; p++)
        {
            State[p] = hole[p] ? Inside : Known;
            T[p] = hole[p] ? float.MaxValue : 0;
        }
        if (outsideRadius > 0) MarchOutside(outsideRadius);
    }

    /// <summary>Marches into the hole, calling <paramref name="fill"/>(pixel) for each hole pixel as soon as its T is set.</summary>
    public void MarchInside(Action<int> fill)
    {
        var heap = new PriorityQueue<int, (float T, long Order)>();
        long order = 0;
        foreach (int p in Boundary())
        {
            State[p] = Band;
            heap.Enqueue(p, (0f, order++));
        }
        while (heap.TryDequeue(out int p, out _))
        {
            State[p] = Known;
            foreach (int q in Neighbours(p))
            {
                if (State[q] != Inside) continue;
                T[q] = Solve(q);
                fill(q);
                State[q] = Band;
                heap.Enqueue(q, (T[q], order++));
            }
        }
    }

    /// <summary>
    /// The derivative of <paramref name="v"/> [H·W] at (y, x) along (dy, dx) from pixels outside the unfilled hole: the
    /// central difference where both neighbours are usable, the one-sided one where one is, else 0.
    /// </summary>
    public float Gradient(float[] v, int y, int x, int dy, int dx)
    {
        bool plus = Usable(y + dy, x + dx), minus = Usable(y - dy, x - dx);
        int p = y * _w + x;
        if (plus && minus) return (v[p + dy * _w + dx] - v[p - dy * _w - dx]) * 0.5f;
        if (plus) return v[p + dy * _w + dx] - v[p];
        if (minus) return v[p] - v[p - dy * _w - dx];
        return 0;
    }

    private bool Usable(int y, int x) => y >= 0 && x >= 0 && y < _h && x < _w && State[y * _w + x] != Inside;

    /// <summary>Known pixels 4-adjacent to the hole, in raster order.</summary>
    private List<int> Boundary()
    {
        var band = new List<int>();
        for (int p = 0; p < State.Length; p++)
        {
            if (State[p] == Inside) continue;
            foreach (int q in Neighbours(p))
                if (State[q] == Inside) { band.Add(p); break; }
        }
        return band;
    }

    /// <summary>
    /// T = −(distance to the hole) on known pixels within <paramref name="radius"/> of it, by marching outwards from the
    /// boundary, so that T and its gradient are continuous across the boundary (Telea 2004, §3.2).
    /// </summary>
    private void MarchOutside(int radius)
    {
        var saved = (byte[])State.Clone();
        // Outwards, the known pixels are "inside" the region to march through and the hole is frozen.
        for (int p = 0; p < State.Length; p++)
        {
            State[p] = saved[p] == Inside ? Known : Inside;
            if (saved[p] != Inside) T[p] = float.MaxValue;
        }
        var heap = new PriorityQueue<int, (float T, long Order)>();
        long order = 0;
        for (int p = 0; p < State.Length; p++)
        {
            if (saved[p] == Inside) continue;
            foreach (int q in Neighbours(p))
                if (saved[q] == Inside) { State[p] = Band; T[p] = 0; heap.Enqueue(p, (0f, order++)); break; }
        }
        while (heap.TryDequeue(out int p, out _))
        {
            State[p] = Known;
            if (T[p] > radius) continue;
            foreach (int q in Neighbours(p))
            {
                if (State[q] != Inside) continue;
                T[q] = Solve(q);
                State[q] = Band;
                heap.Enqueue(q, (T[q], order++));
            }
        }
        for (int p = 0; p < State.Length; p++)
        {
            if (saved[p] == Inside) { T[p] = float.MaxValue; continue; }
            T[p] = T[p] == float.MaxValue ? 0 : -T[p];
        }
        Array.Copy(saved, State, State.Length);
    }

    /// <summary>The upwind solution of |∇T| = 1 at <paramref name="p"/> from its not-Inside neighbours (the smallest over the four quadrants).</summary>
    private float Solve(int p)
    {
        int y = p / _w, x = p % _w;
        float best = float.MaxValue;
        foreach (int dy in (ReadOnlySpan<int>)[-1, 1])
        foreach (int dx in (ReadOnlySpan<int>)[-1, 1])
        {
            float a = Value(y + dy, x), b = Value(y, x + dx);
            float t;
            if (a < float.MaxValue && b < float.MaxValue)
                t = Math.Abs(a - b) >= 1 ? 1 + Math.Min(a, b) : (float)((a + b + Math.Sqrt(2 - (a - b) * (a - b))) * 0.5);
            else if (a < float.MaxValue) t = 1 + a;
            else if (b < float.MaxValue) t = 1 + b;
            else continue;
            best = Math.Min(best, t);
        }
        return best;
    }

    /// <summary>T of a pixel that is not Inside, or MaxValue (outside the image or still unknown).</summary>
    private float Value(int y, int x)
    {
        if (y < 0 || x < 0 || y >= _h || x >= _w) return float.MaxValue;
        int p = y * _w + x;
        return State[p] == Inside ? float.MaxValue : T[p];
    }

    internal IEnumerable<int> Neighbours(int p)
    {
        int y = p / _w, x = p % _w;
        if (y > 0) yield return p - _w;
        if (x > 0) yield return p - 1;
        if (y + 1 < _h) yield return p + _w;
        if (x + 1 < _w) yield return p + 1;
    }
}
