namespace Latent.Data.Generated;

/// <summary>
/// Sequences from <see cref="MovingSprites.Generate"/>: <see cref="Sequences"/> has samples [Frames, 1, Size, Size]
/// (a batch is [B, Frames, 1, Size, Size]) with labels = shape and factors shape/scale/orientation; the true centre
/// of the sprite in every frame is in <see cref="Positions"/>.
/// </summary>
public sealed class MovingSpritesData
{
    internal MovingSpritesData(Dataset sequences, int frames, int size, float[] positions, float[] velocities)
    {
        Sequences = sequences;
        Frames = frames;
        Size = size;
        Positions = positions;
        Velocities = velocities;
    }

    /// <summary>The sequences as a dataset: sample shape [Frames, 1, Size, Size].</summary>
    public Dataset Sequences { get; }

    /// <summary>Number of sequences.</summary>
    public int Count => Sequences.Count;

    /// <summary>Frames per sequence.</summary>
    public int Frames { get; }

    /// <summary>Image side in pixels.</summary>
    public int Size { get; }

    /// <summary>True sprite centres in pixels, [Count, Frames, 2] row-major as (x, y).</summary>
    public float[] Positions { get; }

    /// <summary>Initial velocity in pixels per frame, [Count, 2] as (vx, vy); the sign flips at each bounce.</summary>
    public float[] Velocities { get; }

    /// <summary>The (x, y) centre of sequence <paramref name="index"/> at frame <paramref name="frame"/>.</summary>
    public (float X, float Y) Position(int index, int frame)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"Position: sequence {index} outside 0..{Count - 1}");
        if ((uint)frame >= (uint)Frames) throw new ArgumentOutOfRangeException(nameof(frame), $"Position: frame {frame} outside 0..{Frames - 1}");
        int k = (index * Frames + frame) * 2;
        return (Positions[k], Positions[k + 1]);
    }
}
