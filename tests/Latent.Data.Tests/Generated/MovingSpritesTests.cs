using Latent.Data.Generated;

namespace Latent.Data.Tests.Generated;

public class MovingSpritesTests
{
    [Fact]
    public void Shapes_and_determinism()
    {
        var a = MovingSprites.Generate(4, 10, 32, seed: 9);
        var b = MovingSprites.Generate(4, 10, 32, seed: 9);
        Assert.Equal([10, 1, 32, 32], a.Sequences.SampleShape);
        Assert.Equal([4, 10, 1, 32, 32], a.Sequences.Batch([0, 1, 2, 3]).Shape);
        Assert.Equal(a.Sequences.X, b.Sequences.X);
        Assert.Equal(a.Positions, b.Positions);
        Assert.Equal(4 * 10 * 2, a.Positions.Length);
        Assert.Equal(["shape", "scale", "orientation"], a.Sequences.FactorNames!);
    }

    [Fact]
    public void Constant_speed_with_bounces_inside_the_frame()
    {
        var m = MovingSprites.Generate(20, 60, 32, seed: 2);
        int bounces = 0;
        for (int i = 0; i < m.Count; i++)
        {
            float vx = Math.Abs(m.Velocities[2 * i]), vy = Math.Abs(m.Velocities[2 * i + 1]);
            for (int t = 1; t < m.Frames; t++)
            {
                var (x0, y0) = m.Position(i, t - 1);
                var (x1, y1) = m.Position(i, t);
                float dx = Math.Abs(x1 - x0), dy = Math.Abs(y1 - y0);
                // Without a bounce the step equals the speed; with one it is shorter (reflected at the wall).
                Assert.True(dx <= vx + 1e-4f && dy <= vy + 1e-4f);
                if (dx < vx - 1e-3f || dy < vy - 1e-3f) bounces++;
                Assert.InRange(x1, 0f, 32f);
                Assert.InRange(y1, 0f, 32f);
            }
        }
        Assert.True(bounces > 0);
    }

    [Fact]
    public void Rendered_frames_follow_the_true_positions()
    {
        var m = MovingSprites.Generate(6, 12, 32, seed: 4);
        for (int i = 0; i < m.Count; i++)
            for (int t = 0; t < m.Frames; t++)
            {
                var img = m.Sequences.X.AsSpan((i * m.Frames + t) * 1024, 1024);
                double mass = 0, mx = 0;
                for (int k = 0; k < 1024; k++) { mass += img[k]; mx += img[k] * (k % 32 + 0.5); }
                Assert.True(mass > 5);
                Assert.InRange(mx / mass - m.Position(i, t).X, -2.5, 2.5);
            }
    }

    [Fact]
    public void Speed_scales_every_velocity_and_keeps_the_rest_of_the_draw()
    {
        var a = MovingSprites.Generate(8, 4, 32, seed: 5);
        var b = MovingSprites.Generate(8, 4, 32, seed: 5, speed: 2.5f);
        for (int i = 0; i < a.Velocities.Length; i++) Assert.Equal(2.5f * a.Velocities[i], b.Velocities[i], 4);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a.Position(i, 0), b.Position(i, 0)); // same start
        Assert.Equal(a.Sequences.Labels, b.Sequences.Labels);
        Assert.Equal("speed", Assert.Throws<ArgumentOutOfRangeException>(() => MovingSprites.Generate(2, 4, 32, speed: 0f)).ParamName);
        Assert.Equal("speed", Assert.Throws<ArgumentOutOfRangeException>(() => MovingSprites.Generate(2, 4, 32, speed: float.NaN)).ParamName);
    }
}
