using System.Globalization;
using Latent.Core;

namespace Latent.Models.Denoising;

/// <summary>The corruption processes of Vincent et al. 2008/2010 (§4.2), plus a square hole for inpainting.</summary>
public enum CorruptionKind
{
    /// <summary>Additive isotropic Gaussian noise x̃ = x + ε, ε ~ N(0, σ²I).</summary>
    Gaussian,
    /// <summary>Masking noise: a random fraction ν of the elements is set to 0.</summary>
    Masking,
    /// <summary>Salt-and-pepper: a fraction ν of the elements is set to 0 or 1 (each with probability ½).</summary>
    SaltAndPepper,
    /// <summary>A square block (side = level × image side, at a random position per sample) set to 0.</summary>
    Block,
}

/// <summary>
/// A corruption q(x̃|x) with its level (σ for Gaussian, the fraction ν otherwise). Parsed from text such as
/// "gaussian:0.3", "masking:0.25", "salt-and-pepper:0.1" or "block:0.4".
/// </summary>
public sealed record Corruption(CorruptionKind Kind, float Level)
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public const string Syntax = "gaussian:SIGMA, masking:FRACTION, salt-and-pepper:FRACTION or block:FRACTION";

    /// <summary>Parses "kind:level"; ArgumentException naming the text otherwise.</summary>
    public static Corruption Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2);
        var kind = parts[0].Trim().ToLowerInvariant() switch
        {
            "gaussian" => CorruptionKind.Gaussian,
            "masking" or "mask" => CorruptionKind.Masking,
            "salt-and-pepper" or "saltpepper" or "sp" => CorruptionKind.SaltAndPepper,
            "block" => CorruptionKind.Block,
            _ => throw new ArgumentException($"noise '{text}': unknown kind (expected {Syntax})", nameof(text)),
        };
        if (parts.Length < 2 || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float level))
            throw new ArgumentException($"noise '{text}': missing or non-numeric level (expected {Syntax})", nameof(text));
        var c = new Corruption(kind, level);
        c.Validate();
        return c;
    }

    /// <summary>Throws ArgumentException when the level is out of range for the kind.</summary>
    public void Validate()
    {
        bool ok = Kind == CorruptionKind.Gaussian ? Level >= 0f && float.IsFinite(Level) : Level is >= 0f and <= 1f;
        if (!ok) throw new ArgumentException($"noise {ToString()}: level {Level.ToString(CultureInfo.InvariantCulture)} is out of range ({(Kind == CorruptionKind.Gaussian ? "sigma >= 0" : "fraction in [0, 1]")})");
    }

    /// <summary>x̃ ~ q(x̃|x) for a batch x [B, ...] (images [B,C,H,W] for Block); no gradient flows through the noise.</summary>
    public Tensor Apply(Tensor x, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        var y = x.Detach().Clone();
        var s = y.Span;
        switch (Kind)
        {
            case CorruptionKind.Gaussian:
                for (int i = 0; i < s.Length; i++) s[i] += Level * rng.NextNormal();
                break;
            case CorruptionKind.Masking:
                for (int i = 0; i < s.Length; i++) if (rng.NextFloat() < Level) s[i] = 0f;
                break;
            case CorruptionKind.SaltAndPepper:
                for (int i = 0; i < s.Length; i++) if (rng.NextFloat() < Level) s[i] = rng.NextFloat() < 0.5f ? 0f : 1f;
                break;
            case CorruptionKind.Block:
                ApplyBlock(y, rng);
                break;
        }
        return y;
    }

    private void ApplyBlock(Tensor y, Rng rng)
    {
        if (y.Rank != 4) throw new ArgumentException($"noise {ToString()}: block corruption needs images [B,C,H,W], got {Shapes.Format(y.Shape)}");
        int b = y.Shape[0], c = y.Shape[1], h = y.Shape[2], w = y.Shape[3];
        int side = Math.Clamp((int)MathF.Round(Level * Math.Min(h, w)), 0, Math.Min(h, w));
        var s = y.Span;
        for (int n = 0; n < b; n++)
        {
            int top = rng.NextInt(h - side + 1), left = rng.NextInt(w - side + 1);
            for (int ch = 0; ch < c; ch++)
                for (int i = top; i < top + side; i++)
                    s.Slice(((n * c + ch) * h + i) * w + left, side).Clear();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        CorruptionKind.Gaussian => "gaussian",
        CorruptionKind.Masking => "masking",
        CorruptionKind.SaltAndPepper => "salt-and-pepper",
        _ => "block",
    } + ":" + Level.ToString(CultureInfo.InvariantCulture);
}
